//! Online payment: starting one, following it, the firm's list, refunds, the event log.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::Money;

use super::service;
use crate::online::model::{Attempt, EventRecord, Refund};
use crate::platform::error::FieldExt;
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, parse_id};
use std::sync::Arc;

use super::stripe::Stripe;
use crate::platform::graphql::mirror_enum;

mirror_enum!(
    /// Where an online payment stands. `PENDING` until Stripe's webhook confirms it.
    PaymentAttemptStatus,
    domain::online::AttemptStatus {
        Created,
        Pending,
        Succeeded,
        Failed,
        Canceled,
        Refunded,
        Disputed
    }
);

mirror_enum!(
    RefundStatus,
    domain::online::RefundStatus {
        Pending,
        Succeeded,
        Failed
    }
);

/// Online payment, when the server is configured for it.
pub fn stripe_in<'a>(ctx: &'a Context<'_>) -> Option<&'a Stripe> {
    ctx.data_opt::<Option<Arc<Stripe>>>()
        .and_then(|s| s.as_deref())
}

#[derive(SimpleObject)]
pub struct OnlinePaymentSettings {
    /// False when the service runs without Stripe keys: pay at the office instead.
    pub enabled: bool,
    /// For Stripe.js on the payer's device (public by design).
    pub publishable_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct PaymentAttempt {
    pub id: ID,
    pub household_id: ID,
    /// Computed by the server from the invoices' outstanding amounts.
    pub amount: MoneyAmount,
    pub invoice_ids: Vec<ID>,
    pub status: PaymentAttemptStatus,
    pub stripe_payment_intent_id: Option<String>,
    /// The payment recorded once Stripe confirmed it (its receipt).
    pub payment_id: Option<ID>,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Attempt> for PaymentAttempt {
    fn from(a: Attempt) -> Self {
        Self {
            id: a.id.into(),
            household_id: a.household_id.into(),
            amount: a.amount.into(),
            invoice_ids: a.invoices.into_iter().map(Into::into).collect(),
            status: a.status.into(),
            stripe_payment_intent_id: a.intent_id,
            payment_id: a.payment_id.map(Into::into),
            failure: a.failure,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct StartedPayment {
    pub attempt: PaymentAttempt,
    /// For Stripe.js on the payer's device; never stored by us.
    pub client_secret: Option<String>,
}

#[derive(SimpleObject)]
pub struct OnlineRefund {
    pub id: ID,
    pub amount: MoneyAmount,
    pub reason: String,
    pub status: RefundStatus,
    pub stripe_refund_id: Option<String>,
    /// False for a refund made in Stripe's dashboard.
    pub through_courtyard: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Refund> for OnlineRefund {
    fn from(r: Refund) -> Self {
        Self {
            id: r.id.into(),
            amount: r.amount.into(),
            reason: r.reason,
            status: r.status.into(),
            stripe_refund_id: r.stripe_refund_id,
            through_courtyard: r.requested_by.is_some(),
            created_at: r.created_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct OnlinePayment {
    pub attempt: PaymentAttempt,
    pub refunds: Vec<OnlineRefund>,
}

#[derive(SimpleObject)]
pub struct StripeEvent {
    pub id: String,
    pub event_type: String,
    pub object_id: Option<String>,
    /// applied, unchanged, duplicate, amount_mismatch, ignored_unknown_object, ignored_type
    pub outcome: String,
    pub detail: Option<String>,
    pub received_at: DateTime<Utc>,
}

impl From<EventRecord> for StripeEvent {
    fn from(e: EventRecord) -> Self {
        Self {
            id: e.id,
            event_type: e.event_type,
            object_id: e.object_id,
            outcome: e.outcome,
            detail: e.detail,
            received_at: e.received_at,
        }
    }
}

fn limit(first: Option<i32>) -> u64 {
    u64::try_from(first.unwrap_or(50).clamp(1, 200)).unwrap_or(50)
}

#[derive(Default)]
pub struct OnlineQuery;

#[Object]
impl OnlineQuery {
    /// Whether residents can pay online here.
    async fn online_payment(&self, ctx: &Context<'_>) -> GqlResult<OnlinePaymentSettings> {
        ctx.session()?;
        let stripe = stripe_in(ctx);
        Ok(OnlinePaymentSettings {
            enabled: stripe.is_some(),
            publishable_key: stripe.and_then(|s| s.publishable_key().map(str::to_owned)),
        })
    }

    /// One online payment, for its payer's status page.
    async fn payment_attempt(&self, ctx: &Context<'_>, id: ID) -> GqlResult<PaymentAttempt> {
        let id = parse_id(&id, "id")?;
        Ok(service::attempt(ctx.db(), ctx.session()?, id).await?.into())
    }

    /// The firm's latest online payments with Stripe's ids and refunds (accountant, admin).
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn online_payments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> GqlResult<Vec<OnlinePayment>> {
        Ok(service::recent(ctx.db(), ctx.session()?, limit(first))
            .await?
            .into_iter()
            .map(|(a, r)| OnlinePayment {
                attempt: a.into(),
                refunds: r.into_iter().map(Into::into).collect(),
            })
            .collect())
    }

    /// Stripe's webhook events for this firm and what was done with each (accountant, admin).
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn stripe_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> GqlResult<Vec<StripeEvent>> {
        Ok(service::events(ctx.db(), ctx.session()?, limit(first))
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[derive(Default)]
pub struct OnlineMutation;

#[Object]
impl OnlineMutation {
    /// Starts paying one invoice, or all open invoices of the household, online. The amount
    /// comes from the books.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn start_online_payment(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
        invoice_id: Option<ID>,
    ) -> GqlResult<StartedPayment> {
        let household = parse_id(&household_id, "householdId")?;
        let invoice = invoice_id
            .as_ref()
            .map(|i| parse_id(i, "invoiceId"))
            .transpose()?;
        let started =
            service::start(ctx.db(), ctx.session()?, stripe_in(ctx), household, invoice).await?;
        Ok(StartedPayment {
            attempt: started.attempt.into(),
            client_secret: started.client_secret,
        })
    }

    /// Abandons an online payment that has not gone through.
    async fn cancel_online_payment(&self, ctx: &Context<'_>, id: ID) -> GqlResult<PaymentAttempt> {
        let id = parse_id(&id, "id")?;
        Ok(
            service::cancel(ctx.db(), ctx.session()?, stripe_in(ctx), id)
                .await?
                .into(),
        )
    }

    /// Refunds part or all of an online payment through Stripe (accountant, admin). The books
    /// change when Stripe confirms the refund.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn refund_online_payment(
        &self,
        ctx: &Context<'_>,
        payment_id: ID,
        amount: String,
        reason: String,
    ) -> GqlResult<OnlineRefund> {
        let payment = parse_id(&payment_id, "paymentId")?;
        let amount = Money::parse_positive(&amount).field("amount")?;
        Ok(service::request_refund(
            ctx.db(),
            ctx.session()?,
            stripe_in(ctx),
            payment,
            amount,
            &reason,
        )
        .await?
        .into())
    }
}
