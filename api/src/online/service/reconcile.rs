//! Reconciliation: what Stripe holds, applied where webhooks missed it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::apply::{apply_event, settled};
use super::gateway::gateway;
use crate::online::stripe::event::{Event, What};
use crate::online::stripe::{RefundInfo, Stripe};
use crate::platform::db::Db;
use crate::platform::error::AppResult;

#[derive(Debug, Default)]
pub struct ReconcileReport {
    pub intents_seen: usize,
    pub payments_applied: usize,
    pub refunds_seen: usize,
    pub refunds_applied: usize,
    /// Each a sentence an accountant can act on.
    pub mismatches: Vec<String>,
}

/// Lists what Stripe holds since `since` and applies whatever webhooks missed, exactly as a
/// webhook would (the same code, the same idempotency), reporting what does not match.
#[tracing::instrument(name = "online.reconcile", skip_all)]
pub async fn reconcile(
    db: &Db,
    stripe: &Stripe,
    since: DateTime<Utc>,
) -> AppResult<ReconcileReport> {
    let mut report = ReconcileReport::default();
    for intent in stripe
        .list_intents(since.timestamp())
        .await
        .map_err(gateway)?
    {
        report.intents_seen += 1;
        if !intent.succeeded {
            continue;
        }
        let meta = |k: &str| intent.metadata.get(k).and_then(|v| Uuid::parse_str(v).ok());
        let e = Event {
            id: format!("reconcile:{}", intent.id),
            kind: "payment_intent.succeeded".to_owned(),
            created: Utc::now().timestamp(),
            object_id: Some(intent.id.clone()),
            tenant: meta("tenant_id"),
            what: What::IntentSucceeded {
                intent: intent.id.clone(),
                attempt: meta("attempt_id"),
                amount_received: intent.amount_received,
                currency: intent.currency.clone(),
            },
        };
        match apply_event(db, &e, &e.id, None).await? {
            "applied" => report.payments_applied += 1,
            "unchanged" | "duplicate" => {}
            other => report
                .mismatches
                .push(format!("PaymentIntent {}: {other}", intent.id)),
        }
    }
    for refund in stripe
        .list_refunds(since.timestamp())
        .await
        .map_err(gateway)?
    {
        report.refunds_seen += 1;
        let Some(succeeded) = settled(&refund.status) else {
            continue;
        };
        let e = refund_event(&refund, succeeded);
        match apply_event(db, &e, &e.id, None).await? {
            "applied" => report.refunds_applied += 1,
            "unchanged" | "duplicate" => {}
            other => report
                .mismatches
                .push(format!("Refund {}: {other}", refund.id)),
        }
    }
    Ok(report)
}

pub(super) fn refund_event(r: &RefundInfo, succeeded: bool) -> Event {
    let meta = |k: &str| r.metadata.get(k).and_then(|v| Uuid::parse_str(v).ok());
    Event {
        id: format!("reconcile:{}:{}", r.id, r.status),
        kind: "refund.updated".to_owned(),
        created: Utc::now().timestamp(),
        object_id: Some(r.id.clone()),
        tenant: meta("tenant_id"),
        what: What::RefundSettled {
            refund: r.id.clone(),
            intent: r.intent.clone(),
            ours: meta("refund_id"),
            amount: r.amount,
            succeeded,
        },
    }
}
