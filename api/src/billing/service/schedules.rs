//! Fee schedules (versions by bundle or compound), add-on activations and late fees.

use domain::LongText;
use domain::billing::{BillingPeriod, FeeItem, FeeItemKind, ScheduleScope};
use domain::governance::MatterKind;
use domain::late_fee::LateFeeTerms;
use serde_json::json;
use uuid::Uuid;

use super::periods::check_not_far_future;
use crate::billing::model::{Activation, NewActivation, Schedule};
use crate::billing::store as billing;
use crate::governance;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{bundles, compounds};

#[tracing::instrument(name = "billing.set_schedule", skip_all)]
pub async fn set_schedule(
    db: &Db,
    ctx: &RequestContext,
    scope: ScheduleScope,
    effective_from: BillingPeriod,
    note: LongText,
    items: Vec<FeeItem>,
) -> AppResult<Schedule> {
    require_books(ctx)?;
    if items.is_empty() {
        return Err(AppError::bad_input(
            "items",
            "a schedule needs at least one item",
        ));
    }
    let mut kinds: Vec<_> = items.iter().map(|i| i.kind.code()).collect();
    kinds.sort_unstable();
    if kinds.windows(2).any(|w| w[0] == w[1]) {
        return Err(AppError::bad_input(
            "items",
            "each kind of fee may appear once",
        ));
    }
    check_not_far_future(db, effective_from, "effectiveFrom", 24)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    match scope {
        ScheduleScope::Compound(c) => {
            compounds::find(tx, ctx.tenant_id, &ctx.reach, c)
                .await?
                .ok_or(AppError::NotFound("compound"))?;
        }
        ScheduleScope::Bundle(b) => {
            bundles::find(tx, ctx.tenant_id, &ctx.reach, b)
                .await?
                .ok_or(AppError::NotFound("bundle"))?;
        }
    }
    let schedule = billing::insert_schedule(
        tx,
        ctx.tenant_id,
        scope,
        effective_from,
        note.into_inner(),
        ctx.user_id(),
        &items,
    )
    .await
    .map_err(|e| {
        AppError::unique_or_internal(
            e,
            "effectiveFrom",
            "a version of this schedule already starts in that month",
        )
    })?;
    uow.audit(
        "fees.set_schedule",
        "fee_schedule",
        schedule.id,
        json!({ "from": effective_from.to_string() }),
    );
    uow.commit().await?;
    Ok(schedule)
}

/// The versions that apply to a compound: its own and its bundle's, oldest first.
#[tracing::instrument(name = "billing.schedules_of", skip_all)]
pub async fn schedules_of(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<Schedule>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let c = compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let all = billing::schedules(&tx, ctx.tenant_id).await?;
    tx.commit().await?;
    Ok(all
        .into_iter()
        .filter(|s| {
            s.scope == ScheduleScope::Compound(compound)
                || s.scope == ScheduleScope::Bundle(c.bundle_id)
        })
        .collect())
}

/// An add-on fee is decided by the owners as a matter on the firm's service (Art. 278 (4)) or
/// another major matter (9): a majority of the area and of the owners.
const ADDON_MATTERS: &[MatterKind] = &[MatterKind::PropertyFirm, MatterKind::Other];

/// Activates an add-on fee item for a compound under the owners' passed matter.
#[tracing::instrument(name = "billing.activate_addon", skip_all)]
pub async fn activate_addon(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    kind: FeeItemKind,
    from: BillingPeriod,
    to: Option<BillingPeriod>,
    matter: Uuid,
) -> AppResult<Activation> {
    require_books(ctx)?;
    if !kind.is_addon() {
        return Err(AppError::bad_input(
            "kind",
            "base services need no activation; only add-ons do",
        ));
    }
    if to.is_some_and(|t| t < from) {
        return Err(AppError::bad_input(
            "toPeriod",
            "must not be before fromPeriod",
        ));
    }
    check_not_far_future(db, from, "fromPeriod", 24)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let decision = governance::decided(
        tx,
        ctx.tenant_id,
        compound,
        matter,
        ADDON_MATTERS,
        "matterId",
    )
    .await?;
    let new = NewActivation {
        compound,
        kind,
        from,
        to,
        decision_ref: decision.title,
        matter: Some(matter),
        by: ctx.user_id(),
    };
    let a = billing::insert_activation(tx, ctx.tenant_id, new).await?;
    uow.audit(
        "fees.activate_addon",
        "compound",
        compound,
        json!({ "kind": kind.code(), "matter": matter }),
    );
    uow.commit().await?;
    Ok(a)
}

/// Sets or (with `None`) removes the late fee of a compound's contract. Takes effect from the
/// next billing run; invoices already issued never change.
#[tracing::instrument(name = "billing.set_late_fee", skip_all)]
pub async fn set_late_fee(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    terms: Option<LateFeeTerms>,
) -> AppResult<compounds::Compound> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let updated = compounds::set_late_fee(tx, ctx.tenant_id, compound, terms)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    uow.audit(
        "fees.set_late_fee",
        "compound",
        compound,
        json!({
            "dailyRateBp": terms.map(LateFeeTerms::daily_rate_bp),
            "graceDays": terms.map(LateFeeTerms::grace_days),
            "capBp": terms.map(|t| t.cap().get()),
        }),
    );
    uow.commit().await?;
    Ok(updated)
}

#[tracing::instrument(name = "billing.activations_of", skip_all)]
pub async fn activations_of(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<Activation>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let all = billing::activations(&tx, ctx.tenant_id).await?;
    tx.commit().await?;
    Ok(all
        .into_iter()
        .filter(|a| a.compound_id == compound)
        .collect())
}
