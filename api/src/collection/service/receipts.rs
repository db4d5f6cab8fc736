//! A payment's receipt (收据): the payment, the months it paid, and who took the money.

use std::collections::HashMap;

use domain::billing::BillingPeriod;
use domain::ledger::PaymentMethod;
use uuid::Uuid;

use super::payments::readable_payment;
use crate::collection::model::{Allocation, Payment};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::AppResult;

pub struct Receipt {
    pub payment: Payment,
    pub allocations: Vec<Allocation>,
    /// Each allocation's bill month, in the same order (`None`: held as credit).
    pub periods: Vec<Option<BillingPeriod>>,
    /// The staff member who recorded it; `None` for an online payment.
    pub collector: Option<String>,
}

/// The receipt of a payment its reader may see (the household itself, or the book-keepers).
#[tracing::instrument(name = "payments.receipt", skip_all)]
pub async fn receipt(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Receipt> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (payment, allocations) = readable_payment(&tx, ctx, id).await?;
    // The household's invoices in one query, not one query per month paid.
    let period_of: HashMap<Uuid, BillingPeriod> =
        crate::billing::invoices_of(&tx, ctx.tenant_id, payment.household_id)
            .await?
            .into_iter()
            .map(|i| (i.id, i.period))
            .collect();
    let periods = allocations
        .iter()
        .map(|a| a.invoice.and_then(|id| period_of.get(&id).copied()))
        .collect();
    let collector = match payment.method {
        PaymentMethod::Online => None,
        _ => crate::people::display_name(&tx, payment.recorded_by).await?,
    };
    tx.commit().await?;
    Ok(Receipt {
        payment,
        allocations,
        periods,
        collector,
    })
}
