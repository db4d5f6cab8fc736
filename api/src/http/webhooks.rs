//! `POST /webhooks/stripe`: Stripe's signed event deliveries.
//!
//! The raw body is verified before anything is parsed. The answer is 2xx only once the
//! event and its effect are committed; anything else makes Stripe deliver it again (for up
//! to three days), which the event log makes harmless.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::online::stripe::Stripe;
use crate::online::{self, Deliveries, WebhookError};
use crate::platform::db::Db;

pub async fn stripe(
    req: HttpRequest,
    body: web::Bytes,
    db: web::Data<Db>,
    stripe: web::Data<Option<Arc<Stripe>>>,
    deliveries: web::Data<Deliveries>,
) -> HttpResponse {
    let Some(stripe) = stripe.get_ref().as_deref() else {
        return HttpResponse::NotFound().json(json!({ "error": "online payment is not enabled" }));
    };
    let Some(signature) = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
    else {
        return HttpResponse::BadRequest().json(json!({ "error": "missing Stripe-Signature" }));
    };
    match online::ingest(
        &db,
        stripe,
        &deliveries,
        &body,
        signature,
        chrono::Utc::now().timestamp(),
    )
    .await
    {
        Ok(outcome) => HttpResponse::Ok().json(json!({ "received": true, "outcome": outcome })),
        Err(WebhookError::Signature(e)) => {
            tracing::warn!(error = %e, "refused a webhook delivery");
            HttpResponse::BadRequest().json(json!({ "error": e.to_string() }))
        }
        Err(WebhookError::Malformed(e)) => {
            HttpResponse::BadRequest().json(json!({ "error": e.to_string() }))
        }
        Err(WebhookError::App(e)) => {
            tracing::error!(error = ?e, "webhook could not be applied; Stripe will retry");
            HttpResponse::InternalServerError().json(json!({ "error": "not applied; retry" }))
        }
    }
}
