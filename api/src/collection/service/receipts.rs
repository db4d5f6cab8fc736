//! A payment's receipt (收据): the payment, the months it paid, and who took the money.

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
    let tx = db.begin_tenant(ctx.tenant_id).await?;
    let (payment, allocations) = readable_payment(&tx, ctx, id).await?;
    let mut periods = Vec::with_capacity(allocations.len());
    for a in &allocations {
        periods.push(match a.invoice {
            Some(invoice) => crate::billing::find_invoice(&tx, ctx.tenant_id, invoice)
                .await?
                .map(|i| i.period),
            None => None,
        });
    }
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
