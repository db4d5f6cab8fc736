//! A work order's states and the one table of which action moves it from which state, by whom.

use crate::code::code_enum;

code_enum!(
    /// Where a work order stands.
    OrderState {
        /// Reported by a resident, a grid worker, a patrol or a committee member.
        Reported = "reported",
        /// Accepted as a job (立案): trade, priority and who bears the cost are set.
        Filed = "filed",
        /// Not taken on: a duplicate or out of scope (terminal).
        Rejected = "rejected",
        /// Sent to a contractor, who has not answered yet.
        Dispatched = "dispatched",
        Accepted = "accepted",
        InProgress = "in_progress",
        /// The contractor says it is done, with its cost.
        Completed = "completed",
        /// Staff or the reporter checked the work.
        Verified = "verified",
        Closed = "closed",
        Cancelled = "cancelled",
    }
);

impl OrderState {
    /// Nothing more happens to it (but a closed order may be reopened within the window).
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, Self::Rejected | Self::Closed | Self::Cancelled)
    }

    /// A contractor holds it: it counts against their capacity.
    #[must_use]
    pub fn is_held(self) -> bool {
        matches!(self, Self::Dispatched | Self::Accepted | Self::InProgress)
    }
}

code_enum!(
    /// What someone does to a work order; each is one entry of its timeline.
    Action {
        Report = "report",
        File = "file",
        Reject = "reject",
        Dispatch = "dispatch",
        Accept = "accept",
        Decline = "decline",
        Start = "start",
        Complete = "complete",
        Verify = "verify",
        /// The work was checked and found not done: back to the contractor.
        SendBack = "send_back",
        Close = "close",
        Reopen = "reopen",
        Cancel = "cancel",
        /// The reporter agreed to bear the cost estimated at filing.
        ConfirmCharge = "confirm_charge",
        Rate = "rate",
        /// The contractor did not answer in time; the order went to the next candidate.
        Escalate = "escalate",
        /// The order passed its resolution deadline unfinished; the dispatcher is alerted.
        Overdue = "overdue",
    }
);

code_enum!(
    /// The part a person plays on one order (a person may play several).
    Actor {
        /// A dispatcher or administrator whose scope holds the order's compound.
        Dispatcher = "dispatcher",
        /// The contractor the order is dispatched to.
        Contractor = "contractor",
        /// Whoever reported it, or the household it is for.
        Reporter = "reporter",
        /// The server itself (redispatching an order no one answered).
        System = "system",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{action} is not possible on a work order that is {from}")]
    Invalid { from: OrderState, action: Action },
    #[error("only {0} may do this")]
    NotYours(&'static str),
}

/// The state after `action`, or why it may not happen. One table for the whole machine.
pub fn transition(
    from: OrderState,
    action: Action,
    actor: Actor,
) -> Result<OrderState, TransitionError> {
    use Action as A;
    use OrderState as S;
    let (to, who): (OrderState, &[Actor]) = match (from, action) {
        (S::Reported, A::File) => (S::Filed, &[Actor::Dispatcher]),
        (S::Reported, A::Reject) => (S::Rejected, &[Actor::Dispatcher]),
        (S::Filed, A::Dispatch) if actor == Actor::System => (S::Dispatched, &[Actor::System]),
        // Reassigning a dispatched or accepted order is the dispatcher's override.
        (S::Filed | S::Dispatched | S::Accepted, A::Dispatch) => {
            (S::Dispatched, &[Actor::Dispatcher])
        }
        (S::Dispatched, A::Escalate) => (S::Filed, &[Actor::System]),
        (S::Reported | S::Filed | S::Dispatched | S::Accepted | S::InProgress, A::Overdue) => {
            (from, &[Actor::System])
        }
        (S::Dispatched, A::Accept) => (S::Accepted, &[Actor::Contractor]),
        (S::Dispatched, A::Decline) => (S::Filed, &[Actor::Contractor]),
        (S::Accepted, A::Start) => (S::InProgress, &[Actor::Contractor]),
        (S::InProgress, A::Complete) => (S::Completed, &[Actor::Contractor]),
        (S::Completed, A::Verify) => (S::Verified, &[Actor::Dispatcher, Actor::Reporter]),
        (S::Completed, A::SendBack) => (S::InProgress, &[Actor::Dispatcher, Actor::Reporter]),
        (S::Verified, A::Close) => (S::Closed, &[Actor::Dispatcher]),
        (S::Verified | S::Closed, A::Reopen) => (S::Filed, &[Actor::Dispatcher, Actor::Reporter]),
        (S::Filed | S::Dispatched, A::ConfirmCharge) => (from, &[Actor::Reporter]),
        (S::Verified | S::Closed, A::Rate) => (from, &[Actor::Reporter]),
        (S::Reported | S::Filed, A::Cancel) => {
            (S::Cancelled, &[Actor::Dispatcher, Actor::Reporter])
        }
        (S::Dispatched | S::Accepted | S::InProgress, A::Cancel) => {
            (S::Cancelled, &[Actor::Dispatcher])
        }
        _ => return Err(TransitionError::Invalid { from, action }),
    };
    if who.contains(&actor) {
        Ok(to)
    } else {
        Err(TransitionError::NotYours(match who {
            [Actor::Contractor] => "the contractor it is dispatched to",
            [Actor::Reporter] => "the person who reported it",
            [Actor::Dispatcher] => "a dispatcher",
            [Actor::System] => "the server",
            _ => "a dispatcher or the person who reported it",
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_runs_from_report_to_close() -> Result<(), TransitionError> {
        let steps = [
            (Action::File, Actor::Dispatcher, OrderState::Filed),
            (Action::Dispatch, Actor::Dispatcher, OrderState::Dispatched),
            (Action::Accept, Actor::Contractor, OrderState::Accepted),
            (Action::Start, Actor::Contractor, OrderState::InProgress),
            (Action::Complete, Actor::Contractor, OrderState::Completed),
            (Action::Verify, Actor::Reporter, OrderState::Verified),
            (Action::Close, Actor::Dispatcher, OrderState::Closed),
        ];
        let mut state = OrderState::Reported;
        for (action, actor, expected) in steps {
            state = transition(state, action, actor)?;
            assert_eq!(state, expected);
        }
        assert!(state.is_final());
        Ok(())
    }

    #[test]
    fn a_lapsed_dispatch_goes_back_and_the_server_passes_it_on() {
        let s = transition(OrderState::Dispatched, Action::Escalate, Actor::System);
        assert_eq!(s, Ok(OrderState::Filed));
        let s = transition(OrderState::Filed, Action::Dispatch, Actor::System);
        assert_eq!(s, Ok(OrderState::Dispatched));
        assert!(transition(OrderState::Filed, Action::Dispatch, Actor::Dispatcher).is_ok());
        assert!(transition(OrderState::Dispatched, Action::Escalate, Actor::Dispatcher).is_err());
    }

    #[test]
    fn a_decline_returns_the_order_for_redispatch() {
        let s = transition(OrderState::Dispatched, Action::Decline, Actor::Contractor);
        assert_eq!(s, Ok(OrderState::Filed));
    }

    #[test]
    fn nothing_moves_a_final_order_but_reopening_a_closed_one() {
        for from in [
            OrderState::Rejected,
            OrderState::Cancelled,
            OrderState::Closed,
        ] {
            for &action in Action::ALL {
                for actor in [Actor::Dispatcher, Actor::Contractor, Actor::Reporter] {
                    let allowed = transition(from, action, actor).is_ok();
                    let expected = from == OrderState::Closed
                        && match action {
                            Action::Reopen => actor != Actor::Contractor,
                            Action::Rate => actor == Actor::Reporter,
                            _ => false,
                        };
                    assert_eq!(allowed, expected, "{from} {action} by {actor:?}");
                }
            }
        }
    }

    #[test]
    fn the_wrong_person_is_told_who_may() {
        assert_eq!(
            transition(OrderState::Dispatched, Action::Accept, Actor::Dispatcher),
            Err(TransitionError::NotYours(
                "the contractor it is dispatched to"
            ))
        );
        assert_eq!(
            transition(OrderState::InProgress, Action::Cancel, Actor::Reporter),
            Err(TransitionError::NotYours("a dispatcher"))
        );
        assert!(matches!(
            transition(OrderState::Reported, Action::Complete, Actor::Contractor),
            Err(TransitionError::Invalid { .. })
        ));
    }
}
