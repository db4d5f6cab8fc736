//! Residents ask about a budget on their compound's page; the committee answers publicly.

use domain::LongText;
use serde_json::json;
use uuid::Uuid;

use super::budgets::{run_budget, seen_budget};
use crate::governance::model::Question;
use crate::governance::store::questions;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::households;

/// A resident of the budget's compound asks a question.
#[tracing::instrument(name = "governance.budget_ask", skip_all)]
pub async fn ask(db: &Db, ctx: &RequestContext, budget: Uuid, text: &str) -> AppResult<Question> {
    let text = LongText::parse(text).field("question")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let b = seen_budget(tx, ctx, budget).await?;
    let compounds = households::compounds_of(tx, ctx.tenant_id, &ctx.principal.homes()).await?;
    if !compounds.contains(&b.compound_id) {
        return Err(AppError::forbidden(
            "only residents of the compound ask about its budget",
        ));
    }
    let q = Question {
        id: domain::new_id(),
        budget_id: b.id,
        question: text.into_inner(),
        asked_at: db.clock().now(),
        answer: None,
        answered_at: None,
    };
    questions::insert(tx, ctx.tenant_id, &q, ctx.user_id()).await?;
    uow.audit(
        "governance.budget_ask",
        "budget",
        b.id,
        json!({ "question": q.id }),
    );
    uow.commit().await?;
    Ok(q)
}

/// The committee (or the firm's administrator) answers, once, in public.
#[tracing::instrument(name = "governance.budget_answer", skip_all)]
pub async fn answer(db: &Db, ctx: &RequestContext, id: Uuid, text: &str) -> AppResult<Question> {
    let text = LongText::parse(text).field("answer")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut q = questions::find(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("question"))?;
    run_budget(tx, ctx, q.budget_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("question"),
            e => e,
        })?;
    let at = db.clock().now();
    if !questions::answer(tx, ctx.tenant_id, id, text.as_str(), ctx.user_id(), at).await? {
        return Err(AppError::conflict(
            "id",
            "this question has already been answered",
        ));
    }
    q.answer = Some(text.into_inner());
    q.answered_at = Some(at);
    uow.audit(
        "governance.budget_answer",
        "budget",
        q.budget_id,
        json!({ "question": id }),
    );
    uow.commit().await?;
    Ok(q)
}
