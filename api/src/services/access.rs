//! Turning grants into row filters and yes/no answers.

use domain::{Principal, Visibility};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::RequestContext;
use crate::error::{AppError, AppResult};
use crate::store::{compounds, households, reach::Reach};

/// Expands a principal's grants into the id sets the repositories filter by.
#[tracing::instrument(name = "access.reach_of", skip_all)]
pub async fn reach_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    principal: &Principal,
) -> AppResult<Reach> {
    let Visibility::Within {
        bundles,
        compounds: granted_compounds,
        households: own,
    } = principal.visibility()
    else {
        return Ok(Reach::everything());
    };
    // Compounds in granted bundles are seen whole, like granted compounds.
    let mut whole = granted_compounds;
    let mut visible_bundles = bundles.clone();
    if !bundles.is_empty() {
        whole.extend(
            compounds::ids_in_bundles(db, tenant, &bundles)
                .await?
                .into_iter()
                .map(|(c, _)| c),
        );
    }
    // A resident sees the compound of their own household, but not its other households.
    let mut visible_compounds = whole.clone();
    if !own.is_empty() {
        visible_compounds.extend(households::compounds_of(db, tenant, &own).await?);
    }
    visible_compounds.sort_unstable();
    visible_compounds.dedup();
    if !visible_compounds.is_empty() {
        let all = Reach::everything();
        visible_bundles.extend(
            compounds::find_many(db, tenant, &all, &visible_compounds)
                .await?
                .into_iter()
                .map(|c| c.bundle_id),
        );
    }
    visible_bundles.sort_unstable();
    visible_bundles.dedup();
    Ok(Reach::restricted(
        visible_bundles,
        visible_compounds,
        whole,
        own,
    ))
}

pub fn require_admin(ctx: &RequestContext) -> AppResult<()> {
    if ctx.principal.can_administer() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the firm's administrator may change this",
        ))
    }
}

pub fn require_books(ctx: &RequestContext) -> AppResult<()> {
    if ctx.principal.can_keep_books() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the firm's accountant or administrator may do this",
        ))
    }
}
