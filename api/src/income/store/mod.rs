//! Income's storage: the owners' terms (resolutions and split rules), income and costs
//! received, and monthly closes.

mod closes;
mod codes;
mod records;
mod terms;

pub use closes::{close_of, closes_between, insert_close, last_close_before};
pub use records::{
    costs_in, earliest_open_period, find_cost_by_key, find_record_by_key, insert_cost,
    insert_record, records_in,
};
pub use terms::{
    insert_resolution, insert_rule, resolution_of, resolutions_of, rule_exists, rules_of,
};
