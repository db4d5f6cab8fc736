//! Payments collected by staff, what each household owes, and the collection and arrears
//! reports. Every amount here agrees with the ledger: payments post through it, and a
//! household's balance is its receivable account.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::billing::BillingPeriod;
use domain::ledger::{PaymentMethod, rules};
use domain::{AccountKey, Money};
use serde_json::json;
use uuid::Uuid;

use super::store as payments;
use crate::billing::{self, Invoice, Line};
use crate::collection::model::{Allocation, NewPayment, Notice, Payment};
use crate::ledger::{self as ledger_store, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{compounds, households, tenants};

pub struct PaymentInput {
    pub household: Uuid,
    pub amount: Money,
    pub method: PaymentMethod,
    pub receipt_no: String,
    pub received_at: DateTime<Utc>,
    pub idempotency_key: String,
    /// Pay this invoice first instead of the oldest.
    pub invoice: Option<Uuid>,
}

/// A new payment stays within the firm's largest single payment, under a receipt number the
/// firm has not used.
async fn check_bounds(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    amount: Money,
    receipt: &str,
) -> AppResult<()> {
    let firm = tenants::find(tx, tenant)
        .await?
        .ok_or(AppError::NotFound("firm"))?;
    if amount > firm.max_payment {
        return Err(AppError::bad_input(
            "amount",
            format!(
                "must be at most {} (the firm's largest single payment)",
                firm.max_payment
            ),
        ));
    }
    if payments::receipt_used(tx, tenant, receipt).await? {
        return Err(AppError::conflict("receiptNo", RECEIPT_USED));
    }
    Ok(())
}

const RECEIPT_USED: &str = "this receipt number is already on another payment";

/// Records money received: allocated to the named invoice, else the oldest open invoices
/// first; anything left is held as credit for the next invoice.
#[tracing::instrument(name = "payments.record", skip_all)]
pub async fn record(
    db: &Db,
    ctx: &RequestContext,
    p: PaymentInput,
) -> AppResult<(Payment, Vec<Allocation>)> {
    require_books(ctx)?;
    if !p.amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let receipt = p.receipt_no.trim();
    if receipt.is_empty() || receipt.len() > 64 {
        return Err(AppError::bad_input(
            "receiptNo",
            "must be 1 to 64 characters",
        ));
    }
    let key = p.idempotency_key.trim();
    if key.is_empty() || key.len() > 200 {
        return Err(AppError::bad_input(
            "idempotencyKey",
            "must be 1 to 200 characters",
        ));
    }
    if p.received_at > db.clock().now() + chrono::Duration::days(1) {
        return Err(AppError::bad_input(
            "receivedAt",
            "must not be in the future",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let household = households::find(tx, ctx.tenant_id, &ctx.reach, p.household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    households::lock(tx, ctx.tenant_id, &[household.id]).await?;
    if let Some(existing) = payments::find_by_key(tx, ctx.tenant_id, key).await? {
        if existing.household_id != p.household || existing.amount != p.amount {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for a different payment",
            ));
        }
        let allocations =
            payments::allocations_of_payments(tx, ctx.tenant_id, &[existing.id]).await?;
        uow.commit().await?;
        return Ok((existing, allocations));
    }
    check_bounds(tx, ctx.tenant_id, p.amount, receipt).await?;
    let mut collection = Collection::owed_by(tx, ctx.tenant_id, &[household.id]).await?;
    if let Some(first) = p.invoice
        && !collection.owes_on(household.id, first)
    {
        billing::find_invoice(tx, ctx.tenant_id, first)
            .await?
            .filter(|i| i.household_id == household.id)
            .ok_or(AppError::NotFound("invoice"))?;
        return Err(AppError::conflict(
            "invoiceId",
            "this invoice is already paid",
        ));
    }
    collection.plan(
        NewPayment {
            household: household.id,
            compound: household.compound_id,
            amount: p.amount,
            method: p.method,
            receipt_no: receipt.to_owned(),
            received_at: p.received_at,
            recorded_by: ctx.user_id(),
            idempotency_key: key.to_owned(),
        },
        p.invoice.as_slice(),
    )?;
    let recorded = collection
        .write(&uow)
        .await
        .map_err(|e| e.unique_as_conflict("receiptNo", RECEIPT_USED))?
        .pop()
        .ok_or_else(|| AppError::Internal("a planned payment was not written".into()))?;
    crate::ledger::queue(&uow, vec![recorded.entry]);
    uow.commit().await?;
    Ok((recorded.payment, recorded.allocations))
}

/// A payment planned or written but not yet booked: the caller appends `entry` as its
/// transaction's last write, so the firm's ledger lock is held only from there to the
/// commit.
#[must_use = "the payment's ledger entry must be appended"]
pub(crate) struct Unbooked {
    pub payment: Payment,
    pub allocations: Vec<Allocation>,
    pub entry: NewEntry,
}

/// Payments to several households planned one by one, then written together: each is
/// allocated to what its household still owed after the ones planned before it. The caller
/// holds the households' locks from [`Collection::owed_by`] until it commits.
pub(crate) struct Collection {
    open: HashMap<Uuid, Vec<(Invoice, Money)>>,
    planned: Vec<Unbooked>,
}

impl Collection {
    /// Reads what these households owe (one statement).
    pub async fn owed_by(
        tx: &sea_orm::DatabaseTransaction,
        tenant: Uuid,
        households: &[Uuid],
    ) -> AppResult<Self> {
        Ok(Self {
            open: open_invoices_of(tx, tenant, households).await?,
            planned: Vec::new(),
        })
    }

    /// Whether `household` still owes anything on `invoice`.
    pub fn owes_on(&self, household: Uuid, invoice: Uuid) -> bool {
        self.open
            .get(&household)
            .is_some_and(|open| open.iter().any(|(i, _)| i.id == invoice))
    }

    /// Plans payment `r`: allocated to its household's open invoices (`first` in that order,
    /// then the oldest), anything left held as credit. Returns the payment's id; an error
    /// for a household [`Collection::owed_by`] did not read.
    pub fn plan(&mut self, r: NewPayment, first: &[Uuid]) -> AppResult<Uuid> {
        let open = self.open.get_mut(&r.household).ok_or_else(|| {
            AppError::Internal("a payment planned for a household whose debts were not read".into())
        })?;
        // The named invoices in the order named, then the rest oldest first (the order
        // `open` keeps for the next payment).
        let mut order: Vec<usize> = (0..open.len()).collect();
        order.sort_by_key(|&n| {
            let named = first.iter().position(|id| *id == open[n].0.id);
            named.unwrap_or(first.len())
        });
        let payment = r.into_payment();
        let id = payment.id;
        let mut left = payment.amount;
        let mut allocations = Vec::new();
        for n in order {
            if left.is_zero() {
                break;
            }
            let (invoice, outstanding) = &mut open[n];
            let part = left.min(*outstanding);
            allocations.push(Allocation {
                payment: payment.id,
                invoice: Some(invoice.id),
                amount: part,
            });
            left = left.checked_sub(part).field("amount")?;
            *outstanding = outstanding.checked_sub(part).field("amount")?;
        }
        open.retain(|(_, owed)| owed.is_positive());
        if left.is_positive() {
            allocations.push(Allocation {
                payment: payment.id,
                invoice: None,
                amount: left,
            });
        }
        let entry = rules::payment_received(
            payment.compound_id,
            payment.household_id,
            payment.method,
            payment.amount,
        )
        .field("amount")?;
        self.planned.push(Unbooked {
            entry: NewEntry {
                entry,
                occurred_at: payment.received_at,
                idempotency_key: format!("payment:{}", payment.id),
                memo: format!("收款 收据号 {}", payment.receipt_no),
                actor: Some(payment.recorded_by),
                reverses: None,
            },
            payment,
            allocations,
        });
        Ok(id)
    }

    /// Writes the planned payments and their allocations (a statement each), queues their
    /// audit records and events; returns them, in the order planned, for the caller to
    /// queue their entries.
    pub async fn write(self, uow: &UnitOfWork) -> AppResult<Vec<Unbooked>> {
        let (tx, tenant) = (uow.tx(), uow.tenant());
        let planned = self.planned;
        payments::insert(tx, tenant, planned.iter().map(|u| &u.payment)).await?;
        let allocations: Vec<Allocation> = planned
            .iter()
            .flat_map(|u| u.allocations.iter().copied())
            .collect();
        payments::allocate(tx, tenant, &allocations).await?;
        for Unbooked { payment: p, .. } in &planned {
            let detail = json!({ "fen": p.amount.fen(), "receipt": p.receipt_no, "method": p.method.code() });
            uow.audit_by(
                Some(p.recorded_by),
                "payment.record",
                "payment",
                p.id,
                detail,
            );
            uow.publish(Event::PaymentRecorded {
                payment: p.id,
                household: p.household_id,
                amount: p.amount,
            });
        }
        Ok(planned)
    }
}

/// What is still owed on an invoice: due, less payments and credit notes.
fn still_owed(due: Money, paid: Money, credited: Money) -> Result<Money, domain::MoneyError> {
    due.checked_sub(paid)?.checked_sub(credited)
}

/// [`still_owed`] with what was paid and credited looked up by invoice.
fn owed(
    i: &Invoice,
    paid: &HashMap<Uuid, Money>,
    credited: &HashMap<Uuid, Money>,
) -> Result<Money, domain::MoneyError> {
    let get = |m: &HashMap<Uuid, Money>| m.get(&i.id).copied().unwrap_or(Money::ZERO);
    still_owed(i.due, get(paid), get(credited))
}

/// Open invoices of a household, oldest period first, with what is still owed on each.
pub(crate) async fn open_invoices(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    household: Uuid,
) -> AppResult<Vec<(Invoice, Money)>> {
    Ok(open_invoices_of(tx, tenant, &[household])
        .await?
        .remove(&household)
        .unwrap_or_default())
}

/// [`open_invoices`] of each of these households (every one of them a key), in one
/// statement.
async fn open_invoices_of(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    households: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<(Invoice, Money)>>> {
    let mut invoices = billing::invoices_with_settled(tx, tenant, households).await?;
    invoices.sort_by_key(|(i, _, _)| (i.period, i.number));
    // Every household asked for has an entry, owing nothing if it has no open invoice.
    let mut out: HashMap<Uuid, Vec<(Invoice, Money)>> =
        households.iter().map(|h| (*h, Vec::new())).collect();
    for (i, paid, credited) in invoices {
        let owed = still_owed(i.due, paid, credited).field("amount")?;
        if owed.is_positive() {
            out.entry(i.household_id).or_default().push((i, owed));
        }
    }
    Ok(out)
}

/// Undoes a payment recorded by mistake: its allocations are negated and its ledger entry
/// reversed; the payment stays on record, marked reversed.
#[tracing::instrument(name = "payments.reverse", skip_all)]
pub async fn reverse(
    db: &Db,
    ctx: &RequestContext,
    payment: Uuid,
    reason: &str,
) -> AppResult<Payment> {
    require_books(ctx)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::bad_input("reason", "must be 1 to 500 characters"));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let found = payments::find(tx, ctx.tenant_id, payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    households::find(tx, ctx.tenant_id, &ctx.reach, found.household_id)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    households::lock(tx, ctx.tenant_id, &[found.household_id]).await?;
    if !payments::mark_reversed(tx, ctx.tenant_id, payment, reason).await? {
        return Err(AppError::conflict(
            "id",
            "this payment has already been reversed",
        ));
    }
    let undo: Vec<Allocation> = payments::allocations_of_payments(tx, ctx.tenant_id, &[payment])
        .await?
        .into_iter()
        .map(|a| Allocation {
            amount: Money::from_fen(-a.amount.fen()),
            ..a
        })
        .collect();
    payments::allocate(tx, ctx.tenant_id, &undo).await?;
    let original =
        ledger_store::find_entry_by_key(tx, ctx.tenant_id, &format!("payment:{payment}"))
            .await?
            .ok_or_else(|| AppError::Internal("the payment's ledger entry is missing".into()))?;
    let entry = rules::payment_received(
        found.compound_id,
        found.household_id,
        found.method,
        found.amount,
    )
    .and_then(|e| e.reversal())
    .field("id")?;
    crate::ledger::queue(
        &uow,
        vec![NewEntry {
            entry,
            occurred_at: Utc::now(),
            idempotency_key: format!("payment-reversal:{payment}"),
            memo: format!("冲销收款（收据号 {}）：{reason}", found.receipt_no),
            actor: Some(ctx.user_id()),
            reverses: Some(original.id),
        }],
    );
    uow.publish(Event::PaymentReversed {
        payment,
        household: found.household_id,
    });
    uow.audit(
        "payment.reverse",
        "payment",
        payment,
        json!({ "reason": reason }),
    );
    let reversed = payments::find(tx, ctx.tenant_id, payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    uow.commit().await?;
    Ok(reversed)
}

#[tracing::instrument(name = "payments.payment", skip_all)]
pub async fn payment(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<(Payment, Vec<Allocation>)> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let p = payments::find(&tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    readable_or_not_found(&tx, ctx, p.household_id, "payment").await?;
    let a = payments::allocations_of_payments(&tx, ctx.tenant_id, &[id]).await?;
    tx.commit().await?;
    Ok((p, a))
}

/// [`readable_household`] for one thing of a household's (`what`): someone else's is simply
/// not there for the caller.
pub(crate) async fn readable_or_not_found(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    household: Uuid,
    what: &'static str,
) -> AppResult<()> {
    match readable_household(tx, ctx, household).await {
        Ok(_) => Ok(()),
        Err(AppError::Forbidden(_) | AppError::NotFound(_)) => Err(AppError::NotFound(what)),
        Err(other) => Err(other),
    }
}

/// A household's money: the book-keepers see any in reach; a resident sees their own.
pub(crate) async fn readable_household(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<households::Household> {
    let own = ctx
        .reach
        .households()
        .is_some_and(|(_, own)| own.contains(&household));
    let h = households::find(tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    if own || ctx.principal.can_read_bills() {
        Ok(h)
    } else {
        Err(AppError::forbidden(
            "a household's bills are visible to the household and the firm's accountants",
        ))
    }
}

pub struct InvoiceView {
    pub invoice: Invoice,
    pub lines: Vec<Line>,
    pub paid: Money,
    /// Corrected away by credit notes.
    pub credited: Money,
    pub outstanding: Money,
}

pub struct HouseholdAccount {
    pub invoices: Vec<InvoiceView>,
    /// Each payment with its net allocations.
    pub payments: Vec<(Payment, Vec<Allocation>)>,
    /// What the household owes (negative: credit held), from its ledger receivable.
    pub balance: Money,
}

#[tracing::instrument(name = "payments.household_account", skip_all)]
pub async fn household_account(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<HouseholdAccount> {
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let h = readable_household(&tx, ctx, household).await?;
    let invoices = billing::invoices_of(&tx, ctx.tenant_id, household).await?;
    let ids: Vec<Uuid> = invoices.iter().map(|i| i.id).collect();
    let mut lines = billing::lines_of(&tx, ctx.tenant_id, &ids).await?;
    let paid = payments::paid_on_invoices(&tx, ctx.tenant_id, &ids).await?;
    let credited = billing::credited_on_invoices(&tx, ctx.tenant_id, &ids).await?;
    let pays = payments::of_household(&tx, ctx.tenant_id, household).await?;
    let pay_ids: Vec<Uuid> = pays.iter().map(|p| p.id).collect();
    let mut allocations: HashMap<Uuid, Vec<Allocation>> = HashMap::new();
    for a in payments::allocations_of_payments(&tx, ctx.tenant_id, &pay_ids).await? {
        allocations.entry(a.payment).or_default().push(a);
    }
    let pays = pays
        .into_iter()
        .map(|p| {
            let a = allocations.remove(&p.id).unwrap_or_default();
            (p, a)
        })
        .collect();
    let key = AccountKey::household(h.compound_id, household);
    let accounts = crate::ledger::find_accounts(&tx, ctx.tenant_id, &[key]).await?;
    let balance = accounts.get(&key).map_or(Money::ZERO, |a| a.balance);
    tx.commit().await?;
    let invoices = invoices
        .into_iter()
        .map(|i| {
            let p = paid.get(&i.id).copied().unwrap_or(Money::ZERO);
            let c = credited.get(&i.id).copied().unwrap_or(Money::ZERO);
            let outstanding = owed(&i, &paid, &credited).unwrap_or(Money::ZERO);
            InvoiceView {
                lines: lines.remove(&i.id).unwrap_or_default(),
                paid: p,
                credited: c,
                outstanding,
                invoice: i,
            }
        })
        .collect();
    Ok(HouseholdAccount {
        invoices,
        payments: pays,
        balance,
    })
}

/// One month of a compound's billing.
#[derive(Debug, Clone, Default)]
pub struct CollectionMonth {
    pub period: Option<BillingPeriod>,
    pub billed: Money,
    pub waived: Money,
    pub due: Money,
    pub collected: Money,
    /// Corrected away by credit notes.
    pub credited: Money,
    pub households_billed: u64,
    pub households_paid: u64,
}

/// Billed, waived, due and collected per month for a compound: aggregates only, so the
/// owners' committee may read them too.
#[tracing::instrument(name = "payments.collection", skip_all)]
pub async fn collection(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    from: BillingPeriod,
    to: BillingPeriod,
) -> AppResult<Vec<CollectionMonth>> {
    if to < from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    let staff = ctx.principal.can_read_people();
    if !staff && !ctx.principal.on_committee_of(compound) {
        return Err(AppError::forbidden(
            "collection figures are for the firm's staff and the owners' committee",
        ));
    }
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let invoices =
        billing::invoices_of_compounds(&tx, ctx.tenant_id, &[compound], from, to).await?;
    let (paid, credited) = settled_on(&tx, ctx.tenant_id, &invoices).await?;
    tx.commit().await?;
    aggregate(invoices.iter(), &paid, &credited, from, to)
}

/// What was paid and credited on each of these invoices.
async fn settled_on(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    invoices: &[Invoice],
) -> AppResult<(HashMap<Uuid, Money>, HashMap<Uuid, Money>)> {
    let ids: Vec<Uuid> = invoices.iter().map(|i| i.id).collect();
    Ok((
        payments::paid_on_invoices(tx, tenant, &ids).await?,
        billing::credited_on_invoices(tx, tenant, &ids).await?,
    ))
}

/// Billed, waived, due and collected per month over `invoices`, one row per month of
/// `from..=to` (months without invoices are zero).
fn aggregate<'a>(
    invoices: impl Iterator<Item = &'a Invoice>,
    paid: &HashMap<Uuid, Money>,
    credited: &HashMap<Uuid, Money>,
    from: BillingPeriod,
    to: BillingPeriod,
) -> AppResult<Vec<CollectionMonth>> {
    let mut months: std::collections::BTreeMap<BillingPeriod, CollectionMonth> =
        std::collections::BTreeMap::new();
    let mut p = from;
    while p <= to {
        months.insert(
            p,
            CollectionMonth {
                period: Some(p),
                ..Default::default()
            },
        );
        p = p.next();
    }
    for i in invoices {
        let m = months.entry(i.period).or_default();
        let got = paid.get(&i.id).copied().unwrap_or(Money::ZERO);
        m.billed = m.billed.checked_add(i.gross).field("from")?;
        m.waived = m.waived.checked_add(i.waived).field("from")?;
        m.due = m.due.checked_add(i.due).field("from")?;
        m.collected = m.collected.checked_add(got).field("from")?;
        let credit = credited.get(&i.id).copied().unwrap_or(Money::ZERO);
        m.credited = m.credited.checked_add(credit).field("from")?;
        m.households_billed += 1;
        if !owed(i, paid, credited).field("from")?.is_positive() {
            m.households_paid += 1;
        }
    }
    Ok(months.into_values().collect())
}

/// A bundle's collection per month: the bundle's totals and each compound's.
pub struct BundleCollection {
    pub totals: Vec<CollectionMonth>,
    pub compounds: Vec<(compounds::Compound, Vec<CollectionMonth>)>,
}

/// A bundle's collection: each compound's months and the bundle's totals (staff only; a
/// committee sees its own compound).
#[tracing::instrument(name = "payments.bundle_collection", skip_all)]
pub async fn bundle_collection(
    db: &Db,
    ctx: &RequestContext,
    bundle: Uuid,
    from: BillingPeriod,
    to: BillingPeriod,
) -> AppResult<BundleCollection> {
    if to < from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    if !ctx.principal.can_read_people() {
        return Err(AppError::forbidden(
            "a bundle's collection is for the firm's staff",
        ));
    }
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    crate::tenancy::bundles::find(&tx, ctx.tenant_id, &ctx.reach, bundle)
        .await?
        .ok_or(AppError::NotFound("bundle"))?;
    let in_bundle = compounds::all(
        &tx,
        ctx.tenant_id,
        &ctx.reach,
        &compounds::CompoundFilter {
            bundle_id: Some(bundle),
            name_contains: None,
            include_archived: false,
        },
    )
    .await?;
    let ids: Vec<Uuid> = in_bundle.iter().map(|c| c.id).collect();
    let invoices = billing::invoices_of_compounds(&tx, ctx.tenant_id, &ids, from, to).await?;
    let (paid, credited) = settled_on(&tx, ctx.tenant_id, &invoices).await?;
    tx.commit().await?;
    let totals = aggregate(invoices.iter(), &paid, &credited, from, to)?;
    let per = in_bundle
        .into_iter()
        .map(|c| {
            let own = invoices.iter().filter(|i| i.compound_id == c.id);
            aggregate(own, &paid, &credited, from, to).map(|months| (c, months))
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(BundleCollection {
        compounds: per,
        totals,
    })
}

/// What one household owes, aged by days past the end of each invoice's month.
#[derive(Debug, Clone, Default)]
pub struct ArrearsRow {
    pub household_id: Uuid,
    /// 0–30, 31–90, 91–180, over 180 days.
    pub buckets: [Money; 4],
    pub total: Money,
    pub oldest: Option<BillingPeriod>,
}

#[must_use]
pub fn age_bucket(period: BillingPeriod, as_of: NaiveDate) -> usize {
    match (as_of - period.last_day()).num_days() {
        ..=30 => 0,
        31..=90 => 1,
        91..=180 => 2,
        _ => 3,
    }
}

/// Households of a compound with anything outstanding. No hardship data is ever included.
#[tracing::instrument(name = "payments.arrears", skip_all)]
pub async fn arrears(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    as_of: NaiveDate,
) -> AppResult<Vec<ArrearsRow>> {
    require_books(ctx)?;
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let through = BillingPeriod::containing(as_of);
    let invoices = billing::invoices_of_compounds(
        &tx,
        ctx.tenant_id,
        &[compound],
        BillingPeriod::new(2000, 1).field("asOf")?,
        through,
    )
    .await?;
    let (paid, credited) = settled_on(&tx, ctx.tenant_id, &invoices).await?;
    tx.commit().await?;
    let mut rows: HashMap<Uuid, ArrearsRow> = HashMap::new();
    for i in invoices {
        let owed = owed(&i, &paid, &credited).field("asOf")?;
        if !owed.is_positive() {
            continue;
        }
        let row = rows.entry(i.household_id).or_insert_with(|| ArrearsRow {
            household_id: i.household_id,
            ..Default::default()
        });
        let b = age_bucket(i.period, as_of);
        row.buckets[b] = row.buckets[b].checked_add(owed).field("asOf")?;
        row.total = row.total.checked_add(owed).field("asOf")?;
        row.oldest = Some(row.oldest.map_or(i.period, |o| o.min(i.period)));
    }
    let mut out: Vec<ArrearsRow> = rows.into_values().collect();
    out.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(a.household_id.cmp(&b.household_id))
    });
    Ok(out)
}

/// Corrects an issued invoice by a credit note: the invoice stays as issued; the household
/// owes `amount` less and the income it recorded is reduced, in the same transaction. A
/// credit note cannot exceed what is still owed (money already paid is refunded instead).
#[tracing::instrument(name = "payments.issue_credit_note", skip_all)]
pub async fn issue_credit_note(
    db: &Db,
    ctx: &RequestContext,
    invoice: Uuid,
    amount: Money,
    reason: &str,
) -> AppResult<billing::CreditNote> {
    require_books(ctx)?;
    if !amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let reason = domain::LongText::parse(reason).field("reason")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let inv = billing::find_invoice(tx, ctx.tenant_id, invoice)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    households::find(tx, ctx.tenant_id, &ctx.reach, inv.household_id)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    let note = credit_in(&uow, &inv, amount, reason.into_inner(), ctx.user_id()).await?;
    uow.commit().await?;
    Ok(note)
}

/// Writes a credit note inside the caller's transaction (locking the household first).
pub(crate) async fn credit_in(
    uow: &UnitOfWork,
    inv: &Invoice,
    amount: Money,
    reason: String,
    approver: Uuid,
) -> AppResult<billing::CreditNote> {
    let (tx, tenant) = (uow.tx(), uow.tenant());
    households::lock(tx, tenant, &[inv.household_id]).await?;
    let paid = payments::paid_on_invoices(tx, tenant, &[inv.id]).await?;
    let credited = billing::credited_on_invoices(tx, tenant, &[inv.id]).await?;
    let left = owed(inv, &paid, &credited).field("amount")?;
    if amount > left {
        return Err(AppError::bad_input(
            "amount",
            format!("only {left} is still owed on this invoice"),
        ));
    }
    let compound = compounds::find(tx, tenant, &Reach::everything(), inv.compound_id)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    let note = billing::insert_credit_note(tx, tenant, inv, amount, reason, approver).await?;
    let entry = rules::credit_note(
        inv.compound_id,
        inv.household_id,
        compound.charging_mode,
        amount,
    )
    .field("amount")?;
    crate::ledger::queue(
        uow,
        vec![NewEntry {
            entry,
            occurred_at: Utc::now(),
            idempotency_key: format!("credit-note:{}", note.id),
            memo: format!("红字冲减 No.{}：{}", inv.number, note.reason),
            actor: Some(approver),
            reverses: None,
        }],
    );
    uow.audit_by(
        Some(approver),
        "invoice.credit_note",
        "invoice",
        inv.id,
        json!({ "fen": amount.fen(), "note": note.id }),
    );
    uow.publish(Event::CreditNoteIssued {
        credit_note: note.id,
        invoice: inv.id,
        amount,
    });
    Ok(note)
}

pub const NOTICE_KINDS: &[&str] = &["reminder", "formal_demand"];

/// Logs a reminder or formal written demand (催告). Never any service cut-off: Civil Code
/// Art. 944 forbids cutting water, power, heat or gas to collect fees.
#[tracing::instrument(name = "payments.record_notice", skip_all)]
pub async fn record_notice(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
    kind: &str,
    note: &str,
) -> AppResult<Notice> {
    require_books(ctx)?;
    if !NOTICE_KINDS.contains(&kind) {
        return Err(AppError::bad_input(
            "kind",
            "must be reminder or formal_demand",
        ));
    }
    let note = domain::LongText::parse(note).field("note")?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &Reach::everything(), household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let n = payments::insert_notice(
        tx,
        ctx.tenant_id,
        household,
        kind,
        note.into_inner(),
        ctx.user_id(),
    )
    .await?;
    uow.audit(
        "arrears.notice",
        "household",
        household,
        json!({ "kind": kind }),
    );
    uow.commit().await?;
    Ok(n)
}

#[tracing::instrument(name = "payments.notices", skip_all)]
pub async fn notices(db: &Db, ctx: &RequestContext, household: Uuid) -> AppResult<Vec<Notice>> {
    require_books(ctx)?;
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    households::find(&tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let n = payments::notices_of(&tx, ctx.tenant_id, household).await?;
    tx.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(household: Uuid, period: &str, number: i64) -> Invoice {
        Invoice {
            id: domain::new_id(),
            number,
            household_id: household,
            compound_id: Uuid::nil(),
            period: BillingPeriod::parse(period).unwrap_or_else(|e| panic!("{e}")),
            days_billed: 30,
            gross: Money::from_fen(5_000),
            waived: Money::ZERO,
            due: Money::from_fen(5_000),
            waiver_funding: None,
            waiver_grant_id: None,
            issued_at: Utc::now(),
        }
    }

    fn paid(household: Uuid, fen: i64) -> NewPayment {
        NewPayment {
            household,
            compound: Uuid::nil(),
            amount: Money::from_fen(fen),
            method: PaymentMethod::Online,
            receipt_no: "r".into(),
            received_at: Utc::now(),
            recorded_by: Uuid::nil(),
            idempotency_key: domain::new_id().to_string(),
        }
    }

    /// Each planned payment's allocations, as (invoice, fen).
    fn split(c: &Collection) -> Vec<Vec<(Option<Uuid>, i64)>> {
        c.planned
            .iter()
            .map(|u| {
                u.allocations
                    .iter()
                    .map(|a| (a.invoice, a.amount.fen()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn payments_planned_together_each_see_what_the_ones_before_left_owing() {
        let (home, other) = (domain::new_id(), domain::new_id());
        let (oct, nov) = (invoice(home, "2026-10", 1), invoice(home, "2026-11", 2));
        let theirs = invoice(other, "2026-11", 3);
        let mut c = Collection {
            open: HashMap::from([
                (
                    home,
                    vec![
                        (oct.clone(), Money::from_fen(1_000)),
                        (nov.clone(), Money::from_fen(2_000)),
                    ],
                ),
                (other, vec![(theirs.clone(), Money::from_fen(500))]),
            ]),
            planned: Vec::new(),
        };
        // November named first, then the oldest; then what is left; then a payment with
        // nothing left to pay is held as credit. Another household's debt is its own.
        for (who, fen, first) in [
            (home, 1_500, vec![nov.id]),
            (home, 1_500, vec![]),
            (home, 700, vec![]),
            (other, 800, vec![]),
        ] {
            c.plan(paid(who, fen), &first)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            split(&c),
            [
                vec![(Some(nov.id), 1_500)],
                vec![(Some(oct.id), 1_000), (Some(nov.id), 500)],
                vec![(None, 700)],
                vec![(Some(theirs.id), 500), (None, 300)],
            ]
        );
        assert!(!c.owes_on(home, nov.id) && !c.owes_on(other, theirs.id));
        for u in &c.planned {
            let allocated = Money::sum(u.allocations.iter().map(|a| a.amount));
            assert_eq!(allocated.ok(), Some(u.payment.amount));
            assert_eq!(u.entry.idempotency_key, format!("payment:{}", u.payment.id));
        }
    }

    #[test]
    fn a_named_invoice_still_owing_is_found_and_a_paid_one_is_not() {
        let home = domain::new_id();
        let nov = invoice(home, "2026-11", 1);
        let mut c = Collection {
            open: HashMap::from([(home, vec![(nov.clone(), Money::from_fen(300))])]),
            planned: Vec::new(),
        };
        assert!(c.owes_on(home, nov.id));
        assert!(!c.owes_on(domain::new_id(), nov.id));
        // A household whose debts were not read is refused, not treated as owing nothing.
        assert!(c.plan(paid(domain::new_id(), 100), &[]).is_err());
        c.plan(paid(home, 299), &[nov.id])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(c.owes_on(home, nov.id));
        c.plan(paid(home, 1), &[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.owes_on(home, nov.id));
    }
}
