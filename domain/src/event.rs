//! What happened, as other areas and live subscribers (dispatch's board, the console's
//! notifications) hear of it. A unit of work publishes its events only after it commits, so
//! an event is never heard of a change that was rolled back.

use uuid::Uuid;

use crate::Money;
use crate::billing::GrantStatus;

/// One committed change, within the firm it is published to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Staff recorded money received from a household.
    PaymentRecorded {
        payment: Uuid,
        household: Uuid,
        amount: Money,
    },
    /// A recorded payment was reversed (entered in error, a bounced transfer).
    PaymentReversed { payment: Uuid, household: Uuid },
    /// A credit note reduced what a household owes on an invoice.
    CreditNoteIssued {
        credit_note: Uuid,
        invoice: Uuid,
        amount: Money,
    },
    /// A billing run issued invoices.
    InvoicesIssued { run: Uuid, invoices: u64 },
    /// A billing run started, committed a batch, or finished (staff follow its progress).
    BillingRunProgressed { run: Uuid },
    /// A waiver was approved, rejected or revoked.
    WaiverDecided { grant: Uuid, status: GrantStatus },
    /// The accountant posted an adjustment or reversed an entry.
    LedgerAdjusted { entry: Uuid, compound: Uuid },
    /// An online payment succeeded and was allocated.
    OnlinePaymentSucceeded { attempt: Uuid, household: Uuid },
    /// A payout of a committee fund reached its end (paid or failed).
    PayoutSettled { payout: Uuid, compound: Uuid },
    /// A work order was reported or moved (the dispatcher's board and the reporter's
    /// timeline listen).
    WorkOrderChanged {
        order: Uuid,
        /// Its number within the firm, as people name it.
        number: u64,
        /// The move that changed it; none when a photo was added.
        action: Option<crate::dispatch::Action>,
        compound: Uuid,
        state: crate::dispatch::OrderState,
        /// Who holds it, or held it until this change (a decline, a lapse).
        contractor: Option<Uuid>,
        reporter: Uuid,
        household: Option<Uuid>,
    },
    /// Who may do or see what in the firm changed: a role granted or taken away, a
    /// committee term, a sign-out, a compound added to a bundle. Servers forget the firm's
    /// signed-in sessions they hold, so the next request of each is checked afresh.
    AccessChanged,
}
