//! Budget versions and their lines, never changed: a revision is a new version.

use std::collections::HashMap;

use domain::Money;
use domain::governance::budget::Lines;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::codes;
use crate::governance::model::Version;
use crate::platform::schema::{budget_line, budget_version};
use crate::platform::storage::corrupt;

pub struct NewVersion<'a> {
    pub budget_id: Uuid,
    pub version: &'a Version,
    pub by: Uuid,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    v: NewVersion<'_>,
) -> Result<(), DbErr> {
    let id = domain::new_id();
    budget_version::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        created_at: Set(v.version.created_at),
        budget_id: Set(v.budget_id),
        number: Set(
            i32::try_from(v.version.number).map_err(|_| corrupt("budget version", "too many"))?
        ),
        note: Set(v.version.note.clone()),
        created_by: Set(v.by),
    }
    .insert(db)
    .await?;
    let lines: Vec<_> = v
        .version
        .lines
        .iter()
        .map(|(category, amount)| budget_line::ActiveModel {
            tenant_id: Set(tenant),
            version_id: Set(id),
            category: Set(category.code().to_owned()),
            amount_fen: Set(amount.fen()),
        })
        .collect();
    if !lines.is_empty() {
        budget_line::Entity::insert_many(lines).exec(db).await?;
    }
    Ok(())
}

/// How many versions the budget has.
pub async fn count(db: &impl ConnectionTrait, tenant: Uuid, budget_id: Uuid) -> Result<u64, DbErr> {
    budget_version::Entity::find()
        .filter(budget_version::Column::TenantId.eq(tenant))
        .filter(budget_version::Column::BudgetId.eq(budget_id))
        .count(db)
        .await
}

/// Every version of these budgets, by budget, first to last, each with its lines (two
/// statements).
pub async fn of_budgets(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    budgets: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Version>>, DbErr> {
    let versions = budget_version::Entity::find()
        .filter(budget_version::Column::TenantId.eq(tenant))
        .filter(budget_version::Column::BudgetId.is_in(budgets.iter().copied()))
        .order_by_asc(budget_version::Column::Number)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = versions.iter().map(|v| v.id).collect();
    let mut lines: HashMap<Uuid, Vec<_>> = HashMap::new();
    for l in budget_line::Entity::find()
        .filter(budget_line::Column::TenantId.eq(tenant))
        .filter(budget_line::Column::VersionId.is_in(ids))
        .all(db)
        .await?
    {
        let line = (codes::category(&l.category)?, Money::from_fen(l.amount_fen));
        lines.entry(l.version_id).or_default().push(line);
    }
    let mut out: HashMap<Uuid, Vec<Version>> = HashMap::new();
    for v in versions {
        let mine = lines.remove(&v.id).unwrap_or_default();
        out.entry(v.budget_id).or_default().push(Version {
            number: codes::number(v.number, "budget version")?,
            note: v.note,
            created_at: v.created_at,
            lines: Lines::new(mine).map_err(|e| corrupt("budget lines", &e.to_string()))?,
        });
    }
    Ok(out)
}
