//! Moving a work order along its life: each use case here is one action of the state
//! machine, with what that action needs (a bearer at filing, a contractor at dispatch, a cost
//! at completion) and what it leaves (the contractor's cost in the ledger at verification).

use chrono::{Duration, Utc};
use domain::Money;
use domain::dispatch::{Action, Bearer, Ineligible, Priority, REOPEN_DAYS, RejectReason, Trade};
use domain::ledger::{CostBearer, rules};
use domain::text::optional;
use uuid::Uuid;

use super::candidates::{assign, pass_on, ranked, unassign};
use super::parts::readable;
use super::step::Step;
use crate::dispatch::model::{ContractorCost, RepairCharge, WorkOrder};
use crate::dispatch::store;
use crate::ledger::NewEntry;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

async fn begin(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    action: Action,
) -> AppResult<(UnitOfWork, Step)> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let (order, parts) = readable(uow.tx(), ctx, id).await?;
    let step = Step::begin(order, action, &parts)?;
    Ok((uow, step))
}

async fn finish(
    db: &Db,
    ctx: &RequestContext,
    uow: UnitOfWork,
    step: Step,
    note: Option<String>,
) -> AppResult<WorkOrder> {
    let order = step
        .commit_in(&uow, Some(ctx.user_id()), note, db.clock().now())
        .await?;
    uow.commit().await?;
    Ok(order)
}

/// A person's note on a move, at most 500 characters; `why` makes it required.
fn note(raw: Option<String>, why: Option<&str>) -> AppResult<Option<String>> {
    let note = optional(raw.as_deref(), 500).field("note")?;
    match (note, why) {
        (None, Some(why)) => Err(AppError::bad_input("note", why)),
        (note, _) => Ok(note),
    }
}

/// A plain move with an optional note: the contractor accepts or starts.
pub async fn simple(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    action: Action,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    debug_assert!(matches!(action, Action::Accept | Action::Start));
    let text = note(raw_note, None)?;
    let (uow, step) = begin(db, ctx, id, action).await?;
    finish(db, ctx, uow, step, text).await
}

/// The work is checked and done: its cost goes to the ledger at the commit.
pub async fn verify(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, None)?;
    let (uow, step) = begin(db, ctx, id, Action::Verify).await?;
    post_cost(&uow, &step.order, db.clock().now(), ctx.user_id()).await?;
    finish(db, ctx, uow, step, text).await
}

/// The dispatcher closes a verified order.
pub async fn close(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, None)?;
    let (uow, mut step) = begin(db, ctx, id, Action::Close).await?;
    step.order.closed_at = Some(db.clock().now());
    finish(db, ctx, uow, step, text).await
}

pub struct Filing {
    pub trade: Trade,
    pub priority: Priority,
    pub bearer: Bearer,
    /// Required when the household bears the cost.
    pub estimate: Option<Money>,
    pub note: Option<String>,
}

/// Files a report as a job: its trade and priority as the dispatcher judges them, and who
/// bears the cost (a household only for an order on a household, with an estimate it sees
/// before work starts).
#[tracing::instrument(name = "dispatch.file", skip_all)]
pub async fn file(db: &Db, ctx: &RequestContext, id: Uuid, f: Filing) -> AppResult<WorkOrder> {
    let text = note(f.note, None)?;
    let (uow, mut step) = begin(db, ctx, id, Action::File).await?;
    let policy = store::rules_of(uow.tx(), ctx.tenant_id, step.order.compound_id).await?;
    let o = &mut step.order;
    if f.bearer == Bearer::Household {
        if o.household_id.is_none() {
            return Err(AppError::bad_input(
                "bearer",
                "only an order on a household can be charged to a household",
            ));
        }
        if f.estimate.is_none() {
            return Err(AppError::bad_input(
                "estimate",
                "give the household an estimate of what it will pay",
            ));
        }
    }
    o.trade = f.trade;
    o.priority = f.priority;
    o.bearer = Some(f.bearer);
    o.estimate = f.estimate;
    o.confirm_required =
        f.bearer == Bearer::Household && f.estimate.is_some_and(|e| policy.needs_confirmation(e));
    o.resolve_by = policy.deadlines.resolve_by(f.priority, o.reported_at);
    finish(db, ctx, uow, step, text).await
}

/// Rejects a report as a duplicate or out of scope.
pub async fn reject(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    reason: RejectReason,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, None)?;
    let (uow, mut step) = begin(db, ctx, id, Action::Reject).await?;
    step.order.rejected_as = Some(reason);
    finish(db, ctx, uow, step, text).await
}

/// Dispatches an order to `contractor`, or to the first of the ranking when none is named.
/// The dispatcher may pass over the ranking and over a full or off-call contractor, but not
/// send the order to one without the trade, the area or a contract, or who declined it.
#[tracing::instrument(name = "dispatch.dispatch", skip_all)]
pub async fn dispatch(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    contractor: Option<Uuid>,
) -> AppResult<WorkOrder> {
    let (uow, mut step) = begin(db, ctx, id, Action::Dispatch).await?;
    if step.order.awaits_confirmation() {
        return Err(AppError::conflict(
            "bearer",
            "the household has not yet agreed to bear the estimated cost",
        ));
    }
    let now = db.clock().now();
    let ranking = ranked(uow.tx(), ctx.tenant_id, &step.order, now).await?;
    let chosen = match contractor {
        None => ranking
            .into_iter()
            .find(|(_, r)| r.place == Some(1))
            .ok_or_else(|| {
                AppError::bad_input(
                    "contractorId",
                    "no contractor can take this order now: choose one, or add a contract",
                )
            })?,
        Some(id) => ranking
            .into_iter()
            .find(|(c, _)| c.id == id)
            .ok_or(AppError::NotFound("contractor"))?,
    };
    let (c, r) = chosen;
    if let Some(why) = r.ineligible.iter().find(|i| i.is_hard()) {
        return Err(AppError::bad_input(
            "contractorId",
            format!("{} cannot take this order: {}", c.name, why_not(*why)),
        ));
    }
    if step.order.contractor_id == Some(c.id) {
        return Err(AppError::bad_input(
            "contractorId",
            "the order is already with this contractor",
        ));
    }
    assign(uow.tx(), ctx.tenant_id, &mut step, c.id, now).await?;
    finish(db, ctx, uow, step, None).await
}

/// The contractor declines, saying why; the order goes to the next in the ranking (or back to
/// the dispatcher when there is none).
pub async fn decline(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, Some("say why you cannot take it"))?;
    let (uow, mut step) = begin(db, ctx, id, Action::Decline).await?;
    unassign(&mut step.order);
    let now = db.clock().now();
    let order = step.commit_in(&uow, Some(ctx.user_id()), text, now).await?;
    let order = pass_on(&uow, order, now).await?;
    uow.commit().await?;
    Ok(order)
}

/// The contractor finishes, with the cost; for a household's charge no more than the estimate
/// it was shown. Work on a reopened order may cost nothing: the contractor puts right what
/// they were paid for.
pub async fn complete(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    cost: Money,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, None)?;
    if cost < Money::ZERO {
        return Err(AppError::bad_input("cost", "cannot be negative"));
    }
    let (uow, mut step) = begin(db, ctx, id, Action::Complete).await?;
    let o = &mut step.order;
    if cost.is_zero() && o.reopened == 0 {
        return Err(AppError::bad_input("cost", "must be more than zero"));
    }
    if let (Some(Bearer::Household), Some(estimate)) = (o.bearer, o.estimate)
        && cost > estimate
    {
        return Err(AppError::bad_input(
            "cost",
            format!("the household agreed to at most {estimate}: ask the dispatcher to re-file"),
        ));
    }
    // A free round is stored without a cost: nothing is owed for it.
    o.cost = cost.is_positive().then_some(cost);
    o.completed_at = Some(db.clock().now());
    finish(db, ctx, uow, step, text).await
}

/// The work is not done as it should be: back to the contractor, saying why.
pub async fn send_back(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, Some("say what is still wrong"))?;
    let (uow, mut step) = begin(db, ctx, id, Action::SendBack).await?;
    step.order.completed_at = None;
    finish(db, ctx, uow, step, text).await
}

/// Reopens a verified or closed order within the window: it is filed again, to be dispatched
/// anew, with a fresh deadline.
pub async fn reopen(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, Some("say what went wrong"))?;
    let (uow, mut step) = begin(db, ctx, id, Action::Reopen).await?;
    let now = db.clock().now();
    let policy = store::rules_of(uow.tx(), ctx.tenant_id, step.order.compound_id).await?;
    let o = &mut step.order;
    if now > o.updated_at + Duration::days(REOPEN_DAYS) {
        return Err(AppError::conflict(
            "state",
            format!(
                "an order can be reopened for {REOPEN_DAYS} days after it was last changed: report it anew"
            ),
        ));
    }
    unassign(o);
    o.completed_at = None;
    o.closed_at = None;
    o.overdue_noted_at = None;
    o.cost = None;
    o.reopened += 1;
    o.resolve_by = policy.deadlines.resolve_by(o.priority, now);
    finish(db, ctx, uow, step, text).await
}

/// Cancels an order, saying why.
pub async fn cancel(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    raw_note: Option<String>,
) -> AppResult<WorkOrder> {
    let text = note(raw_note, Some("say why it is cancelled"))?;
    let (uow, step) = begin(db, ctx, id, Action::Cancel).await?;
    finish(db, ctx, uow, step, text).await
}

/// The household agrees to bear the estimated cost; the order may then be dispatched.
pub async fn confirm_charge(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<WorkOrder> {
    let (uow, mut step) = begin(db, ctx, id, Action::ConfirmCharge).await?;
    let o = &mut step.order;
    if !o.confirm_required {
        return Err(AppError::conflict(
            "bearer",
            "this order asks nothing of the household",
        ));
    }
    if o.charge_confirmed_at.is_some() {
        return Err(AppError::conflict("bearer", "already agreed"));
    }
    o.charge_confirmed_at = Some(db.clock().now());
    finish(db, ctx, uow, step, None).await
}

/// The reporter rates the work once it is verified: 1 to 5 stars and a comment.
pub async fn rate(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    stars: i32,
    comment: Option<String>,
) -> AppResult<WorkOrder> {
    let stars = u8::try_from(stars)
        .ok()
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| AppError::bad_input("stars", "give 1 to 5 stars"))?;
    let comment = optional(comment.as_deref(), 500).field("comment")?;
    let (uow, mut step) = begin(db, ctx, id, Action::Rate).await?;
    let o = &mut step.order;
    if o.rating.is_some() {
        return Err(AppError::conflict(
            "stars",
            "this work has been rated already",
        ));
    }
    o.rating = Some(stars);
    o.rating_comment.clone_from(&comment);
    finish(db, ctx, uow, step, comment).await
}

/// The contractor's cost, owed to them and charged to whoever bears it, queued for the
/// ledger at the commit of the verification; kept as what the firm owes the contractor until
/// a payment settles it, and a household's share as a charge its next invoice bills. A round that cost nothing (a reopened order put right) posts
/// nothing.
async fn post_cost(
    uow: &UnitOfWork,
    o: &WorkOrder,
    at: chrono::DateTime<Utc>,
    actor: Uuid,
) -> AppResult<()> {
    let (Some(cost), Some(bearer)) = (o.cost, o.bearer) else {
        if o.reopened > 0 && o.bearer.is_some() {
            return Ok(());
        }
        return Err(AppError::conflict("cost", "the order has no cost to post"));
    };
    let bearer = match (bearer, o.household_id) {
        (Bearer::CompoundBudget, _) => CostBearer::CompoundBudget,
        (Bearer::MaintenanceFund, _) => CostBearer::MaintenanceFund,
        (Bearer::Household, Some(h)) => CostBearer::Household(h),
        (Bearer::Household, None) => {
            return Err(AppError::conflict("bearer", "the order has no household"));
        }
    };
    let entry = rules::contractor_cost(o.compound_id, bearer, cost).field("cost")?;
    let round = i32::try_from(o.reopened).map_err(AppError::internal)?;
    if let CostBearer::Household(household_id) = bearer {
        let charge = RepairCharge {
            id: domain::new_id(),
            order_id: o.id,
            round,
            household_id,
            amount: cost,
        };
        store::insert_charge(uow.tx(), uow.tenant(), &charge, at).await?;
    }
    if let Some(contractor_id) = o.contractor_id {
        let owed = ContractorCost {
            id: domain::new_id(),
            order_id: o.id,
            order_number: o.number,
            round,
            contractor_id,
            compound_id: o.compound_id,
            amount: cost,
            verified_at: at,
            paid_by: None,
        };
        store::insert_cost(uow.tx(), uow.tenant(), &owed).await?;
    }
    crate::ledger::queue(
        uow,
        vec![NewEntry {
            entry,
            occurred_at: at,
            idempotency_key: format!("work-order:{}:cost:{round}", o.id),
            memo: format!("工单 No.{} 维修费（{}）", o.number, o.trade.code()),
            actor: Some(actor),
            reverses: None,
        }],
    );
    Ok(())
}

/// Why a contractor may not take an order, in words (the console words it from the ranking's
/// own codes; this is the API's message).
fn why_not(why: Ineligible) -> &'static str {
    match why {
        Ineligible::Trade => "they do not do this trade",
        Ineligible::Area => "the compound is outside their service area",
        Ineligible::Contract => "they have no contract in force",
        Ineligible::OffCall => "they are off call",
        Ineligible::Full => "they have as many open jobs as they can take",
        Ineligible::Declined => "they declined this order",
    }
}
