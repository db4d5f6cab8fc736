//! The ledger's persistence: accounts with maintained balances, appending chained entries,
//! statements, trial balances and verification.
//!
//! Appending takes the tenant's chain head under a row lock first (the write lock on
//! SQLite), so appends of one tenant are serialised, idempotency keys are checked against
//! committed entries, and the chain has no forks.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use domain::{AccountKey, AccountKind, ChainRecord, EntryKind, GENESIS_HASH, Money, chain_hash};
use sea_orm::sea_query::{Alias, ArrayType, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};
use uuid::Uuid;

use super::model::{Account, NewEntry, StatementLine, StoredEntry};
use crate::platform::bulk::array;
use crate::platform::page::{self, Page, PageRequest};
use crate::platform::schema::{journal_entry, ledger_account, ledger_head, posting};
use crate::platform::storage::corrupt;

mod sql;
mod verify;

use sql::{micros, postings_with_entries};
pub use verify::verify;

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's parameter limits.
const INSERT_CHUNK: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("account {0} is archived")]
    ArchivedAccount(Uuid),
    #[error("idempotency key {0:?} was already used for a different entry")]
    KeyReused(String),
    #[error("the balance of account {0} would overflow")]
    Overflow(Uuid),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl TryFrom<ledger_account::Model> for Account {
    type Error = DbErr;
    fn try_from(m: ledger_account::Model) -> Result<Self, DbErr> {
        Ok(Self {
            kind: AccountKind::from_code(&m.kind)
                .ok_or_else(|| corrupt("account kind", &m.kind))?,
            id: m.id,
            compound_id: m.compound_id,
            household_id: m.household_id,
            balance: Money::from_fen(m.balance),
            archived: m.archived_at.is_some(),
        })
    }
}

/// Rows of a tenant table whose unique text column is one of `keys`.
///
/// On PostgreSQL the keys go as one array, and each is looked up on its own through a
/// `LATERAL … LIMIT 1` subquery (the `LIMIT` keeps the planner from flattening it into a
/// join): an equality on the unique `(tenant_id, key)` index, which stays the cheapest plan
/// however stale the table's statistics are (a table bulk-loaded before autovacuum has
/// analysed it). An `IN (…)` list was planned as a filter comparing every
/// row against every key, and a plain join with the array as a hash of every entry of the
/// tenant (statistics said there were a hundred): lookups that grew with the ledger.
async fn by_text_keys<E, C>(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    table: &str,
    column: &str,
    tenant_col: C,
    key_col: C,
    keys: &[String],
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    if db.get_database_backend() == DbBackend::Postgres {
        let sql = format!(
            "SELECT t.* FROM UNNEST($2::text[]) AS k(key) CROSS JOIN LATERAL
               (SELECT * FROM {table} x WHERE x.tenant_id = $1 AND x.{column} = k.key LIMIT 1) AS t"
        );
        let values = vec![
            tenant.into(),
            array(keys, ArrayType::String, |k| k.clone().into()),
        ];
        return E::find()
            .from_raw_sql(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .all(db)
            .await;
    }
    E::find()
        .filter(tenant_col.eq(tenant))
        .filter(key_col.is_in(keys.iter().cloned()))
        .all(db)
        .await
}

fn key_text(k: &AccountKey) -> String {
    match k.household {
        Some(h) => format!("{}:{}:{h}", k.compound, k.kind.code()),
        None => format!("{}:{}", k.compound, k.kind.code()),
    }
}

/// The accounts that exist for these keys; none is opened.
pub async fn find_accounts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    keys: &[AccountKey],
) -> Result<HashMap<AccountKey, Account>, DbErr> {
    let wanted: BTreeMap<String, AccountKey> = keys.iter().map(|k| (key_text(k), *k)).collect();
    let mut found: HashMap<AccountKey, Account> = HashMap::with_capacity(wanted.len());
    let texts: Vec<String> = wanted.keys().cloned().collect();
    for chunk in texts.chunks(INSERT_CHUNK) {
        for m in by_text_keys::<ledger_account::Entity, _>(
            db,
            tenant,
            "ledger_accounts",
            "key",
            ledger_account::Column::TenantId,
            ledger_account::Column::Key,
            chunk,
        )
        .await?
        {
            let key = wanted
                .get(&m.key)
                .copied()
                .ok_or_else(|| corrupt("account key", &m.key))?;
            found.insert(key, m.try_into()?);
        }
    }
    Ok(found)
}

/// The accounts for these keys, opening any that do not exist yet.
pub async fn ensure_accounts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    keys: &[AccountKey],
) -> Result<HashMap<AccountKey, Account>, DbErr> {
    let mut found = find_accounts(db, tenant, keys).await?;
    let wanted: BTreeMap<String, AccountKey> = keys.iter().map(|k| (key_text(k), *k)).collect();
    let now = Utc::now();
    let opened: Vec<(AccountKey, ledger_account::Model)> = wanted
        .into_iter()
        .filter(|(_, k)| !found.contains_key(k))
        .map(|(key, k)| {
            let m = ledger_account::Model {
                tenant_id: tenant,
                id: domain::new_id(),
                created_at: now,
                compound_id: k.compound,
                household_id: k.household,
                kind: k.kind.code().to_owned(),
                key,
                balance: 0,
                archived_at: None,
            };
            (k, m)
        })
        .collect();
    if opened.is_empty() {
        return Ok(found);
    }
    if db.get_database_backend() == DbBackend::Postgres {
        use crate::platform::bulk::{Column, insert};
        let o = &opened;
        let written = insert(
            db,
            "ledger_accounts",
            vec![
                Column::uuid("tenant_id", o, |(_, m)| m.tenant_id),
                Column::uuid("id", o, |(_, m)| m.id),
                Column::timestamp("created_at", o, |(_, m)| m.created_at),
                Column::uuid("compound_id", o, |(_, m)| m.compound_id),
                Column::opt_uuid("household_id", o, |(_, m)| m.household_id),
                Column::text("kind", o, |(_, m)| m.kind.clone()),
                Column::text("key", o, |(_, m)| m.key.clone()),
                Column::bigint("balance", o, |(_, m)| m.balance),
            ],
            // Two transactions may open the same account at once (neither holds the
            // ledger's lock yet): the second finds the first's below.
            "ON CONFLICT (tenant_id, key) DO NOTHING",
        )
        .await?;
        if written != opened.len() as u64 {
            // Another transaction won a race for some of them: read back theirs.
            let keys: Vec<AccountKey> = opened.iter().map(|(k, _)| *k).collect();
            found.extend(find_accounts(db, tenant, &keys).await?);
            return Ok(found);
        }
    } else {
        // SQLite: the write transaction holds the database's lock; no one else is opening.
        for chunk in opened.chunks(INSERT_CHUNK) {
            let rows = chunk
                .iter()
                .map(|(_, m)| ledger_account::ActiveModel::from(m.clone()));
            ledger_account::Entity::insert_many(rows)
                .exec_without_returning(db)
                .await?;
        }
    }
    for (k, m) in opened {
        found.insert(k, m.try_into()?);
    }
    Ok(found)
}

pub async fn find_account(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Account>, DbErr> {
    ledger_account::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn accounts_of_compound(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    kinds: Option<&[AccountKind]>,
    page: PageRequest,
) -> Result<Page<Account>, DbErr> {
    let mut q = ledger_account::Entity::find()
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::CompoundId.eq(compound));
    if let Some(kinds) = kinds {
        q = q.filter(ledger_account::Column::Kind.is_in(kinds.iter().map(|k| k.code())));
    }
    page::fetch(db, q, ledger_account::Column::Id, page)
        .await?
        .try_map(TryInto::try_into)
}

/// Archives an open account whose balance is zero, deciding on the row as it is when the
/// update reaches it (an append in flight holds the row; its balance is then re-read).
/// `false` when the balance is not zero or the account was archived already.
pub async fn archive_account(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<bool, DbErr> {
    let archived = ledger_account::Entity::update_many()
        .col_expr(ledger_account::Column::ArchivedAt, Expr::value(Utc::now()))
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::Id.eq(id))
        .filter(ledger_account::Column::Balance.eq(0))
        .filter(ledger_account::Column::ArchivedAt.is_null())
        .exec(db)
        .await?;
    Ok(archived.rows_affected == 1)
}

/// Databases keep microseconds; truncate first so what is hashed is what is stored.
fn to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

fn chain_record<'a>(m: &'a journal_entry::Model, postings: Vec<(Uuid, i64)>) -> ChainRecord<'a> {
    ChainRecord {
        seq: m.seq,
        id: m.id,
        compound: m.compound_id,
        kind: &m.kind,
        occurred_micros: micros(m.occurred_at),
        recorded_micros: micros(m.created_at),
        idempotency_key: &m.idempotency_key,
        actor: m.actor_user_id,
        reverses: m.reverses_entry_id,
        memo: &m.memo,
        postings,
    }
}

fn stored(m: journal_entry::Model, postings: Vec<(Uuid, Money)>) -> Result<StoredEntry, DbErr> {
    Ok(StoredEntry {
        kind: EntryKind::from_code(&m.kind).ok_or_else(|| corrupt("entry kind", &m.kind))?,
        id: m.id,
        seq: m.seq,
        compound_id: m.compound_id,
        occurred_at: m.occurred_at,
        recorded_at: m.created_at,
        idempotency_key: m.idempotency_key,
        memo: m.memo,
        actor: m.actor_user_id,
        reverses: m.reverses_entry_id,
        hash: m.hash,
        postings,
    })
}

/// Takes the tenant's chain head under lock, creating it on first use. One statement in
/// the common case: a no-op write (the row lock on PostgreSQL, the database write lock on
/// SQLite) that returns the head.
pub(crate) async fn lock_head(
    db: &impl ConnectionTrait,
    tenant: Uuid,
) -> Result<(i64, String), DbErr> {
    for _ in 0..2 {
        let locked = ledger_head::Entity::update_many()
            .col_expr(
                ledger_head::Column::Seq,
                Expr::col(ledger_head::Column::Seq),
            )
            .filter(ledger_head::Column::TenantId.eq(tenant))
            .exec_with_returning(db)
            .await?;
        if let Some(head) = locked.into_iter().next() {
            return Ok((head.seq, head.hash));
        }
        ledger_head::Entity::insert(ledger_head::ActiveModel {
            tenant_id: Set(tenant),
            seq: Set(0),
            hash: Set(GENESIS_HASH.to_owned()),
        })
        .on_conflict(
            OnConflict::column(ledger_head::Column::TenantId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Err(DbErr::RecordNotFound("ledger head".into()))
}

async fn postings_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    entries: &[Uuid],
) -> Result<HashMap<Uuid, Vec<(Uuid, Money)>>, DbErr> {
    let mut map: HashMap<Uuid, Vec<(Uuid, Money)>> = HashMap::new();
    for chunk in entries.chunks(INSERT_CHUNK) {
        let rows: Vec<(Uuid, Uuid, i64)> = posting::Entity::find()
            .select_only()
            .columns([
                posting::Column::EntryId,
                posting::Column::AccountId,
                posting::Column::Amount,
            ])
            .filter(posting::Column::TenantId.eq(tenant))
            .filter(posting::Column::EntryId.is_in(chunk.iter().copied()))
            .order_by_asc(posting::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        for (entry, account, amount) in rows {
            map.entry(entry)
                .or_default()
                .push((account, Money::from_fen(amount)));
        }
    }
    Ok(map)
}

fn same_postings(a: &[(Uuid, Money)], b: &[(Uuid, Money)]) -> bool {
    let mut a: Vec<_> = a.iter().map(|(id, m)| (*id, m.fen())).collect();
    let mut b: Vec<_> = b.iter().map(|(id, m)| (*id, m.fen())).collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Appends entries in order, chaining each to the last. An entry whose idempotency key is
/// already stored is not written again: the stored entry is returned in its place (and a
/// key reused for different postings is an error).
///
/// A bulk append on PostgreSQL (a billing chunk, an import) first writes optimistically, as
/// if no key were stored yet, inside a savepoint: looking thousands of fresh keys up one by
/// one cost more than the insert itself. Should any key turn out to be stored, the savepoint
/// is rolled back and the batch appended the careful way.
pub async fn append(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    entries: Vec<NewEntry>,
) -> Result<Vec<StoredEntry>, AppendError> {
    let accounts = accounts_for(db, tenant, &entries).await?;
    append_to(db, tenant, entries, &accounts).await
}

/// Whether any account of this compound's is on the books.
pub async fn has_chart(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<bool, DbErr> {
    let any = ledger_account::Entity::find()
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::CompoundId.eq(compound))
        .one(db)
        .await?;
    Ok(any.is_some())
}

/// The open accounts some entries post to, found or opened. Finding them needs no part of
/// the chain, so a caller can do it before taking the firm's ledger lock (which
/// [`append_to`] takes, for the sequence, the hashes and the write).
pub async fn accounts_for<'a>(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    entries: impl IntoIterator<Item = &'a NewEntry>,
) -> Result<PostingAccounts, AppendError> {
    let keys: Vec<AccountKey> = entries
        .into_iter()
        .flat_map(|e| e.entry.postings().iter().map(|p| p.account))
        .collect();
    let accounts = ensure_accounts(db, tenant, &keys).await?;
    if let Some(a) = accounts.values().find(|a| a.archived) {
        return Err(AppendError::ArchivedAccount(a.id));
    }
    Ok(PostingAccounts(accounts))
}

/// Accounts found open by [`accounts_for`], by key.
pub struct PostingAccounts(HashMap<AccountKey, Account>);

/// [`append`], to accounts found before. An entry posting to an account not among them is
/// an error.
pub async fn append_to(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    entries: Vec<NewEntry>,
    PostingAccounts(accounts): &PostingAccounts,
) -> Result<Vec<StoredEntry>, AppendError> {
    let head = lock_head(db, tenant).await?;
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    if postgres && entries.len() >= BULK_APPEND {
        let plan = plan_append(tenant, &entries, accounts, HashMap::new(), head.clone())?;
        // A key stored already (or another unique rule broken) undoes the write, and the
        // careful way answers each stored key with its entry or names the error.
        let written = crate::platform::storage::unless_unique_clash(
            db,
            write_postgres(db, tenant, &plan),
            |_| true,
        );
        if written.await.map_err(archived_since)? {
            return Ok(plan.out);
        }
    }
    let existing = stored_by_key(db, tenant, &entries).await?;
    let plan = plan_append(tenant, &entries, accounts, existing, head)?;
    if plan.entry_rows.is_empty() {
        return Ok(plan.out);
    }
    if !postgres {
        write_sqlite(db, tenant, &plan).await?;
    } else {
        // Keys were read under the chain head's lock: a conflict here is a broken invariant,
        // and the unique index makes it an error.
        write_postgres(db, tenant, &plan)
            .await
            .map_err(archived_since)?;
    }
    Ok(plan.out)
}

/// A write refused because an account was archived after [`accounts_for`] found it open
/// (PostgreSQL's trigger names it: migration 000012), or the error as it is.
fn archived_since(e: DbErr) -> AppendError {
    let text = e.to_string();
    let account = text
        .split_once(migrations::ARCHIVED_ACCOUNT)
        .and_then(|(_, rest)| rest.get(..36))
        .and_then(|id| Uuid::parse_str(id).ok());
    match account {
        Some(id) => AppendError::ArchivedAccount(id),
        None => AppendError::Db(e),
    }
}

/// Appends of at least this many entries write optimistically on PostgreSQL.
const BULK_APPEND: usize = 100;

/// The entries already stored under these entries' idempotency keys, by key.
async fn stored_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    entries: &[NewEntry],
) -> Result<HashMap<String, StoredEntry>, DbErr> {
    let batch_keys: Vec<String> = entries.iter().map(|e| e.idempotency_key.clone()).collect();
    let mut existing: HashMap<String, StoredEntry> = HashMap::new();
    for chunk in batch_keys.chunks(INSERT_CHUNK) {
        let models = by_text_keys::<journal_entry::Entity, _>(
            db,
            tenant,
            "journal_entries",
            "idempotency_key",
            journal_entry::Column::TenantId,
            journal_entry::Column::IdempotencyKey,
            chunk,
        )
        .await?;
        let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
        let mut postings = postings_of(db, tenant, &ids).await?;
        for m in models {
            let p = postings.remove(&m.id).unwrap_or_default();
            existing.insert(m.idempotency_key.clone(), stored(m, p)?);
        }
    }
    Ok(existing)
}

/// What an append writes: the rows, the balance changes, the new chain head, and what it
/// returns (stored entries in place of those whose key is in `existing`, or repeated).
struct AppendPlan {
    out: Vec<StoredEntry>,
    entry_rows: Vec<journal_entry::Model>,
    posting_rows: Vec<posting::Model>,
    deltas: HashMap<Uuid, i64>,
    recorded_at: DateTime<Utc>,
    head: (i64, String),
}

fn plan_append(
    tenant: Uuid,
    entries: &[NewEntry],
    accounts: &HashMap<AccountKey, Account>,
    existing: HashMap<String, StoredEntry>,
    (mut seq, mut prev): (i64, String),
) -> Result<AppendPlan, AppendError> {
    let account_id = |k: &AccountKey| {
        accounts
            .get(k)
            .map(|a| a.id)
            .ok_or_else(|| DbErr::RecordNotFound("account".into()))
    };
    let recorded_at = to_micros(Utc::now());
    let mut out = Vec::with_capacity(entries.len());
    let mut entry_rows: Vec<journal_entry::Model> = Vec::new();
    let mut posting_rows: Vec<posting::Model> = Vec::new();
    let mut deltas: HashMap<Uuid, i64> = HashMap::new();
    // Keys appended earlier in this same call, by their place in `out`.
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for e in entries {
        let postings: Vec<(Uuid, Money)> = e
            .entry
            .postings()
            .iter()
            .map(|p| Ok((account_id(&p.account)?, p.amount)))
            .collect::<Result<_, DbErr>>()?;
        let first = match seen.get(e.idempotency_key.as_str()) {
            Some(&i) => Some(&out[i]),
            None => existing.get(&e.idempotency_key),
        };
        if let Some(first) = first {
            if !same_postings(&first.postings, &postings) || first.compound_id != e.entry.compound()
            {
                return Err(AppendError::KeyReused(e.idempotency_key.clone()));
            }
            out.push(first.clone());
            continue;
        }
        seq += 1;
        let model = journal_entry::Model {
            tenant_id: tenant,
            id: domain::new_id(),
            created_at: recorded_at,
            seq,
            compound_id: e.entry.compound(),
            kind: e.entry.kind().code().to_owned(),
            occurred_at: to_micros(e.occurred_at),
            idempotency_key: e.idempotency_key.clone(),
            actor_user_id: e.actor,
            reverses_entry_id: e.reverses,
            memo: e.memo.clone(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        let record = chain_record(
            &model,
            postings.iter().map(|(a, m)| (*a, m.fen())).collect(),
        );
        let hash = chain_hash(&prev, &record.canonical());
        let model = journal_entry::Model {
            hash: hash.clone(),
            ..model
        };
        prev = hash;
        for (account, amount) in &postings {
            let d = deltas.entry(*account).or_default();
            *d = d
                .checked_add(amount.fen())
                .ok_or(AppendError::Overflow(*account))?;
            posting_rows.push(posting::Model {
                tenant_id: tenant,
                id: domain::new_id(),
                entry_id: model.id,
                account_id: *account,
                amount: amount.fen(),
            });
        }
        seen.insert(e.idempotency_key.as_str(), out.len());
        out.push(stored(model.clone(), postings)?);
        entry_rows.push(model);
    }
    Ok(AppendPlan {
        out,
        entry_rows,
        posting_rows,
        deltas,
        recorded_at,
        head: (seq, prev),
    })
}

/// The balance changes of an append, by account, in a fixed order.
fn sorted_deltas(deltas: &HashMap<Uuid, i64>) -> Vec<(Uuid, i64)> {
    let mut items: Vec<(Uuid, i64)> = deltas
        .iter()
        .filter(|(_, d)| **d != 0)
        .map(|(a, d)| (*a, *d))
        .collect();
    items.sort_unstable();
    items
}

/// Writes an append on PostgreSQL in one statement, whatever its size: entries, postings,
/// balance changes and the new chain head, each kind as a handful of arrays through
/// `UNNEST` (a multi-row VALUES list with thousands of parameters costs far more to plan
/// than to run, and every statement is a round trip made while holding the ledger lock).
/// An entry whose key is stored already fails the whole statement on the unique index (a
/// plain insert: `ON CONFLICT` would cost a speculative insertion per entry).
async fn write_postgres(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    plan: &AppendPlan,
) -> Result<(), DbErr> {
    let (entries, postings) = (&plan.entry_rows, &plan.posting_rows);
    let (seq, hash) = plan.head.clone();
    // NULLs cannot travel in these arrays: the nil UUID stands for "none".
    let none = Uuid::nil();
    let deltas = sorted_deltas(&plan.deltas);
    let values: Vec<sea_orm::Value> = vec![
        tenant.into(),
        plan.recorded_at.into(),
        none.into(),
        seq.into(),
        hash.into(),
        array(entries, ArrayType::Uuid, |m| m.id.into()),
        array(entries, ArrayType::BigInt, |m| m.seq.into()),
        array(entries, ArrayType::Uuid, |m| m.compound_id.into()),
        array(entries, ArrayType::String, |m| m.kind.clone().into()),
        array(entries, ArrayType::ChronoDateTimeUtc, |m| {
            m.occurred_at.into()
        }),
        array(entries, ArrayType::String, |m| {
            m.idempotency_key.clone().into()
        }),
        array(entries, ArrayType::Uuid, |m| {
            m.actor_user_id.unwrap_or(none).into()
        }),
        array(entries, ArrayType::Uuid, |m| {
            m.reverses_entry_id.unwrap_or(none).into()
        }),
        array(entries, ArrayType::String, |m| m.memo.clone().into()),
        array(entries, ArrayType::String, |m| m.prev_hash.clone().into()),
        array(entries, ArrayType::String, |m| m.hash.clone().into()),
        array(postings, ArrayType::Uuid, |m| m.id.into()),
        array(postings, ArrayType::Uuid, |m| m.entry_id.into()),
        array(postings, ArrayType::Uuid, |m| m.account_id.into()),
        array(postings, ArrayType::BigInt, |m| m.amount.into()),
        array(&deltas, ArrayType::Uuid, |(a, _)| (*a).into()),
        array(&deltas, ArrayType::BigInt, |(_, d)| (*d).into()),
    ];
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "WITH entries AS (
           INSERT INTO journal_entries (tenant_id, id, created_at, seq, compound_id, kind,
               occurred_at, idempotency_key, actor_user_id, reverses_entry_id, memo, prev_hash, hash)
           SELECT $1, u.id, $2, u.seq, u.compound_id, u.kind, u.occurred_at, u.key,
               NULLIF(u.actor, $3), NULLIF(u.reverses, $3), u.memo, u.prev_hash, u.hash
           FROM UNNEST($6::uuid[], $7::bigint[], $8::uuid[], $9::text[], $10::timestamptz[],
               $11::text[], $12::uuid[], $13::uuid[], $14::text[], $15::text[], $16::text[])
             AS u(id, seq, compound_id, kind, occurred_at, key, actor, reverses, memo, prev_hash, hash)
         ), balances AS (
           UPDATE ledger_accounts AS a SET balance = a.balance + v.delta
           FROM UNNEST($21::uuid[], $22::bigint[]) AS v(id, delta)
           WHERE a.tenant_id = $1 AND a.id = v.id
         ), head AS (
           UPDATE ledger_heads SET seq = $4, hash = $5 WHERE tenant_id = $1
         )
         INSERT INTO postings (tenant_id, id, entry_id, account_id, amount)
         SELECT $1, u.id, u.entry_id, u.account_id, u.amount
         FROM UNNEST($17::uuid[], $18::uuid[], $19::uuid[], $20::bigint[])
           AS u(id, entry_id, account_id, amount)",
        values,
    ))
    .await?;
    Ok(())
}

/// Writes an append on SQLite: multi-row INSERTs and one UPDATE per account, all in-process
/// calls.
async fn write_sqlite(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    plan: &AppendPlan,
) -> Result<(), DbErr> {
    for chunk in plan.entry_rows.chunks(INSERT_CHUNK) {
        let rows = chunk.iter().cloned().map(journal_entry::ActiveModel::from);
        journal_entry::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in plan.posting_rows.chunks(INSERT_CHUNK * 2) {
        let rows = chunk.iter().cloned().map(posting::ActiveModel::from);
        posting::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for (account, delta) in sorted_deltas(&plan.deltas) {
        ledger_account::Entity::update_many()
            .col_expr(
                ledger_account::Column::Balance,
                Expr::col(ledger_account::Column::Balance).add(delta),
            )
            .filter(ledger_account::Column::TenantId.eq(tenant))
            .filter(ledger_account::Column::Id.eq(account))
            .exec(db)
            .await?;
    }
    ledger_head::Entity::update_many()
        .col_expr(ledger_head::Column::Seq, Expr::value(plan.head.0))
        .col_expr(ledger_head::Column::Hash, Expr::value(plan.head.1.clone()))
        .filter(ledger_head::Column::TenantId.eq(tenant))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn find_entry(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<StoredEntry>, DbErr> {
    let Some(m) = journal_entry::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let p = postings_of(db, tenant, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    stored(m, p).map(Some)
}

pub async fn find_entry_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<StoredEntry>, DbErr> {
    let Some(m) = journal_entry::Entity::find()
        .filter(journal_entry::Column::TenantId.eq(tenant))
        .filter(journal_entry::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let p = postings_of(db, tenant, &[m.id])
        .await?
        .remove(&m.id)
        .unwrap_or_default();
    stored(m, p).map(Some)
}

/// The entry that reversed `id`, if any.
pub async fn reversal_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(journal_entry::Entity::find()
        .filter(journal_entry::Column::TenantId.eq(tenant))
        .filter(journal_entry::Column::ReversesEntryId.eq(id))
        .one(db)
        .await?
        .map(|m| m.id))
}

/// `CAST(SUM(x) AS BIGINT)`: PostgreSQL sums bigints as numeric.
fn sum_bigint(col: Expr) -> Expr {
    col.sum().cast_as(Alias::new("BIGINT"))
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Postings to `account` on entries that occurred on days `from..=to`, in recording order
/// (keyset on the entry's sequence number), and the balance before the first line returned.
pub async fn statement(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    account: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    after_seq: Option<i64>,
    limit: u64,
) -> Result<(Money, Vec<StatementLine>, bool), DbErr> {
    let start = day_start(from);
    let end = day_start(to + chrono::Days::new(1));
    let (mut base, p, e) = postings_with_entries();
    base.and_where(Expr::col((p.clone(), posting::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((p.clone(), posting::Column::AccountId)).eq(account));
    let backend = db.get_database_backend();

    // Opening balance: everything before the period, plus the period's lines before the page.
    let mut opening = base.clone();
    opening.expr(sum_bigint(Expr::col((p.clone(), posting::Column::Amount))));
    let before_period = Expr::col((e.clone(), journal_entry::Column::OccurredAt)).lt(start);
    let cond = match after_seq {
        None => before_period,
        Some(seq) => before_period.or(Expr::col((e.clone(), journal_entry::Column::OccurredAt))
            .gte(start)
            .and(Expr::col((e.clone(), journal_entry::Column::OccurredAt)).lt(end))
            .and(Expr::col((e.clone(), journal_entry::Column::Seq)).lte(seq))),
    };
    opening.and_where(cond);
    let opening_fen: i64 = match db.query_one_raw(backend.build(&opening)).await? {
        Some(row) => row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0),
        None => 0,
    };

    let mut lines = base;
    lines
        .columns([
            (e.clone(), journal_entry::Column::Id),
            (e.clone(), journal_entry::Column::Seq),
            (e.clone(), journal_entry::Column::OccurredAt),
            (e.clone(), journal_entry::Column::Kind),
            (e.clone(), journal_entry::Column::Memo),
        ])
        .column((p.clone(), posting::Column::Amount))
        .and_where(Expr::col((e.clone(), journal_entry::Column::OccurredAt)).gte(start))
        .and_where(Expr::col((e.clone(), journal_entry::Column::OccurredAt)).lt(end))
        .order_by(
            (e.clone(), journal_entry::Column::Seq),
            sea_orm::sea_query::Order::Asc,
        )
        .limit(limit + 1);
    if let Some(seq) = after_seq {
        lines.and_where(Expr::col((e.clone(), journal_entry::Column::Seq)).gt(seq));
    }
    let rows = db.query_all_raw(backend.build(&lines)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.try_get_by_index(3)?;
        out.push(StatementLine {
            entry_id: r.try_get_by_index(0)?,
            seq: r.try_get_by_index(1)?,
            occurred_at: r.try_get_by_index(2)?,
            kind: EntryKind::from_code(&kind).ok_or_else(|| corrupt("entry kind", &kind))?,
            memo: r.try_get_by_index(4)?,
            amount: Money::from_fen(r.try_get_by_index(5)?),
        });
    }
    let has_next = out.len() as u64 > limit;
    out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((Money::from_fen(opening_fen), out, has_next))
}

/// Each account's balance from the postings of entries that occurred before the end of `at`.
pub async fn balances_at(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    at: NaiveDate,
) -> Result<Vec<(Uuid, Money)>, DbErr> {
    let end = day_start(at + chrono::Days::new(1));
    let (mut q, p, e) = postings_with_entries();
    q.column((p.clone(), posting::Column::AccountId))
        .expr(sum_bigint(Expr::col((p.clone(), posting::Column::Amount))))
        .and_where(Expr::col((e.clone(), journal_entry::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((e.clone(), journal_entry::Column::CompoundId)).eq(compound))
        .and_where(Expr::col((e.clone(), journal_entry::Column::OccurredAt)).lt(end))
        .group_by_col((p.clone(), posting::Column::AccountId));
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get_by_index::<Uuid>(0)?,
                Money::from_fen(r.try_get_by_index::<i64>(1)?),
            ))
        })
        .collect()
}

pub async fn accounts_by_id(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Account>, DbErr> {
    ledger_account::Entity::find()
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}
