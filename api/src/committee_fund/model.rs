//! The plain records and inputs committee_fund's use cases, storage and GraphQL share.

use chrono::{DateTime, Utc};
use domain::Money;
use domain::online::{PayoutChannel, PayoutStatus};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Payout {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub destination: String,
    pub amount: Money,
    pub status: PayoutStatus,
    pub stripe_transfer_id: Option<String>,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub channel: PayoutChannel,
    /// What a bank payout is for, as the accountant proposed it.
    pub purpose: Option<String>,
    pub requested_by: Uuid,
    /// The committee member who approved or rejected a bank payout, when, and why.
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// The owners' passed matter a bank payout spends the fund under; none for a Stripe
    /// payout to the committee's own account, or one recorded before votes existed.
    pub matter_id: Option<Uuid>,
}

/// A payout to write: to Stripe (pending), or a bank transfer (proposed).
pub struct NewPayout<'a> {
    pub compound: Uuid,
    pub destination: &'a str,
    pub amount: Money,
    pub channel: PayoutChannel,
    pub purpose: Option<String>,
    pub idempotency_key: Option<String>,
    pub requested_by: Uuid,
    pub matter: Option<Uuid>,
}
