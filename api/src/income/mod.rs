//! Income from common parts (advertising, parking and the rest): the owners' resolution
//! that allows it and the split rule it adopted, income and its direct costs as received,
//! and the monthly close that splits the net between the committee fund and the firm.

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{IncomeCategory, IncomeMutation, IncomeQuery};
pub use model::{CloseLine, DayStatus, IncomeRecord, MonthClose, TakingsReport};
pub use service::{
    IncomeInput, ManyClosed, ResolutionInput, TakingsTerms, attach_scan, close_firm, close_month,
    import_takings, record_income, record_resolution, record_within, scan,
};
pub use store::{closes_between, closes_of};

/// Bulk writes without the use cases' checks, for seeding a benchmark's firm.
pub mod seed {
    pub use super::model::{IncomeRecord, NewResolution};
    pub use super::store::{insert_records, insert_resolution};
}
