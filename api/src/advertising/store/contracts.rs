//! Contracts, their placements, weights and instalments.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::Money;
use domain::billing::BillingPeriod;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::codes;
use crate::advertising::model::{Advertiser, Contract, Instalment, Placement, Termination, Weight};
use crate::platform::schema::{
    ad_contract as contract, ad_contract_compound as weight, ad_instalment as instalment,
    ad_placement as placement,
};
use crate::platform::storage::corrupt;

fn to_contract(m: contract::Model) -> Result<Contract, DbErr> {
    Ok(Contract {
        id: m.id,
        number: m.number,
        advertiser: Advertiser {
            name: m.advertiser,
            contact: m.contact,
            licence_no: m.licence_no,
        },
        pricing: codes::pricing(&m.pricing)?,
        price: Money::from_fen(m.price_fen),
        key: codes::key(&m.allocation_key)?,
        term: codes::term(m.from_period, m.to_period)?,
        due_day: codes::due_day(m.due_day)?,
        terminated: match (m.terminated_at, m.termination_reason) {
            (Some(at), reason) => Some(Termination {
                at,
                reason: reason.unwrap_or_default(),
            }),
            (None, _) => None,
        },
        signed_at: m.created_at,
    })
}

/// Writes a new contract with its placements, weights and instalments.
pub async fn insert_contract(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &Contract,
    placements: &[Placement],
    weights: &[Weight],
    instalments: &[Instalment],
    by: Uuid,
) -> Result<(), DbErr> {
    contract::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(c.id),
        created_at: Set(c.signed_at),
        number: Set(c.number.clone()),
        advertiser: Set(c.advertiser.name.clone()),
        contact: Set(c.advertiser.contact.clone()),
        licence_no: Set(c.advertiser.licence_no.clone()),
        pricing: Set(c.pricing.code().to_owned()),
        price_fen: Set(c.price.fen()),
        allocation_key: Set(c.key.code().to_owned()),
        from_period: Set(c.term.from().code()),
        to_period: Set(c.term.to().code()),
        due_day: Set(i32::try_from(c.due_day.get()).unwrap_or(1)),
        terminated_at: Set(None),
        termination_reason: Set(None),
        created_by: Set(by),
    }
    .insert(db)
    .await?;
    placement::Entity::insert_many(placements.iter().map(|p| placement::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(c.signed_at),
        contract_id: Set(c.id),
        compound_id: Set(p.compound_id),
        kind: Set(p.kind.code().to_owned()),
        location: Set(p.location.clone()),
        quantity: Set(i32::try_from(p.quantity).unwrap_or(i32::MAX)),
    }))
    .exec(db)
    .await?;
    weight::Entity::insert_many(weights.iter().map(|w| weight::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(c.signed_at),
        contract_id: Set(c.id),
        compound_id: Set(w.compound_id),
        weight: Set(i64::try_from(w.weight).unwrap_or(i64::MAX)),
    }))
    .exec(db)
    .await?;
    insert_instalments(db, tenant, c.id, instalments, c.signed_at).await
}

pub async fn insert_instalments(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contract: Uuid,
    instalments: &[Instalment],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if instalments.is_empty() {
        return Ok(());
    }
    instalment::Entity::insert_many(instalments.iter().map(|i| instalment::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(at),
        contract_id: Set(contract),
        seq: Set(i32::try_from(i.seq).unwrap_or(i32::MAX)),
        period: Set(i.period.code()),
        due_on: Set(i.due_on),
        amount_fen: Set(i.amount.fen()),
        cancelled_at: Set(None),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// The contract with this number, if the firm has one.
pub async fn find_by_number(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    number: &str,
) -> Result<Option<Uuid>, DbErr> {
    Ok(contract::Entity::find()
        .filter(contract::Column::TenantId.eq(tenant))
        .filter(contract::Column::Number.eq(number))
        .one(db)
        .await?
        .map(|m| m.id))
}

/// The contracts with a placement in `compound`, newest first.
pub async fn contract_ids_in(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    let ids: Vec<Uuid> = weight::Entity::find()
        .select_only()
        .column(weight::Column::ContractId)
        .filter(weight::Column::TenantId.eq(tenant))
        .filter(weight::Column::CompoundId.eq(compound))
        .order_by_desc(weight::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids)
}

/// The contracts with these ids (in their order, unknown ids left out), each with its
/// placements, weights and instalments: four statements however many.
pub async fn contracts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Contract, Vec<Placement>, Vec<Weight>, Vec<Instalment>)>, DbErr> {
    let rows = contract::Entity::find()
        .filter(contract::Column::TenantId.eq(tenant))
        .filter(contract::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut placements: HashMap<Uuid, Vec<Placement>> = HashMap::new();
    for m in placement::Entity::find()
        .filter(placement::Column::TenantId.eq(tenant))
        .filter(placement::Column::ContractId.is_in(ids.iter().copied()))
        .order_by_asc(placement::Column::CreatedAt)
        .order_by_asc(placement::Column::Id)
        .all(db)
        .await?
    {
        placements
            .entry(m.contract_id)
            .or_default()
            .push(Placement {
                compound_id: m.compound_id,
                kind: codes::kind(&m.kind)?,
                location: m.location,
                quantity: u32::try_from(m.quantity)
                    .map_err(|_| corrupt("quantity", &m.quantity.to_string()))?,
            });
    }
    let mut weights: HashMap<Uuid, Vec<Weight>> = HashMap::new();
    for m in weight::Entity::find()
        .filter(weight::Column::TenantId.eq(tenant))
        .filter(weight::Column::ContractId.is_in(ids.iter().copied()))
        .order_by_asc(weight::Column::CompoundId)
        .all(db)
        .await?
    {
        weights.entry(m.contract_id).or_default().push(Weight {
            compound_id: m.compound_id,
            weight: codes::count(m.weight, "weight")?,
        });
    }
    let mut instalments: HashMap<Uuid, Vec<Instalment>> = HashMap::new();
    for m in instalment::Entity::find()
        .filter(instalment::Column::TenantId.eq(tenant))
        .filter(instalment::Column::ContractId.is_in(ids.iter().copied()))
        .order_by_asc(instalment::Column::Seq)
        .all(db)
        .await?
    {
        instalments
            .entry(m.contract_id)
            .or_default()
            .push(Instalment {
                seq: u32::try_from(m.seq).map_err(|_| corrupt("instalment", &m.seq.to_string()))?,
                period: codes::period(m.period)?,
                due_on: m.due_on,
                amount: Money::from_fen(m.amount_fen),
                cancelled: m.cancelled_at.is_some(),
            });
    }
    let mut by_id: HashMap<Uuid, Contract> = HashMap::new();
    for m in rows {
        let c = to_contract(m)?;
        by_id.insert(c.id, c);
    }
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|c| {
            let id = c.id;
            (
                c,
                placements.remove(&id).unwrap_or_default(),
                weights.remove(&id).unwrap_or_default(),
                instalments.remove(&id).unwrap_or_default(),
            )
        })
        .collect())
}

/// Moves a contract's last month and its price for months to come; with `terminated`, ends
/// it early with its reason.
pub async fn set_term(db: &impl ConnectionTrait, tenant: Uuid, c: &Contract) -> Result<(), DbErr> {
    contract::Entity::update_many()
        .col_expr(contract::Column::ToPeriod, Expr::value(c.term.to().code()))
        .col_expr(contract::Column::PriceFen, Expr::value(c.price.fen()))
        .col_expr(
            contract::Column::TerminatedAt,
            Expr::value(c.terminated.as_ref().map(|t| t.at)),
        )
        .col_expr(
            contract::Column::TerminationReason,
            Expr::value(c.terminated.as_ref().map(|t| t.reason.clone())),
        )
        .filter(contract::Column::TenantId.eq(tenant))
        .filter(contract::Column::Id.eq(c.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Cancels the contract's instalments for months after `last`.
pub async fn cancel_after(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contract: Uuid,
    last: BillingPeriod,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    instalment::Entity::update_many()
        .col_expr(instalment::Column::CancelledAt, Expr::value(Some(at)))
        .filter(instalment::Column::TenantId.eq(tenant))
        .filter(instalment::Column::ContractId.eq(contract))
        .filter(instalment::Column::Period.gt(last.code()))
        .filter(instalment::Column::CancelledAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
