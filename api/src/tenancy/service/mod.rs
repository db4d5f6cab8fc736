//! Bundles, compounds, buildings and households: reading within reach, changing as admin.

mod register;
mod rules;
pub(crate) use register::write_register;
pub use register::{ImportReport, ImportTerms, export_households, import_households};
use rules::{ROOM_TAKEN, live_compound};

use std::collections::HashMap;

use domain::Label;
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::platform::access::require_admin;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::events::Event;
use crate::platform::page::{Page, PageRequest};
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::model::{Building, Office, Tenant};
use crate::tenancy::model::{Bundle, BundleFields};
use crate::tenancy::model::{Compound, CompoundFields, CompoundFilter};
use crate::tenancy::model::{Household, HouseholdChange, HouseholdFilter, NewHousehold};
use crate::tenancy::store::buildings;
use crate::tenancy::store::bundles;
use crate::tenancy::store::compounds;
use crate::tenancy::store::households;
use crate::tenancy::store::tenants;
use domain::Verification;

// ---- bundles ----

#[tracing::instrument(name = "tenancy.list_bundles", skip_all)]
pub async fn list_bundles(
    db: &Db,
    ctx: &RequestContext,
    include_archived: bool,
    page: PageRequest,
) -> AppResult<Page<Bundle>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let page = bundles::list(&tx, ctx.tenant_id, &ctx.reach, include_archived, page).await?;
    tx.commit().await?;
    Ok(page)
}

#[tracing::instrument(name = "tenancy.bundle", skip_all)]
pub async fn bundle(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Bundle> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = bundles::find(&tx, ctx.tenant_id, &ctx.reach, id).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound("bundle"))
}

#[tracing::instrument(name = "tenancy.bundles_by_id", skip_all)]
pub async fn bundles_by_id(
    db: &Db,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Bundle>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = bundles::find_many(&tx, ctx.tenant_id, &ctx.reach, ids).await?;
    tx.commit().await?;
    Ok(found.into_iter().map(|b| (b.id, b)).collect())
}

const BUNDLE_NAME_TAKEN: &str = "another bundle already has this name";

#[tracing::instrument(name = "tenancy.create_bundle", skip_all)]
pub async fn create_bundle(
    db: &Db,
    ctx: &RequestContext,
    fields: BundleFields,
) -> AppResult<Bundle> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let bundle = bundles::insert(tx, ctx.tenant_id, fields)
        .await
        .map_err(|e| AppError::unique_or_internal(e, "name", BUNDLE_NAME_TAKEN))?;
    uow.audit(
        "bundle.create",
        "bundle",
        bundle.id,
        json!({ "name": bundle.name }),
    );
    uow.commit().await?;
    Ok(bundle)
}

/// Sets how residents pay at the office when they cannot pay online (administrator only).
#[tracing::instrument(name = "tenancy.set_office", skip_all)]
pub async fn set_office(db: &Db, ctx: &RequestContext, office: Office) -> AppResult<Tenant> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    tenants::set_office(tx, ctx.tenant_id, &office).await?;
    uow.audit("firm.set_office", "tenant", ctx.tenant_id, json!({}));
    let firm = tenants::find(tx, ctx.tenant_id)
        .await?
        .ok_or(AppError::NotFound("firm"))?;
    uow.commit().await?;
    Ok(firm)
}

/// Sets the largest single payment the firm's staff may record (administrator only).
#[tracing::instrument(name = "tenancy.set_max_payment", skip_all)]
pub async fn set_max_payment(
    db: &Db,
    ctx: &RequestContext,
    max: domain::Money,
) -> AppResult<Tenant> {
    require_admin(ctx)?;
    if !max.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    tenants::set_max_payment(tx, ctx.tenant_id, max).await?;
    uow.audit(
        "firm.set_max_payment",
        "tenant",
        ctx.tenant_id,
        json!({ "max_payment_fen": max.fen() }),
    );
    let firm = tenants::find(tx, ctx.tenant_id)
        .await?
        .ok_or(AppError::NotFound("firm"))?;
    uow.commit().await?;
    Ok(firm)
}

#[tracing::instrument(name = "tenancy.update_bundle", skip_all)]
pub async fn update_bundle(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    fields: BundleFields,
) -> AppResult<Bundle> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let bundle = bundles::update(tx, ctx.tenant_id, id, Some(fields), false)
        .await
        .map_err(|e| AppError::unique_or_internal(e, "name", BUNDLE_NAME_TAKEN))?
        .ok_or(AppError::NotFound("bundle"))?;
    uow.audit(
        "bundle.update",
        "bundle",
        id,
        json!({ "name": bundle.name }),
    );
    uow.commit().await?;
    Ok(bundle)
}

#[tracing::instrument(name = "tenancy.archive_bundle", skip_all)]
pub async fn archive_bundle(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Bundle> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    bundles::find(tx, ctx.tenant_id, &Reach::everything(), id)
        .await?
        .ok_or(AppError::NotFound("bundle"))?;
    let live = compounds::list(
        tx,
        ctx.tenant_id,
        &Reach::everything(),
        &CompoundFilter {
            bundle_id: Some(id),
            ..Default::default()
        },
        PageRequest {
            after: None,
            limit: 1,
        },
    )
    .await?;
    if !live.items.is_empty() {
        return Err(AppError::conflict(
            "id",
            "archive or move this bundle's compounds first",
        ));
    }
    let bundle = bundles::update(tx, ctx.tenant_id, id, None, true)
        .await?
        .ok_or(AppError::NotFound("bundle"))?;
    uow.audit("bundle.archive", "bundle", id, json!({}));
    uow.commit().await?;
    Ok(bundle)
}

// ---- compounds ----

#[tracing::instrument(name = "tenancy.list_compounds", skip_all)]
pub async fn list_compounds(
    db: &Db,
    ctx: &RequestContext,
    filter: CompoundFilter,
    page: PageRequest,
) -> AppResult<Page<Compound>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    if let Some(b) = filter.bundle_id {
        bundles::find(&tx, ctx.tenant_id, &ctx.reach, b)
            .await?
            .ok_or(AppError::NotFound("bundle"))?;
    }
    let page = compounds::list(&tx, ctx.tenant_id, &ctx.reach, &filter, page).await?;
    tx.commit().await?;
    Ok(page)
}

#[tracing::instrument(name = "tenancy.compound", skip_all)]
pub async fn compound(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Compound> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = compounds::find(&tx, ctx.tenant_id, &ctx.reach, id).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound("compound"))
}

#[tracing::instrument(name = "tenancy.compounds_by_id", skip_all)]
pub async fn compounds_by_id(
    db: &Db,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Compound>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = compounds::find_many(&tx, ctx.tenant_id, &ctx.reach, ids).await?;
    tx.commit().await?;
    Ok(found.into_iter().map(|c| (c.id, c)).collect())
}

/// Live households per compound, for every compound asked about (zero where none).
#[tracing::instrument(name = "tenancy.household_counts", skip_all)]
pub async fn household_counts(
    db: &Db,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let counts = households::count_by_compound(&tx, ctx.tenant_id, &ctx.reach, ids).await?;
    tx.commit().await?;
    let mut map: HashMap<Uuid, i64> = ids.iter().map(|id| (*id, 0)).collect();
    map.extend(counts);
    Ok(map)
}

const COMPOUND_NAME_TAKEN: &str = "another compound already has this name";

async fn live_bundle(tx: &impl ConnectionTrait, ctx: &RequestContext, id: Uuid) -> AppResult<()> {
    match bundles::find(tx, ctx.tenant_id, &Reach::everything(), id).await? {
        Some(b) if b.archived_at.is_none() => Ok(()),
        Some(_) => Err(AppError::bad_input("bundleId", "this bundle is archived")),
        None => Err(AppError::NotFound("bundle")),
    }
}

#[tracing::instrument(name = "tenancy.create_compound", skip_all)]
pub async fn create_compound(
    db: &Db,
    ctx: &RequestContext,
    fields: CompoundFields,
) -> AppResult<Compound> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_bundle(tx, ctx, fields.bundle_id).await?;
    let compound = compounds::insert(tx, ctx.tenant_id, fields)
        .await
        .map_err(|e| AppError::unique_or_internal(e, "name", COMPOUND_NAME_TAKEN))?;
    crate::ledger::open_chart(tx, ctx.tenant_id, compound.id).await?;
    // Whoever holds its bundle now sees it.
    uow.publish(Event::AccessChanged);
    uow.audit(
        "compound.create",
        "compound",
        compound.id,
        json!({ "name": compound.name }),
    );
    uow.commit().await?;
    Ok(compound)
}

#[tracing::instrument(name = "tenancy.update_compound", skip_all)]
pub async fn update_compound(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    fields: CompoundFields,
) -> AppResult<Compound> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &Reach::everything(), id)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    live_bundle(tx, ctx, fields.bundle_id).await?;
    let compound = compounds::update(tx, ctx.tenant_id, id, Some(fields), false)
        .await
        .map_err(|e| AppError::unique_or_internal(e, "name", COMPOUND_NAME_TAKEN))?
        .ok_or(AppError::NotFound("compound"))?;
    // Its bundle may have changed, and with it who sees it.
    uow.publish(Event::AccessChanged);
    uow.audit(
        "compound.update",
        "compound",
        id,
        json!({ "name": compound.name }),
    );
    uow.commit().await?;
    Ok(compound)
}

#[tracing::instrument(name = "tenancy.archive_compound", skip_all)]
pub async fn archive_compound(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Compound> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let compound = compounds::update(tx, ctx.tenant_id, id, None, true)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    uow.audit("compound.archive", "compound", id, json!({}));
    uow.commit().await?;
    Ok(compound)
}

// ---- buildings ----

#[tracing::instrument(name = "tenancy.buildings_of", skip_all)]
pub async fn buildings_of(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<Building>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let found = buildings::of_compound(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(found)
}

#[tracing::instrument(name = "tenancy.buildings_by_id", skip_all)]
pub async fn buildings_by_id(
    db: &Db,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Building>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = buildings::find_many(&tx, ctx.tenant_id, ids).await?;
    tx.commit().await?;
    Ok(found.into_iter().map(|b| (b.id, b)).collect())
}

#[tracing::instrument(name = "tenancy.create_building", skip_all)]
pub async fn create_building(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    label: Label,
) -> AppResult<Building> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, compound).await?;
    let building = buildings::insert(tx, ctx.tenant_id, compound, &label)
        .await
        .map_err(|e| {
            AppError::unique_or_internal(
                e,
                "label",
                "this compound already has a building with this label",
            )
        })?;
    uow.audit(
        "building.create",
        "building",
        building.id,
        json!({ "label": building.label }),
    );
    uow.commit().await?;
    Ok(building)
}

// ---- households ----

#[tracing::instrument(name = "tenancy.list_households", skip_all)]
pub async fn list_households(
    db: &Db,
    ctx: &RequestContext,
    filter: HouseholdFilter,
    page: PageRequest,
) -> AppResult<Page<Household>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    if let Some(c) = filter.compound_id {
        compounds::find(&tx, ctx.tenant_id, &ctx.reach, c)
            .await?
            .ok_or(AppError::NotFound("compound"))?;
    }
    let page = households::list(&tx, ctx.tenant_id, &ctx.reach, &filter, page).await?;
    tx.commit().await?;
    Ok(page)
}

#[tracing::instrument(name = "tenancy.household", skip_all)]
pub async fn household(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Household> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = households::find(&tx, ctx.tenant_id, &ctx.reach, id).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound("household"))
}

#[tracing::instrument(name = "tenancy.create_household", skip_all)]
pub async fn create_household(
    db: &Db,
    ctx: &RequestContext,
    new: NewHousehold,
) -> AppResult<Household> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, new.compound_id).await?;
    let building = buildings::find(tx, ctx.tenant_id, new.building_id)
        .await?
        .ok_or(AppError::NotFound("building"))?;
    if building.compound_id != new.compound_id {
        return Err(AppError::bad_input(
            "buildingId",
            "this building belongs to another compound",
        ));
    }
    let household = households::insert(tx, ctx.tenant_id, new)
        .await
        .map_err(|e| AppError::unique_or_internal(e, "room", ROOM_TAKEN))?;
    crate::ledger::open_household_accounts(
        tx,
        ctx.tenant_id,
        household.compound_id,
        &[household.id],
    )
    .await?;
    uow.audit(
        "household.create",
        "household",
        household.id,
        json!({ "room": household.room_label, "area_centi": household.area.centi() }),
    );
    uow.commit().await?;
    Ok(household)
}

#[tracing::instrument(name = "tenancy.update_household", skip_all)]
pub async fn update_household(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    change: HouseholdChange,
) -> AppResult<Household> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let current = households::find(tx, ctx.tenant_id, &Reach::everything(), id)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    if let Some(Some(to)) = change.active_to
        && to < current.active.from()
    {
        return Err(AppError::bad_input(
            "activeTo",
            "must not be before the household became active",
        ));
    }
    let detail = json!({
        "area_centi": change.area.map(|(a, _)| a.centi()),
        "archive": change.archive,
    });
    let household = households::update(tx, ctx.tenant_id, id, change)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    uow.audit("household.update", "household", id, detail);
    uow.commit().await?;
    Ok(household)
}

/// Verifies every tenant's ledger (or one), each in its own transaction.
#[tracing::instrument(name = "tenancy.verify_ledgers", skip_all)]
pub async fn verify_ledgers(
    db: &Db,
    tenant_slug: Option<&str>,
) -> AppResult<Vec<(String, Verification)>> {
    let tx = db.begin_global().await?;
    let all = tenants::all(&tx).await?;
    tx.commit().await?;
    let chosen: Vec<_> = match tenant_slug {
        Some(slug) => {
            let t: Vec<_> = all.into_iter().filter(|t| t.slug == slug).collect();
            if t.is_empty() {
                return Err(AppError::bad_input(
                    "tenant",
                    format!("no firm with slug {slug:?}"),
                ));
            }
            t
        }
        None => all,
    };
    let mut out = Vec::with_capacity(chosen.len());
    for t in chosen {
        let v = crate::ledger::verify(db, t.id).await?;
        out.push((t.slug, v));
    }
    Ok(out)
}
