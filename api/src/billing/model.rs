//! The plain records and inputs billing's use cases, storage and GraphQL share.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;
use domain::billing::ScheduleScope;
use domain::billing::{
    BillingPeriod, FeeItem, FeeItemKind, GrantStatus, HardshipCategory, InvoiceDraft, LineKind,
    RunStatus, WaiverAmount,
};
use domain::ledger::WaiverFunding;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Schedule {
    pub id: Uuid,
    pub scope: ScheduleScope,
    pub effective_from: BillingPeriod,
    pub note: String,
    pub items: Vec<FeeItem>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Activation {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub kind: FeeItemKind,
    pub from: BillingPeriod,
    pub to: Option<BillingPeriod>,
    /// The owners' decision as recorded: the passed matter's title, or the text recorded
    /// before votes existed.
    pub decision_ref: String,
    /// The passed matter that approved it; none when recorded before votes existed.
    pub matter_id: Option<Uuid>,
}

/// An add-on to activate.
#[derive(Debug, Clone)]
pub struct NewActivation {
    pub compound: Uuid,
    pub kind: FeeItemKind,
    pub from: BillingPeriod,
    pub to: Option<BillingPeriod>,
    pub decision_ref: String,
    pub matter: Option<Uuid>,
    pub by: Uuid,
}

#[derive(Debug, Clone)]
pub struct Hardship {
    pub id: Uuid,
    pub household_id: Uuid,
    pub category: HardshipCategory,
    pub certificate_no: String,
    pub evidence: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub id: Uuid,
    pub household_id: Uuid,
    pub hardship_id: Option<Uuid>,
    pub amount: WaiverAmount,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub funding: WaiverFunding,
    pub proposed_by: Uuid,
    pub decided_by: Option<Uuid>,
    pub status: GrantStatus,
}

pub struct NewGrant {
    pub household: Uuid,
    pub hardship: Option<Uuid>,
    pub amount: WaiverAmount,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub funding: WaiverFunding,
    pub proposed_by: Uuid,
}

#[derive(Debug, Clone)]
pub struct Run {
    pub id: Uuid,
    pub period: BillingPeriod,
    pub status: RunStatus,
    pub total: i32,
    pub processed: i32,
    pub invoiced: Money,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: Uuid,
    pub number: i64,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub period: BillingPeriod,
    pub days_billed: i32,
    pub gross: Money,
    pub waived: Money,
    pub due: Money,
    pub waiver_funding: Option<WaiverFunding>,
    pub waiver_grant_id: Option<Uuid>,
    pub issued_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub kind: LineKind,
    pub amount: Money,
    /// For a late-fee line: the overdue invoice it is charged for.
    pub late_fee_for: Option<Uuid>,
    /// For a repair line: the charge it bills.
    pub repair: Option<RepairRef>,
}

/// An invoice with its lines and what has been paid and credited on it.
#[derive(Debug, Clone)]
pub struct SettledInvoice {
    pub invoice: Invoice,
    pub lines: Vec<Line>,
    pub paid: Money,
    pub credited: Money,
}

/// The repair charge a line bills, and its work order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepairRef {
    pub charge: Uuid,
    pub order: Uuid,
}

/// An invoice a billing run is about to issue, with its lines.
pub struct NewInvoice {
    pub invoice: InvoiceHead,
    pub lines: Vec<Line>,
}

/// What a new invoice says of itself; its number is set under the firm's lock.
pub struct InvoiceHead {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub number: i64,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub period: BillingPeriod,
    pub run_id: Uuid,
    pub days_billed: u32,
    pub gross: Money,
    pub waived: Money,
    pub due: Money,
    /// The grant that waived part of it, and who funds the waiver.
    pub waiver: Option<(Uuid, WaiverFunding)>,
}

impl InvoiceHead {
    /// The head of `draft` for a household, unnumbered, waived by `waiver` if it waived
    /// anything.
    #[must_use]
    pub fn new(
        (household_id, compound_id): (Uuid, Uuid),
        period: BillingPeriod,
        run_id: Uuid,
        draft: &InvoiceDraft,
        waiver: Option<&Grant>,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: domain::new_id(),
            created_at,
            number: 0,
            household_id,
            compound_id,
            period,
            run_id,
            days_billed: draft.days_billed,
            gross: draft.gross,
            waived: draft.waived,
            due: draft.due,
            waiver: waiver
                .filter(|_| draft.waived.is_positive())
                .map(|g| (g.id, g.funding)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CreditNote {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub household_id: Uuid,
    pub amount: Money,
    pub reason: String,
    pub approved_by: Uuid,
    pub issued_at: DateTime<Utc>,
}
