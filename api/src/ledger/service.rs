//! The ledger's use cases: the chart of accounts, reading balances and statements, manual
//! adjustments and reversals, and verification.
//!
//! Business events (payments, refunds, credit notes, payouts…) are queued on their use case's
//! unit of work with [`queue`] and appended at its commit; a billing batch appends with
//! [`append_to`]. This module adds what an accountant does by hand.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::ledger::NormalSide;
use domain::{AccountKey, AccountKind, EntryBuilder, EntryKind, JournalEntry, LongText, Money};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::json;
use uuid::Uuid;

use super::store as ledger;
use super::store::{AppendError, PostingAccounts};
use crate::ledger::model::{Account, NewEntry, StatementLine, StoredEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::page::{Page, PageRequest};
use crate::platform::{RequestContext, UnitOfWork};

/// Every compound's accounts (household receivables are opened per household when needed).
pub const COMPOUND_CHART: &[AccountKind] = &[
    AccountKind::FeeIncome,
    AccountKind::OwnersFeeFund,
    AccountKind::WaiverExpense,
    AccountKind::SubsidyReceivable,
    AccountKind::CashOnHand,
    AccountKind::Bank,
    AccountKind::ProcessorClearing,
    AccountKind::CommitteeFund,
    AccountKind::FirmCommonIncome,
    AccountKind::CommonIncomePending,
    AccountKind::CommonPartCost,
    AccountKind::ContractorPayable,
    AccountKind::RepairExpense,
    AccountKind::MaintenanceFund,
];

/// Opens a new compound's chart of accounts, in the caller's transaction.
#[tracing::instrument(name = "ledger.open_chart", skip_all)]
pub async fn open_chart(tx: &impl ConnectionTrait, tenant: Uuid, compound: Uuid) -> AppResult<()> {
    let keys: Vec<AccountKey> = COMPOUND_CHART
        .iter()
        .map(|k| AccountKey::compound(compound, *k))
        .collect();
    ledger::ensure_accounts(tx, tenant, &keys).await?;
    Ok(())
}

/// A compound the principal reaches, known to the ledger: every compound's chart of accounts
/// is opened when the compound is created.
async fn in_reach(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<()> {
    if ctx.reach.sees_compound(compound) && ledger::has_chart(tx, ctx.tenant_id, compound).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("compound"))
    }
}

/// Opens new households' receivable accounts, in the caller's transaction, so that billing
/// only ever posts to them (billing still opens any that are missing, for households
/// created before accounts were opened this way).
#[tracing::instrument(name = "ledger.open_household_accounts", skip_all)]
pub async fn open_household_accounts(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    households: &[Uuid],
) -> AppResult<()> {
    let keys: Vec<AccountKey> = households
        .iter()
        .map(|h| AccountKey::household(compound, *h))
        .collect();
    // New households have no accounts yet: they are written without looking first.
    ledger::open_accounts(tx, tenant, &keys).await?;
    Ok(())
}

fn append_error(e: AppendError) -> AppError {
    match e {
        AppendError::ArchivedAccount(id) => {
            AppError::bad_input("postings", format!("account {id} is archived"))
        }
        AppendError::KeyReused(key) => AppError::conflict(
            "idempotencyKey",
            format!("{key:?} was already used for a different entry"),
        ),
        AppendError::Overflow(id) => AppError::bad_input(
            "postings",
            format!("the balance of account {id} would overflow"),
        ),
        AppendError::Db(e) => AppError::internal(e),
    }
}

/// Queues entries to be appended last in the unit of work: the firm's ledger lock is then
/// taken by the append and held only to the commit.
pub fn queue(uow: &UnitOfWork, entries: Vec<NewEntry>) {
    if entries.is_empty() {
        return;
    }
    uow.last(Box::new(move |tx, tenant| {
        Box::pin(async move { append_in(tx, tenant, entries).await.map(drop) })
    }));
}

/// Takes the firm's ledger lock now, for the two use cases that must read the books and
/// write in one order: a payout reads the balance of the fund it pays from, and a billing
/// batch numbers its invoices. Every other use case leaves the lock to its unit of work's
/// append.
#[tracing::instrument(name = "ledger.hold_books", skip_all)]
pub async fn hold_books(tx: &DatabaseTransaction, tenant: Uuid) -> AppResult<()> {
    ledger::lock_head(tx, tenant).await?;
    Ok(())
}

/// Appends entries inside the caller's transaction now: the ledger's own use cases, which
/// answer with the stored entry, and the demo's seeding.
#[tracing::instrument(name = "ledger.append_in", skip_all)]
pub async fn append_in(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    entries: Vec<NewEntry>,
) -> AppResult<Vec<StoredEntry>> {
    ledger::append(tx, tenant, entries)
        .await
        .map_err(append_error)
}

/// The accounts `entries` post to, found or opened before the firm's ledger lock is taken
/// (a billing batch does this first, so the lock is held for less).
#[tracing::instrument(name = "ledger.accounts_for", skip_all)]
pub async fn accounts_for<'a>(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    entries: impl IntoIterator<Item = &'a NewEntry>,
) -> AppResult<PostingAccounts> {
    ledger::accounts_for(tx, tenant, entries)
        .await
        .map_err(append_error)
}

/// [`append_in`] to accounts found by [`accounts_for`].
#[tracing::instrument(name = "ledger.append_to", skip_all)]
pub async fn append_to(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    entries: Vec<NewEntry>,
    accounts: &PostingAccounts,
) -> AppResult<Vec<StoredEntry>> {
    ledger::append_to(tx, tenant, entries, accounts)
        .await
        .map_err(append_error)
}

/// An account the caller may read: book-keepers read all; a committee member reads their
/// compound's committee fund. Anything else is not found.
async fn readable_account(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Account> {
    let account = ledger::find_account(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("account"))?;
    let committee = account.kind == AccountKind::CommitteeFund
        && ctx.principal.on_committee_of(account.compound_id);
    if ctx.principal.can_keep_books() || committee {
        Ok(account)
    } else {
        Err(AppError::NotFound("account"))
    }
}

#[tracing::instrument(name = "ledger.accounts", skip_all)]
pub async fn accounts(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    page: PageRequest,
) -> AppResult<Page<Account>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    in_reach(&tx, ctx, compound).await?;
    let kinds: Option<&[AccountKind]> = if ctx.principal.can_keep_books() {
        None
    } else if ctx.principal.on_committee_of(compound) {
        Some(&[AccountKind::CommitteeFund])
    } else {
        return Err(AppError::forbidden(
            "the accounts are visible to the firm's book-keepers and the owners' committee",
        ));
    };
    let page = ledger::accounts_of_compound(&tx, ctx.tenant_id, compound, kinds, page).await?;
    tx.commit().await?;
    Ok(page)
}

#[tracing::instrument(name = "ledger.account", skip_all)]
pub async fn account(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Account> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let account = readable_account(&tx, ctx, id).await?;
    tx.commit().await?;
    Ok(account)
}

pub struct Statement {
    pub account: Account,
    pub opening: Money,
    pub lines: Vec<StatementLine>,
    pub has_next: bool,
}

/// Longest statement period: ten years of lines is already more than anyone reads.
const MAX_STATEMENT_DAYS: i64 = 3_660;

#[tracing::instrument(name = "ledger.statement", skip_all)]
pub async fn statement(
    db: &Db,
    ctx: &RequestContext,
    account: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    after_seq: Option<i64>,
    limit: u64,
) -> AppResult<Statement> {
    if to < from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    if (to - from).num_days() > MAX_STATEMENT_DAYS {
        return Err(AppError::bad_input(
            "to",
            "a statement covers at most ten years",
        ));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let account = readable_account(&tx, ctx, account).await?;
    let (opening, lines, has_next) =
        ledger::statement(&tx, ctx.tenant_id, account.id, from, to, after_seq, limit).await?;
    tx.commit().await?;
    Ok(Statement {
        account,
        opening,
        lines,
        has_next,
    })
}

pub struct TrialBalance {
    pub rows: Vec<(Account, Money)>,
    pub debits: Money,
    pub credits: Money,
}

/// Every account of a compound with its balance at the end of `at`, debits and credits
/// totalled: they are equal, or the books are broken.
#[tracing::instrument(name = "ledger.trial_balance", skip_all)]
pub async fn trial_balance(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    at: NaiveDate,
) -> AppResult<TrialBalance> {
    require_books(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    in_reach(&tx, ctx, compound).await?;
    let balances = ledger::balances_at(&tx, ctx.tenant_id, compound, at).await?;
    let ids: Vec<Uuid> = balances.iter().map(|(id, _)| *id).collect();
    let mut accounts: std::collections::HashMap<Uuid, Account> =
        ledger::accounts_by_id(&tx, ctx.tenant_id, &ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    tx.commit().await?;
    let (mut debits, mut credits) = (Money::ZERO, Money::ZERO);
    let mut rows = Vec::with_capacity(balances.len());
    for (id, balance) in balances {
        if balance.is_positive() {
            debits = debits.checked_add(balance).field("at")?;
        } else {
            credits = credits.checked_sub(balance).field("at")?;
        }
        if let Some(a) = accounts.remove(&id) {
            rows.push((a, balance));
        }
    }
    rows.sort_by(|(a, _), (b, _)| {
        a.kind
            .code()
            .cmp(b.kind.code())
            .then(a.household_id.cmp(&b.household_id))
    });
    Ok(TrialBalance {
        rows,
        debits,
        credits,
    })
}

/// A balance as its account normally shows it: receivables and cash as debits, income and
/// funds as credits, both positive.
#[must_use]
pub fn natural(kind: AccountKind, balance: Money) -> Money {
    match kind.normal_side() {
        NormalSide::Debit => balance,
        NormalSide::Credit => Money::from_fen(balance.fen().saturating_neg()),
    }
}

pub struct Adjustment {
    pub compound: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub idempotency_key: String,
    pub memo: LongText,
    pub postings: Vec<(Uuid, Money)>,
}

fn check_occurred(db: &Db, at: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
    let earliest = DateTime::from_timestamp(946_684_800, 0).unwrap_or_default(); // 2000-01-01
    if at < earliest || at > db.clock().now() + Duration::days(1) {
        return Err(AppError::bad_input(
            "occurredAt",
            "must be between 2000-01-01 and tomorrow",
        ));
    }
    Ok(at)
}

/// The audit record and the event of an entry the accountant made.
fn adjusted(uow: &UnitOfWork, action: &'static str, e: &StoredEntry) {
    let detail = json!({ "seq": e.seq, "key": e.idempotency_key, "memo": e.memo });
    uow.audit(action, "journal_entry", e.id, detail);
    uow.publish(Event::LedgerAdjusted {
        entry: e.id,
        compound: e.compound_id,
    });
}

/// A manual journal entry by the accountant, e.g. to open balances or correct a misposting
/// between accounts of one compound.
#[tracing::instrument(name = "ledger.post_adjustment", skip_all)]
pub async fn post_adjustment(
    db: &Db,
    ctx: &RequestContext,
    a: Adjustment,
) -> AppResult<StoredEntry> {
    require_books(ctx)?;
    let key = crate::platform::idempotency::key(&a.idempotency_key)?;
    let occurred_at = check_occurred(db, a.occurred_at)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    in_reach(tx, ctx, a.compound).await?;
    let ids: Vec<Uuid> = a.postings.iter().map(|(id, _)| *id).collect();
    let accounts: std::collections::HashMap<Uuid, Account> =
        ledger::accounts_by_id(tx, ctx.tenant_id, &ids)
            .await?
            .into_iter()
            .map(|acc| (acc.id, acc))
            .collect();
    let mut builder = EntryBuilder::new(EntryKind::Adjustment, a.compound);
    for (id, amount) in &a.postings {
        let acc = accounts.get(id).ok_or(AppError::NotFound("account"))?;
        let key = AccountKey {
            compound: acc.compound_id,
            kind: acc.kind,
            household: acc.household_id,
        };
        builder = builder.post(key, *amount);
    }
    let entry = builder.build().field("postings")?;
    let stored = append_one(tx, ctx, entry, occurred_at, key, a.memo.into_inner(), None).await?;
    adjusted(&uow, "ledger.adjust", &stored);
    uow.commit().await?;
    Ok(stored)
}

async fn append_one(
    tx: &DatabaseTransaction,
    ctx: &RequestContext,
    entry: JournalEntry,
    occurred_at: DateTime<Utc>,
    idempotency_key: String,
    memo: String,
    reverses: Option<Uuid>,
) -> AppResult<StoredEntry> {
    let new = NewEntry {
        entry,
        occurred_at,
        idempotency_key,
        memo,
        actor: Some(ctx.user_id()),
        reverses,
    };
    append_in(tx, ctx.tenant_id, vec![new])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("the ledger returned no entry".into()))
}

/// Undoes an entry with a new entry of every posting negated. An entry is reversed at most
/// once; retrying with the same idempotency key returns the same reversal.
#[tracing::instrument(name = "ledger.reverse", skip_all)]
pub async fn reverse(
    db: &Db,
    ctx: &RequestContext,
    entry: Uuid,
    idempotency_key: &str,
    memo: LongText,
) -> AppResult<StoredEntry> {
    require_books(ctx)?;
    let key = crate::platform::idempotency::key(idempotency_key)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let original = ledger::find_entry(tx, ctx.tenant_id, entry)
        .await?
        .ok_or(AppError::NotFound("journal entry"))?;
    if let Some(done) = ledger::reversal_of(tx, ctx.tenant_id, entry).await? {
        let done = ledger::find_entry(tx, ctx.tenant_id, done)
            .await?
            .ok_or(AppError::NotFound("journal entry"))?;
        if done.idempotency_key == key {
            return Ok(done);
        }
        return Err(AppError::conflict(
            "entryId",
            "this entry has already been reversed",
        ));
    }
    if original.reverses.is_some() {
        return Err(AppError::conflict(
            "entryId",
            "a reversal cannot itself be reversed; post a new entry",
        ));
    }
    let ids: Vec<Uuid> = original.postings.iter().map(|(id, _)| *id).collect();
    let accounts: std::collections::HashMap<Uuid, Account> =
        ledger::accounts_by_id(tx, ctx.tenant_id, &ids)
            .await?
            .into_iter()
            .map(|acc| (acc.id, acc))
            .collect();
    let postings = original
        .postings
        .iter()
        .map(|(id, amount)| {
            let acc = accounts
                .get(id)
                .ok_or_else(|| AppError::Internal("posting to a missing account".into()))?;
            Ok(domain::Posting {
                account: AccountKey {
                    compound: acc.compound_id,
                    kind: acc.kind,
                    household: acc.household_id,
                },
                amount: *amount,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let reversal = JournalEntry::from_postings(original.kind, original.compound_id, postings)
        .and_then(|e| e.reversal())
        .map_err(|e| AppError::Internal(e.to_string().into()))?;
    let stored = append_one(
        tx,
        ctx,
        reversal,
        Utc::now(),
        key,
        memo.into_inner(),
        Some(original.id),
    )
    .await
    .map_err(|e| {
        e.unique_as_conflict(
            "entryId",
            "this entry has just been reversed by another request",
        )
    })?;
    adjusted(&uow, "ledger.reverse", &stored);
    uow.commit().await?;
    Ok(stored)
}

#[tracing::instrument(name = "ledger.entry", skip_all)]
pub async fn entry(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<StoredEntry> {
    require_books(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = ledger::find_entry(&tx, ctx.tenant_id, id).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound("journal entry"))
}

/// Archives an account with a zero balance: it takes no further postings.
#[tracing::instrument(name = "ledger.archive_account", skip_all)]
pub async fn archive_account(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Account> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let account = ledger::find_account(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("account"))?;
    if account.archived {
        return Ok(account);
    }
    let not_empty = |balance: Money| {
        AppError::conflict(
            "id",
            format!("the balance is {balance}; only an empty account can be archived"),
        )
    };
    if !account.balance.is_zero() {
        return Err(not_empty(account.balance));
    }
    if !ledger::archive_account(tx, ctx.tenant_id, id).await? {
        // A posting in flight reached the account between the read and the update.
        let now = ledger::find_account(tx, ctx.tenant_id, id).await?;
        return Err(not_empty(now.map_or(account.balance, |a| a.balance)));
    }
    uow.audit("ledger.archive_account", "ledger_account", id, json!({}));
    uow.commit().await?;
    Ok(Account {
        archived: true,
        ..account
    })
}
