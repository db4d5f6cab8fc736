//! A compound's annual budget: started when residents' opinions are collected (step 1),
//! drafted and revised as versions while drafted or discussed; which budgets a caller runs
//! and sees.

use chrono::Datelike;
use domain::governance::budget::{LineCategory, Lines, Step};
use domain::{LongText, Money, Name};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::checks::{run_in, seen_compound};
use crate::governance::model::{Budget, Version};
use crate::governance::store::budgets;
use crate::governance::store::versions::{self, NewVersion};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

/// A budget may be started for last year (late), this year or the next two.
const YEARS_BACK: i32 = 1;
const YEARS_AHEAD: i32 = 2;

pub struct StartInput {
    pub compound: Uuid,
    pub year: i32,
    pub title: String,
}

/// Starts a compound's budget for a year at step 1, collecting residents' opinions.
#[tracing::instrument(name = "governance.budget_start", skip_all)]
pub async fn start(db: &Db, ctx: &RequestContext, input: StartInput) -> AppResult<Budget> {
    let title = Name::parse(&input.title).field("title")?;
    let now = db.clock().now();
    let this_year = now.year();
    if !(this_year - YEARS_BACK..=this_year + YEARS_AHEAD).contains(&input.year) {
        return Err(AppError::bad_input(
            "year",
            format!(
                "must be from {} to {}",
                this_year - YEARS_BACK,
                this_year + YEARS_AHEAD
            ),
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let c = run_in(tx, ctx, input.compound).await?;
    if budgets::of_year(tx, ctx.tenant_id, c.id, input.year)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "year",
            "this compound already has a budget for that year",
        ));
    }
    let b = Budget {
        id: domain::new_id(),
        compound_id: c.id,
        year: input.year,
        title: title.into_inner(),
        step: Step::Opinions,
        matter_id: None,
        created_at: now,
    };
    budgets::insert(tx, ctx.tenant_id, &b, ctx.user_id()).await?;
    uow.audit(
        "governance.budget_start",
        "budget",
        b.id,
        json!({ "compound": c.id, "year": b.year }),
    );
    uow.commit().await?;
    Ok(b)
}

/// A new version of the budget's lines, while it is drafted or discussed.
#[tracing::instrument(name = "governance.budget_revise", skip_all)]
pub async fn revise(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    lines: Vec<(LineCategory, Money)>,
    note: Option<&str>,
) -> AppResult<Version> {
    let lines = Lines::new(lines).field("lines")?;
    if lines.iter().next().is_none() {
        return Err(AppError::bad_input(
            "lines",
            "a budget needs at least one line",
        ));
    }
    let note = domain::text::optional(note, LongText::MAX_CHARS).field("note")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let b = run_budget(tx, ctx, id).await?;
    if !b.step.lines_open() {
        return Err(AppError::conflict(
            "budgetId",
            "the lines change only while the budget is drafted or discussed: send it back to drafting first",
        ));
    }
    let number = u32::try_from(versions::count(tx, ctx.tenant_id, id).await?)
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let version = Version {
        number,
        note,
        created_at: db.clock().now(),
        lines,
    };
    versions::insert(
        tx,
        ctx.tenant_id,
        NewVersion {
            budget_id: id,
            version: &version,
            by: ctx.user_id(),
        },
    )
    .await?;
    uow.audit(
        "governance.budget_revise",
        "budget",
        id,
        json!({ "version": number }),
    );
    uow.commit().await?;
    Ok(version)
}

/// A budget of a compound whose votes (and so budgets) the caller runs.
pub(super) async fn run_budget(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Budget> {
    let b = seen_budget(tx, ctx, id).await?;
    run_in(tx, ctx, b.compound_id).await?;
    Ok(b)
}

/// A budget of a compound the caller sees.
pub(super) async fn seen_budget(
    tx: &impl ConnectionTrait,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Budget> {
    let b = budgets::find(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("budget"))?;
    seen_compound(tx, ctx, b.compound_id)
        .await
        .map_err(|_| AppError::NotFound("budget"))?;
    Ok(b)
}
