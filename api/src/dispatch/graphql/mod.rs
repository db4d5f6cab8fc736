//! Dispatch's GraphQL: contractors and their scorecards, work orders with their timelines,
//! the ranking for an order, and every move of an order.

mod contractors;
mod enums;
mod live;
mod orders;
mod rules;

pub use contractors::{ContractorsMutation, ContractorsQuery};
pub use live::WorkOrdersSubscription;
pub use orders::{WorkOrdersMutation, WorkOrdersQuery};
pub use rules::{DispatchRulesMutation, DispatchRulesQuery};
