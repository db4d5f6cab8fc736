//! Billing: fee schedules and add-ons, late fees, hardship records and waivers, billing runs,
//! invoices and credit notes.

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{
    BillingMutation, BillingQuery, BillingSubscription, HardshipCategory, WaiverFunding,
};
pub use model::{CreditNote, Invoice, Line, SettledInvoice};
pub use service::{DEFAULT_BATCH, RunScope, run_billing_for_slug};
pub use store::{
    account_invoices, billed_as, credited_on_invoices, find_invoice, grants_by_id, hardship_by_id,
    insert_credit_note, invoices_of, invoices_of_compounds, invoices_with_settled, lines_of,
    waived_invoices,
};

/// What `courtyard demo` writes directly, below the use cases.
pub mod seed {
    pub use super::store::{
        decide_grant, insert_activation, insert_grant, insert_hardship, insert_schedule,
    };
    pub use crate::billing::model::{NewActivation, NewGrant};
    pub use domain::billing::ScheduleScope;
}
