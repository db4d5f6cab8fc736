//! Ingesting one webhook delivery: verified, recorded and applied before it is answered.

use super::apply::{apply_event, tenant_of};
use super::deliveries::Deliveries;
use crate::online::stripe::Stripe;
use crate::online::stripe::event::{self, What};
use crate::online::stripe::signature::{self, SignatureError};
use crate::platform::db::Db;
use crate::platform::error::AppError;

/// Why a webhook delivery was refused (answered 400: Stripe will retry, which is right for a
/// body that failed in transit and harmless for a forgery).
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error(transparent)]
    Malformed(#[from] event::ParseError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sea_orm::DbErr> for WebhookError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::App(e.into())
    }
}

/// Verifies, records and applies one webhook delivery. Returns what was done with it
/// (`applied`, `duplicate`, `ignored_…`); the caller answers 2xx only after this returns.
#[tracing::instrument(name = "online.webhook", skip_all, fields(event.id, event.type))]
pub async fn ingest(
    db: &Db,
    stripe: &Stripe,
    deliveries: &Deliveries,
    payload: &[u8],
    signature_header: &str,
    now: i64,
) -> Result<&'static str, WebhookError> {
    signature::verify(payload, signature_header, stripe.webhook_secret(), now)?;
    let e = event::parse(payload)?;
    let span = tracing::Span::current();
    span.record("event.id", e.id.as_str());
    span.record("event.type", e.kind.as_str());
    // A succeeded payment naming its attempt joins the firm's other deliveries in flight.
    let attempt = match &e.what {
        What::IntentSucceeded { attempt, .. } => *attempt,
        _ => None,
    };
    let tenant = match attempt {
        Some(_) => tenant_of(db, &e).await?,
        None => None,
    };
    let outcome = match (tenant, attempt) {
        (Some(tenant), Some(attempt)) => deliveries.apply(db, tenant, attempt, e).await?,
        _ => apply_event(db, &e, &e.id, None).await?,
    };
    tracing::info!(outcome, "stripe event");
    Ok(outcome)
}
