//! Income received from common parts and the direct costs of earning it: each posted to the
//! ledger as it is recorded, into a month that is still open.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveTime};
use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use domain::ledger::{PaymentMethod, rules};
use domain::text::optional;
use domain::{LongText, Money, Name};
use serde_json::json;
use uuid::Uuid;

use super::checks::{ensure_open, live_compound, live_compounds};
use crate::income::model::{IncomeCost, IncomeRecord};
use crate::income::store;
use crate::ledger::{self, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::idempotency;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::tenants;

pub struct IncomeInput {
    pub compound: Uuid,
    pub category: IncomeCategory,
    /// Below zero only for a correction, which then needs its reason.
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub payer: Option<String>,
    pub reference: Option<String>,
    pub correction_reason: Option<String>,
    pub idempotency_key: String,
}

pub struct CostInput {
    pub compound: Uuid,
    pub category: IncomeCategory,
    pub period: BillingPeriod,
    pub amount: Money,
    pub description: String,
    pub evidence: String,
    pub method: PaymentMethod,
    pub idempotency_key: String,
}

/// The firm's largest single payment: no record above it (a slip of the keyboard is not
/// booked as a fortune).
async fn largest_payment(tx: &sea_orm::DatabaseTransaction, tenant: Uuid) -> AppResult<Money> {
    Ok(tenants::find(tx, tenant)
        .await?
        .ok_or(AppError::NotFound("firm"))?
        .max_payment)
}

fn within(max: Money, amount: Money) -> AppResult<()> {
    let magnitude = if amount.is_positive() {
        amount
    } else {
        amount.checked_neg().field("amount")?
    };
    if magnitude > max {
        return Err(AppError::bad_input(
            "amount",
            format!("must be at most {max} (the firm's largest single payment)"),
        ));
    }
    Ok(())
}

/// Checks an income record's own fields (what needs the database is checked in the unit of
/// work) and answers its correction's reason, if any.
fn check_fields(db: &Db, input: &IncomeInput) -> AppResult<Option<String>> {
    crate::collection::by_hand(input.method)?;
    if input.amount.is_zero() {
        return Err(AppError::bad_input("amount", "must not be zero"));
    }
    let reason = input
        .correction_reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(|r| LongText::parse(r).map(LongText::into_inner))
        .transpose()
        .field("correctionReason")?;
    if !input.amount.is_positive() && reason.is_none() {
        return Err(AppError::bad_input(
            "amount",
            "must be greater than zero (a correction below zero needs its reason)",
        ));
    }
    if input.received_on > db.clock().today() {
        return Err(AppError::bad_input(
            "receivedOn",
            "must not be in the future",
        ));
    }
    domain::sane_date(input.received_on).field("receivedOn")?;
    Ok(reason)
}

/// Records income received (or a correction, with its reason): the money is held in the
/// compound's pending income until its month is closed. Retrying with the same idempotency
/// key returns the first record.
#[tracing::instrument(name = "income.record", skip_all)]
pub async fn record_income(
    db: &Db,
    ctx: &RequestContext,
    input: IncomeInput,
) -> AppResult<IncomeRecord> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    live_compound(uow.tx(), ctx, input.compound).await?;
    let (record, fresh) = record_in(&uow, db, ctx, input).await?;
    if fresh {
        uow.audit(
            "income.record",
            "compound",
            record.compound_id,
            json!({ "record": record.id, "fen": record.amount.fen(), "category": record.category.code() }),
        );
    }
    uow.commit().await?;
    Ok(record)
}

/// Records income in another area's unit of work (an advertising payment's shares): the
/// compounds are checked as [`record_income`] checks one, and keys recorded before answer
/// their first records.
pub async fn record_within(
    uow: &UnitOfWork,
    db: &Db,
    ctx: &RequestContext,
    inputs: Vec<IncomeInput>,
) -> AppResult<Vec<IncomeRecord>> {
    let ids: Vec<Uuid> = inputs.iter().map(|i| i.compound).collect();
    live_compounds(uow.tx(), ctx, &ids).await?;
    let recorded = record_all_in(uow, db, ctx, inputs).await?;
    Ok(recorded.into_iter().map(|(r, _)| r).collect())
}

/// Records income in the caller's unit of work (whose compound it has checked): the record,
/// and whether it is new (`false`: its key was recorded before, and that record is answered).
pub(super) async fn record_in(
    uow: &UnitOfWork,
    db: &Db,
    ctx: &RequestContext,
    input: IncomeInput,
) -> AppResult<(IncomeRecord, bool)> {
    record_all_in(uow, db, ctx, vec![input])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(std::io::Error::other("no record answered")))
}

/// An input whose own fields are checked.
struct Checked {
    input: IncomeInput,
    key: String,
    reason: Option<String>,
    payer: Option<String>,
    reference: Option<String>,
}

fn checked(db: &Db, input: IncomeInput) -> AppResult<Checked> {
    Ok(Checked {
        reason: check_fields(db, &input)?,
        key: idempotency::key(&input.idempotency_key)?,
        payer: optional(input.payer.as_deref(), Name::MAX_CHARS).field("payer")?,
        reference: optional(input.reference.as_deref(), 100).field("reference")?,
        input,
    })
}

/// Records many amounts of income at once (a day's takings over a month, a payment's shares):
/// keys found in one query, the firm's bound read once, each compound's months checked open
/// once, one ledger append and one insert — in input order, with whether each is new.
pub(super) async fn record_all_in(
    uow: &UnitOfWork,
    db: &Db,
    ctx: &RequestContext,
    inputs: Vec<IncomeInput>,
) -> AppResult<Vec<(IncomeRecord, bool)>> {
    let all = inputs
        .into_iter()
        .map(|i| checked(db, i))
        .collect::<AppResult<Vec<_>>>()?;
    let tx = uow.tx();
    let keys: Vec<String> = all.iter().map(|c| c.key.clone()).collect();
    if keys.iter().collect::<HashSet<_>>().len() != keys.len() {
        return Err(AppError::conflict("idempotencyKey", "used twice at once"));
    }
    let found = store::records_by_keys(tx, ctx.tenant_id, &keys).await?;
    for c in &all {
        if let Some(r) = found.get(&c.key)
            && (r.compound_id != c.input.compound || r.amount != c.input.amount)
        {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for different income",
            ));
        }
    }
    let fresh: Vec<&Checked> = all.iter().filter(|c| !found.contains_key(&c.key)).collect();
    let mut written = if fresh.is_empty() {
        HashMap::new()
    } else {
        write_fresh(tx, db, ctx, &fresh).await?
    };
    Ok(all
        .iter()
        .filter_map(|c| match found.get(&c.key) {
            Some(r) => Some((r.clone(), false)),
            None => written.remove(&c.key).map(|r| (r, true)),
        })
        .collect())
}

/// Posts and stores records not recorded before, by key.
async fn write_fresh(
    tx: &sea_orm::DatabaseTransaction,
    db: &Db,
    ctx: &RequestContext,
    fresh: &[&Checked],
) -> AppResult<HashMap<String, IncomeRecord>> {
    let max = largest_payment(tx, ctx.tenant_id).await?;
    for c in fresh {
        within(max, c.input.amount)?;
    }
    // Closing a month takes the same lock: a record cannot slip into a month being closed.
    ledger::hold_books(tx, ctx.tenant_id).await?;
    // Each compound's earliest month: when it is open, so are the later ones.
    let mut earliest: HashMap<Uuid, BillingPeriod> = HashMap::new();
    for c in fresh {
        let p = BillingPeriod::containing(c.input.received_on);
        let e = earliest.entry(c.input.compound).or_insert(p);
        *e = (*e).min(p);
    }
    for (compound, period) in earliest {
        ensure_open(tx, ctx.tenant_id, compound, period, "receivedOn").await?;
    }
    let mut entries = Vec::with_capacity(fresh.len());
    for c in fresh {
        let i = &c.input;
        let period = BillingPeriod::containing(i.received_on);
        entries.push(NewEntry {
            entry: rules::common_income(i.compound, i.method, i.amount).field("amount")?,
            occurred_at: i.received_on.and_time(NaiveTime::MIN).and_utc(),
            idempotency_key: format!("income:{}", c.key),
            memo: format!("公共收益 {} {}", i.category.code(), period),
            actor: Some(ctx.user_id()),
            reverses: None,
        });
    }
    let stored = ledger::append_in(tx, ctx.tenant_id, entries).await?;
    let records: Vec<IncomeRecord> = fresh
        .iter()
        .zip(stored)
        .map(|(c, entry)| IncomeRecord {
            id: domain::new_id(),
            compound_id: c.input.compound,
            category: c.input.category,
            period: BillingPeriod::containing(c.input.received_on),
            received_on: c.input.received_on,
            amount: c.input.amount,
            method: c.input.method,
            payer: c.payer.clone(),
            reference: c.reference.clone(),
            correction_reason: c.reason.clone(),
            idempotency_key: c.key.clone(),
            entry_id: entry.id,
            recorded_at: db.clock().now(),
        })
        .collect();
    store::insert_records(tx, ctx.tenant_id, &records, ctx.user_id()).await?;
    Ok(records
        .into_iter()
        .map(|r| (r.idempotency_key.clone(), r))
        .collect())
}

/// Records a documented direct cost of a category's income in an open month, paid by the
/// firm; the close deducts it from that month's gross, or carries it forward.
#[tracing::instrument(name = "income.record_cost", skip_all)]
pub async fn record_cost(db: &Db, ctx: &RequestContext, input: CostInput) -> AppResult<IncomeCost> {
    require_books(ctx)?;
    crate::collection::by_hand(input.method)?;
    if !input.amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let description = LongText::parse(&input.description)
        .field("description")?
        .into_inner();
    let evidence = optional(Some(&input.evidence), 200)
        .field("evidence")?
        .ok_or_else(|| {
            AppError::bad_input(
                "evidence",
                "name the evidence: an invoice, receipt or payslip number",
            )
        })?;
    let key = idempotency::key(&input.idempotency_key)?;
    if input.period.first_day() > db.clock().today() {
        return Err(AppError::bad_input("period", "must not be in the future"));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, input.compound).await?;
    if let Some(existing) = store::find_cost_by_key(tx, ctx.tenant_id, &key).await? {
        if existing.compound_id != input.compound || existing.amount != input.amount {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for a different cost",
            ));
        }
        uow.commit().await?;
        return Ok(existing);
    }
    within(largest_payment(tx, ctx.tenant_id).await?, input.amount)?;
    ledger::hold_books(tx, ctx.tenant_id).await?;
    ensure_open(tx, ctx.tenant_id, input.compound, input.period, "period").await?;
    let entry =
        rules::common_part_cost(input.compound, input.method, input.amount).field("amount")?;
    let stored = ledger::append_in(
        tx,
        ctx.tenant_id,
        vec![NewEntry {
            entry,
            occurred_at: db.clock().now(),
            idempotency_key: format!("income-cost:{key}"),
            memo: format!("公共收益成本 {} {}", input.category.code(), input.period),
            actor: Some(ctx.user_id()),
            reverses: None,
        }],
    )
    .await?;
    let cost = IncomeCost {
        id: domain::new_id(),
        compound_id: input.compound,
        category: input.category,
        period: input.period,
        amount: input.amount,
        description,
        evidence,
        method: input.method,
        idempotency_key: key,
        entry_id: stored.first().map(|e| e.id).unwrap_or_default(),
        recorded_at: db.clock().now(),
    };
    store::insert_cost(tx, ctx.tenant_id, &cost, ctx.user_id()).await?;
    uow.audit(
        "income.record_cost",
        "compound",
        input.compound,
        json!({ "cost": cost.id, "fen": cost.amount.fen(), "category": cost.category.code() }),
    );
    uow.commit().await?;
    Ok(cost)
}
