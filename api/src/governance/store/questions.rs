//! Residents' questions on budgets and the committee's answers.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::governance::model::Question;
use crate::platform::schema::budget_question as q;

fn to_question(m: q::Model) -> Question {
    Question {
        id: m.id,
        budget_id: m.budget_id,
        question: m.question,
        asked_at: m.created_at,
        answer: m.answer,
        answered_at: m.answered_at,
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    question: &Question,
    by: Uuid,
) -> Result<(), DbErr> {
    q::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(question.id),
        created_at: Set(question.asked_at),
        budget_id: Set(question.budget_id),
        asked_by: Set(by),
        question: Set(question.question.clone()),
        answer: Set(None),
        answered_by: Set(None),
        answered_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Question>, DbErr> {
    Ok(q::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_question))
}

/// Records the answer; false (nothing written) if the question already has one.
pub async fn answer(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    answer: &str,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let res = q::Entity::update_many()
        .col_expr(q::Column::Answer, Expr::value(answer))
        .col_expr(q::Column::AnsweredBy, Expr::value(by))
        .col_expr(q::Column::AnsweredAt, Expr::value(at))
        .filter(q::Column::TenantId.eq(tenant))
        .filter(q::Column::Id.eq(id))
        .filter(q::Column::Answer.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// These budgets' questions, by budget, oldest first.
pub async fn of_budgets(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    budgets: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Question>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<Question>> = HashMap::new();
    for m in q::Entity::find()
        .filter(q::Column::TenantId.eq(tenant))
        .filter(q::Column::BudgetId.is_in(budgets.iter().copied()))
        .order_by_asc(q::Column::CreatedAt)
        .all(db)
        .await?
    {
        out.entry(m.budget_id).or_default().push(to_question(m));
    }
    Ok(out)
}
