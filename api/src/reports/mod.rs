//! Reports built from other areas' records: the subsidy claim for waived households.

mod graphql;
mod service;

pub use graphql::ReportsQuery;
