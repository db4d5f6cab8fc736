//! Budgets, the dated record of their steps and their supervision groups.

use std::collections::HashMap;

use domain::governance::budget::SupervisionGroup;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::codes;
use crate::governance::model::{Budget, StepTaken};
use crate::platform::schema::{budget, budget_step, budget_supervisor};

fn to_budget(m: budget::Model) -> Result<Budget, DbErr> {
    Ok(Budget {
        id: m.id,
        compound_id: m.compound_id,
        year: m.year,
        title: m.title,
        step: codes::step(&m.step)?,
        matter_id: m.matter_id,
        created_at: m.created_at,
    })
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    b: &Budget,
    by: Uuid,
) -> Result<(), DbErr> {
    budget::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(b.id),
        created_at: Set(b.created_at),
        compound_id: Set(b.compound_id),
        year: Set(b.year),
        title: Set(b.title.clone()),
        step: Set(b.step.code().to_owned()),
        matter_id: Set(None),
        created_by: Set(by),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Budget>, DbErr> {
    budget::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_budget)
        .transpose()
}

/// The compound's budget for `year`, if it has one.
pub async fn of_year(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    year: i32,
) -> Result<Option<Budget>, DbErr> {
    budget::Entity::find()
        .filter(budget::Column::TenantId.eq(tenant))
        .filter(budget::Column::CompoundId.eq(compound))
        .filter(budget::Column::Year.eq(year))
        .one(db)
        .await?
        .map(to_budget)
        .transpose()
}

/// The budget a vote approved, if any.
pub async fn approved_by(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
) -> Result<Option<Budget>, DbErr> {
    budget::Entity::find()
        .filter(budget::Column::TenantId.eq(tenant))
        .filter(budget::Column::MatterId.eq(matter))
        .one(db)
        .await?
        .map(to_budget)
        .transpose()
}

/// The compound's budgets, newest year first.
pub async fn of_compound(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Budget>, DbErr> {
    of_compounds(db, tenant, &[compound]).await
}

/// These compounds' budgets, by compound, each's newest year first.
pub async fn of_compounds(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
) -> Result<Vec<Budget>, DbErr> {
    budget::Entity::find()
        .filter(budget::Column::TenantId.eq(tenant))
        .filter(budget::Column::CompoundId.is_in(compounds.iter().copied()))
        .order_by_asc(budget::Column::CompoundId)
        .order_by_desc(budget::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(to_budget)
        .collect()
}

/// Moves the budget from `step.from` to `step.to` and records the step; false (nothing
/// written) if another request moved it first.
pub async fn take_step(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    budget_id: Uuid,
    step: &StepTaken,
) -> Result<bool, DbErr> {
    let mut update = budget::Entity::update_many()
        .col_expr(budget::Column::Step, Expr::value(step.to.code()))
        .filter(budget::Column::TenantId.eq(tenant))
        .filter(budget::Column::Id.eq(budget_id))
        .filter(budget::Column::Step.eq(step.from.code()));
    if let Some(matter) = step.matter_id {
        update = update.col_expr(budget::Column::MatterId, Expr::value(matter));
    }
    if update.exec(db).await?.rows_affected != 1 {
        return Ok(false);
    }
    budget_step::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(step.at),
        budget_id: Set(budget_id),
        from_step: Set(step.from.code().to_owned()),
        to_step: Set(step.to.code().to_owned()),
        note: Set(step.note.clone()),
        reviewer: Set(step.reviewer.clone()),
        matter_id: Set(step.matter_id),
        taken_by: Set(step.by),
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// Every step these budgets took, by budget, in order.
pub async fn steps_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    budgets: &[Uuid],
) -> Result<HashMap<Uuid, Vec<StepTaken>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<StepTaken>> = HashMap::new();
    for m in budget_step::Entity::find()
        .filter(budget_step::Column::TenantId.eq(tenant))
        .filter(budget_step::Column::BudgetId.is_in(budgets.iter().copied()))
        .order_by_asc(budget_step::Column::CreatedAt)
        .all(db)
        .await?
    {
        out.entry(m.budget_id).or_default().push(StepTaken {
            from: codes::step(&m.from_step)?,
            to: codes::step(&m.to_step)?,
            note: m.note,
            reviewer: m.reviewer,
            matter_id: m.matter_id,
            by: m.taken_by,
            at: m.created_at,
        });
    }
    Ok(out)
}

pub async fn insert_supervisors(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    budget_id: Uuid,
    group: &SupervisionGroup,
) -> Result<(), DbErr> {
    let rows = (1..)
        .zip(group.names())
        .map(|(seat, name)| budget_supervisor::ActiveModel {
            tenant_id: Set(tenant),
            budget_id: Set(budget_id),
            seat: Set(seat),
            name: Set(name.to_owned()),
        });
    budget_supervisor::Entity::insert_many(rows)
        .exec(db)
        .await?;
    Ok(())
}

/// These budgets' supervision groups' names, by budget, in the order given.
pub async fn supervisors_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    budgets: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for m in budget_supervisor::Entity::find()
        .filter(budget_supervisor::Column::TenantId.eq(tenant))
        .filter(budget_supervisor::Column::BudgetId.is_in(budgets.iter().copied()))
        .order_by_asc(budget_supervisor::Column::Seat)
        .all(db)
        .await?
    {
        out.entry(m.budget_id).or_default().push(m.name);
    }
    Ok(out)
}
