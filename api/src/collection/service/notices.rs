//! Reminders and formal written demands (催告), logged; never a service cut-off.

use serde_json::json;
use uuid::Uuid;

use crate::collection::model::Notice;
use crate::collection::store as payments;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::households;

pub const NOTICE_KINDS: &[&str] = &["reminder", "formal_demand"];

/// Logs a reminder or formal written demand (催告). Never any service cut-off: Civil Code
/// Art. 944 forbids cutting water, power, heat or gas to collect fees.
#[tracing::instrument(name = "payments.record_notice", skip_all)]
pub async fn record_notice(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
    kind: &str,
    note: &str,
) -> AppResult<Notice> {
    require_books(ctx)?;
    if !NOTICE_KINDS.contains(&kind) {
        return Err(AppError::bad_input(
            "kind",
            "must be reminder or formal_demand",
        ));
    }
    let note = domain::LongText::parse(note).field("note")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &Reach::everything(), household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let n = payments::insert_notice(
        tx,
        ctx.tenant_id,
        household,
        kind,
        note.into_inner(),
        ctx.user_id(),
    )
    .await?;
    uow.audit(
        "arrears.notice",
        "household",
        household,
        json!({ "kind": kind }),
    );
    uow.commit().await?;
    Ok(n)
}

#[tracing::instrument(name = "payments.notices", skip_all)]
pub async fn notices(db: &Db, ctx: &RequestContext, household: Uuid) -> AppResult<Vec<Notice>> {
    require_books(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    households::find(&tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let n = payments::notices_of(&tx, ctx.tenant_id, household).await?;
    tx.commit().await?;
    Ok(n)
}
