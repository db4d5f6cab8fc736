//! The plain records and inputs income's use cases, storage and GraphQL share.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::{CategoryClose, IncomeCategory, SplitRule};
use domain::ledger::PaymentMethod;
use uuid::Uuid;

use crate::platform::files::StoredFile;

/// The owners' resolution that allowed business use of a compound's common parts: its
/// document number and date, and the passed matter that decided it (none for a resolution
/// recorded before votes existed in Courtyard).
#[derive(Debug, Clone)]
pub struct Resolution {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub matter_id: Option<Uuid>,
    pub document_no: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    /// The scan of the signed resolution, once attached.
    pub scan: Option<StoredFile>,
    pub recorded_at: DateTime<Utc>,
}

/// A resolution to record.
#[derive(Debug, Clone)]
pub struct NewResolution {
    pub compound: Uuid,
    pub matter: Option<Uuid>,
    pub document_no: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

/// One version of a compound's split rule for a category, in force from its month until
/// the next version's.
#[derive(Debug, Clone)]
pub struct RuleVersion {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub category: IncomeCategory,
    pub effective_from: BillingPeriod,
    pub rule: SplitRule,
    pub resolution_id: Uuid,
    pub recorded_at: DateTime<Utc>,
}

/// Income received, or (with a reason) a correction of income already closed.
#[derive(Debug, Clone)]
pub struct IncomeRecord {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub category: IncomeCategory,
    pub period: BillingPeriod,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: PaymentMethod,
    pub payer: Option<String>,
    pub reference: Option<String>,
    pub correction_reason: Option<String>,
    pub idempotency_key: String,
    pub entry_id: Uuid,
    pub recorded_at: DateTime<Utc>,
}

/// A documented direct cost of earning a category's income in a month.
#[derive(Debug, Clone)]
pub struct IncomeCost {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub category: IncomeCategory,
    pub period: BillingPeriod,
    pub amount: Money,
    pub description: String,
    pub evidence: String,
    pub method: PaymentMethod,
    pub idempotency_key: String,
    pub entry_id: Uuid,
    pub recorded_at: DateTime<Utc>,
}

/// One category's line of a month: closed, or as closing it now would post it.
#[derive(Debug, Clone, Copy)]
pub struct CloseLine {
    pub category: IncomeCategory,
    pub rule: SplitRule,
    pub close: CategoryClose,
}

/// A compound's month of common-part income, closed and locked.
#[derive(Debug, Clone)]
pub struct MonthClose {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub period: BillingPeriod,
    pub entry_id: Option<Uuid>,
    pub closed_at: DateTime<Utc>,
    pub lines: Vec<CloseLine>,
}

/// A compound's month as the accountant and the committee see it.
#[derive(Debug, Clone)]
pub struct Month {
    pub compound_id: Uuid,
    pub period: BillingPeriod,
    /// Set once the month is closed; until then `lines` are what closing it would post.
    pub close: Option<MonthClose>,
    /// The last month closed: it and every month before it are locked.
    pub closed_through: Option<BillingPeriod>,
    pub lines: Vec<CloseLine>,
    pub records: Vec<IncomeRecord>,
    pub costs: Vec<IncomeCost>,
}

/// A monthly parking pass: the plate, its space or zone, the months it covers and the price
/// per month; its payment is the income record it points at.
#[derive(Debug, Clone)]
pub struct ParkingPass {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub plate: String,
    pub space: Option<String>,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub monthly: Money,
    pub income_record_id: Uuid,
    pub issued_at: DateTime<Utc>,
    pub cancelled: Option<PassCancellation>,
}

/// A pass ended early: from which month, why, and the refund of the months not used.
#[derive(Debug, Clone)]
pub struct PassCancellation {
    pub from: BillingPeriod,
    pub reason: String,
    pub refund_record_id: Uuid,
}

/// How a day of an imported parking export stands against what is already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayStatus {
    /// Not recorded yet: importing writes it.
    New,
    /// Recorded before with the same takings: importing changes nothing.
    Imported,
    /// Recorded before with other takings (a problem: correct it by hand, with its reason).
    Differs,
}

#[derive(Debug, Clone)]
pub struct TakingsDay {
    pub date: NaiveDate,
    pub amount: Money,
    pub rows: usize,
    pub status: DayStatus,
}

/// What an import of a parking export found, and whether it wrote the new days.
#[derive(Debug, Clone)]
pub struct TakingsReport {
    pub columns: Vec<String>,
    /// The mapping used: given, saved for the compound, or guessed from the headings.
    pub mapping: Option<domain::takings::Mapping>,
    pub rows: usize,
    pub days: Vec<TakingsDay>,
    pub problems: Vec<domain::takings::Problem>,
    pub written: bool,
}
