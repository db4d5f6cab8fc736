//! A compound's month of common-part income as the accountant and the committee read it.

use std::collections::HashMap;

use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use uuid::Uuid;

use super::checks::readable;
use super::plan::lines_for;
use crate::income::model::Month;
use crate::income::store::{self, MonthSums};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppResult, FieldExt};

/// A compound's month: its income and costs and, closed or not, how it splits.
#[tracing::instrument(name = "income.month", skip_all, fields(period = %month))]
pub async fn month(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    month: BillingPeriod,
) -> AppResult<Month> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    readable(&tx, ctx, compound).await?;
    let records = store::records_in(&tx, ctx.tenant_id, compound, month).await?;
    let costs = store::costs_in(&tx, ctx.tenant_id, compound, month).await?;
    let close = store::close_of(&tx, ctx.tenant_id, compound, month).await?;
    let closed_through = store::closed_through(&tx, ctx.tenant_id, compound).await?;
    let lines = match (&close, closed_through) {
        (Some(c), _) => c.lines.clone(),
        // Locked by a later close with nothing recorded: nothing to split.
        (None, Some(through)) if through >= month => Vec::new(),
        (None, _) => {
            let mut sums: HashMap<IncomeCategory, MonthSums> = HashMap::new();
            for r in &records {
                let s = sums.entry(r.category).or_default();
                s.gross = s.gross.checked_add(r.amount).field("amount")?;
                s.records += 1;
            }
            for c in &costs {
                let s = sums.entry(c.category).or_default();
                s.costs = s.costs.checked_add(c.amount).field("amount")?;
            }
            // Open: what the close before this month carried into it.
            let before =
                store::last_close_before(&tx, ctx.tenant_id, compound, Some(month)).await?;
            let versions = store::rules_of(&tx, ctx.tenant_id, compound).await?;
            lines_for(month, sums, before.as_ref(), &versions)?
        }
    };
    tx.commit().await?;
    Ok(Month {
        compound_id: compound,
        period: month,
        close,
        closed_through,
        lines,
        records,
        costs,
    })
}
