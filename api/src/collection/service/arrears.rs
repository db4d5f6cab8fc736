//! Arrears: a compound's households aged by what they owe, and the paged list of households
//! owing the most across a firm, a bundle or a compound.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Money;
use domain::billing::BillingPeriod;
use uuid::Uuid;

use super::allocation::still_owed;
use crate::billing::{self, Invoice};
use crate::platform::RequestContext;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::tenancy::{buildings, bundles, compounds, households};

/// What one household owes, aged by days past the end of each invoice's month.
#[derive(Debug, Clone, Default)]
pub struct ArrearsRow {
    pub household_id: Uuid,
    /// 0–30, 31–90, 91–180, over 180 days.
    pub buckets: [Money; 4],
    pub total: Money,
    pub oldest: Option<BillingPeriod>,
}

impl ArrearsRow {
    /// Adds `amount` owed on an invoice of `period`.
    fn add(&mut self, period: BillingPeriod, amount: Money, as_of: NaiveDate) -> AppResult<()> {
        let b = age_bucket(period, as_of);
        self.buckets[b] = self.buckets[b].checked_add(amount).field("asOf")?;
        self.total = self.total.checked_add(amount).field("asOf")?;
        self.oldest = Some(self.oldest.map_or(period, |o| o.min(period)));
        Ok(())
    }
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

/// Each household's open invoices aged, from (invoice, what it still owes) pairs.
fn aged<'a>(
    owing: impl Iterator<Item = (&'a Invoice, Money)>,
    as_of: NaiveDate,
) -> AppResult<HashMap<Uuid, ArrearsRow>> {
    let mut rows: HashMap<Uuid, ArrearsRow> = HashMap::new();
    for (i, amount) in owing.filter(|(_, a)| a.is_positive()) {
        let row = rows.entry(i.household_id).or_insert_with(|| ArrearsRow {
            household_id: i.household_id,
            ..Default::default()
        });
        row.add(i.period, amount, as_of)?;
    }
    Ok(rows)
}

/// What is still owed on each of these invoices (read with what was paid and credited on it).
fn still_owing(invoices: &[(Invoice, Money, Money)]) -> AppResult<Vec<(&Invoice, Money)>> {
    invoices
        .iter()
        .map(|(i, paid, credited)| still_owed(i.due, *paid, *credited).map(|a| (i, a)))
        .collect::<Result<Vec<_>, _>>()
        .field("asOf")
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
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
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
    tx.commit().await?;
    let mut out: Vec<ArrearsRow> = aged(still_owing(&invoices)?.into_iter(), as_of)?
        .into_values()
        .collect();
    out.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(a.household_id.cmp(&b.household_id))
    });
    Ok(out)
}

/// Where the arrears list looks.
#[derive(Debug, Clone, Copy)]
pub enum ArrearsScope {
    Firm,
    Bundle(Uuid),
    Compound(Uuid),
}

/// A household on the arrears list: where it is, what its receivable says it owes, and its
/// open invoices aged.
#[derive(Debug, Clone)]
pub struct Owing {
    pub household: households::Household,
    pub compound_name: String,
    pub building: String,
    /// The household's receivable balance: what it owes, net of any credit held.
    pub owed: Money,
    pub aged: ArrearsRow,
}

/// One page of the arrears list, and whether more follow.
pub struct OwingPage {
    pub rows: Vec<Owing>,
    pub has_next: bool,
}

/// Households owing money in `scope`, most owed first (ties by household id), `limit` after
/// the row ranked `after` (owed, household). Fixed statements however large the firm: the
/// page is read from the receivables' index, then only its households' details and invoices.
#[tracing::instrument(name = "payments.arrears_list", skip_all)]
pub async fn arrears_list(
    db: &Db,
    ctx: &RequestContext,
    scope: ArrearsScope,
    as_of: NaiveDate,
    after: Option<(Money, Uuid)>,
    limit: u64,
) -> AppResult<OwingPage> {
    require_books(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let within = compounds_of(&tx, ctx, scope).await?;
    if within.as_ref().is_some_and(Vec::is_empty) {
        return Ok(OwingPage {
            rows: Vec::new(),
            has_next: false,
        });
    }
    let mut owing =
        crate::ledger::owing(&tx, ctx.tenant_id, within.as_deref(), after, limit + 1).await?;
    let has_next = owing.len() as u64 > limit;
    owing.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let ids: Vec<Uuid> = owing.iter().filter_map(|a| a.household_id).collect();
    let found = households::find_many(&tx, ctx.tenant_id, &ids).await?;
    let building_ids: Vec<Uuid> = found.iter().map(|h| h.building_id).collect();
    let labels: HashMap<Uuid, String> = buildings::find_many(&tx, ctx.tenant_id, &building_ids)
        .await?
        .into_iter()
        .map(|b| (b.id, b.label))
        .collect();
    let compound_ids: Vec<Uuid> = owing.iter().map(|a| a.compound_id).collect();
    let names: HashMap<Uuid, String> =
        compounds::find_many(&tx, ctx.tenant_id, &ctx.reach, &compound_ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
    let invoices = billing::invoices_with_settled(&tx, ctx.tenant_id, &ids).await?;
    tx.commit().await?;
    let mut aged_rows = aged(still_owing(&invoices)?.into_iter(), as_of)?;
    let mut by_id: HashMap<Uuid, households::Household> =
        found.into_iter().map(|h| (h.id, h)).collect();
    let rows = owing
        .into_iter()
        .filter_map(|a| {
            let household = by_id.remove(&a.household_id?)?;
            Some(Owing {
                compound_name: names.get(&a.compound_id).cloned().unwrap_or_default(),
                building: labels
                    .get(&household.building_id)
                    .cloned()
                    .unwrap_or_default(),
                aged: aged_rows.remove(&household.id).unwrap_or_default(),
                owed: a.balance,
                household,
            })
        })
        .collect();
    Ok(OwingPage { rows, has_next })
}

/// The compounds whose households the list may show in `scope` (`None`: every one of the
/// firm's); a bundle or compound outside the principal's reach is not found.
async fn compounds_of(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &RequestContext,
    scope: ArrearsScope,
) -> AppResult<Option<Vec<Uuid>>> {
    let reachable = ctx.reach.households().map(|(whole, _)| whole);
    let wanted = match scope {
        ArrearsScope::Firm => return Ok(reachable.map(<[Uuid]>::to_vec)),
        ArrearsScope::Compound(id) => {
            compounds::find(tx, ctx.tenant_id, &ctx.reach, id)
                .await?
                .ok_or(AppError::NotFound("compound"))?;
            vec![id]
        }
        ArrearsScope::Bundle(id) => {
            bundles::find(tx, ctx.tenant_id, &ctx.reach, id)
                .await?
                .ok_or(AppError::NotFound("bundle"))?;
            let filter = compounds::CompoundFilter {
                bundle_id: Some(id),
                name_contains: None,
                include_archived: false,
            };
            compounds::all(tx, ctx.tenant_id, &ctx.reach, &filter)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect()
        }
    };
    Ok(Some(match reachable {
        None => wanted,
        Some(whole) => wanted.into_iter().filter(|c| whole.contains(c)).collect(),
    }))
}
