//! Dispatch's storage: contractors with their trades, areas and contracts; work orders; each
//! order's timeline (append-only); the firm's order numbers; each compound's rules; what
//! households owe for repairs; what the firm owes contractors and what it paid them.

mod charges;
mod codes;
mod contractors;
mod orders;
mod payables;
mod photos;
mod records;
mod rules;
mod timeline;

pub use charges::{charges_of, insert_charge};
pub use contractors::{
    add_contract, all as all_contractors, exists as contractor_exists, find as find_contractor,
    find_many as find_contractors, insert as insert_contractor, update as update_contractor,
};
pub use orders::{
    OrderFilter, find as find_order, insert as insert_order, list, next_number, overdue_unanswered,
    overdue_unresolved, save,
};
pub use payables::{costs, costs_of, insert_cost, insert_payment, payment_by_key, payments_of};
pub use photos::{count_photos, insert_photo, photos_of};
pub use records::records;
pub use rules::{rules_of, set_rules};
pub use timeline::{append, declined, timeline};
