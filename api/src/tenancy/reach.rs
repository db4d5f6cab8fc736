//! Turning a principal's grants into the id sets every repository filters by.

use domain::{Principal, Visibility};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::store::{compounds, households};
use crate::platform::error::AppResult;
use crate::platform::scope::Reach;

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
