//! The plain records and inputs collection's use cases, storage and GraphQL share.

use chrono::{DateTime, Utc};
use domain::ledger::PaymentMethod;
use domain::{Money, Name};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Payment {
    pub id: Uuid,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub amount: Money,
    pub method: PaymentMethod,
    pub receipt_no: String,
    pub received_at: DateTime<Utc>,
    pub recorded_by: Uuid,
    pub idempotency_key: String,
    pub reversed_at: Option<DateTime<Utc>>,
    pub reversal_reason: Option<String>,
    /// Who paid, as the office wrote it on the receipt.
    pub payer: Option<Name>,
}

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub household: Uuid,
    pub compound: Uuid,
    pub amount: Money,
    pub method: PaymentMethod,
    pub receipt_no: String,
    pub received_at: DateTime<Utc>,
    pub recorded_by: Uuid,
    pub idempotency_key: String,
    pub payer: Option<Name>,
}

impl NewPayment {
    /// The payment this becomes once written, under a new id.
    pub fn into_payment(self) -> Payment {
        Payment {
            id: domain::new_id(),
            household_id: self.household,
            compound_id: self.compound,
            amount: self.amount,
            method: self.method,
            receipt_no: self.receipt_no,
            received_at: self.received_at,
            recorded_by: self.recorded_by,
            idempotency_key: self.idempotency_key,
            reversed_at: None,
            reversal_reason: None,
            payer: self.payer,
        }
    }
}

/// One allocation row: `invoice` `None` is credit held for the household.
#[derive(Debug, Clone, Copy)]
pub struct Allocation {
    pub payment: Uuid,
    pub invoice: Option<Uuid>,
    pub amount: Money,
}

/// A reminder or formal written demand (催告) sent to a household.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: Uuid,
    pub household_id: Uuid,
    pub kind: String,
    pub note: String,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
}
