//! One batch of a billing run: its households' invoices worked out, numbered under the
//! firm's ledger lock and written with their entries and the held credit they spend.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU64;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use domain::Money;
use domain::billing::{
    BillingError, BillingPeriod, FeeItemKind, InvoiceDraft, LineKind, active_days, addon_covers,
    compute_invoice, in_force,
};
use domain::late_fee::OverdueInvoice;
use domain::ledger::rules;
use futures_util::TryStreamExt;
use uuid::Uuid;

use crate::billing::model::{
    Activation, Grant, InvoiceHead, Line, NewInvoice, RepairRef, Schedule,
};
use crate::billing::store as billing;
use crate::collection;
use crate::dispatch;
use crate::ledger::NewEntry;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::tenancy::{compounds, households};

/// Where a run is in its households: they are read in batches, in id order.
pub(super) struct Cursor {
    db: Db,
    tenant: Uuid,
    compounds: Arc<[Uuid]>,
    period: BillingPeriod,
    batch: u64,
    /// `None` once the last batch has been read.
    after: Option<Option<Uuid>>,
}

/// The next batch of households to bill, in a read transaction of its own.
pub(super) async fn next_chunk(
    c: Cursor,
) -> AppResult<Option<(Vec<households::Household>, Cursor)>> {
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
pub(super) struct RunPlan<'a> {
    pub(super) db: &'a Db,
    pub(super) tenant: Uuid,
    pub(super) actor: Option<Uuid>,
    pub(super) period: BillingPeriod,
    pub(super) run_id: Uuid,
    pub(super) by_id: HashMap<Uuid, &'a compounds::Compound>,
    pub(super) schedules: Vec<Schedule>,
    pub(super) activations: Vec<Activation>,
    /// Batches committed so far.
    pub(super) committed: AtomicU64,
}

/// What one batch did, or (summed) all of a run's batches.
#[derive(Debug, Default)]
pub(super) struct BatchReport {
    pub(super) households: u64,
    pub(super) invoiced: u64,
    pub(super) skipped_already_invoiced: u64,
    pub(super) skipped_no_schedule: u64,
    pub(super) due: Money,
}

impl BatchReport {
    fn add(&mut self, b: &Self) -> AppResult<()> {
        self.households += b.households;
        self.invoiced += b.invoiced;
        self.skipped_already_invoiced += b.skipped_already_invoiced;
        self.skipped_no_schedule += b.skipped_no_schedule;
        self.due = self.due.checked_add(b.due).field("period")?;
        Ok(())
    }
}

/// A batch's invoices, worked out before their numbers are known, each with its books.
#[derive(Default)]
pub(super) struct Prepared {
    invoices: Vec<NewInvoice>,
    books: Vec<Books>,
}

/// What an invoice brings to the ledger and to the payments it is paid from.
pub(super) struct Books {
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

/// What a batch reads of its households before it works out their invoices.
pub(super) struct BatchInputs {
    /// Households invoiced for the period already.
    already: HashSet<Uuid>,
    grants: HashMap<Uuid, Grant>,
    /// Credit each household holds from earlier overpayments: (payment, amount).
    credit: HashMap<Uuid, Vec<(Uuid, Money)>>,
    /// Earlier invoices a late fee may be charged for.
    overdue: HashMap<Uuid, Vec<(Uuid, OverdueInvoice)>>,
    /// Repairs each household bore that no invoice bills yet.
    repairs: HashMap<Uuid, Vec<dispatch::RepairCharge>>,
}

/// What becomes of one household in a batch.
pub(super) enum Billed {
    Invoice(Box<(NewInvoice, Books)>),
    AlreadyInvoiced,
    NoSchedule,
    /// Nothing to bill (not active in the period, or nothing priced).
    Nothing,
}

impl RunPlan<'_> {
    /// Bills the households of these compounds, `batch` at a time, reporting progress; what
    /// all the batches did.
    pub(super) async fn bill_all(
        &self,
        compounds: Arc<[Uuid]>,
        batch: NonZeroU64,
        total: u64,
        progress: impl Fn(u64, u64),
    ) -> AppResult<BatchReport> {
        let chunks = futures_util::stream::try_unfold(
            Cursor {
                db: self.db.clone(),
                tenant: self.tenant,
                compounds,
                period: self.period,
                batch: batch.get(),
                after: Some(None),
            },
            next_chunk,
        );
        // On PostgreSQL a second batch reads and computes while the first writes under the
        // firm's lock, so the database works on both cores (docs/benchmarks.md). SQLite has
        // one writer.
        let in_flight = if self.db.backend() == sea_orm::DbBackend::Postgres {
            2
        } else {
            1
        };
        let mut batches = std::pin::pin!(
            chunks
                .map_ok(|chunk| self.bill(chunk))
                .try_buffer_unordered(in_flight)
        );
        let mut all = BatchReport::default();
        while let Some(b) = batches.try_next().await? {
            all.add(&b)?;
            progress(all.households, total);
        }
        Ok(all)
    }

    /// Bills one batch of households in one transaction: their invoices (numbered on from
    /// the firm's last), ledger entries and any held credit applied, all or nothing.
    #[tracing::instrument(name = "billing.batch", skip_all, fields(households = chunk.len()))]
    async fn bill(&self, chunk: Vec<households::Household>) -> AppResult<BatchReport> {
        let mut report = BatchReport {
            households: chunk.len() as u64,
            ..Default::default()
        };
        let tx = self.db.begin_tenant_writes(self.tenant).await?;
        crate::platform::bulk::index_plans(&tx).await?;
        let ids: Vec<Uuid> = chunk.iter().map(|h| h.id).collect();
        let mut inputs = self.read_inputs(&tx, &chunk, &ids).await?;
        // Everything but the invoice numbers is worked out before the firm's ledger lock, so
        // that the lock (and with it every other writer of the firm) waits for less.
        let now = self.db.clock().now();
        let mut prepared = Prepared::default();
        for h in &chunk {
            match self.invoice_for(h, &mut inputs, now)? {
                Billed::Invoice(invoice) => {
                    let (invoice, books) = *invoice;
                    prepared.invoices.push(invoice);
                    prepared.books.push(books);
                }
                Billed::AlreadyInvoiced => report.skipped_already_invoiced += 1,
                Billed::NoSchedule => report.skipped_no_schedule += 1,
                Billed::Nothing => {}
            }
        }
        self.write(&tx, &ids, prepared, &mut report).await?;
        let processed = i32::try_from(chunk.len()).unwrap_or(i32::MAX);
        billing::progress_run(&tx, self.tenant, self.run_id, processed, report.due).await?;
        if self.committed.load(Ordering::SeqCst) > 0 {
            crate::platform::crash_point("billing-later-batch-before-commit");
        }
        tx.commit().await?;
        self.committed.fetch_add(1, Ordering::SeqCst);
        self.db.publish(
            self.tenant,
            Event::BillingRunProgressed { run: self.run_id },
        );
        Ok(report)
    }

    /// Locks the households whose held credit the batch may spend (before the ledger, the
    /// lock order payments and refunds follow) and reads what billing them needs.
    async fn read_inputs(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        chunk: &[households::Household],
        ids: &[Uuid],
    ) -> AppResult<BatchInputs> {
        let (tenant, period) = (self.tenant, self.period);
        let holders: Vec<Uuid> = held_credit(tx, tenant, ids).await?.into_keys().collect();
        households::lock(tx, tenant, &holders).await?;
        let credit = held_credit(tx, tenant, &holders).await?;
        let grants = billing::approved_grants(tx, tenant, ids, period).await?;
        let pairs: Vec<(Uuid, Uuid)> = chunk.iter().map(|h| (h.id, h.compound_id)).collect();
        let overdue = overdue_invoices(tx, tenant, &pairs, &self.by_id, period).await?;
        let repairs = unbilled_repairs(tx, tenant, ids).await?;
        // Should another run invoice one of these meanwhile, the insert says so.
        let already = billing::invoiced_households(tx, tenant, ids, period)
            .await?
            .into_iter()
            .collect();
        Ok(BatchInputs {
            already,
            grants,
            credit,
            overdue,
            repairs,
        })
    }

    /// One household's invoice for the period, unnumbered, with its books.
    fn invoice_for(
        &self,
        h: &households::Household,
        inputs: &mut BatchInputs,
        now: DateTime<Utc>,
    ) -> AppResult<Billed> {
        let period = self.period;
        if inputs.already.contains(&h.id) {
            return Ok(Billed::AlreadyInvoiced);
        }
        let Some(c) = self.by_id.get(&h.compound_id) else {
            return Ok(Billed::Nothing);
        };
        let scope_of = |s: &Schedule| (s.scope, s.effective_from);
        let Some(schedule) = in_force(&self.schedules, scope_of, c.id, c.bundle_id, period) else {
            return Ok(Billed::NoSchedule);
        };
        let addons: Vec<FeeItemKind> = self
            .activations
            .iter()
            .filter(|a| a.compound_id == c.id && addon_covers(a.from, a.to, period))
            .map(|a| a.kind)
            .collect();
        let days = active_days(period, h.active.from(), h.active.to());
        let grant = inputs.grants.get(&h.id);
        let waiver = grant.map(|g| g.amount);
        let draft = compute_invoice(period, h.area, days, &schedule.items, &addons, waiver)
            .map_err(AppError::internal)?;
        let repairs = inputs.repairs.remove(&h.id).unwrap_or_default();
        if draft.gross.is_zero() && repairs.is_empty() {
            return Ok(Billed::Nothing);
        }
        let late_fees = match (c.late_fee, inputs.overdue.remove(&h.id)) {
            (Some(terms), Some(earlier)) => earlier
                .into_iter()
                .map(|(invoice, o)| Ok((invoice, terms.charge(period, o)?)))
                .filter(|r| !matches!(r, Ok((_, fee)) if fee.is_zero()))
                .collect::<Result<Vec<_>, BillingError>>()
                .map_err(AppError::internal)?,
            _ => Vec::new(),
        };
        let draft = draft
            .with_late_fees(late_fees.iter().map(|(_, fee)| *fee))
            .and_then(|d| d.with_repairs(repairs.iter().map(|r| r.amount)))
            .map_err(AppError::internal)?;
        let head = InvoiceHead::new((h.id, c.id), period, self.run_id, &draft, grant, now);
        let books = self.books_for(c, &head, &draft, grant, inputs.credit.get_mut(&h.id))?;
        let lines = draft
            .lines
            .iter()
            .map(|l| Line {
                kind: LineKind::Fee(l.kind),
                amount: l.amount,
                late_fee_for: None,
                repair: None,
            })
            .chain(late_fees.iter().map(|(invoice, fee)| Line {
                kind: LineKind::LateFee,
                amount: *fee,
                late_fee_for: Some(*invoice),
                repair: None,
            }))
            .chain(repairs.iter().map(|r| Line {
                kind: LineKind::Repair,
                amount: r.amount,
                late_fee_for: None,
                repair: Some(RepairRef {
                    charge: r.id,
                    order: r.order_id,
                }),
            }))
            .collect();
        let invoice = NewInvoice {
            invoice: head,
            lines,
        };
        Ok(Billed::Invoice(Box::new((invoice, books))))
    }

    /// An invoice's ledger entries (issued, and waived if a grant waived part of it) and the
    /// held credit that pays it first.
    fn books_for(
        &self,
        c: &compounds::Compound,
        head: &InvoiceHead,
        draft: &InvoiceDraft,
        grant: Option<&Grant>,
        held: Option<&mut Vec<(Uuid, Money)>>,
    ) -> AppResult<Books> {
        let occurred_at = self
            .period
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
                actor: self.actor,
                reverses: None,
            };
            (entry, label)
        };
        let household = head.household_id;
        let mut entries = Vec::with_capacity(2);
        let issued = draft.issued().map_err(AppError::internal)?;
        // An invoice of repairs alone posts nothing of its own: they are in the books.
        if issued.is_positive() {
            let invoiced = rules::invoice_issued(c.id, household, c.charging_mode, issued)
                .map_err(AppError::internal)?;
            entries.push(entry(invoiced, format!("invoice:{}", head.id), "物业费"));
        }
        if let Some(g) = grant.filter(|_| draft.waived.is_positive()) {
            let waived = rules::waiver_granted(c.id, household, g.funding, draft.waived)
                .map_err(AppError::internal)?;
            entries.push(entry(waived, format!("waiver:{}", head.id), "减免"));
        }
        let allocations = match held {
            Some(held) => spend_credit(held, head.id, draft.due)?,
            None => Vec::new(),
        };
        Ok(Books {
            due: draft.due,
            entries,
            allocations,
        })
    }

    /// Numbers the prepared invoices under the firm's ledger lock (which serialises
    /// invoice numbering) and writes them with their entries and the credit they spend.
    async fn write(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        ids: &[Uuid],
        mut prepared: Prepared,
        report: &mut BatchReport,
    ) -> AppResult<()> {
        let tenant = self.tenant;
        // Collected first: a borrowing iterator held across the await would not be `Send`.
        let entries: Vec<&NewEntry> = prepared
            .books
            .iter()
            .flat_map(|b| b.entries.iter().map(|(e, _)| e))
            .collect();
        let accounts = crate::ledger::accounts_for(tx, tenant, entries).await?;
        crate::ledger::hold_books(tx, tenant).await?;
        let last = billing::max_invoice_number(tx, tenant).await?;
        prepared.number_from(last);
        if !billing::insert_invoices(tx, tenant, &prepared.invoices).await? {
            tracing::warn!("another run of the period invoiced some of this batch first");
            let invoiced = billing::invoiced_households(tx, tenant, ids, self.period).await?;
            report.skipped_already_invoiced += prepared.drop_households(invoiced);
            prepared.number_from(last);
            if !billing::insert_invoices(tx, tenant, &prepared.invoices).await? {
                return Err(AppError::Internal(
                    "households were invoiced under the firm's lock by someone else".into(),
                ));
            }
        }
        report.invoiced = prepared.invoices.len() as u64;
        let (entries, allocations, due) = prepared.into_books(self.period)?;
        report.due = due;
        crate::ledger::append_to(tx, tenant, entries, &accounts).await?;
        collection::allocate(tx, tenant, &allocations).await?;
        Ok(())
    }
}

/// Spends held credit, oldest payment first, on an invoice asking `due`: each use moves
/// money from the held credit (no invoice) to the invoice.
pub(super) fn spend_credit(
    held: &mut [(Uuid, Money)],
    invoice: Uuid,
    due: Money,
) -> AppResult<Vec<collection::Allocation>> {
    let mut allocations = Vec::new();
    let mut outstanding = due;
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
                invoice: Some(invoice),
                amount: used,
            });
            *amount = amount.checked_sub(used).field("credit")?;
            outstanding = outstanding.checked_sub(used).field("credit")?;
        }
    }
    Ok(allocations)
}

/// For the households of compounds whose contract has a late fee: each earlier invoice with
/// what the late-fee rule needs to know of it (principal, what of it is still open, late fees
/// charged for it so far). Payments and credit notes reach principal first.
pub(super) async fn overdue_invoices(
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
    // Late fees for older invoices and repairs are not principal: no late fee is charged on them.
    let surcharges =
        billing::billed_as(tx, tenant, &ids, &[LineKind::LateFee, LineKind::Repair]).await?;
    let paid = collection::paid_on_invoices(tx, tenant, &ids).await?;
    let credited = billing::credited_on_invoices(tx, tenant, &ids).await?;
    let charged = billing::late_fees_for(tx, tenant, &ids).await?;
    let mut out: HashMap<Uuid, Vec<(Uuid, OverdueInvoice)>> = HashMap::new();
    for inv in invoices {
        let surcharged = surcharges.get(&inv.id).copied().unwrap_or_default();
        let principal = inv.due.checked_sub(surcharged).field("period")?;
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

/// The repairs each household bore that no invoice bills yet, oldest first.
async fn unbilled_repairs(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    households: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<dispatch::RepairCharge>>> {
    let charges = dispatch::repair_charges(tx, tenant, households).await?;
    let ids: Vec<Uuid> = charges.iter().map(|c| c.id).collect();
    let billed = billing::billed_repairs(tx, tenant, &ids).await?;
    let mut out: HashMap<Uuid, Vec<dispatch::RepairCharge>> = HashMap::new();
    for c in charges.into_iter().filter(|c| !billed.contains(&c.id)) {
        out.entry(c.household_id).or_default().push(c);
    }
    Ok(out)
}

/// Credit held for each household: unallocated parts of its live payments, oldest first.
pub(super) async fn held_credit(
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
