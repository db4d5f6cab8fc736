//! Contractor dispatch — the grid loop of discover, file, dispatch, close: contractors with
//! their trades, areas and contracts; work orders from a report to a verified repair, each
//! move recorded on the order's timeline; the ranking of contractors for an order; the
//! contractor's cost posted to the ledger, charged to whoever bears it, and paying it; and
//! the server's watch over orders no one answered.

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{
    ContractorsMutation, ContractorsQuery, DispatchRulesMutation, DispatchRulesQuery,
    PayablesMutation, PayablesQuery, WorkOrdersMutation, WorkOrdersQuery, WorkOrdersSubscription,
};
pub use model::RepairCharge;
pub use service::{attach_photo, escalate_overdue, photo, watch};
// What `courtyard demo` seeds through.
pub use service::{
    ContractInput, ContractorInput, Filing, ReportInput, dispatch, file, register_contractor,
    report,
};

/// Whether the firm has this contractor (a contractor's sign-in is granted over one).
pub async fn contractor_exists(
    tx: &impl sea_orm::ConnectionTrait,
    tenant: uuid::Uuid,
    id: uuid::Uuid,
) -> crate::platform::error::AppResult<bool> {
    Ok(store::contractor_exists(tx, tenant, id).await?)
}

/// What these households owe for repairs they bore, oldest first, billed or not (billing
/// knows which of them its invoices bill).
pub async fn repair_charges(
    tx: &impl sea_orm::ConnectionTrait,
    tenant: uuid::Uuid,
    households: &[uuid::Uuid],
) -> crate::platform::error::AppResult<Vec<RepairCharge>> {
    Ok(store::charges_of(tx, tenant, households).await?)
}
