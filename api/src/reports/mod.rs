//! Reports built from other areas' records: the subsidy claim for waived households.

mod service;

pub use service::{subsidy_claim, to_csv, to_xlsx};
