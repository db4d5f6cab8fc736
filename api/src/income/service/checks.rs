//! The checks income's use cases share: which compound may take income, who may read it,
//! and whether a month is still open.

use domain::billing::BillingPeriod;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::income::store;
use crate::platform::RequestContext;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::compounds::{self, Compound};

/// A compound the caller reaches and may still record income for (not archived).
pub(super) async fn live_compound(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Compound> {
    let c = compounds::find(tx, ctx.tenant_id, &ctx.reach, id)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    if c.archived_at.is_some() {
        return Err(AppError::bad_input(
            "compoundId",
            "this compound is archived: its income can no longer be recorded",
        ));
    }
    Ok(c)
}

/// Compounds the caller reaches and may still record income for (none archived).
pub(super) async fn live_compounds(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> AppResult<()> {
    let distinct: std::collections::HashSet<Uuid> = ids.iter().copied().collect();
    let found = compounds::find_many(tx, ctx.tenant_id, &ctx.reach, ids).await?;
    if found.len() != distinct.len() {
        return Err(AppError::NotFound("compound"));
    }
    if let Some(c) = found.iter().find(|c| c.archived_at.is_some()) {
        return Err(AppError::bad_input(
            "compoundId",
            format!(
                "{} is archived: its income can no longer be recorded",
                c.name
            ),
        ));
    }
    Ok(())
}

/// A compound whose income the caller may read: the firm's book-keepers and the compound's
/// own committee, within reach.
pub(super) async fn readable(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<()> {
    if !ctx.principal.reads_accounts_of(compound) {
        return Err(AppError::forbidden(
            "common-part income is for the firm's accountant and the owners' committee",
        ));
    }
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    Ok(())
}

/// Refuses a change to `month` once the compound's books are closed through it.
pub(super) async fn ensure_open(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
    field: &str,
) -> AppResult<()> {
    match store::closed_through(tx, tenant, compound).await? {
        Some(through) if through >= month => Err(AppError::conflict(
            field,
            format!(
                "{month} is closed (the books are closed through {}): record a correction in an open month, with its reason",
                through
            ),
        )),
        _ => Ok(()),
    }
}
