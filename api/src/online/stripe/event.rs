//! Reading a webhook event: only the fields Courtyard acts on, tolerant of everything else
//! (new fields, other API versions), so an upgrade on Stripe's side never stops ingestion.

use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
struct RawEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    created: i64,
    data: RawData,
}

#[derive(Debug, Deserialize)]
struct RawData {
    object: RawObject,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawObject {
    id: Option<String>,
    amount: Option<i64>,
    amount_received: Option<i64>,
    currency: Option<String>,
    status: Option<String>,
    /// On refunds and disputes: the PaymentIntent they belong to.
    payment_intent: Option<String>,
    metadata: std::collections::HashMap<String, String>,
    last_payment_error: Option<RawError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawError {
    message: Option<String>,
}

/// A webhook event, reduced to what it means for us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub created: i64,
    /// The id of the object the event is about (`pi_…`, `re_…`, `dp_…`).
    pub object_id: Option<String>,
    /// Our tenant and record, from the metadata we set when creating the object.
    pub tenant: Option<Uuid>,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    IntentSucceeded {
        intent: String,
        attempt: Option<Uuid>,
        amount_received: i64,
        currency: String,
    },
    IntentFailed {
        intent: String,
        attempt: Option<Uuid>,
        message: String,
    },
    IntentCanceled {
        intent: String,
        attempt: Option<Uuid>,
    },
    /// A refund reached a final state (`succeeded`, or `failed`/`canceled`).
    RefundSettled {
        refund: String,
        intent: Option<String>,
        ours: Option<Uuid>,
        amount: i64,
        succeeded: bool,
    },
    Disputed {
        intent: Option<String>,
    },
    /// Anything else, including a refund still pending: recorded, nothing to do.
    Other,
}

#[derive(Debug, thiserror::Error)]
#[error("not a Stripe event: {0}")]
pub struct ParseError(#[from] serde_json::Error);

pub fn parse(payload: &[u8]) -> Result<Event, ParseError> {
    let raw: RawEvent = serde_json::from_slice(payload)?;
    let o = raw.data.object;
    let meta_uuid = |key: &str| o.metadata.get(key).and_then(|v| Uuid::parse_str(v).ok());
    let tenant = meta_uuid("tenant_id");
    let intent = o.id.clone().unwrap_or_default();
    let what = match raw.kind.as_str() {
        "payment_intent.succeeded" => What::IntentSucceeded {
            attempt: meta_uuid("attempt_id"),
            amount_received: o.amount_received.or(o.amount).unwrap_or(0),
            currency: o.currency.clone().unwrap_or_default(),
            intent,
        },
        "payment_intent.payment_failed" => What::IntentFailed {
            attempt: meta_uuid("attempt_id"),
            message: o
                .last_payment_error
                .as_ref()
                .and_then(|e| e.message.clone())
                .unwrap_or_else(|| "the payment failed".to_owned()),
            intent,
        },
        "payment_intent.canceled" => What::IntentCanceled {
            attempt: meta_uuid("attempt_id"),
            intent,
        },
        "refund.created" | "refund.updated" | "refund.failed" | "charge.refund.updated" => {
            match o.status.as_deref() {
                Some(status @ ("succeeded" | "failed" | "canceled")) => What::RefundSettled {
                    refund: intent,
                    intent: o.payment_intent.clone(),
                    ours: meta_uuid("refund_id"),
                    amount: o.amount.unwrap_or(0),
                    succeeded: status == "succeeded",
                },
                _ => What::Other,
            }
        }
        "charge.dispute.created" => What::Disputed {
            intent: o.payment_intent.clone(),
        },
        _ => What::Other,
    };
    Ok(Event {
        id: raw.id,
        kind: raw.kind,
        created: raw.created,
        object_id: o.id,
        tenant,
        what,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, object: serde_json::Value) -> Vec<u8> {
        json!({ "id": "evt_1", "object": "event", "type": kind, "created": 7, "api_version": "2099-01-01", "data": { "object": object }, "unknown": [1, 2] })
            .to_string()
            .into_bytes()
    }

    #[test]
    fn a_success_carries_our_tenant_and_attempt() {
        let t = Uuid::now_v7();
        let a = Uuid::now_v7();
        let e = parse(&event(
            "payment_intent.succeeded",
            json!({ "id": "pi_1", "amount": 2800, "amount_received": 2800, "currency": "cny", "metadata": { "tenant_id": t.to_string(), "attempt_id": a.to_string() }, "extra": { "nested": true } }),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.tenant, Some(t));
        assert_eq!(
            e.what,
            What::IntentSucceeded {
                intent: "pi_1".into(),
                attempt: Some(a),
                amount_received: 2800,
                currency: "cny".into()
            }
        );
    }

    #[test]
    fn pending_refunds_and_unknown_types_are_other_and_garbage_is_an_error() {
        let e = parse(&event(
            "refund.created",
            json!({ "id": "re_1", "status": "pending", "amount": 5 }),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.what, What::Other);
        let e = parse(&event("customer.created", json!({ "id": "cus_1" })))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.what, What::Other);
        assert!(parse(b"not json").is_err());
        assert!(parse(br#"{"id":"evt"}"#).is_err());
    }
}
