//! The monthly close of compounds' common-part income, one compound or a bundle or firm at a
//! time (in chunks, each its own transaction, so a stopped close resumes where it stopped).
//!
//! Months close in order, once each month has ended: costs are deducted up to each
//! category's gross (the rest is carried forward), the net is split by the category's rule
//! in force, the split is posted, and the month is locked.

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, Utc};
use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use domain::ledger::rules;
use serde_json::json;
use uuid::Uuid;

use super::plan::lines_for;
use crate::income::model::{MonthClose, RuleVersion};
use crate::income::store::{self, MonthSums};
use crate::ledger::{self, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::compounds::{self, Compound, CompoundFilter};

/// Compounds closed per transaction in a close of many.
const CHUNK: usize = 500;

/// What closing a month found for one compound.
pub enum Outcome {
    Closed(MonthClose),
    AlreadyClosed(MonthClose),
    Refused(AppError),
}

/// A close of many compounds: how many were closed now or before, and why the others were not.
#[derive(Debug, Default)]
pub struct ManyClosed {
    pub closed: usize,
    pub already_closed: usize,
    pub refused: Vec<(Compound, AppError)>,
}

/// Whether `compound` may close `month` after `last`, its latest close: months close in order.
async fn in_order(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    compound: Uuid,
    month: BillingPeriod,
    last: Option<&MonthClose>,
    last_active: Option<i32>,
) -> AppResult<()> {
    if let Some(l) = last.filter(|l| l.period > month) {
        return Err(AppError::conflict(
            "period",
            format!("the books are already closed through {}", l.period),
        ));
    }
    let through = last.map(|l| l.period);
    if last_active > through.map(BillingPeriod::code)
        && let Some(first) = store::earliest_open_period(tx, tenant, compound, through).await?
    {
        return Err(AppError::conflict(
            "period",
            format!("close {first} first: months close in order"),
        ));
    }
    Ok(())
}

/// Closes `month` for each of `compounds` in the unit of work: reads are one query per kind
/// for them all, the splits are appended to the ledger together, and each compound's outcome
/// is its own (one refused does not stop the others).
async fn close_batch(
    uow: &UnitOfWork,
    actor: Option<Uuid>,
    compounds: &[Uuid],
    month: BillingPeriod,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Outcome)>> {
    let (tx, tenant) = (uow.tx(), uow.tenant());
    // Recording income takes the same lock: nothing slips into a month being closed.
    ledger::hold_books(tx, tenant).await?;
    let latest = store::latest_closes(tx, tenant, compounds).await?;
    let active = store::last_active_before(tx, tenant, compounds, month).await?;
    let resolved = store::resolved_by(tx, tenant, compounds, month.last_day()).await?;
    let mut sums: HashMap<Uuid, Vec<(IncomeCategory, MonthSums)>> = HashMap::new();
    for ((c, category), s) in store::month_sums(tx, tenant, compounds, month).await? {
        sums.entry(c).or_default().push((category, s));
    }
    let mut versions: HashMap<Uuid, Vec<RuleVersion>> = HashMap::new();
    for v in store::rules_of_compounds(tx, tenant, compounds).await? {
        versions.entry(v.compound_id).or_default().push(v);
    }
    let mut outcomes = Vec::with_capacity(compounds.len());
    let mut fresh = Vec::new();
    for &c in compounds {
        let last = latest.get(&c);
        if let Some(done) = last.filter(|l| l.period == month) {
            outcomes.push((c, Outcome::AlreadyClosed(done.clone())));
            continue;
        }
        if let Err(e) = in_order(tx, tenant, c, month, last, active.get(&c).copied()).await {
            outcomes.push((c, Outcome::Refused(e)));
            continue;
        }
        let mine = sums.remove(&c).unwrap_or_default();
        if mine.iter().any(|(_, s)| s.records > 0) && !resolved.contains(&c) {
            outcomes.push((c, Outcome::Refused(no_resolution())));
            continue;
        }
        let lines = lines_for(
            month,
            mine,
            last,
            versions.get(&c).map_or(&[][..], Vec::as_slice),
        )?;
        fresh.push(MonthClose {
            id: domain::new_id(),
            compound_id: c,
            period: month,
            entry_id: None,
            closed_at: now,
            lines,
        });
    }
    post_splits(tx, tenant, actor, &mut fresh).await?;
    store::insert_closes(tx, tenant, &fresh, actor).await?;
    outcomes.extend(
        fresh
            .into_iter()
            .map(|c| (c.compound_id, Outcome::Closed(c))),
    );
    Ok(outcomes)
}

/// Appends each new close's split to the ledger, in one append, and notes its entry.
async fn post_splits(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    actor: Option<Uuid>,
    closes: &mut [MonthClose],
) -> AppResult<()> {
    let mut entries = Vec::new();
    for c in closes.iter() {
        let lines: Vec<_> = c.lines.iter().map(|l| l.close).collect();
        if let Some(entry) = rules::common_income_split(c.compound_id, &lines).field("amount")? {
            entries.push(NewEntry {
                entry,
                occurred_at: c.period.last_day().and_time(NaiveTime::MIN).and_utc(),
                idempotency_key: format!("income-close:{}:{}", c.compound_id, c.period),
                memo: format!("公共收益分配 {}", c.period),
                actor,
                reverses: None,
            });
        }
    }
    if entries.is_empty() {
        return Ok(());
    }
    let accounts = ledger::accounts_for(tx, tenant, &entries).await?;
    let stored: HashMap<Uuid, Uuid> = ledger::append_to(tx, tenant, entries, &accounts)
        .await?
        .into_iter()
        .map(|e| (e.compound_id, e.id))
        .collect();
    for c in closes {
        c.entry_id = stored.get(&c.compound_id).copied();
    }
    Ok(())
}

/// Income may be split only under the owners' resolution allowing business use of common
/// parts (Civil Code Art. 278 (8)), decided by the end of the month.
fn no_resolution() -> AppError {
    AppError::conflict(
        "compoundId",
        "no owners' resolution allowing business use of this compound's common parts is on record for this month: record it first; the income stays held until then",
    )
}

fn ended(db: &Db, month: BillingPeriod) -> AppResult<()> {
    if month.last_day() >= db.clock().today() {
        return Err(AppError::bad_input(
            "period",
            "a month can be closed once it has ended",
        ));
    }
    Ok(())
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
    ended(db, month)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    compounds::find(uow.tx(), ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let outcome = close_batch(
        &uow,
        Some(ctx.user_id()),
        &[compound],
        month,
        db.clock().now(),
    )
    .await?
    .pop()
    .map(|(_, o)| o);
    match outcome {
        Some(Outcome::Closed(close)) => {
            let owners = Money::sum(close.lines.iter().map(|l| l.close.owners)).field("amount")?;
            let detail = json!({ "period": month.to_string(), "close": close.id, "ownersFen": owners.fen() });
            uow.audit("income.close", "compound", compound, detail);
            uow.commit().await?;
            Ok(close)
        }
        Some(Outcome::AlreadyClosed(close)) => {
            uow.commit().await?;
            Ok(close)
        }
        Some(Outcome::Refused(e)) => Err(e),
        None => Err(AppError::NotFound("compound")),
    }
}

/// Closes `month` for every compound of a bundle (book-keepers); run it again to finish what
/// stopped or was refused once the refusal is mended.
#[tracing::instrument(name = "income.close_bundle", skip_all, fields(period = %month))]
pub async fn close_bundle(
    db: &Db,
    ctx: &RequestContext,
    bundle: Uuid,
    month: BillingPeriod,
) -> AppResult<ManyClosed> {
    require_books(ctx)?;
    ended(db, month)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    crate::tenancy::bundles::find(&tx, ctx.tenant_id, &ctx.reach, bundle)
        .await?
        .ok_or(AppError::NotFound("bundle"))?;
    let filter = CompoundFilter {
        bundle_id: Some(bundle),
        name_contains: None,
        include_archived: true,
    };
    let all = compounds::all(&tx, ctx.tenant_id, &ctx.reach, &filter).await?;
    tx.commit().await?;
    close_many(db, ctx.tenant_id, Some(ctx.user_id()), all, month).await
}

/// Closes `month` for every compound of a firm, as the system (`courtyard close`).
#[tracing::instrument(name = "income.close_firm", skip_all, fields(period = %month))]
pub async fn close_firm(db: &Db, tenant: Uuid, month: BillingPeriod) -> AppResult<ManyClosed> {
    ended(db, month)?;
    let tx = db.begin_tenant_read(tenant).await?;
    let filter = CompoundFilter {
        bundle_id: None,
        name_contains: None,
        include_archived: true,
    };
    let all = compounds::all(
        &tx,
        tenant,
        &crate::platform::scope::Reach::everything(),
        &filter,
    )
    .await?;
    tx.commit().await?;
    close_many(db, tenant, None, all, month).await
}

async fn close_many(
    db: &Db,
    tenant: Uuid,
    actor: Option<Uuid>,
    all: Vec<Compound>,
    month: BillingPeriod,
) -> AppResult<ManyClosed> {
    let mut report = ManyClosed::default();
    let mut by_id: HashMap<Uuid, Compound> = all.iter().map(|c| (c.id, c.clone())).collect();
    for chunk in all.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|c| c.id).collect();
        let uow = UnitOfWork::begin_for(db, tenant, actor).await?;
        let mut closed = Vec::new();
        for (id, outcome) in close_batch(&uow, actor, &ids, month, db.clock().now()).await? {
            match outcome {
                Outcome::Closed(c) => closed.push(c.compound_id),
                Outcome::AlreadyClosed(_) => report.already_closed += 1,
                Outcome::Refused(e) => {
                    if let Some(c) = by_id.remove(&id) {
                        report.refused.push((c, e));
                    }
                }
            }
        }
        if !closed.is_empty() {
            let detail = json!({ "period": month.to_string(), "compounds": closed });
            uow.audit("income.close_many", "tenant", tenant, detail);
        }
        uow.commit().await?;
        report.closed += closed.len();
    }
    Ok(report)
}
