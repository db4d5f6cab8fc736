//! Payments received from advertisers, with each compound's share.

use std::collections::HashMap;

use domain::Money;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::codes;
use crate::advertising::model::{Payment, Share};
use crate::platform::schema::{ad_payment as payment, ad_payment_share as share};

pub async fn insert_payment(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contract: Uuid,
    p: &Payment,
    by: Uuid,
) -> Result<(), DbErr> {
    payment::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(p.id),
        created_at: Set(p.recorded_at),
        contract_id: Set(contract),
        amount_fen: Set(p.amount.fen()),
        received_on: Set(p.received_on),
        method: Set(p.method.code().to_owned()),
        idempotency_key: Set(p.idempotency_key.clone()),
        recorded_by: Set(by),
    }
    .insert(db)
    .await?;
    share::Entity::insert_many(p.shares.iter().map(|s| share::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(p.recorded_at),
        payment_id: Set(p.id),
        compound_id: Set(s.compound_id),
        amount_fen: Set(s.amount.fen()),
        income_record_id: Set(s.income_record_id),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// The payment recorded under `key`, with the contract it was for.
pub async fn find_payment_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<(Uuid, Money)>, DbErr> {
    Ok(payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(|m| (m.contract_id, Money::from_fen(m.amount_fen))))
}

/// Each contract's payments in the order received, with their shares: two statements.
pub async fn payments_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contracts: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Payment>>, DbErr> {
    let rows = payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::ContractId.is_in(contracts.iter().copied()))
        .order_by_asc(payment::Column::ReceivedOn)
        .order_by_asc(payment::Column::CreatedAt)
        .all(db)
        .await?;
    let mut shares: HashMap<Uuid, Vec<Share>> = HashMap::new();
    for m in share::Entity::find()
        .filter(share::Column::TenantId.eq(tenant))
        .filter(share::Column::PaymentId.is_in(rows.iter().map(|p| p.id)))
        .order_by_asc(share::Column::CompoundId)
        .all(db)
        .await?
    {
        shares.entry(m.payment_id).or_default().push(Share {
            compound_id: m.compound_id,
            amount: Money::from_fen(m.amount_fen),
            income_record_id: m.income_record_id,
        });
    }
    let mut out: HashMap<Uuid, Vec<Payment>> = HashMap::new();
    for m in rows {
        out.entry(m.contract_id).or_default().push(Payment {
            id: m.id,
            amount: Money::from_fen(m.amount_fen),
            received_on: m.received_on,
            method: codes::method(&m.method)?,
            idempotency_key: m.idempotency_key,
            recorded_at: m.created_at,
            shares: shares.remove(&m.id).unwrap_or_default(),
        });
    }
    Ok(out)
}
