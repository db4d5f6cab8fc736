//! Contractors with their trades, service areas and contracts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::Money;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::codes;
use crate::dispatch::model::{Contract, Contractor, ServiceArea};
use crate::platform::schema::{
    contractor, contractor_area as area, contractor_contract as contract, contractor_trade as trade,
};

/// Writes a new contractor with their trades, areas and first contract.
pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &Contractor,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (on_call_from, on_call_to) = codes::on_call_columns(c.on_call);
    contractor::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(c.id),
        created_at: Set(at),
        name: Set(c.name.clone()),
        kind: Set(c.kind.code().to_owned()),
        phone: Set(c.phone.clone()),
        capacity: Set(i32::try_from(c.capacity).unwrap_or(i32::MAX)),
        on_call_from: Set(on_call_from),
        on_call_to: Set(on_call_to),
        retired_at: Set(c.retired_at),
    }
    .insert(db)
    .await?;
    insert_parts(db, tenant, c, at).await?;
    for k in &c.contracts {
        add_contract(db, tenant, c.id, k, at).await?;
    }
    Ok(())
}

async fn insert_parts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &Contractor,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    trade::Entity::insert_many(c.trades.iter().map(|t| trade::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(at),
        contractor_id: Set(c.id),
        trade: Set(t.code().to_owned()),
    }))
    .exec_without_returning(db)
    .await?;
    area::Entity::insert_many(c.areas.iter().map(|a| {
        let (bundle, compound) = match *a {
            ServiceArea::Bundle(id) => (Some(id), None),
            ServiceArea::Compound(id) => (None, Some(id)),
        };
        area::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(at),
            contractor_id: Set(c.id),
            bundle_id: Set(bundle),
            compound_id: Set(compound),
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Replaces a contractor's details, trades and areas (their contracts stay).
pub async fn update(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &Contractor,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (on_call_from, on_call_to) = codes::on_call_columns(c.on_call);
    contractor::Entity::update_many()
        .col_expr(contractor::Column::Name, Expr::value(c.name.clone()))
        .col_expr(contractor::Column::Kind, Expr::value(c.kind.code()))
        .col_expr(contractor::Column::Phone, Expr::value(c.phone.clone()))
        .col_expr(
            contractor::Column::Capacity,
            Expr::value(i32::try_from(c.capacity).unwrap_or(i32::MAX)),
        )
        .col_expr(contractor::Column::OnCallFrom, Expr::value(on_call_from))
        .col_expr(contractor::Column::OnCallTo, Expr::value(on_call_to))
        .col_expr(contractor::Column::RetiredAt, Expr::value(c.retired_at))
        .filter(contractor::Column::TenantId.eq(tenant))
        .filter(contractor::Column::Id.eq(c.id))
        .exec(db)
        .await?;
    trade::Entity::delete_many()
        .filter(trade::Column::TenantId.eq(tenant))
        .filter(trade::Column::ContractorId.eq(c.id))
        .exec(db)
        .await?;
    area::Entity::delete_many()
        .filter(area::Column::TenantId.eq(tenant))
        .filter(area::Column::ContractorId.eq(c.id))
        .exec(db)
        .await?;
    insert_parts(db, tenant, c, at).await
}

pub async fn add_contract(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contractor: Uuid,
    k: &Contract,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    contract::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(k.id),
        created_at: Set(at),
        contractor_id: Set(contractor),
        starts_on: Set(k.starts_on),
        ends_on: Set(k.ends_on),
        rate_kind: Set(k.rate_kind.code().to_owned()),
        rate_fen: Set(k.rate.fen()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn exists(db: &impl ConnectionTrait, tenant: Uuid, id: Uuid) -> Result<bool, DbErr> {
    Ok(contractor::Entity::find()
        .filter(contractor::Column::TenantId.eq(tenant))
        .filter(contractor::Column::Id.eq(id))
        .one(db)
        .await?
        .is_some())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Contractor>, DbErr> {
    Ok(find_many(db, tenant, &[id]).await?.pop())
}

/// The firm's contractors, retired ones included, by name.
pub async fn all(db: &impl ConnectionTrait, tenant: Uuid) -> Result<Vec<Contractor>, DbErr> {
    load(db, tenant, None).await
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Contractor>, DbErr> {
    load(db, tenant, Some(ids)).await
}

/// The firm's contractors (those with `ids`, if given), by name, whole.
async fn load(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: Option<&[Uuid]>,
) -> Result<Vec<Contractor>, DbErr> {
    let mut q = contractor::Entity::find().filter(contractor::Column::TenantId.eq(tenant));
    if let Some(ids) = ids {
        q = q.filter(contractor::Column::Id.is_in(ids.iter().copied()));
    }
    let rows = q
        .order_by_asc(contractor::Column::Name)
        .order_by_asc(contractor::Column::Id)
        .all(db)
        .await?;
    assemble(db, tenant, rows).await
}

/// Contractors with their trades, areas and contracts, in three more statements.
async fn assemble(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    rows: Vec<contractor::Model>,
) -> Result<Vec<Contractor>, DbErr> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut trades: HashMap<Uuid, Vec<_>> = HashMap::new();
    for t in trade::Entity::find()
        .filter(trade::Column::TenantId.eq(tenant))
        .filter(trade::Column::ContractorId.is_in(ids.iter().copied()))
        .order_by_asc(trade::Column::Trade)
        .all(db)
        .await?
    {
        trades
            .entry(t.contractor_id)
            .or_default()
            .push(codes::trade(&t.trade)?);
    }
    let mut areas: HashMap<Uuid, Vec<ServiceArea>> = HashMap::new();
    for a in area::Entity::find()
        .filter(area::Column::TenantId.eq(tenant))
        .filter(area::Column::ContractorId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        let place = match (a.bundle_id, a.compound_id) {
            (Some(b), None) => ServiceArea::Bundle(b),
            (None, Some(c)) => ServiceArea::Compound(c),
            _ => {
                return Err(crate::platform::storage::corrupt(
                    "service area",
                    "both or neither",
                ));
            }
        };
        areas.entry(a.contractor_id).or_default().push(place);
    }
    let mut contracts: HashMap<Uuid, Vec<Contract>> = HashMap::new();
    for k in contract::Entity::find()
        .filter(contract::Column::TenantId.eq(tenant))
        .filter(contract::Column::ContractorId.is_in(ids.iter().copied()))
        .order_by_asc(contract::Column::StartsOn)
        .all(db)
        .await?
    {
        contracts
            .entry(k.contractor_id)
            .or_default()
            .push(Contract {
                id: k.id,
                starts_on: k.starts_on,
                ends_on: k.ends_on,
                rate_kind: codes::rate_kind(&k.rate_kind)?,
                rate: Money::from_fen(k.rate_fen),
            });
    }
    rows.into_iter()
        .map(|r| {
            Ok(Contractor {
                id: r.id,
                kind: codes::contractor_kind(&r.kind)?,
                on_call: codes::on_call(r.on_call_from, r.on_call_to)?,
                capacity: codes::count(i64::from(r.capacity), "capacity")?,
                trades: trades.remove(&r.id).unwrap_or_default(),
                areas: areas.remove(&r.id).unwrap_or_default(),
                contracts: contracts.remove(&r.id).unwrap_or_default(),
                name: r.name,
                phone: r.phone,
                retired_at: r.retired_at,
            })
        })
        .collect()
}
