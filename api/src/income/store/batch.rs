//! Many compounds' months at once, for closing a bundle or a whole firm: each read is one
//! grouped query per chunk of compounds, not one per compound.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::closes::with_lines_of;
use super::codes::category;
use crate::income::model::MonthClose;
use crate::platform::schema::{
    business_use_resolution as res, income_close as close, income_cost as cost,
    income_record as record,
};

/// One compound's category in one month: income (with how many records) and costs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthSums {
    pub gross: Money,
    pub records: i64,
    pub costs: Money,
}

fn total(col: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
    Expr::col(col).sum().cast_as(Alias::new("BIGINT"))
}

/// Income and costs of `month` by compound and category.
pub async fn month_sums(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    month: BillingPeriod,
) -> Result<HashMap<(Uuid, IncomeCategory), MonthSums>, DbErr> {
    let mut out: HashMap<(Uuid, IncomeCategory), MonthSums> = HashMap::new();
    let records: Vec<(Uuid, String, Option<i64>, i64)> = record::Entity::find()
        .select_only()
        .column(record::Column::CompoundId)
        .column(record::Column::Category)
        .column_as(total(record::Column::AmountFen), "gross")
        .column_as(Expr::col(record::Column::Id).count(), "records")
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::Period.eq(month.code()))
        .filter(record::Column::CompoundId.is_in(compounds.iter().copied()))
        .group_by(record::Column::CompoundId)
        .group_by(record::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    for (compound, code, gross, n) in records {
        let s = out.entry((compound, category(&code)?)).or_default();
        s.gross = Money::from_fen(gross.unwrap_or(0));
        s.records = n;
    }
    let costs: Vec<(Uuid, String, Option<i64>)> = cost::Entity::find()
        .select_only()
        .column(cost::Column::CompoundId)
        .column(cost::Column::Category)
        .column_as(total(cost::Column::AmountFen), "costs")
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::Period.eq(month.code()))
        .filter(cost::Column::CompoundId.is_in(compounds.iter().copied()))
        .group_by(cost::Column::CompoundId)
        .group_by(cost::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    for (compound, code, costs) in costs {
        out.entry((compound, category(&code)?)).or_default().costs =
            Money::from_fen(costs.unwrap_or(0));
    }
    Ok(out)
}

/// Each compound's latest month with income or costs before `month` (as `yyyymm`).
pub async fn last_active_before(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    month: BillingPeriod,
) -> Result<HashMap<Uuid, i32>, DbErr> {
    let ids = || compounds.iter().copied();
    let records: Vec<(Uuid, Option<i32>)> = record::Entity::find()
        .select_only()
        .column(record::Column::CompoundId)
        .expr(Expr::col(record::Column::Period).max())
        .filter(record::Column::TenantId.eq(tenant))
        .filter(record::Column::Period.lt(month.code()))
        .filter(record::Column::CompoundId.is_in(ids()))
        .group_by(record::Column::CompoundId)
        .into_tuple()
        .all(db)
        .await?;
    let costs: Vec<(Uuid, Option<i32>)> = cost::Entity::find()
        .select_only()
        .column(cost::Column::CompoundId)
        .expr(Expr::col(cost::Column::Period).max())
        .filter(cost::Column::TenantId.eq(tenant))
        .filter(cost::Column::Period.lt(month.code()))
        .filter(cost::Column::CompoundId.is_in(ids()))
        .group_by(cost::Column::CompoundId)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, i32> = HashMap::new();
    for (compound, period) in records.into_iter().chain(costs) {
        if let Some(p) = period {
            let e = out.entry(compound).or_insert(p);
            *e = std::cmp::max(*e, p);
        }
    }
    Ok(out)
}

/// Each compound's latest close, with its lines.
pub async fn latest_closes(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
) -> Result<HashMap<Uuid, MonthClose>, DbErr> {
    let latest: Vec<(Uuid, Option<i32>)> = close::Entity::find()
        .select_only()
        .column(close::Column::CompoundId)
        .expr(Expr::col(close::Column::Period).max())
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.is_in(compounds.iter().copied()))
        .group_by(close::Column::CompoundId)
        .into_tuple()
        .all(db)
        .await?;
    let wanted: HashMap<Uuid, i32> = latest
        .into_iter()
        .filter_map(|(c, p)| p.map(|p| (c, p)))
        .collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let periods: HashSet<i32> = wanted.values().copied().collect();
    let models: Vec<close::Model> = close::Entity::find()
        .filter(close::Column::TenantId.eq(tenant))
        .filter(close::Column::CompoundId.is_in(wanted.keys().copied()))
        .filter(close::Column::Period.is_in(periods))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| wanted.get(&m.compound_id) == Some(&m.period))
        .collect();
    Ok(with_lines_of(db, tenant, models)
        .await?
        .into_iter()
        .map(|c| (c.compound_id, c))
        .collect())
}

/// The compounds with a resolution allowing business use of common parts decided by `day`.
pub async fn resolved_by(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    day: NaiveDate,
) -> Result<HashSet<Uuid>, DbErr> {
    let found: Vec<Uuid> = res::Entity::find()
        .select_only()
        .column(res::Column::CompoundId)
        .distinct()
        .filter(res::Column::TenantId.eq(tenant))
        .filter(res::Column::CompoundId.is_in(compounds.iter().copied()))
        .filter(res::Column::DecidedOn.lte(day))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}
