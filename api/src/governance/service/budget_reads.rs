//! Reading budgets: a compound's list, one budget whole (versions, steps, supervisors,
//! questions) and, from implementation on, its approved lines against the ledger's figures
//! for its year; a resident's compounds' budgets; the public board's.

use std::collections::HashMap;

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
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
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
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let budget = seen_budget(&tx, ctx, id).await?;
    let today = db.clock().now().date_naive();
    let mut found = read_whole(&tx, ctx.tenant_id, vec![budget], today).await?;
    tx.commit().await?;
    found.pop().ok_or(AppError::NotFound("budget"))
}

/// The budgets of the compounds a resident lives in, newest year first, each read whole.
pub async fn mine(db: &Db, ctx: &RequestContext) -> AppResult<Vec<BudgetDetail>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let mut compounds =
        households::compounds_of(&tx, ctx.tenant_id, &ctx.principal.homes()).await?;
    compounds.sort_unstable();
    compounds.dedup();
    let today = db.clock().now().date_naive();
    let found = budgets::of_compounds(&tx, ctx.tenant_id, &compounds).await?;
    let out = read_whole(&tx, ctx.tenant_id, found, today).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`detail`] of each of `budgets`, in their order, without the caller's checks (the
/// public board reads them too): five statements however many, and one more for each year
/// of those implemented.
pub async fn read_whole(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    budgets: Vec<Budget>,
    today: NaiveDate,
) -> AppResult<Vec<BudgetDetail>> {
    let ids: Vec<Uuid> = budgets.iter().map(|b| b.id).collect();
    let mut versions = versions::of_budgets(tx, tenant, &ids).await?;
    let mut steps = budgets::steps_of(tx, tenant, &ids).await?;
    let mut supervisors = budgets::supervisors_of(tx, tenant, &ids).await?;
    let mut questions = questions::of_budgets(tx, tenant, &ids).await?;
    let implemented: Vec<&Budget> = budgets
        .iter()
        .filter(|b| b.step.number() >= Step::Implementation.number())
        .collect();
    let mut moves = movements_by_year(tx, tenant, &implemented, today).await?;
    let mut out = Vec::with_capacity(budgets.len());
    for budget in budgets {
        let versions = versions.remove(&budget.id).unwrap_or_default();
        let actuals = match (
            versions.last(),
            moves.remove(&(budget.compound_id, budget.year)),
        ) {
            (Some(v), Some(moves)) => Some(actuals(&moves, &v.lines)),
            _ => None,
        };
        out.push(BudgetDetail {
            steps: steps.remove(&budget.id).unwrap_or_default(),
            supervisors: supervisors.remove(&budget.id).unwrap_or_default(),
            questions: questions.remove(&budget.id).unwrap_or_default(),
            versions,
            actuals,
            budget,
        });
    }
    Ok(out)
}

/// The ledger's movements of each budget's compound in its year (to `today`, if the year is
/// not over), by compound and year: one statement a year.
async fn movements_by_year(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    budgets: &[&Budget],
    today: NaiveDate,
) -> AppResult<HashMap<(Uuid, i32), Vec<ledger::Movement>>> {
    let mut years: Vec<i32> = budgets.iter().map(|b| b.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut out = HashMap::new();
    for year in years {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| AppError::bad_input("year", "is out of range"))?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(first);
        let compounds: Vec<Uuid> = budgets
            .iter()
            .filter(|b| b.year == year)
            .map(|b| b.compound_id)
            .collect();
        let mut found =
            ledger::movements_of(tx, tenant, &compounds, first, last.min(today)).await?;
        for compound in compounds {
            let moves = found.remove(&compound).unwrap_or_default();
            out.insert((compound, year), moves);
        }
    }
    Ok(out)
}

/// The approved lines against the ledger's figures for the budget's year. Categories the
/// ledger does not keep have no actual.
fn actuals(moves: &[ledger::Movement], lines: &Lines) -> Vec<Actual> {
    let actual = |c: LineCategory| match c {
        LineCategory::Fees => Some(figures::fees(moves).due()),
        LineCategory::OwnersShare => Some(figures::owners_share(moves)),
        LineCategory::Subsidy => Some(figures::subsidised(moves)),
        LineCategory::Repairs => Some(figures::budget_repairs(moves)),
        LineCategory::Guards
        | LineCategory::Cleaning
        | LineCategory::CommonUtilities
        | LineCategory::Contingency => None,
    };
    LineCategory::ALL
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
        .collect()
}
