//! The collection report by month, per compound and per bundle.

use std::collections::HashMap;

use domain::Money;
use domain::billing::BillingPeriod;
use uuid::Uuid;

use super::allocation::still_owed;
use crate::billing::{self, Invoice};
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
    tx.commit().await?;
    aggregate(invoices.iter(), from, to)
}

/// Billed, waived, due and collected per month over `invoices` (each with what was paid and
/// credited on it), one row per month of `from..=to` (months without invoices are zero).
pub(super) fn aggregate<'a>(
    invoices: impl Iterator<Item = &'a (Invoice, Money, Money)>,
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
    for (i, paid, credited) in invoices {
        let m = months.entry(i.period).or_default();
        m.billed = m.billed.checked_add(i.gross).field("from")?;
        m.waived = m.waived.checked_add(i.waived).field("from")?;
        m.due = m.due.checked_add(i.due).field("from")?;
        m.collected = m.collected.checked_add(*paid).field("from")?;
        m.credited = m.credited.checked_add(*credited).field("from")?;
        m.households_billed += 1;
        if !still_owed(i.due, *paid, *credited)
            .field("from")?
            .is_positive()
        {
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
    tx.commit().await?;
    let totals = aggregate(invoices.iter(), from, to)?;
    let mut by_compound: HashMap<Uuid, Vec<&(Invoice, Money, Money)>> = HashMap::new();
    for i in &invoices {
        by_compound.entry(i.0.compound_id).or_default().push(i);
    }
    let per = in_bundle
        .into_iter()
        .map(|c| {
            let own = by_compound.remove(&c.id).unwrap_or_default();
            aggregate(own.into_iter(), from, to).map(|months| (c, months))
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(BundleCollection {
        compounds: per,
        totals,
    })
}
