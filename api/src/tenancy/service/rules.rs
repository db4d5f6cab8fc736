//! What several of tenancy's use cases check alike.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::platform::RequestContext;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;
use crate::tenancy::model::Compound;
use crate::tenancy::store::compounds;

pub(super) const ROOM_TAKEN: &str = "this building already has a household in this unit and room";

pub(super) async fn live_compound(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Compound> {
    match compounds::find(tx, ctx.tenant_id, &Reach::everything(), id).await? {
        Some(c) if c.archived_at.is_none() => Ok(c),
        Some(_) => Err(AppError::bad_input(
            "compoundId",
            "this compound is archived",
        )),
        None => Err(AppError::NotFound("compound")),
    }
}
