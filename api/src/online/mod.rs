//! Online payment through Stripe: starting and following a payment, webhook ingestion,
//! refunds and reconciliation, and the client for Stripe's API.

mod graphql;
mod model;
mod service;
mod store;
pub mod stripe;

pub use graphql::{OnlineMutation, OnlineQuery, stripe_in};
pub use service::{Deliveries, ReconcileReport, WebhookError, ingest, reconcile};
pub use store::link;
pub use stripe::Stripe;

/// What the webhook benchmark writes directly, below the use cases.
pub mod seed {
    pub use super::store::{insert_attempt, link, save_attempt};
    pub use crate::online::model::NewAttempt;
}
