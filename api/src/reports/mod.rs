//! Reports built from other areas' records: the subsidy claim for waived households and the
//! common-income report.

mod graphql;
mod income;
mod service;

pub use graphql::ReportsQuery;
