//! Work orders: numbered per firm, read within what the reader may see, and moved from one
//! state to the next only if no one moved them first.

use chrono::{DateTime, Utc};
use domain::Money;
use domain::dispatch::OrderState;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use uuid::Uuid;

use super::codes;
use crate::dispatch::model::WorkOrder;
use crate::platform::page::{Page, PageRequest, fetch};
use crate::platform::schema::work_order as order;
use crate::platform::storage::corrupt;

/// The firm's next order number, taken under its counter row's lock (so two reports at once
/// get two numbers, and the second waits only for the first's commit).
pub async fn next_number(db: &impl ConnectionTrait, tenant: Uuid) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let p = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO work_order_numbers (tenant_id, last) VALUES ({p}, 1)
                 ON CONFLICT (tenant_id) DO UPDATE SET last = work_order_numbers.last + 1
                 RETURNING last"
            ),
            [tenant.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no order number returned".into()))?;
    let last: i64 = row.try_get("", "last")?;
    u64::try_from(last).map_err(|_| corrupt("order number", &last.to_string()))
}

fn to_order(m: order::Model) -> Result<WorkOrder, DbErr> {
    Ok(WorkOrder {
        id: m.id,
        number: u64::try_from(m.number)
            .map_err(|_| corrupt("order number", &m.number.to_string()))?,
        compound_id: m.compound_id,
        household_id: m.household_id,
        location_kind: codes::location_kind(&m.location_kind)?,
        location: m.location,
        trade: codes::trade(&m.trade)?,
        priority: codes::priority(&m.priority)?,
        description: m.description,
        state: codes::state(&m.state)?,
        rejected_as: m
            .rejected_as
            .as_deref()
            .map(codes::reject_reason)
            .transpose()?,
        reported_by: m.reported_by,
        reported_at: m.reported_at,
        resolve_by: m.resolve_by,
        bearer: m.bearer.as_deref().map(codes::bearer).transpose()?,
        estimate: m.estimate_fen.map(Money::from_fen),
        confirm_required: m.confirm_required,
        charge_confirmed_at: m.charge_confirmed_at,
        contractor_id: m.contractor_id,
        dispatched_at: m.dispatched_at,
        respond_by: m.respond_by,
        completed_at: m.completed_at,
        cost: m.cost_fen.map(Money::from_fen),
        rating: m
            .rating
            .map(|r| u8::try_from(r).map_err(|_| corrupt("rating", &r.to_string())))
            .transpose()?,
        rating_comment: m.rating_comment,
        reopened: codes::count(i64::from(m.reopened), "reopen count")?,
        closed_at: m.closed_at,
        overdue_noted_at: m.overdue_noted_at,
        updated_at: m.updated_at,
    })
}

fn to_model(tenant: Uuid, o: &WorkOrder) -> order::ActiveModel {
    order::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(o.id),
        created_at: Set(o.reported_at),
        number: Set(i64::try_from(o.number).unwrap_or(i64::MAX)),
        compound_id: Set(o.compound_id),
        household_id: Set(o.household_id),
        location_kind: Set(o.location_kind.code().to_owned()),
        location: Set(o.location.clone()),
        trade: Set(o.trade.code().to_owned()),
        priority: Set(o.priority.code().to_owned()),
        description: Set(o.description.clone()),
        state: Set(o.state.code().to_owned()),
        rejected_as: Set(o.rejected_as.map(|r| r.code().to_owned())),
        reported_by: Set(o.reported_by),
        reported_at: Set(o.reported_at),
        resolve_by: Set(o.resolve_by),
        bearer: Set(o.bearer.map(|b| b.code().to_owned())),
        estimate_fen: Set(o.estimate.map(Money::fen)),
        confirm_required: Set(o.confirm_required),
        charge_confirmed_at: Set(o.charge_confirmed_at),
        contractor_id: Set(o.contractor_id),
        dispatched_at: Set(o.dispatched_at),
        respond_by: Set(o.respond_by),
        completed_at: Set(o.completed_at),
        cost_fen: Set(o.cost.map(Money::fen)),
        rating: Set(o.rating.map(i32::from)),
        rating_comment: Set(o.rating_comment.clone()),
        reopened: Set(i32::try_from(o.reopened).unwrap_or(i32::MAX)),
        closed_at: Set(o.closed_at),
        overdue_noted_at: Set(o.overdue_noted_at),
        updated_at: Set(o.updated_at),
    }
}

pub async fn insert(db: &impl ConnectionTrait, tenant: Uuid, o: &WorkOrder) -> Result<(), DbErr> {
    to_model(tenant, o).insert(db).await?;
    Ok(())
}

/// Writes `o` over the stored order if it is still in state `was` and unchanged since
/// `seen` (its `updated_at` when read); `false` when someone else moved it first.
pub async fn save(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    o: &WorkOrder,
    was: OrderState,
    seen: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut m = to_model(tenant, o);
    m.tenant_id = sea_orm::ActiveValue::Unchanged(tenant);
    m.id = sea_orm::ActiveValue::Unchanged(o.id);
    m.created_at = sea_orm::ActiveValue::NotSet;
    m.number = sea_orm::ActiveValue::NotSet;
    let done = order::Entity::update_many()
        .set(m)
        .filter(order::Column::TenantId.eq(tenant))
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::State.eq(was.code()))
        .filter(order::Column::UpdatedAt.eq(seen))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<WorkOrder>, DbErr> {
    order::Entity::find()
        .filter(order::Column::TenantId.eq(tenant))
        .filter(order::Column::Id.eq(id))
        .one(db)
        .await?
        .map(to_order)
        .transpose()
}

/// Which orders a list holds: those a reader may see (any of the `within` sets), narrowed by
/// the reader's filter.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// `None`: every compound of the firm.
    pub compounds: Option<Vec<Uuid>>,
    pub households: Vec<Uuid>,
    pub contractors: Vec<Uuid>,
    pub reporter: Option<Uuid>,
    /// Narrowing: one compound, some states, one contractor.
    pub compound: Option<Uuid>,
    pub states: Vec<OrderState>,
    pub contractor: Option<Uuid>,
}

/// A page of orders, oldest first (the queue's order).
pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    f: &OrderFilter,
    page: PageRequest,
) -> Result<Page<WorkOrder>, DbErr> {
    let mut within = Condition::any()
        .add(order::Column::HouseholdId.is_in(f.households.iter().copied()))
        .add(order::Column::ContractorId.is_in(f.contractors.iter().copied()));
    within = match &f.compounds {
        None => within.add(order::Column::TenantId.eq(tenant)),
        Some(ids) => within.add(order::Column::CompoundId.is_in(ids.iter().copied())),
    };
    if let Some(me) = f.reporter {
        within = within.add(order::Column::ReportedBy.eq(me));
    }
    let mut q = order::Entity::find()
        .filter(order::Column::TenantId.eq(tenant))
        .filter(within);
    if let Some(c) = f.compound {
        q = q.filter(order::Column::CompoundId.eq(c));
    }
    if let Some(c) = f.contractor {
        q = q.filter(order::Column::ContractorId.eq(c));
    }
    if !f.states.is_empty() {
        q = q.filter(order::Column::State.is_in(f.states.iter().map(|s| s.code())));
    }
    fetch(db, q, order::Column::Id, page)
        .await?
        .try_map(to_order)
}

/// Unfinished orders past their resolution deadline that the server has not yet noted, the
/// most overdue first.
pub async fn overdue_unresolved(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<WorkOrder>, DbErr> {
    let open = [
        OrderState::Reported,
        OrderState::Filed,
        OrderState::Dispatched,
        OrderState::Accepted,
        OrderState::InProgress,
    ];
    order::Entity::find()
        .filter(order::Column::TenantId.eq(tenant))
        .filter(order::Column::State.is_in(open.map(OrderState::code)))
        .filter(order::Column::ResolveBy.lt(now))
        .filter(order::Column::OverdueNotedAt.is_null())
        .order_by_asc(order::Column::ResolveBy)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_order)
        .collect()
}

/// Dispatched orders whose contractor has not answered by their deadline, oldest first.
pub async fn overdue_unanswered(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<WorkOrder>, DbErr> {
    order::Entity::find()
        .filter(order::Column::TenantId.eq(tenant))
        .filter(order::Column::State.eq(OrderState::Dispatched.code()))
        .filter(order::Column::RespondBy.lt(now))
        .order_by_asc(order::Column::RespondBy)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_order)
        .collect()
}
