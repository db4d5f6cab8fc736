//! The collection report by month, per compound and per bundle.

use std::collections::HashMap;

use domain::Money;
use domain::billing::BillingPeriod;
use uuid::Uuid;

use super::allocation::owed;
use crate::billing::{self, Invoice};
use crate::collection::store as payments;
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::tenancy::compounds;

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
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
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
pub(super) async fn settled_on(
    tx: &impl sea_orm::ConnectionTrait,
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
pub(super) fn aggregate<'a>(
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
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
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
