//! Use cases. Each public function is one transaction and decides access from the
//! [`RequestContext`] before it touches data.

pub mod access;
pub mod attempts;
pub mod auth;
pub mod billing;
pub mod context;
pub mod invites;
pub mod ledger;
pub mod members;
pub mod online;
pub mod payments;
pub mod payouts;
pub mod people;
pub mod reports;
pub mod tenancy;

pub use context::RequestContext;

/// Crash injection for the recovery tests: with `COURTYARD_CRASH_AT=<name>` the process
/// aborts here, as a power cut or an OOM kill would, leaving the transaction uncommitted.
fn crash_point(name: &str) {
    if std::env::var("COURTYARD_CRASH_AT").is_ok_and(|v| v == name) {
        tracing::error!(point = name, "COURTYARD_CRASH_AT: aborting the process");
        std::process::abort();
    }
}
