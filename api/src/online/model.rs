//! The plain records and inputs online's use cases, storage and GraphQL share.

use chrono::{DateTime, Utc};
use domain::Money;
use domain::online::{AttemptStatus, RefundStatus};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: Uuid,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub amount: Money,
    pub invoices: Vec<Uuid>,
    pub status: AttemptStatus,
    pub intent_id: Option<String>,
    pub payment_id: Option<Uuid>,
    pub failure: Option<String>,
    pub started_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub struct NewAttempt {
    pub household: Uuid,
    pub compound: Uuid,
    pub amount: Money,
    pub invoices: Vec<Uuid>,
    pub started_by: Uuid,
}

#[derive(Debug, Clone)]
pub struct Refund {
    pub id: Uuid,
    pub attempt_id: Uuid,
    pub payment_id: Uuid,
    pub amount: Money,
    pub reason: String,
    pub status: RefundStatus,
    pub stripe_refund_id: Option<String>,
    /// `None` for a refund made in Stripe's dashboard rather than through Courtyard.
    pub requested_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub struct NewRefund {
    pub payment: Uuid,
    pub amount: Money,
    pub reason: String,
    /// `None` for a refund made in Stripe's dashboard.
    pub requested_by: Option<Uuid>,
    pub stripe_refund_id: Option<String>,
}

pub struct NewEvent<'a> {
    pub id: &'a str,
    pub event_type: &'a str,
    pub object_id: Option<&'a str>,
    pub tenant: Option<Uuid>,
    pub outcome: &'a str,
    pub detail: Option<String>,
    pub stripe_created: i64,
}

#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: String,
    pub event_type: String,
    pub object_id: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub received_at: DateTime<Utc>,
}
