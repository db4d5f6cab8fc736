//! Income's use cases: the owners' terms, income and costs received, the monthly close and
//! reading a month. Book-keepers write; a compound's committee reads.

mod checks;
mod close;
mod month;
mod passes;
mod plan;
mod records;
mod scans;
mod takings;
mod terms;

pub use close::{ManyClosed, close_bundle, close_firm, close_month};
pub use month::month;
pub use passes::{CancelInput, PassInput, cancel_pass, issue_pass, passes};
pub use records::{CostInput, IncomeInput, record_cost, record_income, record_within};
pub use scans::{attach_scan, scan};
pub use takings::{TakingsTerms, import_takings};
pub use terms::{ResolutionInput, RuleInput, record_resolution, resolutions, rules, set_rule};
