//! Refunds asked through Courtyard: checked against what is left to refund, sent to Stripe,
//! settled when Stripe answers.

use domain::ledger::PaymentMethod;
use domain::online::RefundStatus;
use domain::{LongText, Money};
use serde_json::json;
use uuid::Uuid;

use super::apply::{settle_refund, settled, unrefunded};
use super::gateway::{disabled, gateway};
use crate::collection;
use crate::online::model::{NewRefund, Refund};
use crate::online::store;
use crate::online::stripe::{GatewayError, RefundInfo, Stripe};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

/// Asks Stripe to return part or all of an online payment: the refund is recorded in one
/// transaction, Stripe is called outside any, and its answer is recorded in another. The
/// ledger reversal and the credit note are written when Stripe confirms the refund.
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
    let (refund, intent) = record_request(db, ctx, payment, amount, reason).await?;
    let created = stripe
        .create_refund(ctx.tenant_id, refund.id, &intent, amount.fen())
        .await;
    record_answer(db, ctx, refund.id, created).await
}

/// Records the refund asked for, within what is left to refund; returns it with the
/// PaymentIntent to refund.
async fn record_request(
    db: &Db,
    ctx: &RequestContext,
    payment: Uuid,
    amount: Money,
    reason: LongText,
) -> AppResult<(Refund, String)> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let p = collection::find(tx, ctx.tenant_id, payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    crate::tenancy::households::find(tx, ctx.tenant_id, &ctx.reach, p.household_id)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    // The attempt's lock keeps two refund requests from both finding the money unrefunded.
    let found = match store::find_attempt_by_payment(tx, ctx.tenant_id, p.id).await? {
        Some(a) => store::lock_attempt(tx, ctx.tenant_id, a.id).await?,
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
    let refundable = unrefunded(tx, ctx.tenant_id, &attempt, |r| {
        r.status != RefundStatus::Failed
    })
    .await?;
    if amount > refundable {
        return Err(AppError::bad_input(
            "amount",
            format!("at most {refundable} of this payment can still be refunded"),
        ));
    }
    let asked = NewRefund {
        payment: p.id,
        amount,
        reason: reason.into_inner(),
        requested_by: Some(ctx.user_id()),
        stripe_refund_id: None,
    };
    let refund = store::insert_refund(tx, ctx.tenant_id, &attempt, asked).await?;
    let detail = json!({ "fen": amount.fen(), "refund": refund.id });
    uow.audit("online.refund", "payment", p.id, detail);
    uow.commit().await?;
    Ok((refund, intent))
}

/// Records Stripe's answer to a refund request: its id, and the refund settled at once when
/// Stripe says so (it often does for cards); a refusal fails the refund.
async fn record_answer(
    db: &Db,
    ctx: &RequestContext,
    refund: Uuid,
    created: Result<RefundInfo, GatewayError>,
) -> AppResult<Refund> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut current = store::lock_refund(tx, ctx.tenant_id, refund)
        .await?
        .ok_or(AppError::NotFound("refund"))?;
    let outcome = match created {
        Ok(info) => {
            store::link(tx, &info.id, ctx.tenant_id).await?;
            current.stripe_refund_id = Some(info.id.clone());
            if let Some(succeeded) = settled(&info.status) {
                settle_refund(&uow, &mut current, succeeded).await?;
            }
            Ok(())
        }
        Err(e) => {
            current.status = RefundStatus::Failed;
            Err(gateway(e))
        }
    };
    store::save_refund(tx, ctx.tenant_id, &current).await?;
    uow.commit().await?;
    outcome.map(|()| current)
}
