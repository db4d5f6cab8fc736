//! A household's account: its invoices with what was paid and credited on each, its
//! payments, its balance from the ledger.

use domain::{AccountKey, Money};
use uuid::Uuid;

use super::allocation::still_owed;
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

/// Four statements however long the household's history: the household, its invoices with
/// their lines and settlements, its payments with their allocations, its balance.
#[tracing::instrument(name = "payments.household_account", skip_all)]
pub async fn household_account(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<HouseholdAccount> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let h = readable_household(&tx, ctx, household).await?;
    let invoices = billing::account_invoices(&tx, ctx.tenant_id, household).await?;
    let payments = payments::of_household_allocated(&tx, ctx.tenant_id, household).await?;
    let key = AccountKey::household(h.compound_id, household);
    let accounts = crate::ledger::find_accounts(&tx, ctx.tenant_id, &[key]).await?;
    let balance = accounts.get(&key).map_or(Money::ZERO, |a| a.balance);
    tx.commit().await?;
    let invoices = invoices
        .into_iter()
        .map(|i| InvoiceView {
            outstanding: still_owed(i.invoice.due, i.paid, i.credited).unwrap_or(Money::ZERO),
            paid: i.paid,
            credited: i.credited,
            lines: i.lines,
            invoice: i.invoice,
        })
        .collect();
    Ok(HouseholdAccount {
        invoices,
        payments,
        balance,
    })
}
