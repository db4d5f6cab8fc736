//! One move of a work order, the same way for every action: the state machine decides, the
//! order is saved only if no one moved it first, the move joins the timeline, and the board
//! hears of it after the commit.

use chrono::{DateTime, Utc};
use domain::dispatch::{Action, Actor, OrderState, TransitionError, transition};
use domain::event::Event;
use serde_json::json;
use uuid::Uuid;

use crate::dispatch::model::{TimelineEntry, WorkOrder};
use crate::dispatch::store;
use crate::platform::UnitOfWork;
use crate::platform::error::{AppError, AppResult};

/// What the person sees when someone else moved the order first.
const MOVED: &str = "this work order was changed by someone else a moment ago: reload it";

/// What the board and the order's people hear of `o` once the change (by `action`, if a move)
/// commits.
pub(super) fn changed(
    o: &WorkOrder,
    contractor_was: Option<Uuid>,
    action: Option<Action>,
) -> Event {
    Event::WorkOrderChanged {
        order: o.id,
        number: o.number,
        action,
        compound: o.compound_id,
        state: o.state,
        contractor: o.contractor_id.or(contractor_was),
        reporter: o.reported_by,
        household: o.household_id,
    }
}

/// An order being moved: as it was read, and as it will be saved.
pub(super) struct Step {
    pub order: WorkOrder,
    was: OrderState,
    seen: DateTime<Utc>,
    pub actor: Actor,
    action: Action,
    /// Who held it before (the timeline names who declined or let it lapse).
    contractor_was: Option<Uuid>,
}

fn refused(e: TransitionError) -> AppError {
    match e {
        TransitionError::Invalid { .. } => AppError::conflict("state", e.to_string()),
        TransitionError::NotYours(_) => AppError::forbidden(e.to_string()),
    }
}

impl Step {
    /// Begins `action` on `order` as the first of `parts` the machine allows; the order's
    /// state is already the new one.
    pub fn begin(mut order: WorkOrder, action: Action, parts: &[Actor]) -> AppResult<Self> {
        let mut first_refusal = None;
        for &actor in parts {
            match transition(order.state, action, actor) {
                Ok(to) => {
                    let (was, seen) = (order.state, order.updated_at);
                    let contractor_was = order.contractor_id;
                    order.state = to;
                    return Ok(Self {
                        order,
                        was,
                        seen,
                        actor,
                        action,
                        contractor_was,
                    });
                }
                Err(e) => {
                    first_refusal.get_or_insert(e);
                }
            }
        }
        Err(first_refusal.map_or_else(
            || AppError::forbidden("you may read this work order but not change it"),
            refused,
        ))
    }

    /// Saves the order, appends the timeline entry and queues the audit and the event.
    pub async fn commit_in(
        mut self,
        uow: &UnitOfWork,
        actor_id: Option<Uuid>,
        note: Option<String>,
        at: DateTime<Utc>,
    ) -> AppResult<WorkOrder> {
        self.order.updated_at = at.max(self.seen + chrono::Duration::microseconds(1));
        let tenant = uow.tenant();
        if !store::save(uow.tx(), tenant, &self.order, self.was, self.seen).await? {
            return Err(AppError::conflict("state", MOVED));
        }
        let entry = TimelineEntry {
            seq: 0,
            action: self.action,
            from: Some(self.was),
            to: self.order.state,
            at,
            actor_id,
            actor: self.actor,
            contractor_id: self.order.contractor_id.or(self.contractor_was),
            note,
        };
        store::append(uow.tx(), tenant, self.order.id, &entry).await?;
        uow.audit_by(
            actor_id,
            "work_order.move",
            "work_order",
            self.order.id,
            json!({ "action": self.action.code(), "from": self.was.code(), "to": self.order.state.code() }),
        );
        uow.publish(changed(&self.order, self.contractor_was, Some(self.action)));
        Ok(self.order)
    }
}
