//! An owner's votes: the matters put to the owners of their compounds, each with their own
//! standing ballot where they are on the roll.

use domain::governance::MatterState;

use crate::governance::model::{Matter, RollVoter};
use crate::governance::store::{matters, roll};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::AppResult;
use crate::tenancy::households;

/// A matter as one owner sees it: `voter` is them on its roll (none if they are not on it).
pub struct MyMatter {
    pub matter: Matter,
    pub voter: Option<RollVoter>,
}

pub async fn my_matters(db: &Db, ctx: &RequestContext) -> AppResult<Vec<MyMatter>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let mut compounds =
        households::compounds_of(&tx, ctx.tenant_id, &ctx.principal.homes()).await?;
    compounds.sort_unstable();
    compounds.dedup();
    let mut found = matters::of_compounds(&tx, ctx.tenant_id, &compounds).await?;
    found.retain(|m| m.state != MatterState::Draft);
    let ids: Vec<_> = found.iter().map(|m| m.id).collect();
    let homes = ctx.principal.homes();
    let mut voters = roll::owners_voters(&tx, ctx.tenant_id, &ids, &homes).await?;
    tx.commit().await?;
    Ok(found
        .into_iter()
        .map(|matter| MyMatter {
            voter: voters.remove(&matter.id),
            matter,
        })
        .collect())
}
