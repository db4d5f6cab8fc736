//! Each order's timeline: one row per thing anyone did to it, numbered, never changed.

use domain::dispatch::Action;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::codes;
use crate::dispatch::model::TimelineEntry;
use crate::platform::schema::work_order_event as event;

/// Appends `e` as the order's next entry (its `seq` is given here).
pub async fn append(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    order: Uuid,
    e: &TimelineEntry,
) -> Result<(), DbErr> {
    let last: Option<i32> = event::Entity::find()
        .select_only()
        .column_as(event::Column::Seq.max(), "last")
        .filter(event::Column::TenantId.eq(tenant))
        .filter(event::Column::OrderId.eq(order))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    event::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(e.at),
        order_id: Set(order),
        seq: Set(last.unwrap_or(0) + 1),
        action: Set(e.action.code().to_owned()),
        from_state: Set(e.from.map(|s| s.code().to_owned())),
        to_state: Set(e.to.code().to_owned()),
        at: Set(e.at),
        actor_id: Set(e.actor_id),
        actor_role: Set(e.actor.code().to_owned()),
        contractor_id: Set(e.contractor_id),
        note: Set(e.note.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An order's timeline, first entry first.
pub async fn timeline(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    order: Uuid,
) -> Result<Vec<TimelineEntry>, DbErr> {
    event::Entity::find()
        .filter(event::Column::TenantId.eq(tenant))
        .filter(event::Column::OrderId.eq(order))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(TimelineEntry {
                seq: codes::count(i64::from(m.seq), "timeline seq")?,
                action: codes::action(&m.action)?,
                from: m.from_state.as_deref().map(codes::state).transpose()?,
                to: codes::state(&m.to_state)?,
                at: m.at,
                actor_id: m.actor_id,
                actor: codes::actor(&m.actor_role)?,
                contractor_id: m.contractor_id,
                note: m.note,
            })
        })
        .collect()
}

/// The contractors who declined (or let lapse) `order`.
pub async fn declined(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    order: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    let ids: Vec<Option<Uuid>> = event::Entity::find()
        .select_only()
        .column(event::Column::ContractorId)
        .filter(event::Column::TenantId.eq(tenant))
        .filter(event::Column::OrderId.eq(order))
        .filter(event::Column::Action.is_in([Action::Decline.code(), Action::Escalate.code()]))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().flatten().collect())
}
