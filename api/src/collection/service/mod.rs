//! Payments collected by staff, what each household owes, and the collection and arrears
//! reports. Every amount here agrees with the ledger: payments post through it, and a
//! household's balance is its receivable account.

mod accounts;
mod allocation;
mod arrears;
mod credit_notes;
mod notices;
mod payments;
mod receipts;
mod reports;
mod settlements;

pub use accounts::{InvoiceView, household_account};
pub(crate) use allocation::{Collection, open_invoices};
pub use arrears::{ArrearsRow, ArrearsScope, Owing, arrears, arrears_list};
pub(crate) use credit_notes::credit_in;
pub use credit_notes::issue_credit_note;
pub use notices::{notices, record_notice};
pub use payments::{PaymentInput, by_hand, payment, record, reverse};
pub(crate) use payments::{readable_household, readable_or_not_found};
pub use receipts::receipt;
pub use reports::{CollectionMonth, bundle_collection, collection};
pub use settlements::{Settlement, settle_all};
