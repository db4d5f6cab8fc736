//! Contractors' records of work, summed by the database: open jobs, completions on time,
//! ratings, reopenings and cost, and completions and cost by trade.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::codes;
use crate::dispatch::model::{Record, TradeWork};
use crate::platform::schema::work_order as order;

/// What is summed per contractor, in the order of [`Record`]'s fields.
const SUMS: [(&str, &str); 7] = [
    (
        "open_jobs",
        "SUM(CASE WHEN state IN ('dispatched', 'accepted', 'in_progress') THEN 1 ELSE 0 END)",
    ),
    ("completed", "COUNT(completed_at)"),
    (
        "on_time",
        "SUM(CASE WHEN completed_at <= resolve_by THEN 1 ELSE 0 END)",
    ),
    ("ratings", "COUNT(rating)"),
    ("rating_sum", "SUM(rating)"),
    ("reopened", "SUM(reopened)"),
    (
        "cost",
        "SUM(CASE WHEN completed_at IS NOT NULL THEN cost_fen ELSE 0 END)",
    ),
];

type Row = (Uuid, String, i64, i64, i64, i64, i64, i64, i64);

/// Each contractor's record, from the orders assigned to them now (an order passed on to
/// another contractor counts for the one who holds it), with their completions and cost in
/// each trade.
pub async fn records(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    contractors: &[Uuid],
) -> Result<HashMap<Uuid, Record>, DbErr> {
    let mut q = order::Entity::find()
        .select_only()
        .column(order::Column::ContractorId)
        .column(order::Column::Trade);
    for (name, sum) in SUMS {
        q = q.column_as(
            Expr::cust(format!("CAST(COALESCE({sum}, 0) AS BIGINT)")),
            name,
        );
    }
    let rows: Vec<Row> = q
        .filter(order::Column::TenantId.eq(tenant))
        .filter(order::Column::ContractorId.is_in(contractors.iter().copied()))
        .group_by(order::Column::ContractorId)
        .group_by(order::Column::Trade)
        .order_by_asc(order::Column::Trade)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Record> = HashMap::new();
    for (id, trade, open, completed, on_time, ratings, rating_sum, reopened, cost) in rows {
        let r = out.entry(id).or_default();
        let completed = codes::count(completed, "completed")?;
        r.open_jobs += codes::count(open, "open jobs")?;
        r.completed += completed;
        r.completed_on_time += codes::count(on_time, "on time")?;
        r.ratings += codes::count(ratings, "ratings")?;
        r.rating_sum += codes::count(rating_sum, "rating sum")?;
        r.reopened += codes::count(reopened, "reopened")?;
        r.cost_fen += cost;
        if completed > 0 {
            r.by_trade.push(TradeWork {
                trade: codes::trade(&trade)?,
                completed,
                cost_fen: cost,
            });
        }
    }
    Ok(out)
}
