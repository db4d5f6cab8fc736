//! Online payment through Stripe: starting a payment, applying what Stripe reports (webhooks
//! and reconciliation alike), and refunds.
//!
//! Stripe is never called inside a database transaction. Our record is written first
//! (attempt or refund), then Stripe is called with an idempotency key derived from that
//! record's id, then the answer is stored. Whatever Stripe reports later is applied in one
//! transaction together with the event's record (whose id is unique: a second delivery
//! rolls back), with the attempt or refund it concerns locked, so a repeated, late or
//! out-of-order report changes nothing the second time. Locks are taken in one order
//! everywhere — refund, attempt, household, then the ledger's chain head at the append —
//! and the firm-wide ledger lock is held only from the append to the commit.

mod apply;
mod attempts;
mod deliveries;
mod gateway;
mod reconcile;
mod refunds;
mod webhooks;

pub use attempts::{attempt, cancel, events, recent, start};
pub use deliveries::Deliveries;
pub use reconcile::{ReconcileReport, reconcile};
pub use refunds::request_refund;
pub use webhooks::{WebhookError, ingest};
