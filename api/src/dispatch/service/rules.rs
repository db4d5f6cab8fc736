//! A compound's dispatch rules: read by whoever reads its orders, set by its dispatchers.

use domain::dispatch::Rules;
use serde_json::json;
use uuid::Uuid;

use crate::dispatch::store;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::compounds;

/// The compound's rules (the defaults until its dispatchers set them).
pub async fn rules(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Rules> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let rules = store::rules_of(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(rules)
}

/// Sets the compound's rules; orders already filed keep the deadlines they were given.
#[tracing::instrument(name = "dispatch.set_rules", skip_all)]
pub async fn set_rules(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    rules: Rules,
) -> AppResult<Rules> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let c = compounds::find(uow.tx(), ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    if !ctx.principal.dispatches_in(c.id, c.bundle_id) {
        return Err(AppError::forbidden(
            "only the compound's dispatcher or the administrator sets its time limits",
        ));
    }
    store::set_rules(uow.tx(), ctx.tenant_id, compound, &rules, db.clock().now()).await?;
    let d = &rules.deadlines;
    uow.audit(
        "dispatch.rules",
        "compound",
        compound,
        json!({ "emergency": [d.emergency.respond_minutes, d.emergency.resolve_minutes],
                "urgent": [d.urgent.respond_minutes, d.urgent.resolve_minutes],
                "normal": [d.normal.respond_minutes, d.normal.resolve_minutes],
                "confirm_above_fen": rules.confirm_above.fen() }),
    );
    uow.commit().await?;
    Ok(rules)
}
