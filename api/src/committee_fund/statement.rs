//! The committee fund's statement over a span of days: the opening balance, the owners'
//! shares received, payouts, waivers it funded, anything else (adjustments, reversals) and the
//! closing balance — every figure a sum of the fund account's postings, so it reconciles with
//! the ledger to the fen.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::{AccountKind, EntryKind, Money};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::ledger::{self, Movement};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::compounds;

/// The fund's movements over a span, each as the fund sees it (a share received is positive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FundStatement {
    pub opening: Money,
    pub shares: Money,
    pub payouts: Money,
    pub waivers: Money,
    pub other: Money,
    pub closing: Money,
}

/// Σ of the fund account's postings by `entry` (all entries when `None`), credit positive.
fn credited(moves: &[Movement], entry: Option<EntryKind>) -> i64 {
    -moves
        .iter()
        .filter(|m| m.account == AccountKind::CommitteeFund && entry.is_none_or(|e| m.entry == e))
        .map(|m| m.amount.fen())
        .sum::<i64>()
}

/// The statement from the movements before the span and those within it.
#[must_use]
pub fn from_movements(before: &[Movement], within: &[Movement]) -> FundStatement {
    let opening = credited(before, None);
    let shares = credited(within, Some(EntryKind::CommonIncomeSplit));
    let payouts = -credited(within, Some(EntryKind::CommitteePayout));
    let waivers = -credited(within, Some(EntryKind::WaiverGranted));
    let net = credited(within, None);
    FundStatement {
        opening: Money::from_fen(opening),
        shares: Money::from_fen(shares),
        payouts: Money::from_fen(payouts),
        waivers: Money::from_fen(waivers),
        other: Money::from_fen(net - shares + payouts + waivers),
        closing: Money::from_fen(opening + net),
    }
}

/// The statement of days `from..=to`, in the caller's transaction.
pub async fn statement_in(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<FundStatement> {
    let mut all = statements_in(tx, tenant, &[compound], from, to).await?;
    Ok(all
        .remove(&compound)
        .unwrap_or_else(|| from_movements(&[], &[])))
}

/// [`statement_in`] of many compounds, in two statements however many.
pub async fn statements_in(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<Uuid, FundStatement>> {
    let mut before = match (NaiveDate::from_ymd_opt(1900, 1, 1), from.pred_opt()) {
        (Some(start), Some(end)) if start <= end => {
            ledger::movements_of(tx, tenant, compounds, start, end).await?
        }
        _ => HashMap::new(),
    };
    let mut within = ledger::movements_of(tx, tenant, compounds, from, to).await?;
    Ok(compounds
        .iter()
        .map(|c| {
            let b = before.remove(c).unwrap_or_default();
            let w = within.remove(c).unwrap_or_default();
            (*c, from_movements(&b, &w))
        })
        .collect())
}

/// A compound's fund statement (the firm's book-keepers and the compound's committee).
#[tracing::instrument(name = "committee_fund.statement", skip_all)]
pub async fn statement(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<FundStatement> {
    if to < from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    if !ctx.principal.reads_accounts_of(compound) {
        return Err(AppError::forbidden(
            "the fund's statement is for the firm's accountant and the owners' committee",
        ));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let s = statement_in(&tx, ctx.tenant_id, compound, from, to).await?;
    tx.commit().await?;
    Ok(s)
}
