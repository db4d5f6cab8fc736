//! An owner's votes: the matters put to the owners of their compounds, each with their own
//! standing ballot where they are on the roll.

use domain::governance::MatterState;

use super::ballots::owners_of;
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
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let mut compounds =
        households::compounds_of(&tx, ctx.tenant_id, &ctx.principal.homes()).await?;
    compounds.sort_unstable();
    compounds.dedup();
    let homes = ctx.principal.homes();
    let mut out = vec![];
    for matter in matters::of_compounds(&tx, ctx.tenant_id, &compounds).await? {
        if matter.state == MatterState::Draft {
            continue;
        }
        let mine = owners_of(&tx, ctx.tenant_id, matter.id, &homes).await?;
        let voter = match mine.first() {
            Some(no) => roll::voters(&tx, ctx.tenant_id, matter.id, Some(*no))
                .await?
                .pop(),
            None => None,
        };
        out.push(MyMatter { matter, voter });
    }
    tx.commit().await?;
    Ok(out)
}
