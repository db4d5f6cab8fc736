//! Online payment attempts and refunds: their states and the only moves between them.
//!
//! Stripe reports what happened through webhooks delivered at least once, possibly late and
//! out of order. Every report is applied as an event on these machines: a repeated or
//! stale event leaves the state as it is ([`Move::Unchanged`]), so applying the same
//! history in any order and any number of times ends in the same state.

use crate::code::code_enum;

code_enum!(
    /// Where a resident's online payment stands.
    AttemptStatus {
        /// Recorded by us; Stripe's object not yet created.
        Created = "created",
        /// Stripe's PaymentIntent exists; waiting for the payer (and for Stripe's webhook).
        Pending = "pending",
        /// Stripe confirmed the money; the payment is in the ledger.
        Succeeded = "succeeded",
        /// The last try failed; the payer may try again with the same attempt.
        Failed = "failed",
        /// Abandoned; nothing was paid.
        Canceled = "canceled",
        /// All of it was returned to the payer.
        Refunded = "refunded",
        /// The payer's bank disputes the charge.
        Disputed = "disputed",
    }
);

/// What Stripe (or we) reported about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptEvent {
    IntentCreated,
    Succeeded,
    Failed,
    Canceled,
    /// A refund settled; `fully` when nothing of the payment is left.
    Refunded {
        fully: bool,
    },
    Disputed,
}

/// The result of applying an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move<S> {
    /// The state changes to this.
    To(S),
    /// Already there, or the event is stale (e.g. a failure reported after success).
    Unchanged,
}

impl AttemptStatus {
    /// Whether money was received for this attempt (so a payment exists).
    #[must_use]
    pub fn money_received(self) -> bool {
        matches!(self, Self::Succeeded | Self::Refunded | Self::Disputed)
    }

    #[must_use]
    pub fn on(self, event: AttemptEvent) -> Move<Self> {
        use AttemptEvent as E;
        use AttemptStatus as S;
        let next = match (self, event) {
            (S::Created, E::IntentCreated) => S::Pending,
            // A failed try may be followed by a successful one on the same intent.
            (S::Created | S::Pending | S::Failed | S::Canceled, E::Succeeded) => S::Succeeded,
            (S::Created | S::Pending, E::Failed) => S::Failed,
            (S::Created | S::Pending | S::Failed, E::Canceled) => S::Canceled,
            (S::Succeeded, E::Refunded { fully: true }) => S::Refunded,
            (S::Succeeded | S::Refunded, E::Disputed) => S::Disputed,
            _ => return Move::Unchanged,
        };
        if next == self {
            Move::Unchanged
        } else {
            Move::To(next)
        }
    }
}

code_enum!(
    /// Where a refund of an online payment stands.
    RefundStatus {
        /// Asked of Stripe; waiting for Stripe to settle it.
        Pending = "pending",
        /// Settled by Stripe: reversed in the ledger and credited on the invoices.
        Succeeded = "succeeded",
        /// Stripe could not return the money; nothing changed in our books.
        Failed = "failed",
    }
);

impl RefundStatus {
    /// Refunds move only out of `Pending`; a settled refund never changes again.
    #[must_use]
    pub fn settle(self, succeeded: bool) -> Move<Self> {
        match self {
            Self::Pending if succeeded => Move::To(Self::Succeeded),
            Self::Pending => Move::To(Self::Failed),
            Self::Succeeded | Self::Failed => Move::Unchanged,
        }
    }
}

code_enum!(
    /// Where a payout of a committee's fund stands: to the committee's connected Stripe
    /// account, or by bank transfer, proposed by the firm's accountant and decided by a member
    /// of the committee.
    PayoutStatus {
        /// Asked of Stripe; not yet in the ledger.
        Pending = "pending",
        /// Made (by Stripe, or approved by the committee and transferred by the bank); the
        /// ledger records it.
        Paid = "paid",
        /// Stripe refused; nothing left the fund.
        Failed = "failed",
        /// A bank transfer the accountant proposed, awaiting the committee's decision; its
        /// amount is held back from other payouts.
        Proposed = "proposed",
        /// Refused by the committee; nothing left the fund.
        Rejected = "rejected",
    }
);

impl PayoutStatus {
    /// Whether the payout still holds its amount back from other payouts.
    #[must_use]
    pub fn reserves(self) -> bool {
        matches!(self, Self::Pending | Self::Proposed)
    }

    /// The status the committee's decision gives a proposed payout; `None` once decided.
    #[must_use]
    pub fn decided(self, approve: bool) -> Option<Self> {
        match (self, approve) {
            (Self::Proposed, true) => Some(Self::Paid),
            (Self::Proposed, false) => Some(Self::Rejected),
            _ => None,
        }
    }
}

code_enum!(
    /// How a payout leaves the committee fund.
    PayoutChannel {
        /// A Stripe transfer to the committee's connected account.
        Stripe = "stripe",
        /// A bank transfer the firm makes once the committee has approved it.
        BankTransfer = "bank_transfer",
    }
);

#[cfg(test)]
mod payout_tests {
    use super::PayoutStatus as S;

    #[test]
    fn a_payout_is_decided_once_and_only_while_proposed() {
        assert_eq!(S::Proposed.decided(true), Some(S::Paid));
        assert_eq!(S::Proposed.decided(false), Some(S::Rejected));
        for s in [S::Paid, S::Rejected, S::Pending, S::Failed] {
            assert_eq!(s.decided(true), None);
            assert_eq!(s.decided(false), None);
        }
        assert!(S::Proposed.reserves() && S::Pending.reserves());
        assert!(!S::Paid.reserves() && !S::Rejected.reserves() && !S::Failed.reserves());
    }
}

#[cfg(test)]
mod tests {
    use super::AttemptEvent as E;
    use super::AttemptStatus as S;
    use super::*;
    use proptest::prelude::*;

    fn apply(mut s: S, events: &[E]) -> S {
        for e in events {
            if let Move::To(next) = s.on(*e) {
                s = next;
            }
        }
        s
    }

    #[test]
    fn the_happy_path_and_its_repeats() {
        assert_eq!(S::Created.on(E::IntentCreated), Move::To(S::Pending));
        assert_eq!(S::Pending.on(E::Succeeded), Move::To(S::Succeeded));
        assert_eq!(S::Succeeded.on(E::Succeeded), Move::Unchanged);
        assert_eq!(S::Succeeded.on(E::IntentCreated), Move::Unchanged);
    }

    #[test]
    fn a_failure_after_success_is_stale_and_success_after_failure_counts() {
        assert_eq!(S::Succeeded.on(E::Failed), Move::Unchanged);
        assert_eq!(S::Failed.on(E::Succeeded), Move::To(S::Succeeded));
        assert_eq!(S::Refunded.on(E::Succeeded), Move::Unchanged);
    }

    #[test]
    fn refunds_and_disputes_need_money_received() {
        assert_eq!(S::Pending.on(E::Refunded { fully: true }), Move::Unchanged);
        assert_eq!(
            S::Succeeded.on(E::Refunded { fully: false }),
            Move::Unchanged
        );
        assert_eq!(
            S::Succeeded.on(E::Refunded { fully: true }),
            Move::To(S::Refunded)
        );
        assert_eq!(S::Pending.on(E::Disputed), Move::Unchanged);
        assert!(S::Disputed.money_received());
        assert!(!S::Failed.money_received());
    }

    #[test]
    fn settled_refunds_never_change() {
        assert_eq!(
            RefundStatus::Pending.settle(true),
            Move::To(RefundStatus::Succeeded)
        );
        assert_eq!(RefundStatus::Succeeded.settle(false), Move::Unchanged);
        assert_eq!(RefundStatus::Failed.settle(true), Move::Unchanged);
    }

    fn event() -> impl Strategy<Value = E> {
        prop_oneof![
            Just(E::IntentCreated),
            Just(E::Succeeded),
            Just(E::Failed),
            Just(E::Canceled),
            Just(E::Disputed),
        ]
    }

    proptest! {
        /// Delivering every event twice changes nothing beyond delivering it once.
        #[test]
        fn duplicates_change_nothing(events in proptest::collection::vec(event(), 0..12)) {
            let doubled: Vec<E> = events.iter().flat_map(|e| [*e, *e]).collect();
            prop_assert_eq!(apply(S::Created, &events), apply(S::Created, &doubled));
        }

        /// Once money is received, no later event makes it look unpaid.
        #[test]
        fn money_once_received_stays_received(events in proptest::collection::vec(event(), 0..12)) {
            let mut s = apply(S::Created, &[E::IntentCreated, E::Succeeded]);
            for e in events {
                if let Move::To(next) = s.on(e) { s = next; }
                prop_assert!(s.money_received());
            }
        }
    }
}
