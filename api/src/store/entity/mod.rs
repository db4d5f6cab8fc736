//! sea-orm entities, one per table. They never leave the `store` module.

pub mod audit;
pub mod building;
pub mod bundle;
pub mod compound;
pub mod household;
pub mod household_member;
pub mod invite_code;
pub mod journal_entry;
pub mod ledger_account;
pub mod ledger_head;
pub mod login_failure;
pub mod membership;
pub mod person;
pub mod posting;
pub mod session;
pub mod tenant;
pub mod user;
