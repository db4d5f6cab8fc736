//! Accounts, statements, trial balances, and the accountant's adjustments and reversals.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{LongText, Money};

use super::service::{self, Adjustment};
use crate::ledger::model::{Account, StatementLine, StoredEntry};
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, parse_id, sane_date, sane_time};
use crate::platform::graphql::mirror_enum;
use crate::platform::graphql::pagination::{connection, page_request};

mirror_enum!(
    AccountKind,
    domain::AccountKind {
        HouseholdReceivable,
        FeeIncome,
        OwnersFeeFund,
        WaiverExpense,
        SubsidyReceivable,
        CashOnHand,
        Bank,
        ProcessorClearing,
        CommitteeFund,
        FirmCommonIncome,
        CommonIncomePending,
        CommonPartCost,
        ContractorPayable,
        RepairExpense,
        MaintenanceFund,
    }
);
mirror_enum!(
    EntryKind,
    domain::EntryKind {
        InvoiceIssued,
        WaiverGranted,
        PaymentReceived,
        Refund,
        CommonIncome,
        CommonPartCost,
        CommonIncomeSplit,
        CommitteePayout,
        ContractorCost,
        ContractorPaid,
        SubsidyReceived,
        CreditNote,
        Adjustment,
        Reversal,
    }
);

pub struct LedgerAccount(pub Account);

#[Object]
impl LedgerAccount {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn kind(&self) -> AccountKind {
        self.0.kind.into()
    }
    async fn compound_id(&self) -> ID {
        self.0.compound_id.into()
    }
    /// For household receivables, the household.
    async fn household_id(&self) -> Option<ID> {
        self.0.household_id.map(Into::into)
    }
    /// Debits minus credits, in fen: positive for assets and expenses.
    async fn balance(&self) -> MoneyAmount {
        self.0.balance.into()
    }
    /// The balance on the account's normal side (income and funds shown positive).
    async fn natural_balance(&self) -> MoneyAmount {
        service::natural(self.0.kind, self.0.balance).into()
    }
    async fn archived(&self) -> bool {
        self.0.archived
    }
}

#[derive(SimpleObject)]
pub struct PostingLine {
    pub account_id: ID,
    /// Positive is a debit, negative a credit.
    pub amount: MoneyAmount,
}

pub struct JournalEntry(pub StoredEntry);

#[Object]
impl JournalEntry {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Position in the firm's ledger: 1, 2, 3… without gaps.
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    async fn kind(&self) -> EntryKind {
        self.0.kind.into()
    }
    async fn compound_id(&self) -> ID {
        self.0.compound_id.into()
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    async fn idempotency_key(&self) -> &str {
        &self.0.idempotency_key
    }
    async fn memo(&self) -> &str {
        &self.0.memo
    }
    async fn reverses_entry_id(&self) -> Option<ID> {
        self.0.reverses.map(Into::into)
    }
    /// SHA-256 chaining this entry to the one before.
    async fn hash(&self) -> &str {
        &self.0.hash
    }
    async fn postings(&self) -> Vec<PostingLine> {
        self.0
            .postings
            .iter()
            .map(|(a, m)| PostingLine {
                account_id: (*a).into(),
                amount: (*m).into(),
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct StatementEntry {
    pub entry_id: ID,
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: EntryKind,
    pub memo: String,
    /// Positive is a debit, negative a credit.
    pub amount: MoneyAmount,
    /// The account's balance after this line.
    pub balance_after: MoneyAmount,
}

#[derive(SimpleObject)]
pub struct StatementInfo {
    pub account: LedgerAccount,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The balance before the first line of this page.
    pub opening_balance: MoneyAmount,
}

#[derive(SimpleObject)]
pub struct TrialBalanceRow {
    pub account: LedgerAccount,
    pub debit: MoneyAmount,
    pub credit: MoneyAmount,
}

#[derive(SimpleObject)]
pub struct TrialBalance {
    pub compound_id: ID,
    pub at: NaiveDate,
    pub rows: Vec<TrialBalanceRow>,
    pub total_debits: MoneyAmount,
    pub total_credits: MoneyAmount,
    /// Debits equal credits.
    pub balanced: bool,
}

fn seq_cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(seq.to_be_bytes())
}

fn parse_seq_cursor(cursor: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(i64::from_be_bytes)
        .ok_or_else(|| AppError::bad_input("after", "is not a cursor from this list"))
}

#[derive(Default)]
pub struct LedgerQuery;

#[Object]
impl LedgerQuery {
    /// A compound's accounts: all for book-keepers, the committee fund for its committee.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn ledger_accounts(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, LedgerAccount>> {
        let had_after = after.is_some();
        let page = page_request(first, after)?;
        let compound = parse_id(&compound_id, "compoundId")?;
        let found = service::accounts(ctx.db(), ctx.session()?, compound, page).await?;
        Ok(connection(found, had_after, |a| a.id, LedgerAccount))
    }

    async fn ledger_account(&self, ctx: &Context<'_>, id: ID) -> GqlResult<LedgerAccount> {
        Ok(LedgerAccount(
            service::account(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?,
        ))
    }

    /// An account's entries that occurred on days `from` to `to` (inclusive, UTC), in the
    /// order they were recorded, with running balances.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn account_statement(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        from: NaiveDate,
        to: NaiveDate,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, StatementEntry, StatementInfo>> {
        let had_after = after.is_some();
        let limit = page_request(first, None)?.limit;
        let after_seq = after.as_deref().map(parse_seq_cursor).transpose()?;
        let account = parse_id(&account_id, "accountId")?;
        let (from, to) = (sane_date(from, "from")?, sane_date(to, "to")?);
        let s = service::statement(
            ctx.db(),
            ctx.session()?,
            account,
            from,
            to,
            after_seq,
            limit,
        )
        .await?;
        let mut running = s.opening;
        let info = StatementInfo {
            account: LedgerAccount(s.account),
            from,
            to,
            opening_balance: s.opening.into(),
        };
        let mut conn = Connection::with_additional_fields(had_after, s.has_next, info);
        for StatementLine {
            entry_id,
            seq,
            occurred_at,
            kind,
            memo,
            amount,
        } in s.lines
        {
            running = running.checked_add(amount).field("accountId")?;
            conn.edges.push(Edge::new(
                seq_cursor(seq),
                StatementEntry {
                    entry_id: entry_id.into(),
                    seq,
                    occurred_at,
                    kind: kind.into(),
                    memo,
                    amount: amount.into(),
                    balance_after: running.into(),
                },
            ));
        }
        Ok(conn)
    }

    /// Every account of a compound at the end of day `at`, with debit and credit totals.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn trial_balance(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        at: NaiveDate,
    ) -> GqlResult<TrialBalance> {
        let compound = parse_id(&compound_id, "compoundId")?;
        let tb = service::trial_balance(ctx.db(), ctx.session()?, compound, sane_date(at, "at")?)
            .await?;
        Ok(TrialBalance {
            compound_id,
            at,
            rows: tb
                .rows
                .into_iter()
                .map(|(a, b)| TrialBalanceRow {
                    account: LedgerAccount(a),
                    debit: Money::from_fen(b.fen().max(0)).into(),
                    credit: Money::from_fen((-b.fen()).max(0)).into(),
                })
                .collect(),
            total_debits: tb.debits.into(),
            total_credits: tb.credits.into(),
            balanced: tb.debits == tb.credits,
        })
    }

    async fn journal_entry(&self, ctx: &Context<'_>, id: ID) -> GqlResult<JournalEntry> {
        Ok(JournalEntry(
            service::entry(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?,
        ))
    }
}

#[derive(InputObject)]
pub struct PostingInput {
    pub account_id: ID,
    /// Yuan, at most two decimals; positive debits, negative credits: "12.30", "-12.30".
    pub amount: String,
}

#[derive(InputObject)]
pub struct JournalEntryInput {
    pub compound_id: ID,
    pub occurred_at: DateTime<Utc>,
    /// Chosen by the client; posting the same key again returns the first entry.
    pub idempotency_key: String,
    pub memo: String,
    /// Only CNY is kept.
    #[graphql(default_with = "\"CNY\".to_owned()")]
    pub currency: String,
    pub postings: Vec<PostingInput>,
}

#[derive(InputObject)]
pub struct ReverseEntryInput {
    pub entry_id: ID,
    pub idempotency_key: String,
    /// Why it is reversed.
    pub memo: String,
}

const MAX_POSTINGS: usize = 100;

#[derive(Default)]
pub struct LedgerMutation;

#[Object]
impl LedgerMutation {
    /// A manual, balanced entry between accounts of one compound.
    async fn post_journal_entry(
        &self,
        ctx: &Context<'_>,
        input: JournalEntryInput,
    ) -> GqlResult<JournalEntry> {
        let session = ctx.session()?;
        if input.currency != "CNY" {
            return Err(AppError::bad_input("currency", "only CNY is kept").into());
        }
        if input.postings.len() > MAX_POSTINGS {
            return Err(AppError::bad_input(
                "postings",
                format!("at most {MAX_POSTINGS} postings"),
            )
            .into());
        }
        let postings = input
            .postings
            .iter()
            .map(|p| {
                Ok((
                    parse_id(&p.account_id, "postings.accountId")?,
                    Money::parse(&p.amount).field("postings.amount")?,
                ))
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let adjustment = Adjustment {
            compound: parse_id(&input.compound_id, "compoundId")?,
            occurred_at: sane_time(input.occurred_at, "occurredAt")?,
            idempotency_key: input.idempotency_key,
            memo: LongText::parse(&input.memo).field("memo")?,
            postings,
        };
        Ok(JournalEntry(
            service::post_adjustment(ctx.db(), session, adjustment).await?,
        ))
    }

    /// Undoes an entry with its mirror image; the original stays.
    async fn reverse_journal_entry(
        &self,
        ctx: &Context<'_>,
        input: ReverseEntryInput,
    ) -> GqlResult<JournalEntry> {
        let session = ctx.session()?;
        let entry = parse_id(&input.entry_id, "entryId")?;
        let memo = LongText::parse(&input.memo).field("memo")?;
        Ok(JournalEntry(
            service::reverse(ctx.db(), session, entry, &input.idempotency_key, memo).await?,
        ))
    }

    /// Closes an empty account to further postings.
    async fn archive_ledger_account(&self, ctx: &Context<'_>, id: ID) -> GqlResult<LedgerAccount> {
        let session = ctx.session()?;
        Ok(LedgerAccount(
            service::archive_account(ctx.db(), session, parse_id(&id, "id")?).await?,
        ))
    }
}
