//! A household's account: its invoices with what was paid and credited on each, its
//! payments, its balance from the ledger.

use std::collections::HashMap;

use domain::{AccountKey, Money};
use uuid::Uuid;

use super::allocation::owed;
use super::payments::readable_household;
use crate::billing::{self, Invoice, Line};
use crate::collection::model::{Allocation, Payment};
use crate::collection::store as payments;
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::AppResult;

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
