//! Income received and the direct costs of earning it, by compound and month.

use domain::Money;
use domain::billing::BillingPeriod;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::codes::{category, method, period};
use crate::income::model::{IncomeCost, IncomeRecord};
use crate::platform::schema::{income_cost as cost, income_record as record};

fn to_record(m: record::Model) -> Result<IncomeRecord, DbErr> {
    Ok(IncomeRecord {
        id: m.id,
        compound_id: m.compound_id,
        category: category(&m.category)?,
        period: period(m.period)?,
        received_on: m.received_on,
        amount: Money::from_fen(m.amount_fen),
        method: method(&m.method)?,
        payer: m.payer,
        reference: m.reference,
        correction_reason: m.correction_reason,
        idempotency_key: m.idempotency_key,
        entry_id: m.entry_id,
        recorded_at: m.created_at,
    })
}

fn to_cost(m: cost::Model) -> Result<IncomeCost, DbErr> {
    Ok(IncomeCost {
        id: m.id,
        compound_id: m.compound_id,
        category: category(&m.category)?,
        period: period(m.period)?,
        amount: Money::from_fen(m.amount_fen),
        description: m.description,
        evidence: m.evidence,
        method: method(&m.method)?,
        idempotency_key: m.idempotency_key,
        entry_id: m.entry_id,
        recorded_at: m.created_at,
    })
}

pub async fn insert_cost(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &IncomeCost,
    recorded_by: Uuid,
) -> Result<(), DbErr> {
    cost::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(c.id),
        created_at: Set(c.recorded_at),
        compound_id: Set(c.compound_id),
        category: Set(c.category.code().to_owned()),
        period: Set(c.period.code()),
        amount_fen: Set(c.amount.fen()),
        description: Set(c.description.clone()),
        evidence: Set(c.evidence.clone()),
        method: Set(c.method.code().to_owned()),
        idempotency_key: Set(c.idempotency_key.clone()),
        entry_id: Set(c.entry_id),
        recorded_by: Set(recorded_by),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find_record_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<IncomeRecord>, DbErr> {
    record::Entity::find()
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(to_record)
        .transpose()
}

/// The records under these keys, by key.
pub async fn records_by_keys(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    keys: &[String],
) -> Result<std::collections::HashMap<String, IncomeRecord>, DbErr> {
    let mut out = std::collections::HashMap::new();
    for chunk in keys.chunks(1_000) {
        for m in record::Entity::find()
            .filter(record::Column::TenantId.eq(tenant))
            .filter(record::Column::IdempotencyKey.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            let r = to_record(m)?;
            out.insert(r.idempotency_key.clone(), r);
        }
    }
    Ok(out)
}

pub async fn find_cost_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<IncomeCost>, DbErr> {
    cost::Entity::find()
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(to_cost)
        .transpose()
}

/// A compound's income of one month, in the order it was recorded.
pub async fn records_in(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
) -> Result<Vec<IncomeRecord>, DbErr> {
    record::Entity::find()
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::CompoundId.eq(compound))
        .filter(record::Column::Period.eq(month.code()))
        .order_by_asc(record::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// A compound's costs of one month, in the order they were recorded.
pub async fn costs_in(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
) -> Result<Vec<IncomeCost>, DbErr> {
    cost::Entity::find()
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::CompoundId.eq(compound))
        .filter(cost::Column::Period.eq(month.code()))
        .order_by_asc(cost::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_cost)
        .collect()
}

/// The earliest month after `after` with income or costs recorded, if any.
pub async fn earliest_open_period(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    after: Option<BillingPeriod>,
) -> Result<Option<BillingPeriod>, DbErr> {
    let floor = after.map_or(0, BillingPeriod::code);
    let first_record: Option<Option<i32>> = record::Entity::find()
        .select_only()
        .expr(Expr::col(record::Column::Period).min())
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::CompoundId.eq(compound))
        .filter(record::Column::Period.gt(floor))
        .into_tuple()
        .one(db)
        .await?;
    let first_cost: Option<Option<i32>> = cost::Entity::find()
        .select_only()
        .expr(Expr::col(cost::Column::Period).min())
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::CompoundId.eq(compound))
        .filter(cost::Column::Period.gt(floor))
        .into_tuple()
        .one(db)
        .await?;
    [first_record.flatten(), first_cost.flatten()]
        .into_iter()
        .flatten()
        .min()
        .map(period)
        .transpose()
}

/// Writes many income records at once, a chunk of rows per statement (seeding and imports).
pub async fn insert_records(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    records: &[IncomeRecord],
    recorded_by: Uuid,
) -> Result<(), DbErr> {
    for chunk in records.chunks(1_000) {
        record::Entity::insert_many(chunk.iter().map(|r| record::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(r.id),
            created_at: Set(r.recorded_at),
            compound_id: Set(r.compound_id),
            category: Set(r.category.code().to_owned()),
            period: Set(r.period.code()),
            received_on: Set(r.received_on),
            amount_fen: Set(r.amount.fen()),
            method: Set(r.method.code().to_owned()),
            payer: Set(r.payer.clone()),
            reference: Set(r.reference.clone()),
            correction_reason: Set(r.correction_reason.clone()),
            idempotency_key: Set(r.idempotency_key.clone()),
            entry_id: Set(r.entry_id),
            recorded_by: Set(recorded_by),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}
