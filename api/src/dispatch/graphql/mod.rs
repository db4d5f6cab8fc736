//! Dispatch's GraphQL: contractors and their scorecards, work orders with their timelines,
//! the ranking for an order, every move of an order, and what the firm owes contractors.

mod contractors;
mod enums;
mod live;
mod orders;
mod payables;
mod rules;

pub use contractors::{ContractorsMutation, ContractorsQuery};
pub use live::WorkOrdersSubscription;
pub use orders::{WorkOrdersMutation, WorkOrdersQuery};
pub use payables::{PayablesMutation, PayablesQuery};
pub use rules::{DispatchRulesMutation, DispatchRulesQuery};
