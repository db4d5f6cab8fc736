//! A budget's steps: forward one at a time, each with what the law asks of it, or back to
//! drafting with a reason. Every step leaves a dated record.

use domain::governance::MatterKind;
use domain::governance::budget::{self, Step, StepError, SupervisionGroup};
use domain::{LongText, Name};
use serde_json::json;
use uuid::Uuid;

use super::budgets::run_budget;
use super::checks::decided;
use crate::governance::model::{Budget, StepTaken};
use crate::governance::store::{budgets, versions};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

pub struct AdvanceInput {
    pub budget: Uuid,
    pub to: Step,
    /// Into drafting: the residents' opinions, summed up. Into the vote: the street office's
    /// comments. Otherwise what the step concluded, if anything.
    pub note: Option<String>,
    /// Into the vote: the street office that reviewed the budget.
    pub reviewer: Option<String>,
    /// Into implementation: the owners' vote that approved the budget, its result's publicity
    /// over.
    pub matter: Option<Uuid>,
    /// Into implementation: the five owners' representatives who supervise it.
    pub supervisors: Vec<String>,
}

/// Takes the budget's next step, with what that step needs.
#[tracing::instrument(name = "governance.budget_advance", skip_all)]
pub async fn advance(db: &Db, ctx: &RequestContext, input: AdvanceInput) -> AppResult<Budget> {
    let note = domain::text::optional(input.note.as_deref(), LongText::MAX_CHARS).field("note")?;
    let reviewer =
        domain::text::optional(input.reviewer.as_deref(), Name::MAX_CHARS).field("reviewer")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut b = run_budget(tx, ctx, input.budget).await?;
    b.step.forward(input.to).map_err(|e| refused("to", e))?;
    let mut step = StepTaken {
        from: b.step,
        to: input.to,
        note,
        reviewer,
        matter_id: None,
        by: ctx.user_id(),
        at: db.clock().now(),
    };
    let mut group = None;
    match input.to {
        Step::Drafting if step.note.is_none() => {
            return Err(AppError::bad_input(
                "note",
                "sum up the residents' opinions collected",
            ));
        }
        Step::Discussion if versions::count(tx, ctx.tenant_id, b.id).await? == 0 => {
            return Err(AppError::bad_input(
                "to",
                "draft the budget's lines before discussing them",
            ));
        }
        Step::Vote if step.reviewer.is_none() => {
            return Err(AppError::bad_input(
                "reviewer",
                "name the street office that reviewed the budget",
            ));
        }
        Step::Implementation => {
            let matter = input
                .matter
                .ok_or_else(|| AppError::bad_input("matterId", "cite the owners' vote"))?;
            let decision = decided(
                tx,
                ctx.tenant_id,
                b.compound_id,
                matter,
                &[MatterKind::Other],
                "matterId",
            )
            .await?;
            if let Some(until) = decision.publicity_until
                && step.at.date_naive() <= until
            {
                return Err(AppError::bad_input(
                    "matterId",
                    format!(
                        "the vote's result is publicised until {until}: implementation starts after"
                    ),
                ));
            }
            if let Some(other) = budgets::approved_by(tx, ctx.tenant_id, decision.id).await? {
                return Err(AppError::bad_input(
                    "matterId",
                    format!("this vote approved the {} budget already", other.year),
                ));
            }
            step.matter_id = Some(decision.id);
            group = Some(SupervisionGroup::new(&input.supervisors).field("supervisors")?);
        }
        Step::FinalAccounts if !budget::accounts_drawable(b.year, step.at.date_naive()) => {
            return Err(AppError::conflict(
                "to",
                format!("the final accounts are drawn once {} is over", b.year),
            ));
        }
        _ => {}
    }
    record(&uow, &mut b, &step).await?;
    if let Some(group) = group {
        budgets::insert_supervisors(tx, ctx.tenant_id, b.id, &group).await?;
    }
    uow.commit().await?;
    Ok(b)
}

/// Sends the budget back to drafting from discussion, a review that refused it or a vote
/// that did not pass, with the reason.
#[tracing::instrument(name = "governance.budget_back", skip_all)]
pub async fn send_back(db: &Db, ctx: &RequestContext, id: Uuid, reason: &str) -> AppResult<Budget> {
    let reason = LongText::parse(reason).field("reason")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let mut b = run_budget(uow.tx(), ctx, id).await?;
    let to = b
        .step
        .back_to_drafting()
        .map_err(|e| refused("budgetId", e))?;
    let step = StepTaken {
        from: b.step,
        to,
        note: Some(reason.into_inner()),
        reviewer: None,
        matter_id: None,
        by: ctx.user_id(),
        at: db.clock().now(),
    };
    record(&uow, &mut b, &step).await?;
    uow.commit().await?;
    Ok(b)
}

fn refused(field: &str, e: StepError) -> AppError {
    AppError::conflict(field, e.to_string())
}

async fn record(uow: &UnitOfWork, b: &mut Budget, step: &StepTaken) -> AppResult<()> {
    if !budgets::take_step(uow.tx(), uow.tenant(), b.id, step).await? {
        return Err(AppError::conflict(
            "budgetId",
            "someone else moved this budget just now: reload it",
        ));
    }
    b.step = step.to;
    if step.matter_id.is_some() {
        b.matter_id = step.matter_id;
    }
    uow.audit(
        "governance.budget_step",
        "budget",
        b.id,
        json!({ "from": step.from.code(), "to": step.to.code() }),
    );
    Ok(())
}
