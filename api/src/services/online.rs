//! Online payment through Stripe: starting a payment, applying what Stripe reports (webhooks
//! and reconciliation alike), and refunds.
//!
//! Stripe is never called inside a database transaction. Our record is written first
//! (attempt or refund), then Stripe is called with an idempotency key derived from that
//! record's id, then the answer is stored. Whatever Stripe reports later is applied in one
//! transaction together with the event's record (whose id is unique: a second delivery
//! rolls back), with the attempt or refund it concerns locked, so a repeated, late or
//! out-of-order report changes nothing the second time. Locks are taken in one order
//! everywhere — refund, attempt, household, then the ledger's chain head at the append —
//! and the firm-wide ledger lock is held only from the append to the commit.

use std::collections::HashMap;

pub use deliveries::Deliveries;

use chrono::{DateTime, Utc};
use domain::ledger::{PaymentMethod, rules};
use domain::online::{AttemptEvent, Move, RefundStatus};
use domain::{LongText, Money};
use serde_json::json;
use uuid::Uuid;

use super::RequestContext;
use super::access::require_books;
use super::payments::{
    Collection, credit_in, open_invoices, readable_household, readable_or_not_found,
};
use crate::db::Db;
use crate::error::{AppError, AppResult, FieldExt};
use crate::store::audit;
use crate::store::billing;
use crate::store::households;
use crate::store::ledger::{self as ledger_store, NewEntry};
use crate::store::online::{self as store, Attempt, NewAttempt, NewEvent, NewRefund, Refund};
use crate::store::payments::{self, Allocation, NewPayment};
use crate::stripe::event::{self, Event, What};
use crate::stripe::signature::{self, SignatureError};
use crate::stripe::{GatewayError, RefundInfo, Stripe};

mod deliveries;

fn disabled() -> AppError {
    AppError::forbidden("online payment is not enabled; pay at the property office instead")
}

fn gateway(e: GatewayError) -> AppError {
    AppError::internal(e)
}

pub struct Started {
    pub attempt: Attempt,
    /// For Stripe.js to collect the payment on the payer's device.
    pub client_secret: Option<String>,
}

/// Starts paying one invoice, or every open invoice of the household. The amount is what
/// our books say is owed, never a figure from the client.
#[tracing::instrument(name = "online.start", skip_all)]
pub async fn start(
    db: &Db,
    ctx: &RequestContext,
    stripe: Option<&Stripe>,
    household: Uuid,
    invoice: Option<Uuid>,
) -> AppResult<Started> {
    let stripe = stripe.ok_or_else(disabled)?;
    let tx = db.begin_tenant_writes(ctx.tenant_id).await?;
    let h = readable_household(&tx, ctx, household).await?;
    let own = ctx
        .reach
        .households()
        .is_some_and(|(_, own)| own.contains(&household));
    if !own && !ctx.principal.can_keep_books() {
        return Err(AppError::forbidden(
            "only the household or the firm's accountant may pay its bills online",
        ));
    }
    let mut open = open_invoices(&tx, ctx.tenant_id, h.id).await?;
    if let Some(id) = invoice {
        billing::find_invoice(&tx, ctx.tenant_id, id)
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
    let attempt = store::insert_attempt(
        &tx,
        ctx.tenant_id,
        NewAttempt {
            household: h.id,
            compound: h.compound_id,
            amount,
            invoices: open.iter().map(|(i, _)| i.id).collect(),
            started_by: ctx.user_id(),
        },
    )
    .await?;
    audit::change(
        &tx,
        ctx.tenant_id,
        Some(ctx.user_id()),
        "online.start",
        "payment_attempt",
        attempt.id,
        json!({ "fen": amount.fen(), "invoices": attempt.invoices.len() }),
    )
    .await?;
    tx.commit().await?;

    let created = stripe
        .create_intent(
            ctx.tenant_id,
            attempt.id,
            h.id,
            amount.fen(),
            &attempt.invoices,
        )
        .await;
    let tx = db.begin_tenant_writes(ctx.tenant_id).await?;
    let mut current = store::lock_attempt(&tx, ctx.tenant_id, attempt.id)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    let result = match created {
        Ok(intent) => {
            store::link(&tx, &intent.id, ctx.tenant_id).await?;
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
    store::save_attempt(&tx, ctx.tenant_id, &current).await?;
    tx.commit().await?;
    Ok(Started {
        attempt: current,
        client_secret: result?,
    })
}

fn apply(a: &mut Attempt, e: AttemptEvent) -> bool {
    match a.status.on(e) {
        Move::To(next) => {
            a.status = next;
            true
        }
        Move::Unchanged => false,
    }
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
    let tx = db.begin_tenant_writes(ctx.tenant_id).await?;
    let mut current = store::lock_attempt(&tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    if apply(&mut current, AttemptEvent::Canceled) {
        store::save_attempt(&tx, ctx.tenant_id, &current).await?;
    }
    tx.commit().await?;
    Ok(current)
}

/// One attempt, for the payer's status page (the household, or staff).
#[tracing::instrument(name = "online.attempt", skip_all)]
pub async fn attempt(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Attempt> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
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
    let tx = db.begin_tenant(ctx.tenant_id).await?;
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
pub async fn events(
    db: &Db,
    ctx: &RequestContext,
    limit: u64,
) -> AppResult<Vec<store::EventRecord>> {
    require_books(ctx)?;
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let out = store::events_of(&tx, ctx.tenant_id, limit.min(200)).await?;
    tx.commit().await?;
    Ok(out)
}

/// Asks Stripe to return part or all of an online payment. The ledger reversal and the
/// credit note are written when Stripe confirms the refund.
#[tracing::instrument(name = "online.refund", skip_all)]
pub async fn request_refund(
    db: &Db,
    ctx: &RequestContext,
    stripe: Option<&Stripe>,
    payment: Uuid,
    amount: Money,
    reason: &str,
) -> AppResult<Refund> {
    require_books(ctx)?;
    let stripe = stripe.ok_or_else(disabled)?;
    if !amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let reason = LongText::parse(reason).field("reason")?;
    let tx = db.begin_tenant_writes(ctx.tenant_id).await?;
    let p = payments::find(&tx, ctx.tenant_id, payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    crate::store::households::find(&tx, ctx.tenant_id, &ctx.reach, p.household_id)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    // The attempt's lock keeps two refund requests from both finding the money unrefunded.
    let found = match store::find_attempt_by_payment(&tx, ctx.tenant_id, p.id).await? {
        Some(a) => store::lock_attempt(&tx, ctx.tenant_id, a.id).await?,
        None => None,
    };
    let attempt = found
        .filter(|_| p.method == PaymentMethod::Online)
        .ok_or_else(|| {
            AppError::bad_input(
                "paymentId",
                "only online payments are refunded through Stripe; reverse a mistaken cash payment instead",
            )
        })?;
    let intent = attempt
        .intent_id
        .clone()
        .ok_or_else(|| AppError::Internal("a paid attempt has no PaymentIntent".into()))?;
    // Refunds asked for and not failed are spoken for.
    let refundable = unrefunded(&tx, ctx.tenant_id, &attempt, |r| {
        r.status != RefundStatus::Failed
    })
    .await?;
    if amount > refundable {
        return Err(AppError::bad_input(
            "amount",
            format!("at most {refundable} of this payment can still be refunded"),
        ));
    }
    let refund = store::insert_refund(
        &tx,
        ctx.tenant_id,
        &attempt,
        NewRefund {
            payment: p.id,
            amount,
            reason: reason.into_inner(),
            requested_by: Some(ctx.user_id()),
            stripe_refund_id: None,
        },
    )
    .await?;
    audit::change(
        &tx,
        ctx.tenant_id,
        Some(ctx.user_id()),
        "online.refund",
        "payment",
        p.id,
        json!({ "fen": amount.fen(), "refund": refund.id }),
    )
    .await?;
    tx.commit().await?;

    let created = stripe
        .create_refund(ctx.tenant_id, refund.id, &intent, amount.fen())
        .await;
    let tx = db.begin_tenant_writes(ctx.tenant_id).await?;
    let mut current = store::lock_refund(&tx, ctx.tenant_id, refund.id)
        .await?
        .ok_or(AppError::NotFound("refund"))?;
    let outcome = match created {
        Ok(info) => {
            store::link(&tx, &info.id, ctx.tenant_id).await?;
            current.stripe_refund_id = Some(info.id.clone());
            // Stripe often settles a card refund at once; then there is nothing to wait for.
            if let Some(succeeded) = settled(&info.status) {
                settle_refund(&tx, ctx.tenant_id, &mut current, succeeded).await?;
            }
            Ok(())
        }
        Err(e) => {
            current.status = RefundStatus::Failed;
            Err(gateway(e))
        }
    };
    store::save_refund(&tx, ctx.tenant_id, &current).await?;
    tx.commit().await?;
    outcome.map(|()| current)
}

fn settled(status: &str) -> Option<bool> {
    match status {
        "succeeded" => Some(true),
        "failed" | "canceled" => Some(false),
        _ => None,
    }
}

/// What of an attempt's payment is left once the refunds that `count` are taken off.
async fn unrefunded(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    attempt: &Attempt,
    count: impl Fn(&Refund) -> bool,
) -> AppResult<Money> {
    let taken = Money::sum(
        store::refunds_of_attempts(tx, tenant, &[attempt.id])
            .await?
            .iter()
            .filter(|r| count(r))
            .map(|r| r.amount),
    )
    .field("amount")?;
    attempt.amount.checked_sub(taken).field("amount")
}

// ---- what Stripe reports ----

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

/// The tenant an event belongs to: the link we stored when creating its object wins over
/// metadata (metadata can only confirm it).
async fn tenant_of(db: &Db, e: &Event) -> AppResult<Option<Uuid>> {
    // Platform tables, read outside any transaction: one statement in the common case.
    let conn = db.connection();
    let object = e.object_id.as_deref();
    let intent = intent_of(&e.what).filter(|i| Some(*i) != object);
    for object in [object, intent].into_iter().flatten() {
        if let Some(t) = store::tenant_of(conn, object).await? {
            return Ok(Some(t));
        }
    }
    // Metadata names a tenant only if it is one of ours.
    Ok(match e.tenant {
        Some(t) => crate::store::tenants::find(conn, t).await?.map(|_| t),
        None => None,
    })
}

fn intent_of(w: &What) -> Option<&str> {
    match w {
        What::IntentSucceeded { intent, .. }
        | What::IntentFailed { intent, .. }
        | What::IntentCanceled { intent, .. } => Some(intent),
        What::RefundSettled { intent, .. } | What::Disputed { intent } => intent.as_deref(),
        What::Other => None,
    }
}

/// Applies an event in one transaction with its record (`record_id`: the event's id, or a
/// reconciliation id). `received_at` dates the payment (now, for webhooks).
async fn apply_event(
    db: &Db,
    e: &Event,
    record_id: &str,
    received_at: Option<DateTime<Utc>>,
) -> AppResult<&'static str> {
    let record = |tenant, outcome, detail| event_record(e, record_id, tenant, outcome, detail);
    let Some(tenant) = tenant_of(db, e).await? else {
        let tx = db.begin_global().await?;
        let fresh = store::record_event(&tx, record(None, "ignored_unknown_tenant", None)).await?;
        tx.commit().await?;
        return Ok(if fresh {
            "ignored_unknown_tenant"
        } else {
            "duplicate"
        });
    };
    let tx = db.begin_tenant_writes(tenant).await?;
    let at = received_at.unwrap_or_else(Utc::now);
    let mut book = Vec::new();
    let (outcome, detail) = effect(&tx, tenant, e, at, &mut book).await?;
    // Deliveries of one event race to this unique id; every one but the first rolls back
    // (by then the attempt's or refund's lock has made its effect a no-op anyway).
    if !store::record_event(&tx, record(Some(tenant), outcome, detail)).await? {
        tx.rollback().await?;
        return Ok("duplicate");
    }
    // The ledger last: the firm's ledger lock is held only from here to the commit.
    if !book.is_empty() {
        super::ledger::append_in(&tx, tenant, book).await?;
    }
    super::crash_point("webhook-before-commit");
    tx.commit().await?;
    Ok(outcome)
}

/// The record of event `e` under `id` (Stripe's event id, or a reconciliation id).
fn event_record<'a>(
    e: &'a Event,
    id: &'a str,
    tenant: Option<Uuid>,
    outcome: &'a str,
    detail: Option<String>,
) -> NewEvent<'a> {
    NewEvent {
        id,
        event_type: &e.kind,
        object_id: e.object_id.as_deref(),
        tenant,
        outcome,
        detail,
        stripe_created: e.created,
    }
}

async fn find_attempt(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    id: Option<Uuid>,
    intent: Option<&str>,
) -> AppResult<Option<Attempt>> {
    if let Some(id) = id
        && let Some(a) = store::lock_attempt(tx, tenant, id).await?
    {
        return Ok(Some(a));
    }
    match intent {
        Some(intent) => match store::find_attempt_by_intent(tx, tenant, intent).await? {
            Some(a) => Ok(store::lock_attempt(tx, tenant, a.id).await?),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// What event `e` does, in the caller's transaction. Ledger entries it makes are pushed to
/// `book` for the caller to append last, after the event's record.
async fn effect(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    e: &Event,
    at: DateTime<Utc>,
    book: &mut Vec<NewEntry>,
) -> AppResult<(&'static str, Option<String>)> {
    let unknown = Ok(("ignored_unknown_object", None));
    match &e.what {
        What::IntentSucceeded {
            intent, attempt, ..
        } => {
            let Some(mut a) = find_attempt(tx, tenant, *attempt, Some(intent)).await? else {
                return unknown;
            };
            households::lock(tx, tenant, &[a.household_id]).await?;
            let mut successes = Successes::owed_by(tx, tenant, &[a.household_id]).await?;
            let outcome = successes.succeeded(&mut a, e, at)?;
            book.extend(successes.write(tx, tenant).await?);
            Ok(outcome)
        }
        What::IntentFailed {
            intent,
            attempt,
            message,
        } => {
            let Some(mut a) = find_attempt(tx, tenant, *attempt, Some(intent)).await? else {
                return unknown;
            };
            if apply(&mut a, AttemptEvent::Failed) {
                a.failure = Some(message.chars().take(500).collect());
                store::save_attempt(tx, tenant, &a).await?;
                return Ok(("applied", None));
            }
            Ok(("unchanged", None))
        }
        What::IntentCanceled { intent, attempt } => {
            let Some(mut a) = find_attempt(tx, tenant, *attempt, Some(intent)).await? else {
                return unknown;
            };
            let changed = apply(&mut a, AttemptEvent::Canceled);
            if changed {
                store::save_attempt(tx, tenant, &a).await?;
            }
            Ok((if changed { "applied" } else { "unchanged" }, None))
        }
        What::RefundSettled {
            refund,
            intent,
            ours,
            amount,
            succeeded,
        } => {
            let found = match ours {
                Some(id) => store::lock_refund(tx, tenant, *id).await?,
                None => store::find_refund_by_stripe_id(tx, tenant, refund).await?,
            };
            let mut r = match found {
                Some(r) => r,
                None => {
                    // Made in Stripe's dashboard: recorded as such, and the household's debt
                    // comes back (no credit note: an accountant decides on that).
                    let Some(a) = find_attempt(tx, tenant, None, intent.as_deref()).await? else {
                        return unknown;
                    };
                    store::insert_refund(
                        tx,
                        tenant,
                        &a,
                        NewRefund {
                            payment: a.payment_id.unwrap_or_default(),
                            amount: Money::from_fen(*amount),
                            reason: "在 Stripe 后台退款 refunded in Stripe's dashboard".to_owned(),
                            requested_by: None,
                            stripe_refund_id: Some(refund.clone()),
                        },
                    )
                    .await?
                }
            };
            if r.stripe_refund_id.is_none() {
                r.stripe_refund_id = Some(refund.clone());
            }
            let changed = settle_refund(tx, tenant, &mut r, *succeeded).await?;
            store::save_refund(tx, tenant, &r).await?;
            Ok((if changed { "applied" } else { "unchanged" }, None))
        }
        What::Disputed { intent } => {
            let Some(mut a) = find_attempt(tx, tenant, None, intent.as_deref()).await? else {
                return unknown;
            };
            let changed = apply(&mut a, AttemptEvent::Disputed);
            if changed {
                store::save_attempt(tx, tenant, &a).await?;
            }
            Ok((if changed { "applied" } else { "unchanged" }, None))
        }
        What::Other => Ok(("ignored_type", None)),
    }
}

/// The money of succeeded attempts, recorded under the attempts' and their households'
/// locks (which the caller holds to its commit), written together by [`Successes::write`].
struct Successes {
    payments: Collection,
    paid: Vec<Attempt>,
}

impl Successes {
    /// Reads what these households owe.
    async fn owed_by(
        tx: &sea_orm::DatabaseTransaction,
        tenant: Uuid,
        households: &[Uuid],
    ) -> AppResult<Self> {
        Ok(Self {
            payments: Collection::owed_by(tx, tenant, households).await?,
            paid: Vec::new(),
        })
    }

    /// What a `payment_intent.succeeded` event does to its attempt: the money is received
    /// once, if it is what the attempt asked for (`applied` then, and only then).
    fn succeeded(
        &mut self,
        a: &mut Attempt,
        e: &Event,
        at: DateTime<Utc>,
    ) -> AppResult<(&'static str, Option<String>)> {
        let What::IntentSucceeded {
            intent,
            amount_received,
            currency,
            ..
        } = &e.what
        else {
            return Err(AppError::Internal("not a succeeded payment".into()));
        };
        if !currency.eq_ignore_ascii_case("cny") || *amount_received != a.amount.fen() {
            tracing::warn!(attempt = %a.id, amount_received, "online payment amount differs");
            return Ok((
                "amount_mismatch",
                Some(format!(
                    "received {amount_received} {currency}, expected {} cny",
                    a.amount.fen()
                )),
            ));
        }
        if a.intent_id.is_none() {
            a.intent_id = Some(intent.clone());
        }
        let changed = self.receive(a, at)?;
        Ok((if changed { "applied" } else { "unchanged" }, None))
    }

    /// Records the money of a succeeded attempt once: the payment (processor clearing ←
    /// household receivable), allocated to the attempt's invoices first, with its receipt.
    fn receive(&mut self, a: &mut Attempt, at: DateTime<Utc>) -> AppResult<bool> {
        if a.payment_id.is_some() {
            return Ok(false);
        }
        let intent = a
            .intent_id
            .clone()
            .ok_or_else(|| AppError::Internal("a paid attempt has no PaymentIntent".into()))?;
        // The payment and the attempt's link to it are written together, so an attempt
        // without a payment has none under this key (and the key is unique should that ever
        // break).
        let payment = self.payments.plan(
            NewPayment {
                household: a.household_id,
                compound: a.compound_id,
                amount: a.amount,
                method: PaymentMethod::Online,
                receipt_no: intent.chars().take(64).collect(),
                received_at: at,
                recorded_by: a.started_by,
                idempotency_key: format!("stripe:{intent}"),
            },
            &a.invoices,
        )?;
        a.payment_id = Some(payment);
        apply(a, AttemptEvent::Succeeded);
        self.paid.push(a.clone());
        Ok(true)
    }

    /// Writes the payments received and their attempts; returns the ledger entries for the
    /// caller to append last.
    async fn write(
        self,
        tx: &sea_orm::DatabaseTransaction,
        tenant: Uuid,
    ) -> AppResult<Vec<NewEntry>> {
        let recorded = self.payments.write(tx, tenant).await?;
        store::save_attempts(tx, tenant, &self.paid).await?;
        Ok(recorded.into_iter().map(|u| u.entry).collect())
    }
}

/// Settles a refund once. On success: the money Stripe returned comes off the payment's
/// allocations (held credit first, then the newest invoices), the ledger records it
/// (household receivable ← processor clearing) and, for a refund asked through Courtyard,
/// a credit note with its reason clears what the household would otherwise owe again.
async fn settle_refund(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    r: &mut Refund,
    succeeded: bool,
) -> AppResult<bool> {
    let Move::To(next) = r.status.settle(succeeded) else {
        return Ok(false);
    };
    r.status = next;
    if !succeeded {
        return Ok(true);
    }
    let mut a = store::lock_attempt(tx, tenant, r.attempt_id)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    households::lock(tx, tenant, &[a.household_id]).await?;
    // A refund proves the charge succeeded, even if that report has not arrived yet.
    if !a.status.money_received() {
        let mut successes = Successes::owed_by(tx, tenant, &[a.household_id]).await?;
        successes.receive(&mut a, Utc::now())?;
        super::ledger::append_in(tx, tenant, successes.write(tx, tenant).await?).await?;
    }
    let payment_id = a
        .payment_id
        .ok_or_else(|| AppError::Internal("a paid attempt has no payment".into()))?;
    r.payment_id = payment_id;
    let mut net: Vec<(Option<Uuid>, Money)> = Vec::new();
    for al in payments::allocations_of_payments(tx, tenant, &[payment_id]).await? {
        match net.iter_mut().find(|(i, _)| *i == al.invoice) {
            Some((_, m)) => *m = m.checked_add(al.amount).field("amount")?,
            None => net.push((al.invoice, al.amount)),
        }
    }
    // Held credit first, then invoices newest first.
    let order: Vec<Option<Uuid>> = std::iter::once(None)
        .chain(a.invoices.iter().rev().copied().map(Some))
        .chain(net.iter().map(|(i, _)| *i))
        .collect();
    let mut left = r.amount;
    let mut undo = Vec::new();
    for target in order {
        if left.is_zero() {
            break;
        }
        if let Some((_, have)) = net.iter_mut().find(|(i, _)| *i == target)
            && have.is_positive()
        {
            let part = left.min(*have);
            *have = have.checked_sub(part).field("amount")?;
            left = left.checked_sub(part).field("amount")?;
            undo.push(Allocation {
                payment: payment_id,
                invoice: target,
                amount: Money::from_fen(-part.fen()),
            });
        }
    }
    payments::allocate(tx, tenant, &undo).await?;
    let entry = rules::refund(
        a.compound_id,
        a.household_id,
        PaymentMethod::Online,
        r.amount,
    )
    .field("amount")?;
    let payment_entry =
        ledger_store::find_entry_by_key(tx, tenant, &format!("payment:{payment_id}")).await?;
    super::ledger::append_in(
        tx,
        tenant,
        vec![NewEntry {
            entry,
            occurred_at: Utc::now(),
            idempotency_key: format!("refund:{}", r.id),
            memo: format!(
                "在线退款 {}：{}",
                r.stripe_refund_id.as_deref().unwrap_or(""),
                r.reason
            ),
            actor: r.requested_by,
            reverses: payment_entry.map(|e| e.id),
        }],
    )
    .await?;
    if let Some(approver) = r.requested_by {
        for u in &undo {
            let Some(invoice) = u.invoice else { continue };
            let inv = billing::find_invoice(tx, tenant, invoice)
                .await?
                .ok_or(AppError::NotFound("invoice"))?;
            credit_in(
                tx,
                tenant,
                &inv,
                Money::from_fen(-u.amount.fen()),
                format!("在线退款 online refund: {}", r.reason),
                approver,
            )
            .await?;
        }
    }
    // This refund counts as settled before it is saved.
    let settling = r.id;
    let left_to_refund = unrefunded(tx, tenant, &a, |x| {
        x.id == settling || x.status == RefundStatus::Succeeded
    })
    .await?;
    apply(
        &mut a,
        AttemptEvent::Refunded {
            fully: left_to_refund.is_zero(),
        },
    );
    store::save_attempt(tx, tenant, &a).await?;
    audit::change(
        tx,
        tenant,
        r.requested_by,
        "online.refund_settled",
        "payment",
        payment_id,
        json!({ "fen": r.amount.fen(), "refund": r.id }),
    )
    .await?;
    Ok(true)
}

// ---- reconciliation ----

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

fn refund_event(r: &RefundInfo, succeeded: bool) -> Event {
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
