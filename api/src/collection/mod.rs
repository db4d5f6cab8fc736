//! Collection: payments staff record and their allocation to invoices, receipts, what each
//! household owes, the collection and arrears reports, and demand notices.

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{CollectionMutation, CollectionQuery, PaymentMethod};
pub use model::{Allocation, NewPayment, Notice, Payment};
pub(crate) use service::{
    Collection, by_hand, credit_in, open_invoices, readable_household, readable_or_not_found,
};
/// For the demo's synthetic firm: a year of payments written as payments are.
pub mod seed {
    pub use super::service::{Settlement, settle_all};
}

pub use store::{allocate, allocations_of_payments, find, live_of_households, paid_on_invoices};
