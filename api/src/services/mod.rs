//! Use cases. Each public function is one transaction and decides access from the
//! [`RequestContext`] before it touches data.

pub mod access;
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
