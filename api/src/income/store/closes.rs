//! A compound's monthly closes and their lines, one per category.

use std::collections::HashMap;

use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::CategoryClose;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::codes::{category, period, rule};
use crate::income::model::{CloseLine, MonthClose};
use crate::platform::schema::{income_close as close, income_close_line as line};

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 1_000;

fn to_line(m: line::Model) -> Result<CloseLine, DbErr> {
    let fen = Money::from_fen;
    Ok(CloseLine {
        category: category(&m.category)?,
        rule: rule(m.owners_bp, m.firm_bp)?,
        close: CategoryClose {
            gross: fen(m.gross_fen),
            costs: fen(m.costs_fen),
            carried_in: fen(m.carried_in_fen),
            deducted: fen(m.deducted_fen),
            carried_out: fen(m.carried_out_fen),
            owners: fen(m.owners_fen),
            firm: fen(m.firm_fen),
        },
    })
}

/// Closes with their lines, in the order given (one query for all their lines per chunk).
pub(super) async fn with_lines_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    models: Vec<close::Model>,
) -> Result<Vec<MonthClose>, DbErr> {
    let mut lines: HashMap<Uuid, Vec<CloseLine>> = HashMap::new();
    for chunk in models.chunks(CHUNK) {
        for l in line::Entity::find()
            .filter(line::Column::TenantId.eq(tenant))
            .filter(line::Column::CloseId.is_in(chunk.iter().map(|m| m.id)))
            .order_by_asc(line::Column::Category)
            .all(db)
            .await?
        {
            let close_id = l.close_id;
            lines.entry(close_id).or_default().push(to_line(l)?);
        }
    }
    models
        .into_iter()
        .map(|m| {
            Ok(MonthClose {
                lines: lines.remove(&m.id).unwrap_or_default(),
                id: m.id,
                compound_id: m.compound_id,
                period: period(m.period)?,
                entry_id: m.entry_id,
                closed_at: m.created_at,
            })
        })
        .collect()
}

/// Writes closes and their lines, a chunk of rows per statement.
pub async fn insert_closes(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    closes: &[MonthClose],
    closed_by: Option<Uuid>,
) -> Result<(), DbErr> {
    for chunk in closes.chunks(CHUNK) {
        close::Entity::insert_many(chunk.iter().map(|c| close::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(c.id),
            created_at: Set(c.closed_at),
            compound_id: Set(c.compound_id),
            period: Set(c.period.code()),
            entry_id: Set(c.entry_id),
            closed_by: Set(closed_by),
        }))
        .exec(db)
        .await?;
    }
    let rows: Vec<line::ActiveModel> = closes
        .iter()
        .flat_map(|c| c.lines.iter().map(move |l| (c, l)))
        .map(|(c, l)| line::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(c.closed_at),
            close_id: Set(c.id),
            category: Set(l.category.code().to_owned()),
            owners_bp: Set(i32::from(l.rule.owners().get())),
            firm_bp: Set(i32::from(l.rule.firm().get())),
            gross_fen: Set(l.close.gross.fen()),
            costs_fen: Set(l.close.costs.fen()),
            carried_in_fen: Set(l.close.carried_in.fen()),
            deducted_fen: Set(l.close.deducted.fen()),
            carried_out_fen: Set(l.close.carried_out.fen()),
            owners_fen: Set(l.close.owners.fen()),
            firm_fen: Set(l.close.firm.fen()),
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        line::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(())
}

async fn one(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    found: Option<close::Model>,
) -> Result<Option<MonthClose>, DbErr> {
    Ok(match found {
        Some(m) => with_lines_of(db, tenant, vec![m]).await?.pop(),
        None => None,
    })
}

pub async fn close_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
) -> Result<Option<MonthClose>, DbErr> {
    let found = close::Entity::find()
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.eq(compound))
        .filter(close::Column::Period.eq(month.code()))
        .one(db)
        .await?;
    one(db, tenant, found).await
}

/// The compound's latest close before `month` (any month when `None`), with its lines.
pub async fn last_close_before(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: Option<BillingPeriod>,
) -> Result<Option<MonthClose>, DbErr> {
    let mut q = close::Entity::find()
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.eq(compound));
    if let Some(m) = month {
        q = q.filter(close::Column::Period.lt(m.code()));
    }
    let found = q.order_by_desc(close::Column::Period).one(db).await?;
    one(db, tenant, found).await
}

/// A compound's closes of months `from..=to`, in month order, with their lines.
pub async fn closes_between(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<Vec<MonthClose>, DbErr> {
    closes_of(db, tenant, &[compound], from, to).await
}

/// The closes of many compounds in `from..=to`, by month: two statements however many.
pub async fn closes_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<Vec<MonthClose>, DbErr> {
    let models = close::Entity::find()
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.is_in(compounds.iter().copied()))
        .filter(close::Column::Period.between(from.code(), to.code()))
        .order_by_asc(close::Column::Period)
        .all(db)
        .await?;
    with_lines_of(db, tenant, models).await
}

/// The last month the compound has closed: it and every month before it are locked.
pub async fn closed_through(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Option<BillingPeriod>, DbErr> {
    close::Entity::find()
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.eq(compound))
        .order_by_desc(close::Column::Period)
        .one(db)
        .await?
        .map(|m| period(m.period))
        .transpose()
}
