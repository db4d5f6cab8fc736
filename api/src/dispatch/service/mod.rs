//! Dispatch's use cases: contractors, reporting, each move of an order, reading orders and
//! rankings, and the server's escalation of orders no one answered.

mod candidates;
mod contractors;
mod escalation;
mod moves;
mod parts;
mod payables;
mod photos;
mod reading;
mod reporting;
mod rules;
mod step;

pub use contractors::{
    ContractInput, ContractorInput, add_contract, by_id as contractors_by_id, list as contractors,
    register as register_contractor, update as update_contractor,
};
pub use escalation::{escalate_overdue, watch};
pub use moves::{
    Filing, cancel, close, complete, confirm_charge, decline, dispatch, file, rate, reject, reopen,
    send_back, simple, verify,
};
pub use parts::hears;
pub use payables::{
    ContractorAccount, PayContractor, account as contractor_account, pay as pay_contractor,
};
pub use photos::{attach_photo, photo};
pub use reading::{Narrowing, OrderFile, candidates, list, order};
pub use reporting::{ReportInput, report};
pub use rules::{rules, set_rules};
