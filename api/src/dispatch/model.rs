//! Dispatch's records: contractors and their engagement, work orders and their timelines.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;
use domain::dispatch::{
    Action, Bearer, ContractorKind, LocationKind, OnCall, OrderState, Priority, RateKind,
    RejectReason, Trade,
};
use uuid::Uuid;

/// Where a contractor works: a whole bundle (its compounds now and later) or one compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceArea {
    Bundle(Uuid),
    Compound(Uuid),
}

/// A contract with a contractor: its validity and rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub rate_kind: RateKind,
    pub rate: Money,
}

impl Contract {
    #[must_use]
    pub fn covers(&self, day: NaiveDate) -> bool {
        (self.starts_on..=self.ends_on).contains(&day)
    }
}

/// A contractor firm, an individual or the firm's own repairman.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contractor {
    pub id: Uuid,
    pub name: String,
    pub kind: ContractorKind,
    pub phone: Option<String>,
    /// Open jobs at once.
    pub capacity: u32,
    pub on_call: OnCall,
    pub trades: Vec<Trade>,
    pub areas: Vec<ServiceArea>,
    pub contracts: Vec<Contract>,
    pub retired_at: Option<DateTime<Utc>>,
}

impl Contractor {
    /// Their service area holds `compound` (of `bundle`).
    #[must_use]
    pub fn covers(&self, compound: Uuid, bundle: Uuid) -> bool {
        self.areas
            .iter()
            .any(|a| *a == ServiceArea::Compound(compound) || *a == ServiceArea::Bundle(bundle))
    }
}

/// A contractor's record of work, for ranking and their scorecard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub open_jobs: u32,
    pub completed: u32,
    pub completed_on_time: u32,
    pub ratings: u32,
    pub rating_sum: u32,
    pub reopened: u32,
    pub cost_fen: i64,
    /// Completions and their cost in each trade they completed work in.
    pub by_trade: Vec<TradeWork>,
}

/// A contractor's completed work in one trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TradeWork {
    pub trade: Trade,
    pub completed: u32,
    pub cost_fen: i64,
}

/// A work order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrder {
    pub id: Uuid,
    pub number: u64,
    pub compound_id: Uuid,
    pub household_id: Option<Uuid>,
    pub location_kind: LocationKind,
    /// Where, in words: the household's address or the place described.
    pub location: String,
    pub trade: Trade,
    pub priority: Priority,
    pub description: String,
    pub state: OrderState,
    /// Why it was not taken on, when it was rejected.
    pub rejected_as: Option<RejectReason>,
    pub reported_by: Uuid,
    pub reported_at: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
    pub bearer: Option<Bearer>,
    pub estimate: Option<Money>,
    /// The household must agree to the estimate (it was above the compound's threshold when
    /// the order was filed).
    pub confirm_required: bool,
    pub charge_confirmed_at: Option<DateTime<Utc>>,
    pub contractor_id: Option<Uuid>,
    pub dispatched_at: Option<DateTime<Utc>>,
    pub respond_by: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cost: Option<Money>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    pub reopened: u32,
    pub closed_at: Option<DateTime<Utc>>,
    /// When the server noted it past its resolution deadline (the dispatcher alerted).
    pub overdue_noted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl WorkOrder {
    /// The household must agree to the estimate before the order is dispatched.
    #[must_use]
    pub fn awaits_confirmation(&self) -> bool {
        self.confirm_required && self.charge_confirmed_at.is_none()
    }

    /// Past its resolution deadline and not yet completed.
    #[must_use]
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        !self.state.is_final() && self.completed_at.is_none() && now > self.resolve_by
    }
}

/// One thing someone did to an order: the timeline the reporter follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub seq: u32,
    pub action: Action,
    pub from: Option<OrderState>,
    pub to: OrderState,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor: domain::dispatch::Actor,
    pub contractor_id: Option<Uuid>,
    pub note: Option<String>,
}

/// A photograph of an order: the problem as reported, or the work as done (its `stage` is the
/// order's state when it was added).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: Uuid,
    pub order_id: Uuid,
    pub file_key: String,
    pub kind: crate::platform::files::FileKind,
    pub stage: OrderState,
    pub added_at: DateTime<Utc>,
    /// Its thumbnail's key (a JPEG); none for photos added before thumbnails were made.
    pub thumb_key: Option<String>,
}

/// What a household owes for one verified round of a repair it agreed to bear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairCharge {
    pub id: Uuid,
    pub order_id: Uuid,
    /// How many times the order had been reopened when this round was verified.
    pub round: i32,
    pub household_id: Uuid,
    pub amount: Money,
}

/// What the firm owes a contractor for one verified round of an order that cost something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractorCost {
    pub id: Uuid,
    pub order_id: Uuid,
    pub order_number: u64,
    pub round: i32,
    pub contractor_id: Uuid,
    pub compound_id: Uuid,
    pub amount: Money,
    pub verified_at: DateTime<Utc>,
    /// The payment that settled it; none while it is still owed.
    pub paid_by: Option<Uuid>,
}

/// Money the firm paid a contractor, settling some of their costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractorPayment {
    pub id: Uuid,
    pub contractor_id: Uuid,
    pub amount: Money,
    pub method: domain::ledger::PaidFrom,
    /// The bank transfer's reference or the cash voucher's number.
    pub reference: String,
    pub paid_at: DateTime<Utc>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}
