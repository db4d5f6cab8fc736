//! The firm's contractors: registered and kept by a firm-wide dispatcher or the
//! administrator; read with their record of work (the scorecard).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::dispatch::{ContractorKind, OnCall, RateKind, Trade};
use domain::text::optional;
use domain::{Money, Name, Phone};
use serde_json::json;
use uuid::Uuid;

use crate::dispatch::model::{Contract, Contractor, Record, ServiceArea};
use crate::dispatch::store;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{bundles, compounds};

pub struct ContractorInput {
    pub name: String,
    pub kind: ContractorKind,
    pub phone: Option<String>,
    pub trades: Vec<Trade>,
    pub bundles: Vec<Uuid>,
    pub compounds: Vec<Uuid>,
    pub capacity: i32,
    /// Minutes of the day, both or neither (always on call).
    pub on_call: Option<(i32, i32)>,
    pub retired: bool,
}

pub struct ContractInput {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub rate_kind: RateKind,
    pub rate: Money,
}

fn require(ctx: &RequestContext) -> AppResult<()> {
    if ctx.principal.manages_contractors() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only a dispatcher of the whole firm or its administrator manages contractors",
        ))
    }
}

fn contract(input: ContractInput) -> AppResult<Contract> {
    domain::sane_date(input.starts_on).field("startsOn")?;
    domain::sane_date(input.ends_on).field("endsOn")?;
    if input.ends_on < input.starts_on {
        return Err(AppError::bad_input(
            "endsOn",
            "must not be before the start",
        ));
    }
    if !input.rate.is_positive() {
        return Err(AppError::bad_input("rate", "must be more than zero"));
    }
    Ok(Contract {
        id: domain::new_id(),
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        rate_kind: input.rate_kind,
        rate: input.rate,
    })
}

/// The contractor the input describes, checked; its areas must be the firm's.
async fn parse(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    id: Uuid,
    input: ContractorInput,
    retired_at: Option<chrono::DateTime<chrono::Utc>>,
) -> AppResult<Contractor> {
    let name = Name::parse(&input.name).field("name")?.into_inner();
    let phone = optional(input.phone.as_deref(), 20)
        .field("phone")?
        .map(|p| Phone::parse(&p).map(|p| p.as_str().to_owned()))
        .transpose()
        .field("phone")?;
    let mut trades = input.trades;
    trades.sort_by_key(|t| t.code());
    trades.dedup();
    if trades.is_empty() {
        return Err(AppError::bad_input("trades", "name at least one trade"));
    }
    let capacity = u32::try_from(input.capacity)
        .ok()
        .filter(|c| (1..=100).contains(c))
        .ok_or_else(|| AppError::bad_input("capacity", "must be between 1 and 100"))?;
    let on_call = match input.on_call {
        None => OnCall::Always,
        Some((from, to)) => u16::try_from(from)
            .ok()
            .zip(u16::try_from(to).ok())
            .and_then(|(f, t)| OnCall::hours(f, t))
            .ok_or_else(|| {
                AppError::bad_input("onCallTo", "give two different times of the day")
            })?,
    };
    let mut areas: Vec<ServiceArea> = Vec::new();
    for &b in &input.bundles {
        bundles::find(tx, ctx.tenant_id, &ctx.reach, b)
            .await?
            .ok_or(AppError::NotFound("bundle"))?;
        areas.push(ServiceArea::Bundle(b));
    }
    let found = compounds::find_many(tx, ctx.tenant_id, &ctx.reach, &input.compounds).await?;
    let mut wanted = input.compounds.clone();
    wanted.sort_unstable();
    wanted.dedup();
    if found.len() != wanted.len() {
        return Err(AppError::NotFound("compound"));
    }
    areas.extend(wanted.into_iter().map(ServiceArea::Compound));
    areas.dedup();
    if areas.is_empty() {
        return Err(AppError::bad_input(
            "compoundIds",
            "name the bundles or compounds they work in",
        ));
    }
    Ok(Contractor {
        id,
        name,
        kind: input.kind,
        phone,
        capacity,
        on_call,
        trades,
        areas,
        contracts: Vec::new(),
        retired_at: if input.retired { retired_at } else { None },
    })
}

/// Registers a contractor with their first contract.
#[tracing::instrument(name = "dispatch.register_contractor", skip_all)]
pub async fn register(
    db: &Db,
    ctx: &RequestContext,
    input: ContractorInput,
    first: ContractInput,
) -> AppResult<Contractor> {
    require(ctx)?;
    let first = contract(first)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let now = db.clock().now();
    let mut c = parse(uow.tx(), ctx, domain::new_id(), input, None).await?;
    c.contracts.push(first);
    store::insert_contractor(uow.tx(), ctx.tenant_id, &c, now).await?;
    uow.audit(
        "contractor.register",
        "contractor",
        c.id,
        json!({ "name": c.name, "trades": c.trades.iter().map(|t| t.code()).collect::<Vec<_>>() }),
    );
    uow.commit().await?;
    Ok(c)
}

/// Changes a contractor's details, trades, areas, capacity and hours, or retires them.
pub async fn update(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    input: ContractorInput,
) -> AppResult<(Contractor, Record)> {
    require(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let old = store::find_contractor(uow.tx(), ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("contractor"))?;
    let now = db.clock().now();
    let mut c = parse(uow.tx(), ctx, id, input, old.retired_at.or(Some(now))).await?;
    c.contracts = old.contracts;
    store::update_contractor(uow.tx(), ctx.tenant_id, &c, now).await?;
    uow.audit(
        "contractor.update",
        "contractor",
        c.id,
        json!({ "retired": c.retired_at.is_some() }),
    );
    let work = record_of(&uow, id).await?;
    uow.commit().await?;
    Ok((c, work))
}

async fn record_of(uow: &UnitOfWork, id: Uuid) -> AppResult<Record> {
    let mut found = store::records(uow.tx(), uow.tenant(), &[id]).await?;
    Ok(found.remove(&id).unwrap_or_default())
}

/// Adds a contract (a renewal, a new rate) to a contractor.
pub async fn add_contract(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    input: ContractInput,
) -> AppResult<(Contractor, Record)> {
    require(ctx)?;
    let k = contract(input)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let mut c = store::find_contractor(uow.tx(), ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("contractor"))?;
    store::add_contract(uow.tx(), ctx.tenant_id, id, &k, db.clock().now()).await?;
    uow.audit(
        "contractor.contract",
        "contractor",
        id,
        json!({ "from": k.starts_on, "to": k.ends_on, "fen": k.rate.fen() }),
    );
    c.contracts.push(k);
    let work = record_of(&uow, id).await?;
    uow.commit().await?;
    Ok((c, work))
}

/// Who may read contractors: firm staff (to dispatch and to see who works where) and the
/// contractors themselves (their own).
fn readable(ctx: &RequestContext, c: &Contractor) -> bool {
    ctx.principal.grants.iter().any(|g| g.role.is_staff())
        || ctx.principal.contractors().contains(&c.id)
}

/// The firm's contractors the caller may read, each with their record.
pub async fn list(db: &Db, ctx: &RequestContext) -> AppResult<Vec<(Contractor, Record)>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let all: Vec<Contractor> = store::all_contractors(&tx, ctx.tenant_id)
        .await?
        .into_iter()
        .filter(|c| readable(ctx, c))
        .collect();
    let ids: Vec<Uuid> = all.iter().map(|c| c.id).collect();
    let mut records: HashMap<Uuid, Record> = store::records(&tx, ctx.tenant_id, &ids).await?;
    tx.commit().await?;
    Ok(all
        .into_iter()
        .map(|c| {
            let r = records.remove(&c.id).unwrap_or_default();
            (c, r)
        })
        .collect())
}

/// Contractors by id, for the names on orders (only those the caller may read).
pub async fn by_id(
    db: &Db,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Contractor>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = store::find_contractors(&tx, ctx.tenant_id, ids).await?;
    tx.commit().await?;
    Ok(found.into_iter().map(|c| (c.id, c)).collect())
}
