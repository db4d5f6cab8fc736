//! The one source of Courtyard's schema, for SQLite and PostgreSQL alike.
//!
//! Every tenant-owned table has `tenant_id`, a primary key of `(tenant_id, id)` and foreign
//! keys that carry `tenant_id` (what Citus needs to distribute by tenant). On PostgreSQL each
//! such table also gets forced row-level security keyed on `app.tenant_id`, and the
//! unprivileged role the server connects as is granted access (see [`postgres`]).

pub use sea_orm_migration;
use sea_orm_migration::prelude::*;

mod m20261127_000001_tenancy;
pub mod postgres;
mod tenant_table;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261127_000001_tenancy::Migration)]
    }
}

/// Every table that belongs to one tenant and is guarded by row-level security.
pub const TENANT_TABLES: &[&str] = &[
    "memberships",
    "bundles",
    "compounds",
    "buildings",
    "households",
    "persons",
    "household_members",
    "invite_codes",
    "audit_log",
];
