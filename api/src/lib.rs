//! Courtyard's server. `platform` is the kernel every area uses; each area holds its own
//! GraphQL, use cases and storage, and others use it only through its `mod.rs`; `graphql`
//! merges the areas' objects into one schema; `http` routes. See `docs/architecture.md`.

// The merged GraphQL schema's futures are deep: proving them `Send` needs more than the
// default 128 levels of trait evaluation.
#![recursion_limit = "256"]

pub mod platform;

pub mod advertising;
pub mod billing;
pub mod board;
pub mod collection;
pub mod committee_fund;
pub mod dispatch;
pub mod governance;
pub mod income;
pub mod ledger;
pub mod online;
pub mod people;
pub mod reports;
pub mod tenancy;

pub mod demo;
pub mod graphql;
mod http;
pub mod startup;
