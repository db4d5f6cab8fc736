//! Monthly parking passes by compound and plate.

use domain::Money;
use domain::billing::BillingPeriod;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::codes::period;
use crate::income::model::{ParkingPass, PassCancellation};
use crate::platform::schema::parking_pass as pass;

fn to_pass(m: pass::Model) -> Result<ParkingPass, DbErr> {
    Ok(ParkingPass {
        id: m.id,
        compound_id: m.compound_id,
        plate: m.plate,
        space: m.space,
        from: period(m.from_period)?,
        to: period(m.to_period)?,
        monthly: Money::from_fen(m.monthly_fen),
        income_record_id: m.income_record_id,
        issued_at: m.created_at,
        cancelled: match (m.cancelled_from, m.refund_record_id) {
            (Some(from), Some(record)) => Some(PassCancellation {
                from: period(from)?,
                reason: m.cancel_reason.unwrap_or_default(),
                refund_record_id: record,
            }),
            _ => None,
        },
    })
}

pub async fn insert_pass(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    p: &ParkingPass,
    issued_by: Uuid,
) -> Result<(), DbErr> {
    pass::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(p.id),
        created_at: Set(p.issued_at),
        compound_id: Set(p.compound_id),
        plate: Set(p.plate.clone()),
        space: Set(p.space.clone()),
        from_period: Set(p.from.code()),
        to_period: Set(p.to.code()),
        monthly_fen: Set(p.monthly.fen()),
        income_record_id: Set(p.income_record_id),
        issued_by: Set(issued_by),
        cancelled_from: Set(None),
        cancel_reason: Set(None),
        refund_record_id: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The pass paid by an income record, if any.
pub async fn pass_of_record(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    record: Uuid,
) -> Result<Option<ParkingPass>, DbErr> {
    pass::Entity::find()
        .filter(pass::Column::TenantId.eq(tenant))
        .filter(pass::Column::IncomeRecordId.eq(record))
        .one(db)
        .await?
        .map(to_pass)
        .transpose()
}

/// Whether `plate` already has a pass in the compound for any month of `from..=to`.
pub async fn plate_covered(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    plate: &str,
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<bool, DbErr> {
    Ok(pass::Entity::find()
        .filter(pass::Column::TenantId.eq(tenant))
        .filter(pass::Column::CompoundId.eq(compound))
        .filter(pass::Column::Plate.eq(plate))
        .filter(pass::Column::FromPeriod.lte(to.code()))
        .filter(pass::Column::ToPeriod.gte(from.code()))
        // A pass ended early covers the months before the one it was cancelled from.
        .filter(
            Condition::any()
                .add(pass::Column::CancelledFrom.is_null())
                .add(
                    Condition::all()
                        .add(pass::Column::CancelledFrom.gt(from.code()))
                        .add(
                            Expr::col(pass::Column::CancelledFrom)
                                .gt(Expr::col(pass::Column::FromPeriod)),
                        ),
                ),
        )
        .one(db)
        .await?
        .is_some())
}

/// A compound's passes, the latest ending first.
pub async fn passes_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<ParkingPass>, DbErr> {
    pass::Entity::find()
        .filter(pass::Column::TenantId.eq(tenant))
        .filter(pass::Column::CompoundId.eq(compound))
        .order_by_desc(pass::Column::ToPeriod)
        .order_by_asc(pass::Column::Plate)
        .all(db)
        .await?
        .into_iter()
        .map(to_pass)
        .collect()
}

/// A pass by its id.
pub async fn pass_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<ParkingPass>, DbErr> {
    pass::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_pass)
        .transpose()
}

/// Ends a pass early, once: `false` when it was ended before.
pub async fn cancel_pass(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    c: &PassCancellation,
) -> Result<bool, DbErr> {
    let done = pass::Entity::update_many()
        .col_expr(pass::Column::CancelledFrom, Expr::value(c.from.code()))
        .col_expr(pass::Column::CancelReason, Expr::value(c.reason.clone()))
        .col_expr(
            pass::Column::RefundRecordId,
            Expr::value(c.refund_record_id),
        )
        .filter(pass::Column::TenantId.eq(tenant))
        .filter(pass::Column::Id.eq(id))
        .filter(pass::Column::CancelledFrom.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
