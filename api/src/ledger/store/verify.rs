//! `ledger verify`: reads one tenant's stored ledger and feeds it to the domain's
//! [`ChainVerifier`], which holds every rule of the check.
//!
//! On PostgreSQL the entries and the postings are copied out in entry id order on two
//! connections sharing one snapshot and merged as they come, so the database sends while the
//! hashes are computed. SQLite reads pages of entries in seq order and then their postings.
//! Either way memory grows with the number of accounts, not of entries.

use std::collections::{HashMap, HashSet};

use domain::{ChainRecord, ChainVerifier, Verification};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::sqlx;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, IdenStatic,
    PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::sql::{micros, postings_with_entries};
use crate::platform::copy_out::CopyRows;
use crate::platform::db::{Db, sqlx_err};
use crate::platform::schema::{compound, journal_entry, ledger_account, ledger_head, posting};

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
/// foreign keys would: every compound and reversed entry an entry names exists. Everything
/// is read in one snapshot, so entries committed meanwhile cannot show up as discrepancies.
pub async fn verify(db: &Db, tenant: Uuid) -> Result<Verification, DbErr> {
    let tx = db.begin_tenant_snapshot(tenant).await?;
    let mut check = ChainVerifier::new();
    let stored = if db.backend() == DbBackend::Postgres {
        copy_entries(db, &tx, tenant, &mut check).await?
    } else {
        page_entries(&tx, tenant, &mut check).await?;
        posting::Entity::find()
            .filter(posting::Column::TenantId.eq(tenant))
            .count(&tx)
            .await?
    };
    let head = ledger_head::Entity::find_by_id(tenant).one(&tx).await?;
    check.head(head.as_ref().map(|h| (h.seq, h.hash.as_str())));
    check_accounts(&tx, tenant, &mut check).await?;
    check_references(&tx, tenant, &mut check).await?;
    tx.commit().await?;
    Ok(check.finish(stored))
}

/// Every entry of the tenant with its postings, on PostgreSQL: the entries and the postings
/// are each copied out in binary (`COPY … TO STDOUT`) in the order of their primary keys,
/// which both lead with the entry id, on two connections that share `tx`'s snapshot, and
/// merged here by entry id. Each table is read once, in order, by a backend of its own and
/// received by a task of its own that reads ahead, so PostgreSQL keeps sending while the
/// hashes are computed, and the rows are decoded straight off the wire. Returns how many
/// postings came, with those that belong to no entry.
///
/// Measured on a million postings (docs/benchmarks.md): one statement merging both tables
/// cost PostgreSQL 2.0–2.7 s of one core; the two copies 0.9 and 0.6 s, each on its own.
async fn copy_entries(
    db: &Db,
    tx: &DatabaseTransaction,
    tenant: Uuid,
    check: &mut ChainVerifier,
) -> Result<u64, DbErr> {
    let snapshot = Db::export_snapshot(tx).await?;
    let entry_columns: Vec<&str> = ENTRY_COLUMNS.iter().map(IdenStatic::as_str).collect();
    let (mut entries, mut postings) = futures_util::future::try_join(
        copy_out(
            db,
            tenant,
            &snapshot,
            &entry_columns.join(", "),
            "journal_entries",
            journal_entry::Column::Id.as_str(),
        ),
        copy_out(
            db,
            tenant,
            &snapshot,
            "entry_id, account_id, amount",
            "postings",
            posting::Column::EntryId.as_str(),
        ),
    )
    .await?;
    merge(&mut entries, &mut postings, check).await
}

/// Starts copying out `columns` of the tenant's rows of `table` in the order of its primary
/// key, `(tenant_id, {key})`, on a connection of its own that sees `snapshot`.
async fn copy_out(
    db: &Db,
    tenant: Uuid,
    snapshot: &str,
    columns: &str,
    table: &str,
    key: &str,
) -> Result<CopyRows, DbErr> {
    let mut tx = db.join_snapshot(tenant, snapshot).await?;
    // The plan's estimated cost would trigger JIT compilation, which costs more than it
    // saves on a plan this simple; without statistics (a table just filled, not yet
    // analysed) the planner might sort instead of reading the primary key's index.
    sqlx::raw_sql("SET LOCAL jit = off; SET LOCAL enable_sort = off")
        .execute(&mut *tx)
        .await
        .map_err(sqlx_err)?;
    // COPY takes no parameters; a Uuid's text is hex digits and dashes.
    let sql = format!(
        "COPY (SELECT {columns} FROM {table} WHERE tenant_id = '{tenant}' \
         ORDER BY tenant_id, {key}) TO STDOUT (FORMAT binary)"
    );
    Ok(CopyRows::read_ahead(tx, sql))
}

/// Feeds each entry with the postings that name it; both come in entry id order. Returns
/// how many postings came, with those whose entry did not.
async fn merge(
    entries: &mut CopyRows,
    postings: &mut CopyRows,
    check: &mut ChainVerifier,
) -> Result<u64, DbErr> {
    async fn posting(rows: &mut CopyRows) -> Result<Option<(Uuid, Uuid, i64)>, DbErr> {
        let Some(mut f) = rows.next().await? else {
            return Ok(None);
        };
        Ok(Some((f.uuid()?, f.uuid()?, f.int8()?)))
    }
    let mut seen = 0;
    let mut next = posting(postings).await?;
    while let Some(mut f) = entries.next().await? {
        // The columns of ENTRY_COLUMNS, in order.
        let seq = f.int8()?;
        let id = f.uuid()?;
        let mut own = Vec::with_capacity(2);
        while let Some((entry, account, amount)) = next.filter(|(entry, ..)| *entry <= id) {
            seen += 1;
            if entry == id {
                own.push((account, amount));
            }
            next = posting(postings).await?;
        }
        let record = ChainRecord {
            seq,
            id,
            compound: f.uuid()?,
            kind: f.text()?,
            occurred_micros: f.timestamp_micros()?,
            recorded_micros: f.timestamp_micros()?,
            idempotency_key: f.text()?,
            actor: f.opt_uuid()?,
            reverses: f.opt_uuid()?,
            memo: f.text()?,
            postings: own,
        };
        let (prev_hash, hash) = (f.text()?, f.text()?);
        check.entry(record, prev_hash, hash);
    }
    while next.is_some() {
        seen += 1;
        next = posting(postings).await?;
    }
    Ok(seen)
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
    let (mut q, p, e) = postings_with_entries();
    q.columns([
        (p.clone(), posting::Column::EntryId),
        (p.clone(), posting::Column::AccountId),
        (p.clone(), posting::Column::Amount),
    ])
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
