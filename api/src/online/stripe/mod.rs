//! Stripe, as Courtyard uses it: PaymentIntents for residents' payments, refunds, transfers
//! to committees' connected accounts, and signed webhooks. Every call is a traced span and
//! carries an idempotency key derived from our own record's id, so a retry after a crash or
//! timeout can never create a second charge, refund or transfer.

pub mod event;
pub mod signature;

use std::collections::HashMap;

use futures_util::TryStreamExt;

use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_connect::transfer::CreateTransfer;
use stripe_core::payment_intent::{CancelPaymentIntent, CreatePaymentIntent, ListPaymentIntent};
use stripe_core::refund::{CreateRefund, ListRefund};
use stripe_core::{PaymentIntentAllowedPaymentMethodTypes as Method, PaymentIntentStatus};
use stripe_types::Currency;
use uuid::Uuid;

use crate::platform::configuration::{Secret, StripeSettings};

/// Online payment, configured. Absent (no keys) means online payment is off.
pub struct Stripe {
    client: Client,
    webhook_secret: Secret,
    publishable_key: Option<String>,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stripe { .. }")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("Stripe refused the request: {0}")]
    Refused(String),
    #[error("Stripe could not be reached: {0}")]
    Unreachable(String),
}

impl From<StripeError> for GatewayError {
    fn from(e: StripeError) -> Self {
        match e {
            StripeError::Stripe(errors, status) => Self::Refused(format!(
                "{} ({status})",
                errors.message.as_deref().unwrap_or("no message")
            )),
            other => Self::Unreachable(other.to_string()),
        }
    }
}

/// What we keep of a PaymentIntent.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    pub client_secret: Option<String>,
    pub succeeded: bool,
    pub amount_received: i64,
    pub currency: String,
    pub metadata: HashMap<String, String>,
}

/// What we keep of a refund.
#[derive(Debug, Clone)]
pub struct RefundInfo {
    pub id: String,
    pub amount: i64,
    /// `pending`, `succeeded`, `failed`, `canceled`, …
    pub status: String,
    pub intent: Option<String>,
    pub metadata: HashMap<String, String>,
}

fn key(k: &str) -> Result<RequestStrategy, GatewayError> {
    IdempotencyKey::new(k)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| GatewayError::Refused(e.to_string()))
}

impl Stripe {
    /// `None` unless both the secret key and the webhook secret are set.
    pub fn from_settings(s: &StripeSettings) -> Result<Option<Self>, GatewayError> {
        let (Some(secret), Some(webhook)) = (&s.stripe_secret_key, &s.stripe_webhook_secret) else {
            return Ok(None);
        };
        let mut builder = ClientBuilder::new(secret.expose());
        if let Some(base) = &s.stripe_api_base {
            builder = builder.url(base.trim_end_matches('/'));
        }
        let client = builder
            .request_strategy(RequestStrategy::ExponentialBackoff(3))
            .build()
            .map_err(|e| GatewayError::Unreachable(e.to_string()))?;
        Ok(Some(Self {
            client,
            webhook_secret: webhook.clone(),
            publishable_key: s.stripe_publishable_key.clone(),
        }))
    }

    #[must_use]
    pub fn publishable_key(&self) -> Option<&str> {
        self.publishable_key.as_deref()
    }

    #[must_use]
    pub fn webhook_secret(&self) -> &str {
        self.webhook_secret.expose()
    }

    /// Creates the PaymentIntent for an attempt, in CNY, card and Alipay (WeChat Pay where
    /// the Stripe account's country allows it; Stripe drops methods it cannot offer).
    #[tracing::instrument(name = "stripe.create_intent", skip_all, fields(attempt = %attempt))]
    pub async fn create_intent(
        &self,
        tenant: Uuid,
        attempt: Uuid,
        household: Uuid,
        amount_fen: i64,
        invoices: &[Uuid],
    ) -> Result<Intent, GatewayError> {
        let mut metadata = HashMap::from([
            ("tenant_id".to_owned(), tenant.to_string()),
            ("attempt_id".to_owned(), attempt.to_string()),
            ("household_id".to_owned(), household.to_string()),
        ]);
        // Stripe allows 500 characters a value: the invoice list is for people reading the
        // dashboard; our own records hold the full list.
        let list: Vec<String> = invoices.iter().map(Uuid::to_string).collect();
        let mut joined = list.join(",");
        joined.truncate(500);
        metadata.insert("invoice_ids".to_owned(), joined);
        let pi = CreatePaymentIntent::new(amount_fen, Currency::CNY)
            .allowed_payment_method_types(vec![Method::Card, Method::Alipay, Method::WechatPay])
            .metadata(metadata)
            .description("物业费 property fees")
            .customize()
            .request_strategy(key(&format!("attempt:{attempt}"))?)
            .send(&self.client)
            .await?;
        Ok(intent(pi))
    }

    /// Abandons a PaymentIntent nobody paid; Stripe refuses if it was paid meanwhile.
    #[tracing::instrument(name = "stripe.cancel_intent", skip_all)]
    pub async fn cancel_intent(&self, id: &str) -> Result<(), GatewayError> {
        CancelPaymentIntent::new(id)
            .customize()
            .request_strategy(key(&format!("cancel:{id}"))?)
            .send(&self.client)
            .await?;
        Ok(())
    }

    /// Asks Stripe to return `amount_fen` of a PaymentIntent; keyed by our refund's id.
    #[tracing::instrument(name = "stripe.create_refund", skip_all, fields(refund = %refund))]
    pub async fn create_refund(
        &self,
        tenant: Uuid,
        refund: Uuid,
        intent: &str,
        amount_fen: i64,
    ) -> Result<RefundInfo, GatewayError> {
        let r = CreateRefund::new()
            .payment_intent(intent)
            .amount(amount_fen)
            .metadata(HashMap::from([
                ("tenant_id".to_owned(), tenant.to_string()),
                ("refund_id".to_owned(), refund.to_string()),
            ]))
            .customize()
            .request_strategy(key(&format!("refund:{refund}"))?)
            .send(&self.client)
            .await?;
        Ok(refund_info(r))
    }

    /// Moves `amount_fen` of the platform's balance to a committee's connected account
    /// (separate charges and transfers); keyed by our payout's id. Returns the transfer id.
    #[tracing::instrument(name = "stripe.create_transfer", skip_all, fields(payout = %payout))]
    pub async fn create_transfer(
        &self,
        tenant: Uuid,
        payout: Uuid,
        destination: &str,
        amount_fen: i64,
    ) -> Result<String, GatewayError> {
        let t = CreateTransfer::new(Currency::CNY, destination)
            .amount(amount_fen)
            .metadata(HashMap::from([
                ("tenant_id".to_owned(), tenant.to_string()),
                ("payout_id".to_owned(), payout.to_string()),
            ]))
            .customize()
            .request_strategy(key(&format!("payout:{payout}"))?)
            .send(&self.client)
            .await?;
        if t.amount != amount_fen {
            return Err(GatewayError::Refused(format!(
                "transfer {} is for {} fen, not {amount_fen}",
                t.id, t.amount
            )));
        }
        Ok(t.id.to_string())
    }

    /// Every PaymentIntent created at or after `since` (unix seconds), all pages.
    #[tracing::instrument(name = "stripe.list_intents", skip_all)]
    pub async fn list_intents(&self, since: i64) -> Result<Vec<Intent>, GatewayError> {
        let all: Vec<_> = ListPaymentIntent::new()
            .limit(100)
            .created(stripe_types::RangeQueryTs::gte(since))
            .paginate()
            .stream(&self.client)
            .try_collect()
            .await?;
        Ok(all.into_iter().map(intent).collect())
    }

    /// Every refund created at or after `since` (unix seconds), all pages.
    #[tracing::instrument(name = "stripe.list_refunds", skip_all)]
    pub async fn list_refunds(&self, since: i64) -> Result<Vec<RefundInfo>, GatewayError> {
        let all: Vec<_> = ListRefund::new()
            .limit(100)
            .created(stripe_types::RangeQueryTs::gte(since))
            .paginate()
            .stream(&self.client)
            .try_collect()
            .await?;
        Ok(all.into_iter().map(refund_info).collect())
    }
}

fn intent(pi: stripe_core::PaymentIntent) -> Intent {
    Intent {
        id: pi.id.to_string(),
        client_secret: pi.client_secret,
        succeeded: pi.status == PaymentIntentStatus::Succeeded,
        amount_received: pi.amount_received,
        currency: pi.currency.to_string(),
        metadata: pi.metadata,
    }
}

fn refund_info(r: stripe_core::Refund) -> RefundInfo {
    RefundInfo {
        id: r.id.to_string(),
        amount: r.amount,
        status: r.status.unwrap_or_default(),
        intent: r.payment_intent.map(|p| p.id().to_string()),
        metadata: r.metadata.unwrap_or_default(),
    }
}
