//! Courtyard's server: configuration, telemetry, persistence, use cases, GraphQL and HTTP.

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
