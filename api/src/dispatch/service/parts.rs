//! Who a caller is on one order — its dispatcher, its contractor, its reporter — and whether
//! they may read it at all. Decided here once; the state machine then says what each part
//! may do.

use domain::Event;
use domain::dispatch::Actor;
use sea_orm::ConnectionTrait;

use crate::dispatch::model::WorkOrder;
use crate::dispatch::store;
use crate::platform::RequestContext;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;
use crate::tenancy::compounds;
use uuid::Uuid;

/// The parts the caller plays on `order`, the dispatcher's first.
pub(super) async fn parts(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    order: &WorkOrder,
) -> AppResult<Vec<Actor>> {
    let p = &ctx.principal;
    let mut parts = Vec::new();
    let compound = compounds::find(tx, ctx.tenant_id, &Reach::everything(), order.compound_id)
        .await?
        .ok_or(AppError::NotFound("work order"))?;
    if p.dispatches_in(compound.id, compound.bundle_id) {
        parts.push(Actor::Dispatcher);
    }
    if order
        .contractor_id
        .is_some_and(|c| p.contractors().contains(&c))
    {
        parts.push(Actor::Contractor);
    }
    if order.reported_by == ctx.user_id() || order.household_id.is_some_and(|h| p.lives_in(h)) {
        parts.push(Actor::Reporter);
    }
    Ok(parts)
}

/// Firm staff and committee members read the orders of the compounds they reach.
fn reads_compound(ctx: &RequestContext, compound: Uuid) -> bool {
    ctx.principal
        .grants
        .iter()
        .any(|g| g.role.is_staff() || g.role == domain::Role::CommitteeMember)
        && ctx.reach.sees_compound(compound)
}

/// Whether the caller may read `order`: any part on it, or staff and committee members whose
/// reach holds its compound.
pub(super) fn may_read(ctx: &RequestContext, order: &WorkOrder, parts: &[Actor]) -> bool {
    !parts.is_empty() || reads_compound(ctx, order.compound_id)
}

/// Whether the caller hears of a change to an order: the same people as may read it, told
/// from the event alone (its contractor before and after, its reporter, its household).
#[must_use]
pub fn hears(ctx: &RequestContext, event: &Event) -> bool {
    let Event::WorkOrderChanged {
        compound,
        contractor,
        reporter,
        household,
        ..
    } = event
    else {
        return false;
    };
    let p = &ctx.principal;
    *reporter == ctx.user_id()
        || household.is_some_and(|h| p.lives_in(h))
        || contractor.is_some_and(|c| p.contractors().contains(&c))
        || reads_compound(ctx, *compound)
}

/// The order with this id and the caller's parts on it; not found when they may not read it
/// (another firm's id, or an order outside their reach, reads as no order at all).
pub(super) async fn readable(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: uuid::Uuid,
) -> AppResult<(WorkOrder, Vec<Actor>)> {
    let order = store::find_order(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("work order"))?;
    let parts = parts(tx, ctx, &order).await?;
    if may_read(ctx, &order, &parts) {
        Ok((order, parts))
    } else {
        Err(AppError::NotFound("work order"))
    }
}
