//! The checks governance's use cases share: which compound a caller may run votes in, which
//! matter they may see, and whether a vote still takes ballots.

use chrono::{DateTime, Utc};
use domain::governance::{MatterKind, MatterState};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::governance::model::{Decision, Matter};
use crate::governance::store::matters;
use crate::platform::RequestContext;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::compounds::{self, Compound};

/// A compound the caller sees (their own, for a resident).
pub(super) async fn seen_compound(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Compound> {
    compounds::find(tx, ctx.tenant_id, &ctx.reach, id)
        .await?
        .ok_or(AppError::NotFound("compound"))
}

/// A compound whose votes the caller runs: its committee, or the firm's administrator.
pub(super) async fn run_in(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Compound> {
    let c = seen_compound(tx, ctx, id).await?;
    if !ctx.principal.runs_votes_in(c.id, c.bundle_id) {
        return Err(AppError::forbidden(
            "only the compound's committee or the firm's administrator runs its votes",
        ));
    }
    if c.archived_at.is_some() {
        return Err(AppError::bad_input(
            "compoundId",
            "this compound is archived: it holds no more votes",
        ));
    }
    Ok(c)
}

/// A matter of a compound the caller sees, with that compound.
pub(super) async fn seen_matter(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<(Matter, Compound)> {
    let m = matters::find(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("matter"))?;
    let c = compounds::find(tx, ctx.tenant_id, &ctx.reach, m.compound_id)
        .await?
        .ok_or(AppError::NotFound("matter"))?;
    Ok((m, c))
}

/// Ballots are taken while the vote is open and before it closes.
pub(super) fn taking_ballots(m: &Matter, now: DateTime<Utc>) -> AppResult<()> {
    match m.state {
        MatterState::Draft => Err(AppError::conflict(
            "matterId",
            "this vote has not opened: its roll is not yet frozen",
        )),
        MatterState::Closed => Err(AppError::conflict(
            "matterId",
            "this vote has closed: ballots are no longer taken",
        )),
        MatterState::Open if now >= m.closes_at => Err(AppError::conflict(
            "matterId",
            "this vote's time is over: ballots are no longer taken",
        )),
        MatterState::Open => Ok(()),
    }
}

/// A passed matter of the compound of one of `kinds`, for a decision that needs one — or a
/// clear `BAD_USER_INPUT` on `field` saying what is missing.
pub async fn decided(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    matter: Uuid,
    kinds: &[MatterKind],
    field: &str,
) -> AppResult<Decision> {
    let m = matters::find(tx, tenant, matter)
        .await?
        .filter(|m| m.compound_id == compound)
        .ok_or_else(|| AppError::bad_input(field, "is not a matter of this compound"))?;
    if !kinds.contains(&m.kind) {
        let wanted: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
        return Err(AppError::bad_input(
            field,
            format!("this needs a matter of kind {}", wanted.join(" or ")),
        ));
    }
    if !super::matters::passed(&m) {
        return Err(AppError::bad_input(
            field,
            "this matter has not passed: the owners have not decided it",
        ));
    }
    Ok(Decision {
        id: m.id,
        publicity_until: m.publicity_until(),
        title: m.title,
    })
}
