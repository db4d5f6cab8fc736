//! The monthly close of a compound's common-part income, and a month as people read it.
//!
//! Months close in order, once each month has ended: costs are deducted up to each
//! category's gross (the rest is carried forward), the net is split by the category's rule
//! in force, the split is posted, and the month is locked.

use std::collections::BTreeMap;

use chrono::NaiveTime;
use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::{IncomeCategory, SplitRule, close_category};
use domain::ledger::rules;
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::checks::readable;
use crate::income::model::{CloseLine, IncomeCost, IncomeRecord, Month, MonthClose, RuleVersion};
use crate::income::store;
use crate::ledger::{self, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::compounds;

/// The rule in force for `category` in `month`: its latest version from that month or
/// before, else the default 70/30.
fn rule_in_force(
    versions: &[RuleVersion],
    category: IncomeCategory,
    month: BillingPeriod,
) -> SplitRule {
    versions
        .iter()
        .filter(|v| v.category == category && v.effective_from <= month)
        .max_by_key(|v| v.effective_from)
        .map_or(SplitRule::DEFAULT, |v| v.rule)
}

/// What closing `month` would post, category by category, given the close before it.
async fn plan(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
    before: Option<&MonthClose>,
    records: &[IncomeRecord],
    costs: &[IncomeCost],
) -> AppResult<Vec<CloseLine>> {
    let versions = store::rules_of(tx, tenant, compound).await?;
    // (gross, costs, carried in) per category, in the categories' stable order.
    let mut sums: BTreeMap<&str, (IncomeCategory, [Money; 3])> = BTreeMap::new();
    let mut add = |category: IncomeCategory, slot: usize, amount: Money| -> AppResult<()> {
        let entry = sums
            .entry(category.code())
            .or_insert((category, [Money::ZERO; 3]));
        entry.1[slot] = entry.1[slot].checked_add(amount).field("amount")?;
        Ok(())
    };
    for r in records {
        add(r.category, 0, r.amount)?;
    }
    for c in costs {
        add(c.category, 1, c.amount)?;
    }
    for l in before.map(|b| b.lines.as_slice()).unwrap_or_default() {
        if !l.close.carried_out.is_zero() {
            add(l.category, 2, l.close.carried_out)?;
        }
    }
    sums.into_values()
        .map(|(category, [gross, costs, carried_in])| {
            let rule = rule_in_force(&versions, category, month);
            let close = close_category(gross, costs, carried_in, rule).field("amount")?;
            Ok(CloseLine {
                category,
                rule,
                close,
            })
        })
        .collect()
}

/// Closes `month` for a compound (book-keepers): idempotent, so a month already closed is
/// answered with its close.
#[tracing::instrument(name = "income.close", skip_all, fields(period = %month))]
pub async fn close_month(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    month: BillingPeriod,
) -> AppResult<MonthClose> {
    require_books(ctx)?;
    if month.last_day() >= db.clock().today() {
        return Err(AppError::bad_input(
            "period",
            "a month can be closed once it has ended",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    ledger::hold_books(tx, ctx.tenant_id).await?;
    if let Some(done) = store::close_of(tx, ctx.tenant_id, compound, month).await? {
        uow.commit().await?;
        return Ok(done);
    }
    let last = store::last_close_before(tx, ctx.tenant_id, compound, None).await?;
    if let Some(l) = last.as_ref().filter(|l| l.period > month) {
        return Err(AppError::conflict(
            "period",
            format!("the books are already closed through {}", l.period),
        ));
    }
    let last_period = last.as_ref().map(|l| l.period);
    if let Some(first) = store::earliest_open_period(tx, ctx.tenant_id, compound, last_period)
        .await?
        .filter(|p| *p < month)
    {
        return Err(AppError::conflict(
            "period",
            format!("close {first} first: months close in order"),
        ));
    }
    let records = store::records_in(tx, ctx.tenant_id, compound, month).await?;
    let costs = store::costs_in(tx, ctx.tenant_id, compound, month).await?;
    if !records.is_empty() {
        require_resolution(tx, ctx.tenant_id, compound, month).await?;
    }
    let lines = plan(
        tx,
        ctx.tenant_id,
        compound,
        month,
        last.as_ref(),
        &records,
        &costs,
    )
    .await?;
    let closes: Vec<_> = lines.iter().map(|l| l.close).collect();
    let entry_id = match rules::common_income_split(compound, &closes).field("amount")? {
        Some(entry) => {
            let stored = ledger::append_in(
                tx,
                ctx.tenant_id,
                vec![NewEntry {
                    entry,
                    occurred_at: month.last_day().and_time(NaiveTime::MIN).and_utc(),
                    idempotency_key: format!("income-close:{compound}:{month}"),
                    memo: format!("公共收益分配 {month}"),
                    actor: Some(ctx.user_id()),
                    reverses: None,
                }],
            )
            .await?;
            stored.first().map(|e| e.id)
        }
        None => None,
    };
    let close = MonthClose {
        id: domain::new_id(),
        compound_id: compound,
        period: month,
        entry_id,
        closed_at: db.clock().now(),
        lines,
    };
    store::insert_close(tx, ctx.tenant_id, &close, ctx.user_id()).await?;
    let owners = Money::sum(close.lines.iter().map(|l| l.close.owners)).field("amount")?;
    uow.audit(
        "income.close",
        "compound",
        compound,
        json!({ "period": month.to_string(), "close": close.id, "ownersFen": owners.fen() }),
    );
    uow.commit().await?;
    Ok(close)
}

/// Income may be split only under the owners' resolution allowing business use of common
/// parts (Civil Code Art. 278 (8)), decided by the end of the month.
async fn require_resolution(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
) -> AppResult<()> {
    let any = store::resolutions_of(tx, tenant, compound)
        .await?
        .iter()
        .any(|r| r.decided_on <= month.last_day());
    if any {
        Ok(())
    } else {
        Err(AppError::conflict(
            "compoundId",
            "no owners' resolution allowing business use of this compound's common parts is on record for this month: record it first; the income stays held until then",
        ))
    }
}

/// A compound's month: its income and costs and, closed or not, how it splits.
#[tracing::instrument(name = "income.month", skip_all, fields(period = %month))]
pub async fn month(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    month: BillingPeriod,
) -> AppResult<Month> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    readable(&tx, ctx, compound).await?;
    let records = store::records_in(&tx, ctx.tenant_id, compound, month).await?;
    let costs = store::costs_in(&tx, ctx.tenant_id, compound, month).await?;
    let close = store::close_of(&tx, ctx.tenant_id, compound, month).await?;
    let last = store::last_close_before(&tx, ctx.tenant_id, compound, None).await?;
    let closed_through = last.as_ref().map(|l| l.period);
    let lines = match (&close, closed_through) {
        (Some(c), _) => c.lines.clone(),
        // Locked by a later close with nothing recorded: nothing to split.
        (None, Some(through)) if through >= month => Vec::new(),
        (None, _) => {
            let before =
                store::last_close_before(&tx, ctx.tenant_id, compound, Some(month)).await?;
            plan(
                &tx,
                ctx.tenant_id,
                compound,
                month,
                before.as_ref(),
                &records,
                &costs,
            )
            .await?
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
