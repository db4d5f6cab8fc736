//! Contractor dispatch — the grid loop of discover, file, dispatch, close (发现→立案→派遣→结案):
//! the vocabulary of work orders, their state machine, their deadlines and the ranking of
//! contractors for one order.

mod deadlines;
mod ranking;
mod state;

pub use deadlines::{Deadlines, LONGEST_MINUTES, Rules, RulesError, SHORTEST_MINUTES, Window};
pub use ranking::{Candidate, Ineligible, OnCall, Ranked, rank};
pub use state::{Action, Actor, OrderState, TransitionError, transition};

use crate::code::code_enum;

/// A verified or closed order may be reopened for this many days after its last change.
pub const REOPEN_DAYS: i64 = 7;

code_enum!(
    /// The kind of work a contractor does and an order needs.
    Trade {
        Plumbing = "plumbing",
        Electrical = "electrical",
        Locksmith = "locksmith",
        Cleaning = "cleaning",
        SecurityPatrol = "security_patrol",
        Greenery = "greenery",
        WasteRemoval = "waste_removal",
        GeneralRepair = "general_repair",
    }
);

code_enum!(
    /// How soon an order must be answered and resolved.
    Priority {
        Emergency = "emergency",
        Urgent = "urgent",
        Normal = "normal",
    }
);

code_enum!(
    /// Where the work is.
    LocationKind {
        Household = "household",
        Building = "building",
        Stairwell = "stairwell",
        Road = "road",
        Lamp = "lamp",
        Greenery = "greenery",
        Other = "other",
    }
);

code_enum!(
    /// Who bears a completed order's cost: decided when it is filed and shown to the reporter
    /// before work starts.
    Bearer {
        /// The compound's budget (its repair expense line).
        CompoundBudget = "compound_budget",
        /// The compound's maintenance fund (专项维修资金).
        MaintenanceFund = "maintenance_fund",
        /// The household it was done for, billed on its account.
        Household = "household",
    }
);

code_enum!(
    /// Why a report was not filed.
    RejectReason {
        Duplicate = "duplicate",
        OutOfScope = "out_of_scope",
    }
);

code_enum!(
    /// How a contractor is engaged.
    ContractorKind {
        Company = "company",
        Individual = "individual",
        /// The firm's own staff (its repairman).
        InHouse = "in_house",
    }
);

code_enum!(
    /// How a contractor's contract prices the work.
    RateKind {
        PerJob = "per_job",
        PerHour = "per_hour",
        MonthlyRetainer = "monthly_retainer",
    }
);
