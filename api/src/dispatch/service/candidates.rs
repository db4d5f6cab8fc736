//! The contractors who could take an order, ranked by the domain's rule with the facts behind
//! each place; and passing an order on to the first of them.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use domain::dispatch::{Action, Actor, Candidate, Ranked, rank};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::step::Step;
use crate::dispatch::model::{Contractor, Record, WorkOrder};
use crate::dispatch::store;
use crate::platform::UnitOfWork;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;
use crate::tenancy::compounds;

/// The firms work in China: on-call hours and contract days are Beijing time (UTC+8).
fn local(now: DateTime<Utc>) -> (NaiveDate, u16) {
    let t = now + Duration::hours(8);
    let minute = u16::try_from(t.hour() * 60 + t.minute()).unwrap_or(0);
    (t.date_naive(), minute)
}

/// Every working contractor of the firm, ranked for `order` at `now`.
pub(super) async fn ranked(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    order: &WorkOrder,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Contractor, Ranked)>> {
    let compound = compounds::find(tx, tenant, &Reach::everything(), order.compound_id)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let contractors: Vec<Contractor> = store::all_contractors(tx, tenant)
        .await?
        .into_iter()
        .filter(|c| c.retired_at.is_none())
        .collect();
    let ids: Vec<Uuid> = contractors.iter().map(|c| c.id).collect();
    let records = store::records(tx, tenant, &ids).await?;
    let declined = store::declined(tx, tenant, order.id).await?;
    let (today, minute) = local(now);
    let newcomer = Record::default();
    let candidates = contractors
        .iter()
        .map(|c| {
            let r = records.get(&c.id).unwrap_or(&newcomer);
            Candidate {
                id: c.id,
                has_trade: c.trades.contains(&order.trade),
                covers_compound: c.covers(compound.id, compound.bundle_id),
                contract_active: c.contracts.iter().any(|k| k.covers(today)),
                on_call_now: c.on_call.covers(minute),
                open_jobs: r.open_jobs,
                capacity: c.capacity,
                completed: r.completed,
                completed_on_time: r.completed_on_time,
                ratings: r.ratings,
                rating_sum: r.rating_sum,
                declined: declined.contains(&c.id),
            }
        })
        .collect();
    let mut by_id: std::collections::HashMap<Uuid, Contractor> =
        contractors.into_iter().map(|c| (c.id, c)).collect();
    Ok(rank(candidates, order.priority)
        .into_iter()
        .filter_map(|r| by_id.remove(&r.candidate.id).map(|c| (c, r)))
        .collect())
}

/// Sets the order's contractor and answer deadline (the step is a dispatch), by its
/// compound's rules.
pub(super) async fn assign(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    step: &mut Step,
    contractor: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let rules = store::rules_of(tx, tenant, step.order.compound_id).await?;
    let o = &mut step.order;
    o.contractor_id = Some(contractor);
    o.dispatched_at = Some(now);
    o.respond_by = Some(rules.deadlines.respond_by(o.priority, now));
    Ok(())
}

/// Clears the order's contractor (a decline, a lapse, a reopening).
pub(super) fn unassign(order: &mut WorkOrder) {
    order.contractor_id = None;
    order.dispatched_at = None;
    order.respond_by = None;
}

/// Passes a filed order on to the first eligible contractor, as the server; leaves it filed
/// for the dispatcher when there is none (or the household has still to agree to the cost).
pub(super) async fn pass_on(
    uow: &UnitOfWork,
    order: WorkOrder,
    now: DateTime<Utc>,
) -> AppResult<WorkOrder> {
    if order.awaits_confirmation() {
        return Ok(order);
    }
    let ranking = ranked(uow.tx(), uow.tenant(), &order, now).await?;
    let Some((first, _)) = ranking.into_iter().find(|(_, r)| r.place == Some(1)) else {
        return Ok(order);
    };
    let mut step = Step::begin(order, Action::Dispatch, &[Actor::System])?;
    assign(uow.tx(), uow.tenant(), &mut step, first.id, now).await?;
    // The timeline shows the server's dispatch and the contractor; the reader's language
    // words it.
    step.commit_in(uow, None, None, now).await
}
