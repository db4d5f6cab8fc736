//! Reading budgets: a compound's list, one budget whole (versions, steps, supervisors,
//! questions) and, from implementation on, its approved lines against the ledger's figures
//! for its year; a resident's compounds' budgets; the public board's.

use chrono::NaiveDate;
use domain::Money;
use domain::governance::budget::{LineCategory, Lines, Step};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::budgets::seen_budget;
use super::checks::seen_compound;
use crate::governance::model::{Actual, Budget, Question, StepTaken, Version};
use crate::governance::store::{budgets, questions, versions};
use crate::ledger::{self, figures};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::households;

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
