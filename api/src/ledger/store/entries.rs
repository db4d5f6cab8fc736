//! Reading entries back: by id or key, reversals, statements and balances at a date.

use chrono::{DateTime, NaiveDate, Utc};
use domain::{AccountKind, EntryKind, Money};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::append::{postings_of, stored};
use super::sql::postings_with_entries;
use crate::ledger::model::{Movement, StatementLine, StoredEntry};
use crate::platform::schema::{journal_entry, ledger_account, ledger_head, posting};
use crate::platform::storage::corrupt;

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
pub(super) fn sum_bigint(col: Expr) -> Expr {
    col.sum().cast_as(Alias::new("BIGINT"))
}

pub(super) fn day_start(d: NaiveDate) -> DateTime<Utc> {
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

/// Σ postings to `compound`'s accounts on entries that occurred on days `from..=to`, by
/// account kind and entry kind: what every report of the compound is derived from.
pub async fn movements(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Movement>, DbErr> {
    Ok(movements_of(db, tenant, &[compound], from, to)
        .await?
        .remove(&compound)
        .unwrap_or_default())
}

/// [`movements`] of many compounds in one statement, by compound.
pub async fn movements_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<std::collections::HashMap<Uuid, Vec<Movement>>, DbErr> {
    let a = Alias::new("a");
    let (mut q, p, e) = postings_with_entries();
    q.join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        ledger_account::Entity,
        a.clone(),
        sea_orm::sea_query::Condition::all()
            .add(
                Expr::col((a.clone(), ledger_account::Column::TenantId))
                    .equals((p.clone(), posting::Column::TenantId)),
            )
            .add(
                Expr::col((a.clone(), ledger_account::Column::Id))
                    .equals((p.clone(), posting::Column::AccountId)),
            ),
    )
    .column((a.clone(), ledger_account::Column::Kind))
    .column((e.clone(), journal_entry::Column::Kind))
    .expr(sum_bigint(Expr::col((p.clone(), posting::Column::Amount))))
    .column((e.clone(), journal_entry::Column::CompoundId))
    .and_where(Expr::col((e.clone(), journal_entry::Column::TenantId)).eq(tenant))
    .and_where(
        Expr::col((e.clone(), journal_entry::Column::CompoundId)).is_in(compounds.iter().copied()),
    )
    .and_where(Expr::col((e.clone(), journal_entry::Column::OccurredAt)).gte(day_start(from)))
    .and_where(
        Expr::col((e.clone(), journal_entry::Column::OccurredAt))
            .lt(day_start(to + chrono::Days::new(1))),
    )
    .group_by_col((a, ledger_account::Column::Kind))
    .group_by_col((e.clone(), journal_entry::Column::Kind))
    .group_by_col((e, journal_entry::Column::CompoundId));
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    let mut out: std::collections::HashMap<Uuid, Vec<Movement>> = std::collections::HashMap::new();
    for r in rows {
        let account: String = r.try_get_by_index(0)?;
        let entry: String = r.try_get_by_index(1)?;
        out.entry(r.try_get_by_index::<Uuid>(3)?)
            .or_default()
            .push(Movement {
                account: AccountKind::from_code(&account)
                    .ok_or_else(|| corrupt("account kind", &account))?,
                entry: EntryKind::from_code(&entry).ok_or_else(|| corrupt("entry kind", &entry))?,
                amount: Money::from_fen(r.try_get_by_index::<i64>(2)?),
            });
    }
    Ok(out)
}

/// The sequence number of the firm's latest entry (0 before the first): it changes with
/// every posting, so a cache of figures derived from the ledger is fresh while it is equal.
pub async fn head_seq(db: &impl ConnectionTrait, tenant: Uuid) -> Result<i64, DbErr> {
    Ok(ledger_head::Entity::find_by_id(tenant)
        .one(db)
        .await?
        .map_or(0, |h| h.seq))
}
