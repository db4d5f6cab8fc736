//! Payments staff record, their reversal, and who may read them.

use chrono::{DateTime, Utc};
use domain::ledger::{PaymentMethod, rules};
use domain::{Money, Name};
use serde_json::json;
use uuid::Uuid;

use super::allocation::Collection;
use crate::billing::{self};
use crate::collection::model::{Allocation, NewPayment, Payment};
use crate::collection::store as payments;
use crate::ledger::{self as ledger_store, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{households, tenants};

pub(super) const RECEIPT_USED: &str = "this receipt number is already on another payment";

pub struct PaymentInput {
    pub household: Uuid,
    pub amount: Money,
    pub method: PaymentMethod,
    pub receipt_no: String,
    pub received_at: DateTime<Utc>,
    pub idempotency_key: String,
    /// Pay this invoice first instead of the oldest.
    pub invoice: Option<Uuid>,
    /// Who paid, for the receipt.
    pub payer: Option<Name>,
}

/// Money staff record came by hand — cash, a bank or QR transfer: an online card payment
/// reaches the books only from the payment processor (with no processor behind it, it would
/// sit in the processor's clearing account for ever).
pub fn by_hand(method: PaymentMethod) -> AppResult<()> {
    if method == PaymentMethod::Online {
        return Err(AppError::bad_input(
            "method",
            "online payments reach the books from the payment processor, not by hand",
        ));
    }
    Ok(())
}

/// A new payment stays within the firm's largest single payment, under a receipt number the
/// firm has not used.
pub(super) async fn check_bounds(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    amount: Money,
    receipt: &str,
) -> AppResult<()> {
    let firm = tenants::find(tx, tenant)
        .await?
        .ok_or(AppError::NotFound("firm"))?;
    if amount > firm.max_payment {
        return Err(AppError::bad_input(
            "amount",
            format!(
                "must be at most {} (the firm's largest single payment)",
                firm.max_payment
            ),
        ));
    }
    if payments::receipt_used(tx, tenant, receipt).await? {
        return Err(AppError::conflict("receiptNo", RECEIPT_USED));
    }
    Ok(())
}

/// Records money received: allocated to the named invoice, else the oldest open invoices
/// first; anything left is held as credit for the next invoice.
#[tracing::instrument(name = "payments.record", skip_all)]
pub async fn record(
    db: &Db,
    ctx: &RequestContext,
    p: PaymentInput,
) -> AppResult<(Payment, Vec<Allocation>)> {
    require_books(ctx)?;
    by_hand(p.method)?;
    if !p.amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let receipt = p.receipt_no.trim();
    if receipt.is_empty() || receipt.len() > 64 {
        return Err(AppError::bad_input(
            "receiptNo",
            "must be 1 to 64 characters",
        ));
    }
    let key = crate::platform::idempotency::key(&p.idempotency_key)?;
    let key = key.as_str();
    if p.received_at > db.clock().now() + chrono::Duration::days(1) {
        return Err(AppError::bad_input(
            "receivedAt",
            "must not be in the future",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let household = households::find(tx, ctx.tenant_id, &ctx.reach, p.household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    households::lock(tx, ctx.tenant_id, &[household.id]).await?;
    if let Some(existing) = payments::find_by_key(tx, ctx.tenant_id, key).await? {
        if existing.household_id != p.household || existing.amount != p.amount {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for a different payment",
            ));
        }
        let allocations =
            payments::allocations_of_payments(tx, ctx.tenant_id, &[existing.id]).await?;
        uow.commit().await?;
        return Ok((existing, allocations));
    }
    check_bounds(tx, ctx.tenant_id, p.amount, receipt).await?;
    let mut collection = Collection::owed_by(tx, ctx.tenant_id, &[household.id]).await?;
    if let Some(first) = p.invoice
        && !collection.owes_on(household.id, first)
    {
        billing::find_invoice(tx, ctx.tenant_id, first)
            .await?
            .filter(|i| i.household_id == household.id)
            .ok_or(AppError::NotFound("invoice"))?;
        return Err(AppError::conflict(
            "invoiceId",
            "this invoice is already paid",
        ));
    }
    collection.plan(
        NewPayment {
            household: household.id,
            compound: household.compound_id,
            amount: p.amount,
            method: p.method,
            receipt_no: receipt.to_owned(),
            received_at: p.received_at,
            recorded_by: ctx.user_id(),
            idempotency_key: key.to_owned(),
            payer: p.payer,
        },
        p.invoice.as_slice(),
    )?;
    let recorded = collection
        .write(&uow)
        .await
        .map_err(|e| e.unique_as_conflict("receiptNo", RECEIPT_USED))?
        .pop()
        .ok_or_else(|| AppError::Internal("a planned payment was not written".into()))?;
    crate::ledger::queue(&uow, vec![recorded.entry]);
    uow.commit().await?;
    Ok((recorded.payment, recorded.allocations))
}

/// Undoes a payment recorded by mistake: its allocations are negated and its ledger entry
/// reversed; the payment stays on record, marked reversed.
#[tracing::instrument(name = "payments.reverse", skip_all)]
pub async fn reverse(
    db: &Db,
    ctx: &RequestContext,
    payment: Uuid,
    reason: &str,
) -> AppResult<Payment> {
    require_books(ctx)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::bad_input("reason", "must be 1 to 500 characters"));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let found = payments::find(tx, ctx.tenant_id, payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    households::find(tx, ctx.tenant_id, &ctx.reach, found.household_id)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    households::lock(tx, ctx.tenant_id, &[found.household_id]).await?;
    if !payments::mark_reversed(tx, ctx.tenant_id, payment, reason).await? {
        return Err(AppError::conflict(
            "id",
            "this payment has already been reversed",
        ));
    }
    let undo: Vec<Allocation> = payments::allocations_of_payments(tx, ctx.tenant_id, &[payment])
        .await?
        .into_iter()
        .map(|a| Allocation {
            amount: Money::from_fen(-a.amount.fen()),
            ..a
        })
        .collect();
    payments::allocate(tx, ctx.tenant_id, &undo).await?;
    let original =
        ledger_store::find_entry_by_key(tx, ctx.tenant_id, &format!("payment:{payment}"))
            .await?
            .ok_or_else(|| AppError::Internal("the payment's ledger entry is missing".into()))?;
    let entry = rules::payment_received(
        found.compound_id,
        found.household_id,
        found.method,
        found.amount,
    )
    .and_then(|e| e.reversal())
    .field("id")?;
    crate::ledger::queue(
        &uow,
        vec![NewEntry {
            entry,
            occurred_at: Utc::now(),
            idempotency_key: format!("payment-reversal:{payment}"),
            memo: format!("冲销收款（收据号 {}）：{reason}", found.receipt_no),
            actor: Some(ctx.user_id()),
            reverses: Some(original.id),
        }],
    );
    uow.publish(Event::PaymentReversed {
        payment,
        household: found.household_id,
    });
    uow.audit(
        "payment.reverse",
        "payment",
        payment,
        json!({ "reason": reason }),
    );
    let reversed = payments::find(tx, ctx.tenant_id, payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    uow.commit().await?;
    Ok(reversed)
}

#[tracing::instrument(name = "payments.payment", skip_all)]
pub async fn payment(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<(Payment, Vec<Allocation>)> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = readable_payment(&tx, ctx, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// A payment with its allocations, if its household's money is the caller's to read.
pub(super) async fn readable_payment(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<(Payment, Vec<Allocation>)> {
    let p = payments::find(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    readable_or_not_found(tx, ctx, p.household_id, "payment").await?;
    let a = payments::allocations_of_payments(tx, ctx.tenant_id, &[id]).await?;
    Ok((p, a))
}

/// [`readable_household`] for one thing of a household's (`what`): someone else's is simply
/// not there for the caller.
pub(crate) async fn readable_or_not_found(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &RequestContext,
    household: Uuid,
    what: &'static str,
) -> AppResult<()> {
    match readable_household(tx, ctx, household).await {
        Ok(_) => Ok(()),
        Err(AppError::Forbidden(_) | AppError::NotFound(_)) => Err(AppError::NotFound(what)),
        Err(other) => Err(other),
    }
}

/// A household's money: the book-keepers see any in reach; a resident sees their own.
pub(crate) async fn readable_household(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<households::Household> {
    let own = ctx
        .reach
        .households()
        .is_some_and(|(_, own)| own.contains(&household));
    let h = households::find(tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    if own || ctx.principal.can_read_bills() {
        Ok(h)
    } else {
        Err(AppError::forbidden(
            "a household's bills are visible to the household and the firm's accountants",
        ))
    }
}
