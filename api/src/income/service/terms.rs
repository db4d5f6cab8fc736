//! The owners' terms: the resolution that allowed business use of a compound's common parts,
//! and the split rules it adopted, versioned by month.

use chrono::NaiveDate;
use domain::LongText;
use domain::billing::BillingPeriod;
use domain::governance::MatterKind;
use domain::income::{IncomeCategory, SplitRule};
use serde_json::json;
use uuid::Uuid;

use super::checks::{ensure_open, live_compound, readable};
use crate::governance;
use crate::income::model::{NewResolution, Resolution, RuleVersion};
use crate::income::store;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

pub struct ResolutionInput {
    pub compound: Uuid,
    /// The passed matter (of business use of common parts) the resolution records.
    pub matter: Uuid,
    pub document_no: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
}

pub struct RuleInput {
    pub compound: Uuid,
    pub category: IncomeCategory,
    pub effective_from: BillingPeriod,
    pub owners_bp: i32,
    pub firm_bp: i32,
    pub resolution: Uuid,
}

#[tracing::instrument(name = "income.record_resolution", skip_all)]
pub async fn record_resolution(
    db: &Db,
    ctx: &RequestContext,
    input: ResolutionInput,
) -> AppResult<Resolution> {
    require_books(ctx)?;
    let number = input.document_no.trim();
    if number.is_empty() || number.chars().count() > 100 {
        return Err(AppError::bad_input(
            "documentNo",
            "must be 1 to 100 characters",
        ));
    }
    if input.decided_on > db.clock().today() {
        return Err(AppError::bad_input(
            "decidedOn",
            "must not be in the future",
        ));
    }
    let note = input
        .note
        .filter(|n| !n.trim().is_empty())
        .map(|n| LongText::parse(&n).map(LongText::into_inner))
        .transpose()
        .field("note")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, input.compound).await?;
    governance::decided(
        tx,
        ctx.tenant_id,
        input.compound,
        input.matter,
        &[MatterKind::CommonPartsUse],
        "matterId",
    )
    .await?;
    let new = NewResolution {
        compound: input.compound,
        matter: Some(input.matter),
        document_no: number.to_owned(),
        decided_on: input.decided_on,
        note,
        recorded_by: ctx.user_id(),
        recorded_at: db.clock().now(),
    };
    let r = store::insert_resolution(tx, ctx.tenant_id, new)
        .await
        .map_err(|e| {
            AppError::unique_or_internal(
                e,
                "documentNo",
                "this compound already has a resolution with this document number",
            )
        })?;
    uow.audit(
        "income.record_resolution",
        "compound",
        input.compound,
        json!({ "resolution": r.id, "documentNo": r.document_no, "matter": input.matter }),
    );
    uow.commit().await?;
    Ok(r)
}

fn basis_points(value: i32, field: &str) -> AppResult<u16> {
    u16::try_from(value)
        .ok()
        .filter(|v| *v <= 10_000)
        .ok_or_else(|| AppError::bad_input(field, "must be between 0 and 10000 basis points"))
}

/// Adds a version of a category's split rule, from a month not yet closed, under a
/// resolution of the same compound decided by then.
#[tracing::instrument(name = "income.set_rule", skip_all)]
pub async fn set_rule(db: &Db, ctx: &RequestContext, input: RuleInput) -> AppResult<RuleVersion> {
    require_books(ctx)?;
    let rule = SplitRule::new(
        basis_points(input.owners_bp, "ownersBp")?,
        basis_points(input.firm_bp, "firmBp")?,
    )
    .field("ownersBp")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, input.compound).await?;
    let resolution = store::resolution_of(tx, ctx.tenant_id, input.compound, input.resolution)
        .await?
        .ok_or(AppError::NotFound("resolution"))?;
    if resolution.matter_id.is_none() {
        return Err(AppError::bad_input(
            "resolutionId",
            "this resolution was recorded before votes existed: a new split rule needs the \
             owners' passed vote — record the resolution of their vote and cite it",
        ));
    }
    if resolution.decided_on > input.effective_from.last_day() {
        return Err(AppError::bad_input(
            "effectiveFrom",
            format!(
                "must not start before the resolution was decided ({})",
                resolution.decided_on
            ),
        ));
    }
    ensure_open(
        tx,
        ctx.tenant_id,
        input.compound,
        input.effective_from,
        "effectiveFrom",
    )
    .await?;
    if store::rule_exists(
        tx,
        ctx.tenant_id,
        input.compound,
        input.category,
        input.effective_from,
    )
    .await?
    {
        return Err(AppError::conflict(
            "effectiveFrom",
            "this category already has a rule from this month",
        ));
    }
    let version = RuleVersion {
        id: domain::new_id(),
        compound_id: input.compound,
        category: input.category,
        effective_from: input.effective_from,
        rule,
        resolution_id: resolution.id,
        recorded_at: db.clock().now(),
    };
    store::insert_rule(tx, ctx.tenant_id, &version, ctx.user_id())
        .await
        .map_err(|e| {
            AppError::unique_or_internal(
                e,
                "effectiveFrom",
                "this category already has a rule from this month",
            )
        })?;
    uow.audit(
        "income.set_rule",
        "compound",
        input.compound,
        json!({
            "category": version.category.code(),
            "from": version.effective_from.to_string(),
            "ownersBp": rule.owners().get(),
            "firmBp": rule.firm().get(),
            "resolution": resolution.id,
        }),
    );
    uow.commit().await?;
    Ok(version)
}

#[tracing::instrument(name = "income.resolutions", skip_all)]
pub async fn resolutions(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<Resolution>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    readable(&tx, ctx, compound).await?;
    let out = store::resolutions_of(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(out)
}

#[tracing::instrument(name = "income.rules", skip_all)]
pub async fn rules(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Vec<RuleVersion>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    readable(&tx, ctx, compound).await?;
    let out = store::rules_of(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(out)
}
