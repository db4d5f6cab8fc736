//! What the firm owes its contractors — a row per verified round of an order that cost
//! something — and the payments that settled those rows (append-only, each row settled once).

use std::collections::HashMap;

use domain::Money;
use domain::ledger::PaidFrom;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::dispatch::model::{ContractorCost, ContractorPayment};
use crate::platform::schema::{
    contractor_cost as cost, contractor_payment as payment, contractor_payment_item as item,
};

pub async fn insert_cost(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &ContractorCost,
) -> Result<(), DbErr> {
    cost::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(c.id),
        created_at: Set(c.verified_at),
        order_id: Set(c.order_id),
        order_number: Set(i64::try_from(c.order_number).unwrap_or(i64::MAX)),
        round: Set(c.round),
        contractor_id: Set(c.contractor_id),
        compound_id: Set(c.compound_id),
        amount_fen: Set(c.amount.fen()),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn to_cost(m: cost::Model, payment: Option<Uuid>) -> ContractorCost {
    ContractorCost {
        id: m.id,
        order_id: m.order_id,
        order_number: u64::try_from(m.order_number).unwrap_or_default(),
        round: m.round,
        contractor_id: m.contractor_id,
        compound_id: m.compound_id,
        amount: Money::from_fen(m.amount_fen),
        verified_at: m.created_at,
        paid_by: payment,
    }
}

/// Every cost of a contractor, oldest first, each with the payment that settled it, if any.
pub async fn costs_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contractor: Uuid,
) -> Result<Vec<ContractorCost>, DbErr> {
    let theirs = Query::select()
        .column(payment::Column::Id)
        .from(payment::Entity)
        .and_where(payment::Column::TenantId.eq(tenant))
        .and_where(payment::Column::ContractorId.eq(contractor))
        .to_owned();
    let settled: HashMap<Uuid, Uuid> = item::Entity::find()
        .filter(item::Column::TenantId.eq(tenant))
        .filter(item::Column::PaymentId.in_subquery(theirs))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.cost_id, i.payment_id))
        .collect();
    Ok(cost::Entity::find()
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::ContractorId.eq(contractor))
        .order_by_asc(cost::Column::CreatedAt)
        .order_by_asc(cost::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let paid_by = settled.get(&m.id).copied();
            to_cost(m, paid_by)
        })
        .collect())
}

/// These costs, each with the payment that settled it, if any.
pub async fn costs(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<ContractorCost>, DbErr> {
    let found = cost::Entity::find()
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let settled: HashMap<Uuid, Uuid> = item::Entity::find()
        .filter(item::Column::TenantId.eq(tenant))
        .filter(item::Column::CostId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.cost_id, i.payment_id))
        .collect();
    Ok(found
        .into_iter()
        .map(|m| {
            let paid_by = settled.get(&m.id).copied();
            to_cost(m, paid_by)
        })
        .collect())
}

fn to_payment(m: payment::Model) -> Result<ContractorPayment, DbErr> {
    Ok(ContractorPayment {
        id: m.id,
        contractor_id: m.contractor_id,
        amount: Money::from_fen(m.amount_fen),
        method: PaidFrom::from_code(&m.method)
            .ok_or_else(|| DbErr::Custom(format!("unknown method {:?}", m.method)))?,
        reference: m.reference,
        paid_at: m.paid_at,
        recorded_by: m.recorded_by,
        recorded_at: m.created_at,
    })
}

/// A payment and the costs it settles; a cost settled already fails the statement (its
/// unique key), so two payments racing for one cost cannot both commit.
pub async fn insert_payment(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    p: &ContractorPayment,
    key: &str,
    costs: &[Uuid],
) -> Result<(), DbErr> {
    payment::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(p.id),
        created_at: Set(p.recorded_at),
        contractor_id: Set(p.contractor_id),
        amount_fen: Set(p.amount.fen()),
        method: Set(p.method.code().to_owned()),
        reference: Set(p.reference.clone()),
        paid_at: Set(p.paid_at),
        recorded_by: Set(p.recorded_by),
        idempotency_key: Set(key.to_owned()),
    }
    .insert(db)
    .await?;
    let items = costs.iter().map(|c| item::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(p.recorded_at),
        payment_id: Set(p.id),
        cost_id: Set(*c),
    });
    item::Entity::insert_many(items).exec(db).await?;
    Ok(())
}

/// The payment recorded under this idempotency key, with the costs it settled.
pub async fn payment_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<(ContractorPayment, Vec<Uuid>)>, DbErr> {
    let Some(m) = payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let settled = item::Entity::find()
        .filter(item::Column::TenantId.eq(tenant))
        .filter(item::Column::PaymentId.eq(m.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.cost_id)
        .collect();
    Ok(Some((to_payment(m)?, settled)))
}

/// A contractor's payments, latest first.
pub async fn payments_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contractor: Uuid,
) -> Result<Vec<ContractorPayment>, DbErr> {
    payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::ContractorId.eq(contractor))
        .order_by_desc(payment::Column::PaidAt)
        .order_by_desc(payment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_payment)
        .collect()
}
