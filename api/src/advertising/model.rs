//! The plain records advertising's use cases, storage and GraphQL share.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;
use domain::advertising::{AllocationKey, DueDay, InstalmentState, PlacementKind, Pricing, Term};
use domain::billing::BillingPeriod;
use domain::ledger::PaymentMethod;
use uuid::Uuid;

/// Who advertises.
#[derive(Debug, Clone)]
pub struct Advertiser {
    pub name: String,
    pub contact: Option<String>,
    /// The business licence's unified social credit code (15 or 18 characters).
    pub licence_no: Option<String>,
}

/// Where, in which compound, and how many.
#[derive(Debug, Clone)]
pub struct Placement {
    pub compound_id: Uuid,
    pub kind: PlacementKind,
    pub location: Option<String>,
    pub quantity: u32,
}

/// A compound's weight in sharing the contract's payments, fixed when it was signed.
#[derive(Debug, Clone, Copy)]
pub struct Weight {
    pub compound_id: Uuid,
    pub weight: u64,
}

/// The contract's own row: its terms as they stand (a renewal moves `term`'s end and the
/// price for the months it adds; a termination moves the end back).
#[derive(Debug, Clone)]
pub struct Contract {
    pub id: Uuid,
    pub number: String,
    pub advertiser: Advertiser,
    pub pricing: Pricing,
    pub price: Money,
    pub key: AllocationKey,
    pub term: Term,
    pub due_day: DueDay,
    pub terminated: Option<Termination>,
    pub signed_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Termination {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// One amount expected, in schedule order (`seq` from 1).
#[derive(Debug, Clone, Copy)]
pub struct Instalment {
    pub seq: u32,
    pub period: BillingPeriod,
    pub due_on: NaiveDate,
    pub amount: Money,
    /// Set when the contract ended before this month.
    pub cancelled: bool,
}

/// A payment received from the advertiser, and each compound's share of it.
#[derive(Debug, Clone)]
pub struct Payment {
    pub id: Uuid,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub idempotency_key: String,
    pub recorded_at: DateTime<Utc>,
    pub shares: Vec<Share>,
}

#[derive(Debug, Clone, Copy)]
pub struct Share {
    pub compound_id: Uuid,
    pub amount: Money,
    pub income_record_id: Uuid,
}

/// A contract with everything about it, read on one day.
#[derive(Debug, Clone)]
pub struct ContractFile {
    pub contract: Contract,
    pub placements: Vec<Placement>,
    pub weights: Vec<Weight>,
    pub instalments: Vec<Instalment>,
    pub payments: Vec<Payment>,
    pub today: NaiveDate,
    /// The instalments still expected (not cancelled), each with what of it is paid.
    pub standing: Vec<InstalmentStanding>,
}

/// An instalment as it stands: what of it is paid, and whether it is overdue.
#[derive(Debug, Clone, Copy)]
pub struct InstalmentStanding {
    pub instalment: Instalment,
    pub paid: Money,
    pub state: InstalmentState,
}

/// Whether a contract still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    /// Its last month is past.
    Ended,
    Terminated,
}

impl InstalmentStanding {
    /// What is still owed on it.
    pub fn owed(&self) -> Money {
        self.instalment
            .amount
            .checked_sub(self.paid)
            .unwrap_or(Money::ZERO)
    }
}

/// The live instalments, the payments settling them oldest first, as they stand on `today`.
fn standing_of(
    instalments: &[Instalment],
    paid: Money,
    today: NaiveDate,
) -> Vec<InstalmentStanding> {
    let live: Vec<Instalment> = instalments
        .iter()
        .filter(|i| !i.cancelled)
        .copied()
        .collect();
    let amounts: Vec<Money> = live.iter().map(|i| i.amount).collect();
    let total = Money::sum(amounts.iter().copied()).unwrap_or(Money::ZERO);
    let paid = paid.min(total);
    let parts = if paid.is_positive() {
        domain::advertising::settle(paid, &amounts)
            .unwrap_or_else(|_| vec![Money::ZERO; live.len()])
    } else {
        vec![Money::ZERO; live.len()]
    };
    live.into_iter()
        .zip(parts)
        .map(|(instalment, paid)| InstalmentStanding {
            instalment,
            paid,
            state: domain::advertising::state(instalment.amount, paid, instalment.due_on, today),
        })
        .collect()
}

impl ContractFile {
    /// A contract with all it has, read on `today`: how each instalment stands is settled once.
    pub fn new(
        contract: Contract,
        placements: Vec<Placement>,
        weights: Vec<Weight>,
        instalments: Vec<Instalment>,
        payments: Vec<Payment>,
        today: NaiveDate,
    ) -> Self {
        let paid = Money::sum(payments.iter().map(|p| p.amount)).unwrap_or(Money::ZERO);
        let standing = standing_of(&instalments, paid, today);
        Self {
            contract,
            placements,
            weights,
            instalments,
            payments,
            today,
            standing,
        }
    }

    /// What the advertiser has paid in all.
    pub fn paid(&self) -> Money {
        Money::sum(self.payments.iter().map(|p| p.amount)).unwrap_or(Money::ZERO)
    }

    /// What is still owed on each live instalment, in schedule order.
    pub fn owed(&self) -> Vec<Money> {
        self.standing.iter().map(InstalmentStanding::owed).collect()
    }

    /// Owed on instalments past their due date.
    pub fn overdue(&self) -> Money {
        Money::sum(
            self.standing
                .iter()
                .filter(|s| s.state == InstalmentState::Overdue)
                .map(InstalmentStanding::owed),
        )
        .unwrap_or(Money::ZERO)
    }

    pub fn outstanding(&self) -> Money {
        Money::sum(self.owed()).unwrap_or(Money::ZERO)
    }

    pub fn status(&self) -> Status {
        if self.contract.terminated.is_some() {
            Status::Terminated
        } else if self.contract.term.to() < BillingPeriod::containing(self.today) {
            Status::Ended
        } else {
            Status::Active
        }
    }
}
