//! Starting, cancelling and following a household's online payment attempts, and the firm's
//! log of Stripe events.

use std::collections::HashMap;

use domain::Money;
use domain::online::AttemptEvent;
use serde_json::json;
use uuid::Uuid;

use super::apply::apply;
use super::gateway::{disabled, gateway};
use crate::billing;
use crate::collection::{open_invoices, readable_household, readable_or_not_found};
use crate::online::model::{Attempt, EventRecord, NewAttempt, Refund};
use crate::online::store;
use crate::online::stripe::{GatewayError, Intent, Stripe};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

pub struct Started {
    pub attempt: Attempt,
    /// For Stripe.js to collect the payment on the payer's device.
    pub client_secret: Option<String>,
}

/// Starts paying one invoice, or every open invoice of the household. The amount is what
/// our books say is owed, never a figure from the client. The attempt is recorded in one
/// transaction, Stripe is called outside any, and its answer is recorded in another.
#[tracing::instrument(name = "online.start", skip_all)]
pub async fn start(
    db: &Db,
    ctx: &RequestContext,
    stripe: Option<&Stripe>,
    household: Uuid,
    invoice: Option<Uuid>,
) -> AppResult<Started> {
    let stripe = stripe.ok_or_else(disabled)?;
    let attempt = record_attempt(db, ctx, household, invoice).await?;
    let created = stripe
        .create_intent(
            ctx.tenant_id,
            attempt.id,
            attempt.household_id,
            attempt.amount.fen(),
            &attempt.invoices,
        )
        .await;
    record_intent(db, ctx, attempt.id, created).await
}

/// Records an attempt to pay what the household owes (on `invoice`, or on every open one),
/// if the household is the payer's own or the payer keeps the firm's books.
async fn record_attempt(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
    invoice: Option<Uuid>,
) -> AppResult<Attempt> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let h = readable_household(tx, ctx, household).await?;
    let own = ctx
        .reach
        .households()
        .is_some_and(|(_, own)| own.contains(&household));
    if !own && !ctx.principal.can_keep_books() {
        return Err(AppError::forbidden(
            "only the household or the firm's accountant may pay its bills online",
        ));
    }
    let mut open = open_invoices(tx, ctx.tenant_id, h.id).await?;
    if let Some(id) = invoice {
        billing::find_invoice(tx, ctx.tenant_id, id)
            .await?
            .filter(|i| i.household_id == h.id)
            .ok_or(AppError::NotFound("invoice"))?;
        open.retain(|(i, _)| i.id == id);
        if open.is_empty() {
            return Err(AppError::conflict(
                "invoiceId",
                "this invoice is already paid",
            ));
        }
    }
    if open.is_empty() {
        return Err(AppError::conflict("householdId", "nothing is owed"));
    }
    let amount = Money::sum(open.iter().map(|(_, owed)| *owed)).field("invoiceId")?;
    let new = NewAttempt {
        household: h.id,
        compound: h.compound_id,
        amount,
        invoices: open.iter().map(|(i, _)| i.id).collect(),
        started_by: ctx.user_id(),
    };
    let attempt = store::insert_attempt(tx, ctx.tenant_id, new).await?;
    let detail = json!({ "fen": amount.fen(), "invoices": attempt.invoices.len() });
    uow.audit("online.start", "payment_attempt", attempt.id, detail);
    uow.commit().await?;
    Ok(attempt)
}

/// Records Stripe's answer to a new attempt: its PaymentIntent, or the attempt failed.
async fn record_intent(
    db: &Db,
    ctx: &RequestContext,
    attempt: Uuid,
    created: Result<Intent, GatewayError>,
) -> AppResult<Started> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut current = store::lock_attempt(tx, ctx.tenant_id, attempt)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    let result = match created {
        Ok(intent) => {
            store::link(tx, &intent.id, ctx.tenant_id).await?;
            current.intent_id = Some(intent.id);
            apply(&mut current, AttemptEvent::IntentCreated);
            Ok(intent.client_secret)
        }
        Err(e) => {
            current.failure = Some(e.to_string());
            apply(&mut current, AttemptEvent::Failed);
            Err(gateway(e))
        }
    };
    store::save_attempt(tx, ctx.tenant_id, &current).await?;
    uow.commit().await?;
    Ok(Started {
        attempt: current,
        client_secret: result?,
    })
}

/// The payer gives up: Stripe cancels the PaymentIntent (it refuses if the money arrived
/// meanwhile, and then the payment stands) and the attempt is marked canceled.
#[tracing::instrument(name = "online.cancel", skip_all)]
pub async fn cancel(
    db: &Db,
    ctx: &RequestContext,
    stripe: Option<&Stripe>,
    id: Uuid,
) -> AppResult<Attempt> {
    let stripe = stripe.ok_or_else(disabled)?;
    let a = attempt(db, ctx, id).await?;
    if a.status.money_received() {
        return Err(AppError::conflict(
            "id",
            "this payment went through; ask for a refund instead",
        ));
    }
    if let Some(intent) = &a.intent_id
        && a.status != domain::online::AttemptStatus::Canceled
    {
        stripe.cancel_intent(intent).await.map_err(|e| match e {
            GatewayError::Refused(_) => AppError::conflict(
                "id",
                "Stripe could not cancel this payment; it may have just gone through",
            ),
            other => gateway(other),
        })?;
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut current = store::lock_attempt(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    if apply(&mut current, AttemptEvent::Canceled) {
        store::save_attempt(tx, ctx.tenant_id, &current).await?;
    }
    uow.commit().await?;
    Ok(current)
}

/// One attempt, for the payer's status page (the household, or staff).
#[tracing::instrument(name = "online.attempt", skip_all)]
pub async fn attempt(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Attempt> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let a = store::find_attempt(&tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    readable_or_not_found(&tx, ctx, a.household_id, "payment attempt").await?;
    tx.commit().await?;
    Ok(a)
}

/// The firm's latest online payments with their refunds (accountant and admin).
#[tracing::instrument(name = "online.recent", skip_all)]
pub async fn recent(
    db: &Db,
    ctx: &RequestContext,
    limit: u64,
) -> AppResult<Vec<(Attempt, Vec<Refund>)>> {
    require_books(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let attempts =
        store::recent_attempts(&tx, ctx.tenant_id, ctx.reach.compounds(), limit.min(200)).await?;
    let ids: Vec<Uuid> = attempts.iter().map(|a| a.id).collect();
    let mut refunds: HashMap<Uuid, Vec<Refund>> = HashMap::new();
    for r in store::refunds_of_attempts(&tx, ctx.tenant_id, &ids).await? {
        refunds.entry(r.attempt_id).or_default().push(r);
    }
    tx.commit().await?;
    Ok(attempts
        .into_iter()
        .map(|a| {
            let r = refunds.remove(&a.id).unwrap_or_default();
            (a, r)
        })
        .collect())
}

/// The webhook events recorded for the caller's firm, newest first (accountant and admin).
pub async fn events(db: &Db, ctx: &RequestContext, limit: u64) -> AppResult<Vec<EventRecord>> {
    require_books(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let out = store::events_of(&tx, ctx.tenant_id, limit.min(200)).await?;
    tx.commit().await?;
    Ok(out)
}
