//! Credit notes: what a household owes on an invoice, corrected with a reason.

use chrono::Utc;
use domain::Money;
use domain::billing::LineKind;
use domain::ledger::rules;
use serde_json::json;
use uuid::Uuid;

use super::allocation::owed;
use crate::billing::{self, Invoice};
use crate::collection::store as payments;
use crate::ledger::NewEntry;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{compounds, households};

/// Corrects an issued invoice by a credit note: the invoice stays as issued; the household
/// owes `amount` less and the income it recorded is reduced, in the same transaction. A
/// credit note cannot exceed what is still owed (money already paid is refunded instead).
#[tracing::instrument(name = "payments.issue_credit_note", skip_all)]
pub async fn issue_credit_note(
    db: &Db,
    ctx: &RequestContext,
    invoice: Uuid,
    amount: Money,
    reason: &str,
) -> AppResult<billing::CreditNote> {
    require_books(ctx)?;
    if !amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let reason = domain::LongText::parse(reason).field("reason")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let inv = billing::find_invoice(tx, ctx.tenant_id, invoice)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    households::find(tx, ctx.tenant_id, &ctx.reach, inv.household_id)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    let note = credit_in(&uow, &inv, amount, reason.into_inner(), ctx.user_id()).await?;
    uow.commit().await?;
    Ok(note)
}

/// Writes a credit note inside the caller's transaction (locking the household first).
pub(crate) async fn credit_in(
    uow: &UnitOfWork,
    inv: &Invoice,
    amount: Money,
    reason: String,
    approver: Uuid,
) -> AppResult<billing::CreditNote> {
    let (tx, tenant) = (uow.tx(), uow.tenant());
    households::lock(tx, tenant, &[inv.household_id]).await?;
    let paid = payments::paid_on_invoices(tx, tenant, &[inv.id]).await?;
    let credited = billing::credited_on_invoices(tx, tenant, &[inv.id]).await?;
    let left = owed(inv, &paid, &credited).field("amount")?;
    if amount > left {
        return Err(AppError::bad_input(
            "amount",
            format!("only {left} is still owed on this invoice"),
        ));
    }
    // A credit note reduces fee income: it reaches the fees, never a repair the household
    // bore (that is corrected by reversing the repair's cost).
    let repairs = billing::billed_as(tx, tenant, &[inv.id], &[LineKind::Repair])
        .await?
        .remove(&inv.id)
        .unwrap_or_default();
    let fees = inv.due.checked_sub(repairs).field("amount")?;
    let credited_before = credited.get(&inv.id).copied().unwrap_or_default();
    let fees_left = fees.checked_sub(credited_before).field("amount")?;
    if amount > fees_left {
        return Err(AppError::bad_input(
            "amount",
            format!(
                "only {fees_left} of this invoice is fees; a repair is corrected by reversing its cost"
            ),
        ));
    }
    let compound = compounds::find(tx, tenant, &Reach::everything(), inv.compound_id)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    let note = billing::insert_credit_note(tx, tenant, inv, amount, reason, approver).await?;
    let entry = rules::credit_note(
        inv.compound_id,
        inv.household_id,
        compound.charging_mode,
        amount,
    )
    .field("amount")?;
    crate::ledger::queue(
        uow,
        vec![NewEntry {
            entry,
            occurred_at: Utc::now(),
            idempotency_key: format!("credit-note:{}", note.id),
            memo: format!("红字冲减 No.{}：{}", inv.number, note.reason),
            actor: Some(approver),
            reverses: None,
        }],
    );
    uow.audit_by(
        Some(approver),
        "invoice.credit_note",
        "invoice",
        inv.id,
        json!({ "fen": amount.fen(), "note": note.id }),
    );
    uow.publish(Event::CreditNoteIssued {
        credit_note: note.id,
        invoice: inv.id,
        amount,
    });
    Ok(note)
}
