//! Hardship records and the waivers proposed, decided and shown for them.

use chrono::NaiveDate;
use domain::LongText;
use domain::billing::{BillingPeriod, HardshipCategory, WaiverAmount};
use domain::ledger::WaiverFunding;
use serde_json::json;
use uuid::Uuid;

use super::periods::check_not_far_future;
use crate::billing::model::{Grant, Hardship, NewGrant};
use crate::billing::store as billing;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::events::Event;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::households;

pub struct HardshipInput {
    pub household: Uuid,
    pub category: HardshipCategory,
    pub certificate_no: String,
    pub evidence: LongText,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

#[tracing::instrument(name = "billing.record_hardship", skip_all)]
pub async fn record_hardship(
    db: &Db,
    ctx: &RequestContext,
    h: HardshipInput,
) -> AppResult<Hardship> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "hardship records are kept by the staff who handle waivers",
        ));
    }
    let cert = h.certificate_no.trim();
    if cert.is_empty() || cert.len() > 64 {
        return Err(AppError::bad_input(
            "certificateNo",
            "must be 1 to 64 characters",
        ));
    }
    if h.valid_to < h.valid_from {
        return Err(AppError::bad_input(
            "validTo",
            "must not be before validFrom",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &ctx.reach, h.household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let rec = billing::insert_hardship(
        tx,
        ctx.tenant_id,
        h.household,
        h.category,
        cert.to_owned(),
        h.evidence.into_inner(),
        h.valid_from,
        h.valid_to,
        ctx.user_id(),
    )
    .await?;
    uow.audit(
        "hardship.record",
        "household",
        h.household,
        json!({ "record": rec.id }),
    );
    uow.commit().await?;
    Ok(rec)
}

/// A household's hardship records. Sensitive: only waiver handlers see them, and every read
/// is written to the audit log.
#[tracing::instrument(name = "billing.hardship_of", skip_all)]
pub async fn hardship_of(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<Vec<Hardship>> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "hardship records are visible only to the staff who handle waivers",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let found = billing::hardship_of(tx, ctx.tenant_id, household).await?;
    uow.audit(
        "hardship.read",
        "household",
        household,
        json!({ "records": found.len() }),
    );
    uow.commit().await?;
    Ok(found)
}

pub struct WaiverInput {
    pub household: Uuid,
    pub hardship: Option<Uuid>,
    pub amount: WaiverAmount,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub funding: WaiverFunding,
}

/// A grid worker or accountant proposes a waiver; someone else approves it.
#[tracing::instrument(name = "billing.propose_waiver", skip_all)]
pub async fn propose_waiver(db: &Db, ctx: &RequestContext, w: WaiverInput) -> AppResult<Grant> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "waivers are proposed by grid workers and accountants",
        ));
    }
    if w.to < w.from {
        return Err(AppError::bad_input(
            "toPeriod",
            "must not be before fromPeriod",
        ));
    }
    check_not_far_future(db, w.from, "fromPeriod", 12)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &ctx.reach, w.household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    if let Some(h) = w.hardship {
        let rec = billing::find_hardship(tx, ctx.tenant_id, h)
            .await?
            .ok_or(AppError::NotFound("hardship record"))?;
        if rec.household_id != w.household {
            return Err(AppError::bad_input(
                "hardshipId",
                "belongs to another household",
            ));
        }
        // A waiver lapses with the certificate it rests on.
        if w.to.last_day() > rec.valid_to || w.from.first_day() < rec.valid_from {
            return Err(AppError::bad_input(
                "toPeriod",
                format!(
                    "the certificate is valid {} to {}",
                    rec.valid_from, rec.valid_to
                ),
            ));
        }
    }
    let g = billing::insert_grant(
        tx,
        ctx.tenant_id,
        NewGrant {
            household: w.household,
            hardship: w.hardship,
            amount: w.amount,
            from: w.from,
            to: w.to,
            funding: w.funding,
            proposed_by: ctx.user_id(),
        },
    )
    .await?;
    uow.audit(
        "waiver.propose",
        "household",
        w.household,
        json!({ "grant": g.id }),
    );
    uow.commit().await?;
    Ok(g)
}

#[tracing::instrument(name = "billing.decide_waiver", skip_all)]
pub async fn decide_waiver(
    db: &Db,
    ctx: &RequestContext,
    grant: Uuid,
    approve: bool,
) -> AppResult<Grant> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let g = billing::find_grant(tx, ctx.tenant_id, grant)
        .await?
        .ok_or(AppError::NotFound("waiver"))?;
    households::find(tx, ctx.tenant_id, &ctx.reach, g.household_id)
        .await?
        .ok_or(AppError::NotFound("waiver"))?;
    if g.proposed_by == ctx.user_id() {
        return Err(AppError::refused(
            "PROPOSER",
            "a waiver must be approved by someone other than who proposed it",
        ));
    }
    let already = || AppError::conflict("id", "this waiver has already been decided");
    let to = g.status.decided(approve).ok_or_else(already)?;
    let decided = billing::decide_grant(tx, ctx.tenant_id, grant, (g.status, to), ctx.user_id())
        .await?
        .ok_or_else(already)?;
    let action = if approve {
        "waiver.approve"
    } else {
        "waiver.reject"
    };
    uow.audit(
        action,
        "household",
        g.household_id,
        json!({ "grant": grant }),
    );
    uow.publish(Event::WaiverDecided {
        grant,
        status: decided.status,
    });
    uow.commit().await?;
    Ok(decided)
}

#[tracing::instrument(name = "billing.waivers_of", skip_all)]
pub async fn waivers_of(db: &Db, ctx: &RequestContext, household: Uuid) -> AppResult<Vec<Grant>> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "waivers are visible to the staff who handle them",
        ));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    households::find(&tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let found = billing::grants_of(&tx, ctx.tenant_id, household).await?;
    tx.commit().await?;
    Ok(found)
}

/// Approved waivers whose last month falls within the next 30 days: to re-verify.
#[tracing::instrument(name = "billing.waivers_expiring", skip_all)]
pub async fn waivers_expiring(db: &Db, ctx: &RequestContext) -> AppResult<Vec<Grant>> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "waivers are visible to the staff who handle them",
        ));
    }
    let today = db.clock().today();
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = billing::grants_expiring(
        &tx,
        ctx.tenant_id,
        BillingPeriod::containing(today),
        BillingPeriod::containing(today + chrono::Days::new(30)),
    )
    .await?;
    tx.commit().await?;
    Ok(found)
}
