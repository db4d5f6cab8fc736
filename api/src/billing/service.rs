//! Fee schedules, add-ons, waivers and monthly billing runs.
//!
//! A billing run works through the households in scope in batches (5,000 unless the CLI says
//! otherwise), one transaction each: invoices (numbered without gaps per firm), their ledger
//! entries and any held credit applied, all or nothing. A household already invoiced for the
//! period is skipped, so a second run changes nothing and a run cut short by a crash is
//! finished by running it again.
//!
//! On PostgreSQL two batches are in flight: while one holds the firm's ledger lock (invoice
//! numbers, the hash chain, the writes), the next reads its households and works out its
//! invoices and accounts, so the lock is held only for what needs it.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use domain::billing::{
    BillingError, BillingPeriod, FeeItem, FeeItemKind, HardshipCategory, LineKind, WaiverAmount,
    active_days, compute_invoice,
};
use domain::late_fee::{LateFeeTerms, OverdueInvoice};
use domain::ledger::{WaiverFunding, rules};
use domain::{LongText, Money};
use futures_util::TryStreamExt;
use serde_json::json;
use uuid::Uuid;

use super::store as billing;
use crate::billing::model::{
    Activation, Grant, Hardship, InvoiceHead, Line, NewGrant, NewInvoice, Run, Schedule,
    ScheduleScope,
};
use crate::collection;
use crate::ledger::NewEntry;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{bundles, compounds, households, tenants};

/// Households per billing transaction unless the CLI's `--batch` says otherwise. Each batch
/// commits on its own, so an interrupted run loses at most the batch it was in, and running
/// it again bills only who is not yet billed. (5,000 measured ~10 % faster than 1,000 at
/// 30,000 households; docs/benchmarks.md.)
pub const DEFAULT_BATCH: NonZeroU64 = NonZeroU64::MIN.saturating_add(4_999);

/// What one billing run is asked to do.
struct RunRequest {
    period: BillingPeriod,
    scope: RunScope,
    batch: NonZeroU64,
}

/// The latest month a schedule, activation or run may concern: next month.
fn latest_period(db: &Db) -> BillingPeriod {
    BillingPeriod::containing(db.clock().today()).next()
}

pub fn check_not_far_future(
    db: &Db,
    period: BillingPeriod,
    field: &str,
    months_ahead: u32,
) -> AppResult<()> {
    let mut limit = BillingPeriod::containing(db.clock().today());
    for _ in 0..months_ahead {
        limit = limit.next();
    }
    if period > limit {
        return Err(AppError::bad_input(
            field,
            format!("must not be later than {limit}"),
        ));
    }
    Ok(())
}

// ---- schedules ----

#[tracing::instrument(name = "billing.set_schedule", skip_all)]
pub async fn set_schedule(
    db: &Db,
    ctx: &RequestContext,
    scope: ScheduleScope,
    effective_from: BillingPeriod,
    note: LongText,
    items: Vec<FeeItem>,
) -> AppResult<Schedule> {
    require_books(ctx)?;
    if items.is_empty() {
        return Err(AppError::bad_input(
            "items",
            "a schedule needs at least one item",
        ));
    }
    let mut kinds: Vec<_> = items.iter().map(|i| i.kind.code()).collect();
    kinds.sort_unstable();
    if kinds.windows(2).any(|w| w[0] == w[1]) {
        return Err(AppError::bad_input(
            "items",
            "each kind of fee may appear once",
        ));
    }
    check_not_far_future(db, effective_from, "effectiveFrom", 24)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    match scope {
        ScheduleScope::Compound(c) => {
            compounds::find(tx, ctx.tenant_id, &ctx.reach, c)
                .await?
                .ok_or(AppError::NotFound("compound"))?;
        }
        ScheduleScope::Bundle(b) => {
            bundles::find(tx, ctx.tenant_id, &ctx.reach, b)
                .await?
                .ok_or(AppError::NotFound("bundle"))?;
        }
    }
    let schedule = billing::insert_schedule(
        tx,
        ctx.tenant_id,
        scope,
        effective_from,
        note.into_inner(),
        ctx.user_id(),
        &items,
    )
    .await
    .map_err(|e| {
        AppError::unique_or_internal(
            e,
            "effectiveFrom",
            "a version of this schedule already starts in that month",
        )
    })?;
    uow.audit(
        "fees.set_schedule",
        "fee_schedule",
        schedule.id,
        json!({ "from": effective_from.to_string() }),
    );
    uow.commit().await?;
    Ok(schedule)
}

/// The versions that apply to a compound: its own and its bundle's, oldest first.
#[tracing::instrument(name = "billing.schedules_of", skip_all)]
pub async fn schedules_of(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<Schedule>> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let c = compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let all = billing::schedules(&tx, ctx.tenant_id).await?;
    tx.commit().await?;
    Ok(all
        .into_iter()
        .filter(|s| {
            s.scope == ScheduleScope::Compound(compound)
                || s.scope == ScheduleScope::Bundle(c.bundle_id)
        })
        .collect())
}

#[tracing::instrument(name = "billing.activate_addon", skip_all)]
pub async fn activate_addon(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    kind: FeeItemKind,
    from: BillingPeriod,
    to: Option<BillingPeriod>,
    decision_ref: LongText,
) -> AppResult<Activation> {
    require_books(ctx)?;
    if !kind.is_addon() {
        return Err(AppError::bad_input(
            "kind",
            "base services need no activation; only add-ons do",
        ));
    }
    if to.is_some_and(|t| t < from) {
        return Err(AppError::bad_input(
            "toPeriod",
            "must not be before fromPeriod",
        ));
    }
    check_not_far_future(db, from, "fromPeriod", 24)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let a = billing::insert_activation(
        tx,
        ctx.tenant_id,
        compound,
        kind,
        from,
        to,
        decision_ref.into_inner(),
        ctx.user_id(),
    )
    .await?;
    uow.audit(
        "fees.activate_addon",
        "compound",
        compound,
        json!({ "kind": kind.code(), "decision": a.decision_ref }),
    );
    uow.commit().await?;
    Ok(a)
}

/// Sets or (with `None`) removes the late fee of a compound's contract. Takes effect from the
/// next billing run; invoices already issued never change.
#[tracing::instrument(name = "billing.set_late_fee", skip_all)]
pub async fn set_late_fee(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    terms: Option<LateFeeTerms>,
) -> AppResult<compounds::Compound> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let updated = compounds::set_late_fee(tx, ctx.tenant_id, compound, terms)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    uow.audit(
        "fees.set_late_fee",
        "compound",
        compound,
        json!({
            "dailyRateBp": terms.map(LateFeeTerms::daily_rate_bp),
            "graceDays": terms.map(LateFeeTerms::grace_days),
            "capBp": terms.map(|t| t.cap().get()),
        }),
    );
    uow.commit().await?;
    Ok(updated)
}

#[tracing::instrument(name = "billing.activations_of", skip_all)]
pub async fn activations_of(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<Activation>> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let all = billing::activations(&tx, ctx.tenant_id).await?;
    tx.commit().await?;
    Ok(all
        .into_iter()
        .filter(|a| a.compound_id == compound)
        .collect())
}

// ---- hardship and waivers ----

pub struct HardshipInput {
    pub household: Uuid,
    pub category: HardshipCategory,
    pub certificate_no: String,
    pub evidence: LongText,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

#[tracing::instrument(name = "billing.record_hardship", skip_all)]
pub async fn record_hardship(
    db: &Db,
    ctx: &RequestContext,
    h: HardshipInput,
) -> AppResult<Hardship> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "hardship records are kept by the staff who handle waivers",
        ));
    }
    let cert = h.certificate_no.trim();
    if cert.is_empty() || cert.len() > 64 {
        return Err(AppError::bad_input(
            "certificateNo",
            "must be 1 to 64 characters",
        ));
    }
    if h.valid_to < h.valid_from {
        return Err(AppError::bad_input(
            "validTo",
            "must not be before validFrom",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &ctx.reach, h.household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let rec = billing::insert_hardship(
        tx,
        ctx.tenant_id,
        h.household,
        h.category,
        cert.to_owned(),
        h.evidence.into_inner(),
        h.valid_from,
        h.valid_to,
        ctx.user_id(),
    )
    .await?;
    uow.audit(
        "hardship.record",
        "household",
        h.household,
        json!({ "record": rec.id }),
    );
    uow.commit().await?;
    Ok(rec)
}

/// A household's hardship records. Sensitive: only waiver handlers see them, and every read
/// is written to the audit log.
#[tracing::instrument(name = "billing.hardship_of", skip_all)]
pub async fn hardship_of(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<Vec<Hardship>> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "hardship records are visible only to the staff who handle waivers",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let found = billing::hardship_of(tx, ctx.tenant_id, household).await?;
    uow.audit(
        "hardship.read",
        "household",
        household,
        json!({ "records": found.len() }),
    );
    uow.commit().await?;
    Ok(found)
}

pub struct WaiverInput {
    pub household: Uuid,
    pub hardship: Option<Uuid>,
    pub amount: WaiverAmount,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub funding: WaiverFunding,
}

/// A grid worker or accountant proposes a waiver; someone else approves it.
#[tracing::instrument(name = "billing.propose_waiver", skip_all)]
pub async fn propose_waiver(db: &Db, ctx: &RequestContext, w: WaiverInput) -> AppResult<Grant> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "waivers are proposed by grid workers and accountants",
        ));
    }
    if w.to < w.from {
        return Err(AppError::bad_input(
            "toPeriod",
            "must not be before fromPeriod",
        ));
    }
    check_not_far_future(db, w.from, "fromPeriod", 12)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &ctx.reach, w.household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    if let Some(h) = w.hardship {
        let rec = billing::find_hardship(tx, ctx.tenant_id, h)
            .await?
            .ok_or(AppError::NotFound("hardship record"))?;
        if rec.household_id != w.household {
            return Err(AppError::bad_input(
                "hardshipId",
                "belongs to another household",
            ));
        }
        // A waiver lapses with the certificate it rests on.
        if w.to.last_day() > rec.valid_to || w.from.first_day() < rec.valid_from {
            return Err(AppError::bad_input(
                "toPeriod",
                format!(
                    "the certificate is valid {} to {}",
                    rec.valid_from, rec.valid_to
                ),
            ));
        }
    }
    let g = billing::insert_grant(
        tx,
        ctx.tenant_id,
        NewGrant {
            household: w.household,
            hardship: w.hardship,
            amount: w.amount,
            from: w.from,
            to: w.to,
            funding: w.funding,
            proposed_by: ctx.user_id(),
        },
    )
    .await?;
    uow.audit(
        "waiver.propose",
        "household",
        w.household,
        json!({ "grant": g.id }),
    );
    uow.commit().await?;
    Ok(g)
}

#[tracing::instrument(name = "billing.decide_waiver", skip_all)]
pub async fn decide_waiver(
    db: &Db,
    ctx: &RequestContext,
    grant: Uuid,
    approve: bool,
) -> AppResult<Grant> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let g = billing::find_grant(tx, ctx.tenant_id, grant)
        .await?
        .ok_or(AppError::NotFound("waiver"))?;
    households::find(tx, ctx.tenant_id, &ctx.reach, g.household_id)
        .await?
        .ok_or(AppError::NotFound("waiver"))?;
    if g.proposed_by == ctx.user_id() {
        return Err(AppError::forbidden(
            "a waiver must be approved by someone other than who proposed it",
        ));
    }
    let already = || AppError::conflict("id", "this waiver has already been decided");
    let to = g.status.decided(approve).ok_or_else(already)?;
    let decided = billing::decide_grant(tx, ctx.tenant_id, grant, (g.status, to), ctx.user_id())
        .await?
        .ok_or_else(already)?;
    let action = if approve {
        "waiver.approve"
    } else {
        "waiver.reject"
    };
    uow.audit(
        action,
        "household",
        g.household_id,
        json!({ "grant": grant }),
    );
    uow.publish(Event::WaiverDecided {
        grant,
        status: decided.status,
    });
    uow.commit().await?;
    Ok(decided)
}

#[tracing::instrument(name = "billing.waivers_of", skip_all)]
pub async fn waivers_of(db: &Db, ctx: &RequestContext, household: Uuid) -> AppResult<Vec<Grant>> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "waivers are visible to the staff who handle them",
        ));
    }
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    households::find(&tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let found = billing::grants_of(&tx, ctx.tenant_id, household).await?;
    tx.commit().await?;
    Ok(found)
}

/// Approved waivers whose last month falls within the next 30 days: to re-verify.
#[tracing::instrument(name = "billing.waivers_expiring", skip_all)]
pub async fn waivers_expiring(db: &Db, ctx: &RequestContext) -> AppResult<Vec<Grant>> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "waivers are visible to the staff who handle them",
        ));
    }
    let today = db.clock().today();
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let found = billing::grants_expiring(
        &tx,
        ctx.tenant_id,
        BillingPeriod::containing(today),
        BillingPeriod::containing(today + chrono::Days::new(30)),
    )
    .await?;
    tx.commit().await?;
    Ok(found)
}

// ---- billing runs ----

/// Which compounds a run covers.
#[derive(Debug, Clone, Copy)]
pub enum RunScope {
    Tenant,
    Bundle(Uuid),
    Compound(Uuid),
}

#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub run_id: Uuid,
    pub households: u64,
    pub invoiced: u64,
    pub skipped_already_invoiced: u64,
    pub skipped_no_schedule: u64,
    pub total_due: Money,
}

#[tracing::instrument(name = "billing.run_billing_as", skip_all)]
pub async fn run_billing_as(
    db: &Db,
    ctx: &RequestContext,
    period: BillingPeriod,
    scope: RunScope,
) -> AppResult<RunReport> {
    require_books(ctx)?;
    run_billing(
        db,
        ctx.tenant_id,
        Some(ctx.user_id()),
        &ctx.reach,
        RunRequest {
            period,
            scope,
            batch: DEFAULT_BATCH,
        },
        |_, _| {},
    )
    .await
}

/// The CLI's entry: a firm by slug, no session.
#[tracing::instrument(name = "billing.run_billing_for_slug", skip_all)]
pub async fn run_billing_for_slug(
    db: &Db,
    slug: &str,
    period: BillingPeriod,
    scope: RunScope,
    batch: NonZeroU64,
    progress: impl Fn(u64, u64),
) -> AppResult<RunReport> {
    let tx = db.begin_global().await?;
    let tenant = tenants::find_by_slug(&tx, slug)
        .await?
        .ok_or_else(|| AppError::bad_input("tenant", format!("no firm with slug {slug:?}")))?;
    tx.commit().await?;
    run_billing(
        db,
        tenant.id,
        None,
        &Reach::everything(),
        RunRequest {
            period,
            scope,
            batch,
        },
        progress,
    )
    .await
}

#[tracing::instrument(name = "billing.run", skip_all, fields(tenant.id = %tenant, period = %request.period))]
async fn run_billing(
    db: &Db,
    tenant: Uuid,
    actor: Option<Uuid>,
    reach: &Reach,
    request: RunRequest,
    progress: impl Fn(u64, u64),
) -> AppResult<RunReport> {
    let RunRequest {
        period,
        scope,
        batch,
    } = request;
    if period > latest_period(db) {
        return Err(AppError::bad_input(
            "period",
            format!("must not be later than {}", latest_period(db)),
        ));
    }
    // Load the firm's configuration once: compounds in scope, schedules, activations.
    let tx = db.begin_tenant_writes(tenant).await?;
    let mut in_scope = compounds::all(
        &tx,
        tenant,
        reach,
        &compounds::CompoundFilter {
            bundle_id: None,
            name_contains: None,
            include_archived: false,
        },
    )
    .await?;
    match scope {
        RunScope::Tenant => {}
        RunScope::Bundle(b) => {
            bundles::find(&tx, tenant, reach, b)
                .await?
                .ok_or(AppError::NotFound("bundle"))?;
            in_scope.retain(|c| c.bundle_id == b);
        }
        RunScope::Compound(c) => {
            compounds::find(&tx, tenant, reach, c)
                .await?
                .ok_or(AppError::NotFound("compound"))?;
            in_scope.retain(|x| x.id == c);
        }
    }
    let schedules = billing::schedules(&tx, tenant).await?;
    let activations = billing::activations(&tx, tenant).await?;
    let compound_ids: Vec<Uuid> = in_scope.iter().map(|c| c.id).collect();
    let total = billing::count_billable(&tx, tenant, &compound_ids, period).await?;
    let (bundle_id, compound_id) = match scope {
        RunScope::Tenant => (None, None),
        RunScope::Bundle(b) => (Some(b), None),
        RunScope::Compound(c) => (None, Some(c)),
    };
    let run = billing::insert_run(
        &tx,
        tenant,
        period,
        compound_id,
        bundle_id,
        i32::try_from(total).unwrap_or(i32::MAX),
        actor,
    )
    .await?;
    tx.commit().await?;

    let plan = RunPlan {
        db,
        tenant,
        actor,
        period,
        run_id: run.id,
        by_id: in_scope.iter().map(|c| (c.id, c)).collect(),
        schedules,
        activations,
        committed: AtomicU64::new(0),
    };
    let chunks = futures_util::stream::try_unfold(
        Cursor {
            db: db.clone(),
            tenant,
            compounds: compound_ids.into(),
            period,
            batch: batch.get(),
            after: Some(None),
        },
        next_chunk,
    );
    // On PostgreSQL a second batch reads and computes while the first writes under the
    // firm's lock, so the database works on both cores (docs/benchmarks.md). SQLite has one
    // writer.
    let in_flight = if db.backend() == sea_orm::DbBackend::Postgres {
        2
    } else {
        1
    };
    let mut batches = std::pin::pin!(
        chunks
            .map_ok(|chunk| plan.bill(chunk))
            .try_buffer_unordered(in_flight)
    );
    let mut report = RunReport {
        run_id: run.id,
        households: total,
        ..Default::default()
    };
    let mut done = 0u64;
    while let Some(b) = batches.try_next().await? {
        report.invoiced += b.invoiced;
        report.skipped_already_invoiced += b.skipped_already_invoiced;
        report.skipped_no_schedule += b.skipped_no_schedule;
        report.total_due = report.total_due.checked_add(b.due).field("period")?;
        done += b.households;
        progress(done, total);
    }
    let uow = UnitOfWork::begin_for(db, tenant, actor).await?;
    billing::finish_run(uow.tx(), tenant, run.id).await?;
    uow.audit(
        "billing.run",
        "billing_run",
        run.id,
        json!({ "period": period.to_string(), "invoiced": report.invoiced }),
    );
    uow.publish(Event::InvoicesIssued {
        run: run.id,
        invoices: report.invoiced,
    });
    uow.commit().await?;
    tracing::info!(
        invoiced = report.invoiced,
        skipped = report.skipped_already_invoiced,
        "billing run finished"
    );
    Ok(report)
}

/// Where a run is in its households: they are read in batches, in id order.
struct Cursor {
    db: Db,
    tenant: Uuid,
    compounds: std::sync::Arc<[Uuid]>,
    period: BillingPeriod,
    batch: u64,
    /// `None` once the last batch has been read.
    after: Option<Option<Uuid>>,
}

/// The next batch of households to bill, in a read transaction of its own.
async fn next_chunk(c: Cursor) -> AppResult<Option<(Vec<households::Household>, Cursor)>> {
    let Some(after) = c.after else {
        return Ok(None);
    };
    let tx = c.db.begin_tenant(c.tenant).await?;
    let chunk = households::billable(&tx, c.tenant, &c.compounds, c.period, after, c.batch).await?;
    tx.commit().await?;
    let Some(last) = chunk.last().map(|h| h.id) else {
        return Ok(None);
    };
    Ok(Some((
        chunk,
        Cursor {
            after: Some(Some(last)),
            ..c
        },
    )))
}

/// What every batch of one run shares: the firm's compounds in scope, schedules and add-ons,
/// read once when the run starts.
struct RunPlan<'a> {
    db: &'a Db,
    tenant: Uuid,
    actor: Option<Uuid>,
    period: BillingPeriod,
    run_id: Uuid,
    by_id: HashMap<Uuid, &'a compounds::Compound>,
    schedules: Vec<Schedule>,
    activations: Vec<Activation>,
    /// Batches committed so far.
    committed: AtomicU64,
}

/// What one batch did.
#[derive(Debug, Default)]
struct BatchReport {
    households: u64,
    invoiced: u64,
    skipped_already_invoiced: u64,
    skipped_no_schedule: u64,
    due: Money,
}

/// A batch's invoices, worked out before their numbers are known, each with its books.
#[derive(Default)]
struct Prepared {
    invoices: Vec<NewInvoice>,
    books: Vec<Books>,
}

/// What an invoice brings to the ledger and to the payments it is paid from.
struct Books {
    due: Money,
    /// Its ledger entries, each with the word its memo starts with.
    entries: Vec<(NewEntry, &'static str)>,
    /// Held credit it spends.
    allocations: Vec<collection::Allocation>,
}

impl Prepared {
    /// Leaves out the invoices of these households; returns how many were left out.
    fn drop_households(&mut self, households: Vec<Uuid>) -> u64 {
        if households.is_empty() {
            return 0;
        }
        let drop: std::collections::HashSet<Uuid> = households.into_iter().collect();
        let before = self.invoices.len();
        let (invoices, books) = std::mem::take(&mut self.invoices)
            .into_iter()
            .zip(std::mem::take(&mut self.books))
            .filter(|(i, _)| !drop.contains(&i.invoice.household_id))
            .unzip();
        (self.invoices, self.books) = (invoices, books);
        (before - self.invoices.len()) as u64
    }

    /// Numbers the invoices on from the firm's last number, in order.
    fn number_from(&mut self, last: i64) {
        for (number, i) in (last + 1..).zip(&mut self.invoices) {
            i.invoice.number = number;
        }
    }

    /// The numbered invoices' ledger entries (memos name the number), the credit they
    /// spend, and what they ask in all.
    fn into_books(
        self,
        period: BillingPeriod,
    ) -> AppResult<(Vec<NewEntry>, Vec<collection::Allocation>, Money)> {
        let mut entries = Vec::with_capacity(self.books.len());
        let mut allocations = Vec::new();
        let mut due = Money::ZERO;
        for (invoice, books) in self.invoices.iter().zip(self.books) {
            let number = invoice.invoice.number;
            entries.extend(books.entries.into_iter().map(|(mut e, label)| {
                e.memo = format!("{period} {label} No.{number}");
                e
            }));
            allocations.extend(books.allocations);
            due = due.checked_add(books.due).field("period")?;
        }
        Ok((entries, allocations, due))
    }
}

impl RunPlan<'_> {
    /// Bills one batch of households in one transaction: their invoices (numbered on from
    /// the firm's last), ledger entries and any held credit applied, all or nothing.
    #[tracing::instrument(name = "billing.batch", skip_all, fields(households = chunk.len()))]
    async fn bill(&self, chunk: Vec<households::Household>) -> AppResult<BatchReport> {
        let RunPlan {
            db,
            tenant,
            actor,
            period,
            run_id,
            by_id,
            schedules,
            activations,
            committed,
        } = self;
        let (tenant, actor, period) = (*tenant, *actor, *period);
        let mut report = BatchReport {
            households: chunk.len() as u64,
            ..Default::default()
        };
        let tx = db.begin_tenant_writes(tenant).await?;
        crate::platform::bulk::index_plans(&tx).await?;
        let ids: Vec<Uuid> = chunk.iter().map(|h| h.id).collect();
        // Households whose held credit this chunk may spend are locked, and their credit read
        // again, before the ledger (the lock order payments and refunds follow).
        let holders: Vec<Uuid> = held_credit(&tx, tenant, &ids).await?.into_keys().collect();
        households::lock(&tx, tenant, &holders).await?;
        let mut credit = held_credit(&tx, tenant, &holders).await?;
        let grants = billing::approved_grants(&tx, tenant, &ids, period).await?;
        let pairs: Vec<(Uuid, Uuid)> = chunk.iter().map(|h| (h.id, h.compound_id)).collect();
        let mut overdue = overdue_invoices(&tx, tenant, &pairs, by_id, period).await?;
        // Everything but the invoice numbers is worked out before the firm's ledger lock, so
        // that the lock (and with it every other writer of the firm) waits for less. That
        // includes who is invoiced for the period already; should another run invoice one of
        // them meanwhile, the insert below says so.
        let invoiced = |ids| billing::invoiced_households(&tx, tenant, ids, period);
        let already: std::collections::HashSet<Uuid> = invoiced(&ids).await?.into_iter().collect();
        let now = db.clock().now();
        let mut prepared = Prepared::default();
        for h in &chunk {
            if already.contains(&h.id) {
                report.skipped_already_invoiced += 1;
                continue;
            }
            let Some(c) = by_id.get(&h.compound_id) else {
                continue;
            };
            let Some(schedule) = billing::in_force(schedules, c.id, c.bundle_id, period) else {
                report.skipped_no_schedule += 1;
                continue;
            };
            let addons: Vec<FeeItemKind> = activations
                .iter()
                .filter(|a| a.compound_id == c.id && a.covers(period))
                .map(|a| a.kind)
                .collect();
            let area = h.area;
            let days = active_days(period, h.active.from(), h.active.to());
            let grant = grants.get(&h.id);
            let draft = compute_invoice(
                period,
                area,
                days,
                &schedule.items,
                &addons,
                grant.map(|g| g.amount),
            )
            .map_err(|e| AppError::Internal(e.to_string().into()))?;
            if draft.gross.is_zero() {
                continue;
            }
            let late_fees = match (c.late_fee, overdue.remove(&h.id)) {
                (Some(terms), Some(earlier)) => earlier
                    .into_iter()
                    .map(|(invoice, o)| Ok((invoice, terms.charge(period, o)?)))
                    .filter(|r| !matches!(r, Ok((_, fee)) if fee.is_zero()))
                    .collect::<Result<Vec<_>, BillingError>>()
                    .map_err(|e| AppError::Internal(e.to_string().into()))?,
                _ => Vec::new(),
            };
            let draft = draft
                .with_late_fees(late_fees.iter().map(|(_, fee)| *fee))
                .map_err(|e| AppError::Internal(e.to_string().into()))?;
            let head = InvoiceHead::new((h.id, c.id), period, *run_id, &draft, grant, now);
            let occurred_at = period
                .first_day()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc();
            let entry = |e, key: String, label| {
                let entry = NewEntry {
                    entry: e,
                    occurred_at,
                    idempotency_key: key,
                    memo: String::new(),
                    actor,
                    reverses: None,
                };
                (entry, label)
            };
            let mut entries = Vec::with_capacity(2);
            let mut allocations = Vec::new();
            let invoiced = rules::invoice_issued(c.id, h.id, c.charging_mode, draft.gross)
                .map_err(|e| AppError::Internal(e.to_string().into()))?;
            entries.push(entry(invoiced, format!("invoice:{}", head.id), "物业费"));
            if let Some(g) = grant.filter(|_| draft.waived.is_positive()) {
                let waived = rules::waiver_granted(c.id, h.id, g.funding, draft.waived)
                    .map_err(|e| AppError::Internal(e.to_string().into()))?;
                entries.push(entry(waived, format!("waiver:{}", head.id), "减免"));
            }
            // Credit held from an earlier overpayment pays this invoice first.
            let mut outstanding = draft.due;
            if let Some(held) = credit.get_mut(&h.id) {
                for (payment, amount) in held.iter_mut() {
                    if outstanding.is_zero() {
                        break;
                    }
                    let used = (*amount).min(outstanding);
                    if used.is_positive() {
                        allocations.push(collection::Allocation {
                            payment: *payment,
                            invoice: None,
                            amount: Money::from_fen(-used.fen()),
                        });
                        allocations.push(collection::Allocation {
                            payment: *payment,
                            invoice: Some(head.id),
                            amount: used,
                        });
                        *amount = amount.checked_sub(used).field("credit")?;
                        outstanding = outstanding.checked_sub(used).field("credit")?;
                    }
                }
            }
            let lines = draft
                .lines
                .iter()
                .map(|l| Line {
                    kind: LineKind::Fee(l.kind),
                    amount: l.amount,
                    late_fee_for: None,
                })
                .chain(late_fees.iter().map(|(invoice, fee)| Line {
                    kind: LineKind::LateFee,
                    amount: *fee,
                    late_fee_for: Some(*invoice),
                }))
                .collect();
            prepared.invoices.push(NewInvoice {
                invoice: head,
                lines,
            });
            prepared.books.push(Books {
                due: draft.due,
                entries,
                allocations,
            });
        }
        let entries: Vec<&NewEntry> = prepared
            .books
            .iter()
            .flat_map(|b| b.entries.iter().map(|(e, _)| e))
            .collect();
        let accounts = crate::ledger::accounts_for(&tx, tenant, entries).await?;
        // The ledger's lock also serialises invoice numbering for the firm.
        crate::ledger::hold_books(&tx, tenant).await?;
        let last = billing::max_invoice_number(&tx, tenant).await?;
        prepared.number_from(last);
        if !billing::insert_invoices(&tx, tenant, &prepared.invoices).await? {
            tracing::warn!("another run of the period invoiced some of this batch first");
            report.skipped_already_invoiced += prepared.drop_households(invoiced(&ids).await?);
            prepared.number_from(last);
            if !billing::insert_invoices(&tx, tenant, &prepared.invoices).await? {
                return Err(AppError::Internal(
                    "households were invoiced under the firm's lock by someone else".into(),
                ));
            }
        }
        report.invoiced = prepared.invoices.len() as u64;
        let (entries, allocations, due) = prepared.into_books(period)?;
        report.due = due;
        crate::ledger::append_to(&tx, tenant, entries, &accounts).await?;
        collection::allocate(&tx, tenant, &allocations).await?;
        billing::progress_run(
            &tx,
            tenant,
            *run_id,
            i32::try_from(chunk.len()).unwrap_or(i32::MAX),
            report.due,
        )
        .await?;
        if committed.load(Ordering::SeqCst) > 0 {
            crate::platform::crash_point("billing-later-batch-before-commit");
        }
        tx.commit().await?;
        committed.fetch_add(1, Ordering::SeqCst);
        Ok(report)
    }
}

/// For the households of compounds whose contract has a late fee: each earlier invoice with
/// what the late-fee rule needs to know of it (principal, what of it is still open, late fees
/// charged for it so far). Payments and credit notes reach principal first.
async fn overdue_invoices(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    chunk: &[(Uuid, Uuid)],
    compounds_by_id: &HashMap<Uuid, &compounds::Compound>,
    period: BillingPeriod,
) -> AppResult<HashMap<Uuid, Vec<(Uuid, OverdueInvoice)>>> {
    let households: Vec<Uuid> = chunk
        .iter()
        .filter(|(_, compound)| {
            compounds_by_id
                .get(compound)
                .is_some_and(|c| c.late_fee.is_some())
        })
        .map(|(household, _)| *household)
        .collect();
    if households.is_empty() {
        return Ok(HashMap::new());
    }
    let invoices = billing::invoices_before(tx, tenant, &households, period).await?;
    let ids: Vec<Uuid> = invoices.iter().map(|i| i.id).collect();
    let late_on = billing::late_fees_on(tx, tenant, &ids).await?;
    let paid = collection::paid_on_invoices(tx, tenant, &ids).await?;
    let credited = billing::credited_on_invoices(tx, tenant, &ids).await?;
    let charged = billing::late_fees_for(tx, tenant, &ids).await?;
    let mut out: HashMap<Uuid, Vec<(Uuid, OverdueInvoice)>> = HashMap::new();
    for inv in invoices {
        let late_on_it = late_on.get(&inv.id).copied().unwrap_or_default();
        let principal = inv.due.checked_sub(late_on_it).field("period")?;
        let settled = Money::sum([
            paid.get(&inv.id).copied().unwrap_or_default(),
            credited.get(&inv.id).copied().unwrap_or_default(),
        ])
        .field("period")?;
        let open_principal = principal
            .checked_sub(settled)
            .field("period")?
            .max(Money::ZERO);
        out.entry(inv.household_id).or_default().push((
            inv.id,
            OverdueInvoice {
                billed: inv.period,
                principal,
                open_principal,
                already: charged.get(&inv.id).copied().unwrap_or_default(),
            },
        ));
    }
    Ok(out)
}

/// Credit held for each household: unallocated parts of its live payments, oldest first.
async fn held_credit(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    households: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<(Uuid, Money)>>> {
    if households.is_empty() {
        return Ok(HashMap::new());
    }
    let by_payment: HashMap<Uuid, Uuid> = collection::live_of_households(tx, tenant, households)
        .await?
        .into_iter()
        .map(|p| (p.id, p.household_id))
        .collect();
    if by_payment.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<Uuid> = by_payment.keys().copied().collect();
    let mut out: HashMap<Uuid, Vec<(Uuid, Money)>> = HashMap::new();
    for a in collection::allocations_of_payments(tx, tenant, &ids).await? {
        if a.invoice.is_none()
            && a.amount.is_positive()
            && let Some(h) = by_payment.get(&a.payment)
        {
            out.entry(*h).or_default().push((a.payment, a.amount));
        }
    }
    Ok(out)
}

#[tracing::instrument(name = "billing.run", skip_all)]
pub async fn run(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Run> {
    require_books(ctx)?;
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let found = billing::find_run(&tx, ctx.tenant_id, id).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound("billing run"))
}

#[tracing::instrument(name = "billing.runs", skip_all)]
pub async fn runs(db: &Db, ctx: &RequestContext) -> AppResult<Vec<Run>> {
    require_books(ctx)?;
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let found = billing::runs(&tx, ctx.tenant_id, 50).await?;
    tx.commit().await?;
    Ok(found)
}
