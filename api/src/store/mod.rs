//! Persistence: sea-orm entities (private to this module) and one repository file per
//! aggregate. Every finder of tenant data takes the tenant first; there is no lookup by id
//! alone. Repositories return records built of domain types, never entities.

mod entity;

pub mod audit;
pub mod billing;
pub mod buildings;
pub mod bundles;
pub mod compounds;
pub mod households;
pub mod invites;
pub mod ledger;
pub mod memberships;
pub mod online;
pub mod page;
pub mod payments;
pub mod people;
pub mod reach;
pub mod tenants;
pub mod users;

use sea_orm::DbErr;

/// A stored code that no longer parses means the database was edited behind our back.
pub(crate) fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("stored {what} {value:?} is not valid"))
}
