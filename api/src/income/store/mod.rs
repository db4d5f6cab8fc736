//! Income's storage: the owners' terms (resolutions and split rules), income and costs
//! received, and monthly closes.

mod batch;
mod closes;
mod codes;
mod mappings;
mod passes;
mod records;
mod terms;

pub use batch::{MonthSums, last_active_before, latest_closes, month_sums, resolved_by};
pub use closes::{
    close_of, closed_through, closes_between, closes_of, insert_closes, last_close_before,
};
pub use mappings::{mapping_of, save_mapping};
pub use passes::{cancel_pass, insert_pass, pass_of, pass_of_record, passes_of, plate_covered};
pub use records::{
    costs_in, earliest_open_period, find_cost_by_key, find_record_by_key, insert_cost,
    insert_records, records_by_keys, records_in,
};
pub use terms::{
    insert_resolution, insert_rule, resolution_by_id, resolution_of, resolutions_of, rule_exists,
    rules_of, rules_of_compounds, set_scan,
};
