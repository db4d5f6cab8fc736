//! A compound's annual budget: started when residents' opinions are collected (step 1),
//! drafted and revised as versions while drafted or discussed, read whole with its record,
//! and from implementation on, set against the ledger.

use chrono::{Datelike, NaiveDate};
use domain::governance::budget::{LineCategory, Lines, Step};
use domain::{LongText, Money, Name};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::checks::{run_in, seen_compound};
use crate::governance::model::{Actual, Budget, Question, StepTaken, Version};
use crate::governance::store::versions::{self, NewVersion};
use crate::governance::store::{budgets, questions};
use crate::ledger::{self, figures};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::households;

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
    let number = u32::try_from(versions::of_budget(tx, ctx.tenant_id, id).await?.len())
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

/// The compound's budgets, newest year first (anyone who sees the compound).
pub async fn of_compound(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Vec<Budget>> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    seen_compound(&tx, ctx, compound).await?;
    let found = budgets::of_compound(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(found)
}

/// A budget read whole: its versions, the record of its steps, its supervision group, the
/// residents' questions and, from implementation on, its lines against the ledger.
pub struct BudgetDetail {
    pub budget: Budget,
    pub versions: Vec<Version>,
    pub steps: Vec<StepTaken>,
    pub supervisors: Vec<String>,
    pub questions: Vec<Question>,
    pub actuals: Option<Vec<Actual>>,
}

pub async fn detail(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<BudgetDetail> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let budget = seen_budget(&tx, ctx, id).await?;
    let found = read_whole(&tx, ctx.tenant_id, budget, db.clock().now().date_naive()).await?;
    tx.commit().await?;
    Ok(found)
}

/// The budgets of the compounds a resident lives in, newest year first, each read whole.
pub async fn mine(db: &Db, ctx: &RequestContext) -> AppResult<Vec<BudgetDetail>> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let mut compounds =
        households::compounds_of(&tx, ctx.tenant_id, &ctx.principal.homes()).await?;
    compounds.sort_unstable();
    compounds.dedup();
    let today = db.clock().now().date_naive();
    let mut out = vec![];
    for compound in compounds {
        for b in budgets::of_compound(&tx, ctx.tenant_id, compound).await? {
            out.push(read_whole(&tx, ctx.tenant_id, b, today).await?);
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// [`detail`] without the caller's checks, for the public board.
pub async fn read_whole(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    budget: Budget,
    today: NaiveDate,
) -> AppResult<BudgetDetail> {
    let versions = versions::of_budget(tx, tenant, budget.id).await?;
    let actuals = match versions.last() {
        Some(v) if budget.step.number() >= Step::Implementation.number() => {
            Some(actuals(tx, tenant, &budget, &v.lines, today).await?)
        }
        _ => None,
    };
    Ok(BudgetDetail {
        steps: budgets::steps(tx, tenant, budget.id).await?,
        supervisors: budgets::supervisors(tx, tenant, budget.id).await?,
        questions: questions::of_budget(tx, tenant, budget.id).await?,
        versions,
        actuals,
        budget,
    })
}

/// The approved lines against the ledger's figures for the budget's year (to `today`, if
/// the year is not over). Categories the ledger does not keep have no actual.
async fn actuals(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    budget: &Budget,
    lines: &Lines,
    today: NaiveDate,
) -> AppResult<Vec<Actual>> {
    let first = NaiveDate::from_ymd_opt(budget.year, 1, 1)
        .ok_or_else(|| AppError::bad_input("year", "is out of range"))?;
    let last = NaiveDate::from_ymd_opt(budget.year, 12, 31).unwrap_or(first);
    let moves = ledger::movements(tx, tenant, budget.compound_id, first, last.min(today)).await?;
    let actual = |c: LineCategory| match c {
        LineCategory::Fees => Some(figures::fees(&moves).due()),
        LineCategory::OwnersShare => Some(figures::owners_share(&moves)),
        LineCategory::Subsidy => Some(figures::subsidised(&moves)),
        LineCategory::Repairs => Some(figures::budget_repairs(&moves)),
        LineCategory::Guards
        | LineCategory::Cleaning
        | LineCategory::CommonUtilities
        | LineCategory::Contingency => None,
    };
    Ok(LineCategory::ALL
        .iter()
        .map(|&category| Actual {
            category,
            budgeted: lines
                .iter()
                .find(|(c, _)| *c == category)
                .map_or(Money::ZERO, |(_, m)| m),
            actual: actual(category).map(Money::from_fen),
        })
        .filter(|a| a.budgeted != Money::ZERO || a.actual.is_some_and(|m| m != Money::ZERO))
        .collect())
}
