//! Households paying all they owe, written in batches through the path every payment takes
//! (planned against the oldest open invoices, allocated, booked in the ledger): how the
//! synthetic firm gets a year of payments.

use chrono::{DateTime, Utc};
use domain::ledger::PaymentMethod;
use uuid::Uuid;

use super::allocation::Collection;
use crate::collection::model::NewPayment;
use crate::platform::UnitOfWork;
use crate::platform::db::Db;
use crate::platform::error::AppResult;
use crate::tenancy::households;

/// Households paid for in one transaction (as billing's batches).
const BATCH: usize = 5_000;

/// A household that pays what it owes, and how.
#[derive(Debug, Clone, Copy)]
pub struct Settlement {
    pub household: Uuid,
    pub compound: Uuid,
    pub method: PaymentMethod,
}

/// Each household in `payers` pays all it owes at `at` (one owing nothing pays nothing),
/// recorded by `actor` under receipts `{prefix}-{n}`; returns how many payments were written.
#[tracing::instrument(name = "payments.settle_all", skip_all, fields(payers = payers.len()))]
pub async fn settle_all(
    db: &Db,
    tenant: Uuid,
    actor: Uuid,
    payers: &[Settlement],
    at: DateTime<Utc>,
    prefix: &str,
) -> AppResult<u64> {
    let mut written = 0;
    for (b, batch) in payers.chunks(BATCH).enumerate() {
        let uow = UnitOfWork::begin_for(db, tenant, Some(actor)).await?;
        crate::platform::bulk::index_plans(uow.tx()).await?;
        let ids: Vec<Uuid> = batch.iter().map(|s| s.household).collect();
        households::lock(uow.tx(), tenant, &ids).await?;
        let mut collection = Collection::owed_by(uow.tx(), tenant, &ids).await?;
        for (n, s) in batch.iter().enumerate() {
            let amount = collection.owed(s.household)?;
            if !amount.is_positive() {
                continue;
            }
            let receipt = format!("{prefix}-{:07}", b * BATCH + n);
            let payment = NewPayment {
                household: s.household,
                compound: s.compound,
                amount,
                method: s.method,
                idempotency_key: receipt.clone(),
                receipt_no: receipt,
                received_at: at,
                recorded_by: actor,
                payer: None,
            };
            collection.plan(payment, &[])?;
        }
        let booked = collection.write(&uow).await?;
        written += booked.len() as u64;
        crate::ledger::queue(&uow, booked.into_iter().map(|u| u.entry).collect());
        uow.commit().await?;
    }
    Ok(written)
}
