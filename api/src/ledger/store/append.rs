//! Appending entries to the hash chain: under the firm's ledger lock, idempotent by key,
//! balances updated in the same statements.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{AccountKey, ChainRecord, EntryKind, GENESIS_HASH, Money, chain_hash};
use sea_orm::sea_query::{ArrayType, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};
use uuid::Uuid;

use super::accounts::{by_text_keys, ensure_accounts};
use super::sql::{INSERT_CHUNK, micros};
use crate::ledger::model::{Account, NewEntry, StoredEntry};
use crate::platform::bulk::array;
use crate::platform::schema::{journal_entry, ledger_account, ledger_head, posting};
use crate::platform::storage::corrupt;

/// Appends of at least this many entries write optimistically on PostgreSQL.
const BULK_APPEND: usize = 100;

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

/// Databases keep microseconds; truncate first so what is hashed is what is stored.
pub(super) fn to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

pub(super) fn chain_record<'a>(
    m: &'a journal_entry::Model,
    postings: Vec<(Uuid, i64)>,
) -> ChainRecord<'a> {
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

pub(super) fn stored(
    m: journal_entry::Model,
    postings: Vec<(Uuid, Money)>,
) -> Result<StoredEntry, DbErr> {
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

pub(super) async fn postings_of(
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

pub(super) fn same_postings(a: &[(Uuid, Money)], b: &[(Uuid, Money)]) -> bool {
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
pub(super) fn archived_since(e: DbErr) -> AppendError {
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

/// The entries already stored under these entries' idempotency keys, by key.
pub(super) async fn stored_by_key(
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
pub(super) struct AppendPlan {
    out: Vec<StoredEntry>,
    entry_rows: Vec<journal_entry::Model>,
    posting_rows: Vec<posting::Model>,
    deltas: HashMap<Uuid, i64>,
    recorded_at: DateTime<Utc>,
    head: (i64, String),
}

pub(super) fn plan_append(
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
pub(super) fn sorted_deltas(deltas: &HashMap<Uuid, i64>) -> Vec<(Uuid, i64)> {
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
pub(super) async fn write_postgres(
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
pub(super) async fn write_sqlite(
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
