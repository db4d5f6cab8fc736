//! A compound's monthly closes and their lines, one per category.

use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::CategoryClose;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::codes::{category, period, rule};
use crate::income::model::{CloseLine, MonthClose};
use crate::platform::schema::{income_close as close, income_close_line as line};

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

async fn with_lines(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    m: close::Model,
) -> Result<MonthClose, DbErr> {
    let lines = line::Entity::find()
        .filter(line::Column::TenantId.eq(tenant))
        .filter(line::Column::CloseId.eq(m.id))
        .order_by_asc(line::Column::Category)
        .all(db)
        .await?
        .into_iter()
        .map(to_line)
        .collect::<Result<_, _>>()?;
    Ok(MonthClose {
        id: m.id,
        compound_id: m.compound_id,
        period: period(m.period)?,
        entry_id: m.entry_id,
        closed_at: m.created_at,
        lines,
    })
}

pub async fn insert_close(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &MonthClose,
    closed_by: Uuid,
) -> Result<(), DbErr> {
    close::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(c.id),
        created_at: Set(c.closed_at),
        compound_id: Set(c.compound_id),
        period: Set(c.period.code()),
        entry_id: Set(c.entry_id),
        closed_by: Set(closed_by),
    }
    .insert(db)
    .await?;
    let rows = c.lines.iter().map(|l| line::ActiveModel {
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
    });
    if !c.lines.is_empty() {
        line::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
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
    match found {
        Some(m) => with_lines(db, tenant, m).await.map(Some),
        None => Ok(None),
    }
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
    match q.order_by_desc(close::Column::Period).one(db).await? {
        Some(m) => with_lines(db, tenant, m).await.map(Some),
        None => Ok(None),
    }
}

/// A compound's closes of months `from..=to`, in month order, with their lines (two queries).
pub async fn closes_between(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<Vec<MonthClose>, DbErr> {
    let models = close::Entity::find()
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.eq(compound))
        .filter(close::Column::Period.between(from.code(), to.code()))
        .order_by_asc(close::Column::Period)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut lines: std::collections::HashMap<Uuid, Vec<CloseLine>> = Default::default();
    if !ids.is_empty() {
        for l in line::Entity::find()
            .filter(line::Column::TenantId.eq(tenant))
            .filter(line::Column::CloseId.is_in(ids))
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
