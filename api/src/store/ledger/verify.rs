//! `ledger verify`: reads one tenant's stored ledger and feeds it to the domain's
//! [`ChainVerifier`], which holds every rule of the check.
//!
//! On PostgreSQL the entries and their postings arrive in id order in one streamed
//! statement, so the database sends while the hashes are computed. SQLite reads pages of
//! entries in seq order and then their postings. Either way memory grows with the number of
//! accounts, not of entries.

use std::collections::{HashMap, HashSet};

use domain::{ChainRecord, ChainVerifier, Verification};
use futures_util::TryStreamExt;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, PaginatorTrait,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, Statement, StreamTrait,
};
use uuid::Uuid;

use super::{entry_of_posting, micros};
use crate::store::entity::{compound, journal_entry, ledger_account, ledger_head, posting};

/// Entries (SQLite) or accounts per page, and ids per existence check.
const PAGE: u64 = 10_000;

/// The entry columns both ways of reading select, in the order [`feed`] decodes them.
const ENTRY_COLUMNS: [journal_entry::Column; 12] = [
    journal_entry::Column::Seq,
    journal_entry::Column::Id,
    journal_entry::Column::CompoundId,
    journal_entry::Column::Kind,
    journal_entry::Column::OccurredAt,
    journal_entry::Column::CreatedAt,
    journal_entry::Column::IdempotencyKey,
    journal_entry::Column::ActorUserId,
    journal_entry::Column::ReversesEntryId,
    journal_entry::Column::Memo,
    journal_entry::Column::PrevHash,
    journal_entry::Column::Hash,
];

/// Recomputes one tenant's ledger from its postings (see [`ChainVerifier`]) and checks what
/// foreign keys would: every compound and reversed entry an entry names exists. Run it in a
/// snapshot (`Db::begin_tenant_snapshot`) so entries committed meanwhile cannot show up as
/// discrepancies.
pub async fn verify<C>(db: &C, tenant: Uuid) -> Result<Verification, DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    let mut check = ChainVerifier::new();
    let stored = if ConnectionTrait::get_database_backend(db) == DbBackend::Postgres {
        stream_entries(db, tenant, &mut check).await?
    } else {
        page_entries(db, tenant, &mut check).await?;
        posting::Entity::find()
            .filter(posting::Column::TenantId.eq(tenant))
            .count(db)
            .await?
    };
    let head = ledger_head::Entity::find_by_id(tenant).one(db).await?;
    check.head(head.as_ref().map(|h| (h.seq, h.hash.as_str())));
    check_accounts(db, tenant, &mut check).await?;
    check_references(db, tenant, &mut check).await?;
    Ok(check.finish(stored))
}

/// Every entry of the tenant with its postings, streamed in id order: one statement merges
/// the entries' and the postings' primary-key indexes (both lead with the entry id), so
/// PostgreSQL reads each table once, in order, and looks nothing up per entry. The rows of
/// one id are its entry and its postings, in any order among themselves. Returns how many
/// postings came, with those that belong to no entry.
///
/// Measured on a million postings: the entries each joined to an aggregate of their
/// postings cost PostgreSQL 3.5–4.9 s (an index descent and two arrays per entry), this
/// 2.1–2.5 s (docs/benchmarks.md).
async fn stream_entries<C>(db: &C, tenant: Uuid, check: &mut ChainVerifier) -> Result<u64, DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    // The plan's estimated cost triggers JIT compilation, which costs more (about 0.1 s)
    // than it saves on a plan this simple. Without statistics (a table just filled, not yet
    // analysed) the planner would sort everything instead of merging the two indexes.
    db.execute_unprepared("SET LOCAL jit = off; SET LOCAL enable_sort = off")
        .await?;
    let entry_columns: Vec<&str> = ENTRY_COLUMNS.iter().map(IdenStatic::as_str).collect();
    let posting_columns: Vec<&str> = ENTRY_COLUMNS
        .iter()
        .map(|c| match c {
            journal_entry::Column::Id => posting::Column::EntryId.as_str(),
            _ => "NULL",
        })
        .collect();
    let (entries, postings) = (entry_columns.join(", "), posting_columns.join(", "));
    let sql = format!(
        "SELECT {entries}, account_id, amount FROM (
             SELECT tenant_id, {entries}, NULL::uuid AS account_id, NULL::bigint AS amount
             FROM journal_entries
             UNION ALL
             SELECT tenant_id, {postings}, account_id, amount FROM postings
         ) rows
         WHERE tenant_id = $1
         ORDER BY tenant_id, id"
    );
    let rows = db
        .stream_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [tenant.into()],
        ))
        .await?;
    let mut rows = std::pin::pin!(rows);
    let at = ENTRY_COLUMNS.len();
    let mut seen = 0;
    let mut group = Group::default();
    while let Some(row) = rows.try_next().await? {
        let id: Uuid = row.try_get_by_index(1)?;
        if group.id != Some(id) {
            seen += group.feed(check)?;
            group.id = Some(id);
        }
        if row.try_get_by_index::<Option<i64>>(0)?.is_some() {
            group.entry = Some(row);
        } else {
            let posting = (row.try_get_by_index(at)?, row.try_get_by_index(at + 1)?);
            group.postings.push(posting);
        }
    }
    Ok(seen + group.feed(check)?)
}

/// The rows of one id in [`stream_entries`]: its entry, if there is one, and its postings.
#[derive(Default)]
struct Group {
    id: Option<Uuid>,
    entry: Option<QueryResult>,
    postings: Vec<(Uuid, i64)>,
}

impl Group {
    /// Checks the entry with its postings and empties the group; returns how many postings
    /// it held.
    fn feed(&mut self, check: &mut ChainVerifier) -> Result<u64, DbErr> {
        let postings = std::mem::take(&mut self.postings);
        let n = postings.len() as u64;
        if let Some(entry) = self.entry.take() {
            feed(check, &entry, postings)?;
        }
        Ok(n)
    }
}

/// Every entry of the tenant in sequence order, a page of entries and then their postings
/// at a time.
async fn page_entries(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    check: &mut ChainVerifier,
) -> Result<(), DbErr> {
    let mut after = 0i64;
    loop {
        let q = journal_entry::Entity::find()
            .select_only()
            .columns(ENTRY_COLUMNS)
            .filter(journal_entry::Column::TenantId.eq(tenant))
            .filter(journal_entry::Column::Seq.gt(after))
            .order_by_asc(journal_entry::Column::Seq)
            .limit(PAGE)
            .build(db.get_database_backend());
        let rows = db.query_all_raw(q).await?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(());
        };
        let (from, to) = (first.try_get_by_index(0)?, last.try_get_by_index(0)?);
        let mut postings = postings_in_seq_range(db, tenant, from, to).await?;
        for r in &rows {
            let id: Uuid = r.try_get_by_index(1)?;
            feed(check, r, postings.remove(&id).unwrap_or_default())?;
        }
        after = to;
    }
}

/// Decodes a row of [`ENTRY_COLUMNS`] and checks it with its postings.
fn feed(
    check: &mut ChainVerifier,
    r: &QueryResult,
    postings: Vec<(Uuid, i64)>,
) -> Result<(), DbErr> {
    let kind: String = r.try_get_by_index(3)?;
    let key: String = r.try_get_by_index(6)?;
    let memo: String = r.try_get_by_index(9)?;
    let prev_hash: String = r.try_get_by_index(10)?;
    let hash: String = r.try_get_by_index(11)?;
    let record = ChainRecord {
        seq: r.try_get_by_index(0)?,
        id: r.try_get_by_index(1)?,
        compound: r.try_get_by_index(2)?,
        kind: &kind,
        occurred_micros: micros(r.try_get_by_index(4)?),
        recorded_micros: micros(r.try_get_by_index(5)?),
        idempotency_key: &key,
        actor: r.try_get_by_index(7)?,
        reverses: r.try_get_by_index(8)?,
        memo: &memo,
        postings,
    };
    check.entry(record, &prev_hash, &hash);
    Ok(())
}

/// The postings of entries with `from..=to` sequence numbers, by entry, in one statement.
async fn postings_in_seq_range(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    from: i64,
    to: i64,
) -> Result<HashMap<Uuid, Vec<(Uuid, i64)>>, DbErr> {
    let p = Alias::new("p");
    let e = Alias::new("e");
    let mut q = Query::select();
    q.columns([
        (p.clone(), posting::Column::EntryId),
        (p.clone(), posting::Column::AccountId),
        (p.clone(), posting::Column::Amount),
    ])
    .from_as(posting::Entity, p.clone())
    .join_as(
        JoinType::InnerJoin,
        journal_entry::Entity,
        e.clone(),
        entry_of_posting(&p, &e),
    )
    .and_where(Expr::col((e.clone(), journal_entry::Column::TenantId)).eq(tenant))
    .and_where(Expr::col((e.clone(), journal_entry::Column::Seq)).gte(from))
    .and_where(Expr::col((e, journal_entry::Column::Seq)).lte(to));
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    let mut map: HashMap<Uuid, Vec<(Uuid, i64)>> = HashMap::with_capacity(rows.len() / 2 + 1);
    for r in rows {
        let entry: Uuid = r.try_get_by_index(0)?;
        map.entry(entry)
            .or_default()
            .push((r.try_get_by_index(1)?, r.try_get_by_index(2)?));
    }
    Ok(map)
}

/// Every account's maintained balance against its postings, a page at a time.
async fn check_accounts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    check: &mut ChainVerifier,
) -> Result<(), DbErr> {
    let mut after: Option<Uuid> = None;
    loop {
        let mut q =
            ledger_account::Entity::find().filter(ledger_account::Column::TenantId.eq(tenant));
        if let Some(a) = after {
            q = q.filter(ledger_account::Column::Id.gt(a));
        }
        let accounts = q
            .order_by_asc(ledger_account::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = accounts.last() else {
            return Ok(());
        };
        after = Some(last.id);
        for a in accounts {
            check.account(a.id, &a.kind, a.balance);
        }
    }
}

/// Entries whose compound, or whose reversed entry, does not exist: what foreign keys would
/// refuse, checked here instead (PostgreSQL's ledger tables carry none; see migration
/// 000008). Only the distinct ids the entries named are looked up.
async fn check_references(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    check: &mut ChainVerifier,
) -> Result<(), DbErr> {
    let compounds: Vec<(Uuid, u64)> = check.compound_refs().collect();
    let found = existing::<compound::Entity>(
        db,
        (compound::Column::TenantId, compound::Column::Id),
        tenant,
        &compounds,
    )
    .await?;
    let reversed: Vec<(Uuid, u64)> = check.reversal_refs().collect();
    let found_reversed = existing::<journal_entry::Entity>(
        db,
        (journal_entry::Column::TenantId, journal_entry::Column::Id),
        tenant,
        &reversed,
    )
    .await?;
    for (what, refs, found) in [
        ("an unknown compound", &compounds, &found),
        ("an unknown reversed entry", &reversed, &found_reversed),
    ] {
        let dangling: u64 = refs
            .iter()
            .filter(|(id, _)| !found.contains(id))
            .map(|(_, n)| n)
            .sum();
        if dangling > 0 {
            check.problem(format!("entries that refer to {what}: {dangling}"));
        }
    }
    Ok(())
}

/// Which of `refs`' ids are rows of `E` in the tenant (`columns`: its tenant and id).
async fn existing<E: EntityTrait>(
    db: &impl ConnectionTrait,
    (tenant_column, id_column): (E::Column, E::Column),
    tenant: Uuid,
    refs: &[(Uuid, u64)],
) -> Result<HashSet<Uuid>, DbErr> {
    let mut found = HashSet::with_capacity(refs.len());
    for chunk in refs.chunks(PAGE as usize) {
        let ids: Vec<Uuid> = E::find()
            .select_only()
            .column(id_column)
            .filter(tenant_column.eq(tenant))
            .filter(id_column.is_in(chunk.iter().map(|(id, _)| *id)))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids);
    }
    Ok(found)
}
