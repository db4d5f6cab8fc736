//! Monthly parking passes (停车月卡): issued for whole months and paid at once; the payment
//! is recorded as parking-pass income of the month it was received, like any other income.

use chrono::NaiveDate;
use domain::billing::BillingPeriod;
use domain::income::{IncomeCategory, Plate};
use domain::ledger::PaymentMethod;
use domain::{LongText, Money};
use serde_json::json;
use uuid::Uuid;

use super::checks::{live_compound, readable};
use super::records::{IncomeInput, record_in};
use crate::income::model::{ParkingPass, PassCancellation};
use crate::income::store;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

pub struct PassInput {
    pub compound: Uuid,
    pub plate: String,
    /// The space number or the zone.
    pub space: Option<String>,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub monthly: Money,
    pub method: PaymentMethod,
    pub paid_on: NaiveDate,
    pub idempotency_key: String,
}

/// How many months `from..=to` covers.
fn months(from: BillingPeriod, to: BillingPeriod) -> i64 {
    let (a, b) = (i64::from(from.code()), i64::from(to.code()));
    (b / 100 - a / 100) * 12 + (b % 100 - a % 100) + 1
}

/// Issues a pass and records its payment; issuing again with the same key returns it. A
/// plate has one pass at a time in a compound.
#[tracing::instrument(name = "income.issue_pass", skip_all)]
pub async fn issue_pass(db: &Db, ctx: &RequestContext, input: PassInput) -> AppResult<ParkingPass> {
    require_books(ctx)?;
    crate::collection::by_hand(input.method)?;
    let plate = Plate::parse(&input.plate).field("plate")?;
    if input.to < input.from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    if !input.monthly.is_positive() {
        return Err(AppError::bad_input("monthly", "must be greater than zero"));
    }
    let space = input
        .space
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if space.as_ref().is_some_and(|s| s.chars().count() > 50) {
        return Err(AppError::bad_input(
            "space",
            "must be at most 50 characters",
        ));
    }
    let total = input
        .monthly
        .checked_mul(months(input.from, input.to))
        .field("monthly")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, input.compound).await?;
    let income = IncomeInput {
        compound: input.compound,
        category: IncomeCategory::ParkingPass,
        amount: total,
        received_on: input.paid_on,
        method: input.method,
        payer: Some(plate.as_str().to_owned()),
        reference: Some(format!("{}–{}", input.from, input.to)),
        correction_reason: None,
        idempotency_key: format!("pass:{}", input.idempotency_key.trim()),
    };
    let existing = store::find_record_by_key(tx, ctx.tenant_id, &income.idempotency_key).await?;
    if let Some(record) = existing {
        let pass = store::pass_of_record(tx, ctx.tenant_id, record.id)
            .await?
            .filter(|p| p.compound_id == input.compound && p.plate == plate.as_str())
            .ok_or_else(|| AppError::conflict("idempotencyKey", "already used for another pass"))?;
        uow.commit().await?;
        return Ok(pass);
    }
    if store::plate_covered(
        tx,
        ctx.tenant_id,
        input.compound,
        plate.as_str(),
        input.from,
        input.to,
    )
    .await?
    {
        return Err(AppError::conflict(
            "plate",
            "this plate already has a pass here for some of these months",
        ));
    }
    let (record, _) = record_in(&uow, db, ctx, income).await?;
    let pass = ParkingPass {
        id: domain::new_id(),
        compound_id: input.compound,
        plate: plate.as_str().to_owned(),
        space,
        from: input.from,
        to: input.to,
        monthly: input.monthly,
        income_record_id: record.id,
        issued_at: db.clock().now(),
        cancelled: None,
    };
    store::insert_pass(tx, ctx.tenant_id, &pass, ctx.user_id()).await?;
    let detail = json!({ "pass": pass.id, "plate": pass.plate, "fen": total.fen() });
    uow.audit("income.issue_pass", "compound", input.compound, detail);
    uow.commit().await?;
    Ok(pass)
}

pub struct CancelInput {
    pub pass: Uuid,
    /// The first month the pass no longer covers: this month at the earliest.
    pub from: BillingPeriod,
    /// How the refund is paid back.
    pub method: PaymentMethod,
    pub reason: String,
}

/// Ends a pass early: the months from `from` are refunded — a correction of parking-pass
/// income below zero, recorded today with the reason — and the plate is free from then on.
#[tracing::instrument(name = "income.cancel_pass", skip_all)]
pub async fn cancel_pass(
    db: &Db,
    ctx: &RequestContext,
    input: CancelInput,
) -> AppResult<ParkingPass> {
    require_books(ctx)?;
    crate::collection::by_hand(input.method)?;
    let reason = LongText::parse(&input.reason).field("reason")?.into_inner();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut pass = store::pass_of(tx, ctx.tenant_id, input.pass)
        .await?
        .ok_or(AppError::NotFound("parking pass"))?;
    live_compound(tx, ctx, pass.compound_id).await?;
    if pass.cancelled.is_some() {
        return Err(AppError::conflict("passId", "this pass was ended before"));
    }
    let today = db.clock().today();
    let first = pass.from.max(BillingPeriod::containing(today));
    if input.from < first || input.from > pass.to {
        return Err(AppError::bad_input(
            "fromPeriod",
            format!(
                "must be a month from {first} to {}: months before this one are not refunded",
                pass.to
            ),
        ));
    }
    let refund = pass
        .monthly
        .checked_mul(months(input.from, pass.to))
        .and_then(Money::checked_neg)
        .field("fromPeriod")?;
    let income = IncomeInput {
        compound: pass.compound_id,
        category: IncomeCategory::ParkingPass,
        amount: refund,
        received_on: today,
        method: input.method,
        payer: Some(pass.plate.clone()),
        reference: Some(format!("{}–{}", input.from, pass.to)),
        correction_reason: Some(reason.clone()),
        idempotency_key: format!("pass-refund:{}", pass.id),
    };
    let (record, _) = record_in(&uow, db, ctx, income).await?;
    let cancelled = PassCancellation {
        from: input.from,
        reason,
        refund_record_id: record.id,
    };
    if !store::cancel_pass(tx, ctx.tenant_id, pass.id, &cancelled).await? {
        return Err(AppError::conflict("passId", "this pass was ended before"));
    }
    let detail = json!({ "pass": pass.id, "from": input.from.to_string(), "fen": refund.fen() });
    uow.audit("income.cancel_pass", "compound", pass.compound_id, detail);
    uow.commit().await?;
    pass.cancelled = Some(cancelled);
    Ok(pass)
}

/// A compound's passes (book-keepers and its committee).
#[tracing::instrument(name = "income.passes", skip_all)]
pub async fn passes(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Vec<ParkingPass>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    readable(&tx, ctx, compound).await?;
    let out = store::passes_of(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_counts_its_months_across_years() {
        let p = |s: &str| BillingPeriod::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(months(p("2026-11"), p("2026-11")), 1);
        assert_eq!(months(p("2026-11"), p("2027-02")), 4);
        assert_eq!(months(p("2026-01"), p("2026-12")), 12);
    }
}
