//! Courtyard's server: configuration, telemetry, persistence, use cases, GraphQL and HTTP.

// The merged GraphQL schema's futures are deep: proving them `Send` needs more than the
// default 128 levels of trait evaluation.
#![recursion_limit = "256"]

pub mod clock;
pub mod configuration;
pub mod db;
pub mod demo;
pub mod error;
pub mod graphql;
mod http;
pub mod metrics;
pub mod services;
pub mod startup;
pub mod store;
pub mod stripe;
pub mod telemetry;
