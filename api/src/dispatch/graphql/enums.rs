//! Dispatch's vocabulary as GraphQL enums, mirrored from `domain::dispatch`.

use crate::platform::graphql::mirror_enum;

mirror_enum!(
    /// The kind of work a contractor does and an order needs.
    Trade,
    domain::dispatch::Trade {
        Plumbing,
        Electrical,
        Locksmith,
        Cleaning,
        SecurityPatrol,
        Greenery,
        WasteRemoval,
        GeneralRepair
    }
);

mirror_enum!(
    /// How soon an order must be answered and resolved.
    WorkOrderPriority,
    domain::dispatch::Priority { Emergency, Urgent, Normal }
);

mirror_enum!(
    /// Where the work is.
    WorkOrderLocation,
    domain::dispatch::LocationKind {
        Household,
        Building,
        Stairwell,
        Road,
        Lamp,
        Greenery,
        Other
    }
);

mirror_enum!(
    /// Where a work order stands.
    WorkOrderState,
    domain::dispatch::OrderState {
        Reported,
        Filed,
        Rejected,
        Dispatched,
        Accepted,
        InProgress,
        Completed,
        Verified,
        Closed,
        Cancelled
    }
);

mirror_enum!(
    /// Who bears a completed order's cost.
    WorkOrderBearer,
    domain::dispatch::Bearer { CompoundBudget, MaintenanceFund, Household }
);

mirror_enum!(
    /// Why a report was not taken on.
    WorkOrderRejection,
    domain::dispatch::RejectReason { Duplicate, OutOfScope }
);

mirror_enum!(
    /// What someone did to a work order.
    WorkOrderAction,
    domain::dispatch::Action {
        Report,
        File,
        Reject,
        Dispatch,
        Accept,
        Decline,
        Start,
        Complete,
        Verify,
        SendBack,
        Close,
        Reopen,
        Cancel,
        ConfirmCharge,
        Rate,
        Escalate,
        Overdue
    }
);

mirror_enum!(
    /// The part someone plays on a work order.
    WorkOrderActor,
    domain::dispatch::Actor { Dispatcher, Contractor, Reporter, System }
);

mirror_enum!(
    /// How a contractor is engaged.
    ContractorKind,
    domain::dispatch::ContractorKind { Company, Individual, InHouse }
);

mirror_enum!(
    /// How a contractor's contract prices the work.
    ContractorRateKind,
    domain::dispatch::RateKind { PerJob, PerHour, MonthlyRetainer }
);

mirror_enum!(
    /// Why a contractor may not take an order (the first four a dispatcher cannot override).
    Ineligibility,
    domain::dispatch::Ineligible { Trade, Area, Contract, Declined, OffCall, Full }
);
