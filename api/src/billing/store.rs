//! Fee schedules, add-on activations, hardship records and waiver grants, billing runs and
//! invoices.

mod account;
mod credit_notes;
mod invoices;
mod runs;
mod schedules;
mod waivers;

pub use account::*;
pub use credit_notes::*;
pub use invoices::*;
pub use runs::*;
pub use schedules::*;
pub use waivers::*;
