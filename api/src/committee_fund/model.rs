//! The plain records and inputs committee_fund's use cases, storage and GraphQL share.

use chrono::{DateTime, Utc};
use domain::Money;
use domain::online::PayoutStatus;
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
}
