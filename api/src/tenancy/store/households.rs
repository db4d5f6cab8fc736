//! Households (户): one dwelling, billed monthly, with its exclusive area.

use chrono::Utc;
use domain::{Area, AreaSource, Label, Period};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use uuid::Uuid;

use super::compounds::escape_like;
use crate::platform::page::{Page, PageRequest};
use crate::platform::schema::household;
use crate::platform::scope::Reach;
use crate::platform::storage::corrupt;
use crate::tenancy::model::{
    Household, HouseholdChange, HouseholdFilter, HouseholdOrder, NewHousehold,
};
use domain::billing::BillingPeriod;

impl TryFrom<household::Model> for Household {
    type Error = DbErr;
    fn try_from(m: household::Model) -> Result<Self, DbErr> {
        Ok(Self {
            area: Area::from_centi(m.area_centi)
                .map_err(|_| corrupt("area", &m.area_centi.to_string()))?,
            area_source: AreaSource::from_code(&m.area_source)
                .ok_or_else(|| corrupt("area source", &m.area_source))?,
            active: Period::new(m.active_from, m.active_to)
                .map_err(|_| corrupt("active period", &m.active_from.to_string()))?,
            id: m.id,
            compound_id: m.compound_id,
            building_id: m.building_id,
            unit_label: m.unit_label,
            room_label: m.room_label,
            created_at: m.created_at,
            archived_at: m.archived_at,
        })
    }
}

fn scoped(tenant: Uuid, reach: &Reach) -> sea_orm::Select<household::Entity> {
    let q = household::Entity::find().filter(household::Column::TenantId.eq(tenant));
    match reach.households() {
        None => q,
        Some((compounds, households)) => q.filter(
            Condition::any()
                .add(household::Column::CompoundId.is_in(compounds.iter().copied()))
                .add(household::Column::Id.is_in(households.iter().copied())),
        ),
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    id: Uuid,
) -> Result<Option<Household>, DbErr> {
    scoped(tenant, reach)
        .filter(household::Column::Id.eq(id))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

/// Whether any of `ids` is within `reach`.
pub async fn any_in_reach(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    ids: &[Uuid],
) -> Result<bool, DbErr> {
    if ids.is_empty() {
        return Ok(false);
    }
    let found = scoped(tenant, reach)
        .filter(household::Column::Id.is_in(ids.iter().copied()))
        .count(db)
        .await?;
    Ok(found > 0)
}

/// Locks households whose money is about to move (payments, allocations, credit, refunds),
/// in id order, until the transaction ends: what is owed by one household is read and
/// changed by one transaction at a time. `FOR NO KEY UPDATE`, so rows that merely refer to
/// the household (an invoice's foreign-key check) are not held up. On SQLite the
/// transaction already holds the database's write lock (`Db::begin_tenant_writes`).
///
/// Lock order, everywhere: refund, then payment attempt, then households, then the
/// ledger's chain head (taken by the append itself).
pub async fn lock(db: &impl ConnectionTrait, tenant: Uuid, ids: &[Uuid]) -> Result<(), DbErr> {
    if ids.is_empty() || db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::Id.is_in(ids))
        .order_by_asc(household::Column::Id)
        .lock(sea_orm::sea_query::LockType::NoKeyUpdate)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(())
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Household>, DbErr> {
    household::Entity::find()
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    filter: &HouseholdFilter,
    page: PageRequest,
) -> Result<Page<Household>, DbErr> {
    let mut q = scoped(tenant, reach);
    if let Some(c) = filter.compound_id {
        q = q.filter(household::Column::CompoundId.eq(c));
    }
    if let Some(room) = &filter.room_contains {
        q = q.filter(
            Expr::col(household::Column::RoomLabel)
                .like(LikeExpr::new(format!("%{}%", escape_like(room))).escape('\\')),
        );
    }
    if !filter.include_archived {
        q = q.filter(household::Column::ArchivedAt.is_null());
    }
    let last = match page.after {
        // The cursor is the last id seen; the page goes on from its place in the order.
        Some(after) => {
            household::Entity::find_by_id((tenant, after))
                .one(db)
                .await?
        }
        None => None,
    };
    let q = in_order(q, filter.order, last.as_ref());
    let limit = page.limit;
    let mut items = q.limit(limit + 1).all(db).await?;
    let has_next = items.len() as u64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Page { items, has_next }.try_map(TryInto::try_into)
}

/// Households as people list them: by building, unit and room (id last, to break ties).
/// Units and rooms compare as people count them — a shorter label first, so that `101` comes
/// before `1001` and `2单元` before `10单元` — then as text.
fn place_columns() -> [Expr; 6] {
    [
        Expr::col(household::Column::BuildingId),
        Expr::cust("length(unit_label)"),
        Expr::col(household::Column::UnitLabel),
        Expr::cust("length(room_label)"),
        Expr::col(household::Column::RoomLabel),
        Expr::col(household::Column::Id),
    ]
}

fn in_place_order(q: Select<household::Entity>) -> Select<household::Entity> {
    place_columns()
        .into_iter()
        .fold(q, |q, e| q.order_by(e, sea_orm::Order::Asc))
}

/// `q` in `order`, after the household `last` if a page went before.
fn in_order(
    q: Select<household::Entity>,
    order: HouseholdOrder,
    last: Option<&household::Model>,
) -> Select<household::Entity> {
    use household::Column::{AreaCenti, Id};
    let area_and_id = || Expr::tuple([Expr::col(AreaCenti), Expr::col(Id)]);
    let q = match (order, last) {
        (_, None) => q,
        (HouseholdOrder::Place, Some(l)) => q.filter(Expr::tuple(place_columns()).gt(place_of(l))),
        (HouseholdOrder::AreaAscending, Some(l)) => q.filter(area_and_id().gt(area_of(l))),
        (HouseholdOrder::AreaDescending, Some(l)) => q.filter(area_and_id().lt(area_of(l))),
    };
    match order {
        HouseholdOrder::Place => in_place_order(q),
        HouseholdOrder::AreaAscending => q.order_by_asc(AreaCenti).order_by_asc(Id),
        HouseholdOrder::AreaDescending => q.order_by_desc(AreaCenti).order_by_desc(Id),
    }
}

/// A household's place in [`place_columns`]' order.
fn place_of(l: &household::Model) -> Expr {
    let chars = |s: &str| i64::try_from(s.chars().count()).unwrap_or(i64::MAX);
    Expr::tuple([
        Expr::val(l.building_id),
        Expr::val(chars(&l.unit_label)),
        Expr::val(l.unit_label.clone()),
        Expr::val(chars(&l.room_label)),
        Expr::val(l.room_label.clone()),
        Expr::val(l.id),
    ])
}

/// A household's place in the order by area.
fn area_of(l: &household::Model) -> Expr {
    Expr::tuple([Expr::val(l.area_centi), Expr::val(l.id)])
}

/// A compound's live households in register order, for its export.
pub async fn register_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Household>, DbErr> {
    let q = household::Entity::find()
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::CompoundId.eq(compound))
        .filter(household::Column::ArchivedAt.is_null());
    in_place_order(q)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Live households per compound, for the given compounds, in one statement.
pub async fn count_by_compound(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    compounds: &[Uuid],
) -> Result<Vec<(Uuid, i64)>, DbErr> {
    scoped(tenant, reach)
        .select_only()
        .column(household::Column::CompoundId)
        .column_as(household::Column::Id.count(), "n")
        .filter(household::Column::CompoundId.is_in(compounds.iter().copied()))
        .filter(household::Column::ArchivedAt.is_null())
        .group_by(household::Column::CompoundId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await
}

/// The compound of each given household (for widening a resident's reach).
pub async fn compounds_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    household::Entity::find()
        .select_only()
        .column(household::Column::CompoundId)
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::Id.is_in(households.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    h: NewHousehold,
) -> Result<Household, DbErr> {
    household::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        compound_id: Set(h.compound_id),
        building_id: Set(h.building_id),
        unit_label: Set(h.unit.map(Label::into_inner).unwrap_or_default()),
        room_label: Set(h.room.into_inner()),
        area_centi: Set(h.area.centi()),
        area_source: Set(h.area_source.code().to_owned()),
        active_from: Set(h.active.from()),
        active_to: Set(h.active.to()),
        archived_at: Set(None),
    }
    .insert(db)
    .await?
    .try_into()
}

pub async fn update(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    change: HouseholdChange,
) -> Result<Option<Household>, DbErr> {
    let Some(model) = household::Entity::find_by_id((tenant, id)).one(db).await? else {
        return Ok(None);
    };
    let mut am = model.into_active_model();
    if let Some((area, source)) = change.area {
        am.area_centi = Set(area.centi());
        am.area_source = Set(source.code().to_owned());
    }
    if let Some(to) = change.active_to {
        am.active_to = Set(to);
    }
    if change.archive {
        am.archived_at = Set(Some(Utc::now()));
    }
    am.update(db).await?.try_into().map(Some)
}

/// The live households of these compounds active at some day of `period`: whom a billing run
/// of the period bills.
fn billable_in(
    tenant: Uuid,
    compounds: &[Uuid],
    period: BillingPeriod,
) -> Select<household::Entity> {
    household::Entity::find()
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::CompoundId.is_in(compounds.iter().copied()))
        .filter(household::Column::ArchivedAt.is_null())
        .filter(household::Column::ActiveFrom.lte(period.last_day()))
        .filter(
            Condition::any()
                .add(household::Column::ActiveTo.is_null())
                .add(household::Column::ActiveTo.gte(period.first_day())),
        )
}

/// How many households a run of `period` over these compounds bills.
pub async fn count_billable(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    period: BillingPeriod,
) -> Result<u64, DbErr> {
    billable_in(tenant, compounds, period).count(db).await
}

/// The households a run of `period` bills, in id order after `after`, `limit` at a time.
pub async fn billable(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    period: BillingPeriod,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Household>, DbErr> {
    let mut q = billable_in(tenant, compounds, period);
    if let Some(a) = after {
        q = q.filter(household::Column::Id.gt(a));
    }
    q.order_by_asc(household::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Each live household's building and place (unit, room) in a compound, for telling a
/// register's new rooms from those already there.
pub async fn places_in(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    household::Entity::find()
        .select_only()
        .column(household::Column::BuildingId)
        .column(household::Column::UnitLabel)
        .column(household::Column::RoomLabel)
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::CompoundId.eq(compound))
        .filter(household::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await
}

/// Writes new households in one statement each `chunk` (PostgreSQL: arrays and `UNNEST`).
pub async fn insert_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    rows: &[(Uuid, NewHousehold)],
) -> Result<(), DbErr> {
    let now = Utc::now();
    let models: Vec<household::Model> = rows
        .iter()
        .map(|(id, h)| household::Model {
            tenant_id: tenant,
            id: *id,
            created_at: now,
            compound_id: h.compound_id,
            building_id: h.building_id,
            unit_label: h
                .unit
                .as_ref()
                .map(|u| u.as_str().to_owned())
                .unwrap_or_default(),
            room_label: h.room.as_str().to_owned(),
            area_centi: h.area.centi(),
            area_source: h.area_source.code().to_owned(),
            active_from: h.active.from(),
            active_to: h.active.to(),
            archived_at: None,
        })
        .collect();
    if models.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres
        && models.iter().all(|m| m.active_to.is_none())
    {
        use crate::platform::bulk::{Column, insert};
        let m = &models;
        return insert(
            db,
            "households",
            vec![
                Column::uuid("tenant_id", m, |h| h.tenant_id),
                Column::uuid("id", m, |h| h.id),
                Column::timestamp("created_at", m, |h| h.created_at),
                Column::uuid("compound_id", m, |h| h.compound_id),
                Column::uuid("building_id", m, |h| h.building_id),
                Column::text("unit_label", m, |h| h.unit_label.clone()),
                Column::text("room_label", m, |h| h.room_label.clone()),
                Column::bigint("area_centi", m, |h| h.area_centi),
                Column::text("area_source", m, |h| h.area_source.clone()),
                Column::date("active_from", m, |h| h.active_from),
            ],
            "",
        )
        .await
        .map(drop);
    }
    for chunk in models.chunks(500) {
        let rows = chunk.iter().cloned().map(household::ActiveModel::from);
        household::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
