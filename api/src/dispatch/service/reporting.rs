//! Reporting a repair or a problem: by a resident (their household or a common area of their
//! compound), a grid worker, a dispatcher or a committee member. The order is numbered in the
//! firm and its resolution deadline set by its priority.

use domain::Role;
use domain::dispatch::{Action, Actor, LocationKind, OrderState, Priority, Trade};
use domain::text::optional;
use sea_orm::DatabaseTransaction;
use serde_json::json;
use uuid::Uuid;

use super::step::changed;
use crate::dispatch::model::{TimelineEntry, WorkOrder};
use crate::dispatch::store;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{buildings, compounds, households};

pub struct ReportInput {
    pub compound: Option<Uuid>,
    pub household: Option<Uuid>,
    pub location_kind: LocationKind,
    /// Where, for anything but a household (the household's address is filled in).
    pub location: Option<String>,
    pub trade: Trade,
    pub priority: Priority,
    pub description: String,
}

/// Reports a problem; it waits for a dispatcher to file it.
#[tracing::instrument(name = "dispatch.report", skip_all)]
pub async fn report(db: &Db, ctx: &RequestContext, input: ReportInput) -> AppResult<WorkOrder> {
    if ctx
        .principal
        .grants
        .iter()
        .all(|g| g.role == Role::Contractor)
    {
        return Err(AppError::forbidden(
            "contractors take work orders; a dispatcher or resident reports them",
        ));
    }
    let description = optional(Some(&input.description), 2000)
        .field("description")?
        .ok_or_else(|| AppError::bad_input("description", "say what is wrong"))?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let (compound, location) = place(tx, ctx, &input).await?;
    let at = db.clock().now();
    let order = WorkOrder {
        id: domain::new_id(),
        number: store::next_number(tx, ctx.tenant_id).await?,
        compound_id: compound,
        household_id: input.household,
        location_kind: input.location_kind,
        location,
        trade: input.trade,
        priority: input.priority,
        description,
        state: OrderState::Reported,
        rejected_as: None,
        reported_by: ctx.user_id(),
        reported_at: at,
        resolve_by: store::rules_of(tx, ctx.tenant_id, compound)
            .await?
            .deadlines
            .resolve_by(input.priority, at),
        bearer: None,
        estimate: None,
        confirm_required: false,
        charge_confirmed_at: None,
        contractor_id: None,
        dispatched_at: None,
        respond_by: None,
        completed_at: None,
        cost: None,
        rating: None,
        rating_comment: None,
        reopened: 0,
        closed_at: None,
        overdue_noted_at: None,
        updated_at: at,
    };
    store::insert_order(tx, ctx.tenant_id, &order).await?;
    let entry = TimelineEntry {
        seq: 0,
        action: Action::Report,
        from: None,
        to: OrderState::Reported,
        at,
        actor_id: Some(ctx.user_id()),
        actor: Actor::Reporter,
        contractor_id: None,
        note: None,
    };
    store::append(tx, ctx.tenant_id, order.id, &entry).await?;
    uow.audit(
        "work_order.report",
        "work_order",
        order.id,
        json!({ "number": order.number, "compound": compound }),
    );
    uow.publish(changed(&order, None, Some(Action::Report)));
    uow.commit().await?;
    Ok(order)
}

/// The order's compound and its location in words, checked against what the caller reaches:
/// a household must be one they may see (a resident: their own), a common area one of their
/// compounds.
async fn place(
    tx: &DatabaseTransaction,
    ctx: &RequestContext,
    input: &ReportInput,
) -> AppResult<(Uuid, String)> {
    let (compound, location) = if input.location_kind == LocationKind::Household {
        let id = input.household.ok_or_else(|| {
            AppError::bad_input("householdId", "name the household the repair is for")
        })?;
        let h = households::find(tx, ctx.tenant_id, &ctx.reach, id)
            .await?
            .ok_or(AppError::NotFound("household"))?;
        if input.compound.is_some_and(|c| c != h.compound_id) {
            return Err(AppError::bad_input(
                "compoundId",
                "the household is in another compound",
            ));
        }
        let building = buildings::find_many(tx, ctx.tenant_id, &[h.building_id])
            .await?
            .pop()
            .map(|b| b.label)
            .unwrap_or_default();
        let address = [building.as_str(), &h.unit_label, &h.room_label]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        (h.compound_id, address)
    } else {
        if input.household.is_some() {
            return Err(AppError::bad_input(
                "householdId",
                "a common area has no household: choose the location kind 'household'",
            ));
        }
        let compound = input.compound.ok_or_else(|| {
            AppError::bad_input("compoundId", "name the compound the problem is in")
        })?;
        let location = optional(input.location.as_deref(), 200)
            .field("location")?
            .ok_or_else(|| AppError::bad_input("location", "say where it is"))?;
        (compound, location)
    };
    let found = compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    if found.archived_at.is_some() {
        return Err(AppError::bad_input(
            "compoundId",
            format!("{} is archived", found.name),
        ));
    }
    Ok((compound, location))
}
