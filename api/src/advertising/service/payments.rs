//! A payment from the advertiser: settles the oldest instalments first, and is shared among
//! the contract's compounds by its weights — each share recorded as that compound's
//! advertising income, through income's public face.

use chrono::NaiveDate;
use domain::income::IncomeCategory;
use domain::ledger::PaymentMethod;
use domain::{Money, allocate};
use serde_json::json;
use uuid::Uuid;

use super::files::reachable;
use crate::advertising::model::{ContractFile, Payment, Share};
use crate::advertising::store;
use crate::income::{self, IncomeInput};
use crate::ledger;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::idempotency;
use crate::platform::{RequestContext, UnitOfWork};

pub struct PaymentInput {
    pub contract: Uuid,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub idempotency_key: String,
}

/// Records a payment against a contract; the same key again answers the contract as it is.
#[tracing::instrument(name = "advertising.record_payment", skip_all)]
pub async fn record_payment(
    db: &Db,
    ctx: &RequestContext,
    input: PaymentInput,
) -> AppResult<ContractFile> {
    require_books(ctx)?;
    crate::collection::by_hand(input.method)?;
    let key = idempotency::key(&input.idempotency_key)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    // What is owed is read and paid under the books' lock: two payments never both fit.
    ledger::hold_books(tx, ctx.tenant_id).await?;
    let file = reachable(tx, db, ctx, input.contract).await?;
    if let Some((contract, amount)) = store::find_payment_by_key(tx, ctx.tenant_id, &key).await? {
        if contract != input.contract || amount != input.amount {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for a different payment",
            ));
        }
        uow.commit().await?;
        return Ok(file);
    }
    domain::advertising::settle(input.amount, &file.owed()).field("amount")?;
    let weights: Vec<u64> = file.weights.iter().map(|w| w.weight).collect();
    let parts = allocate(input.amount, &weights).field("amount")?;
    let mut inputs = Vec::with_capacity(parts.len());
    let mut compounds = Vec::with_capacity(parts.len());
    for (w, part) in file.weights.iter().zip(parts) {
        if part.is_zero() {
            continue;
        }
        compounds.push(w.compound_id);
        inputs.push(IncomeInput {
            compound: w.compound_id,
            category: IncomeCategory::Advertising,
            amount: part,
            received_on: input.received_on,
            method: input.method,
            payer: Some(file.contract.advertiser.name.clone()),
            reference: Some(file.contract.number.clone()),
            correction_reason: None,
            idempotency_key: format!("ad:{key}:{}", w.compound_id),
        });
    }
    let records = income::record_within(&uow, db, ctx, inputs).await?;
    let shares = compounds
        .into_iter()
        .zip(records)
        .map(|(compound_id, r)| Share {
            compound_id,
            amount: r.amount,
            income_record_id: r.id,
        })
        .collect();
    let payment = Payment {
        id: domain::new_id(),
        amount: input.amount,
        received_on: input.received_on,
        method: input.method,
        idempotency_key: key,
        recorded_at: db.clock().now(),
        shares,
    };
    store::insert_payment(tx, ctx.tenant_id, input.contract, &payment, ctx.user_id()).await?;
    uow.audit(
        "advertising.record_payment",
        "advertising_contract",
        input.contract,
        json!({ "payment": payment.id, "fen": payment.amount.fen() }),
    );
    let file = reachable(tx, db, ctx, input.contract).await?;
    uow.commit().await?;
    Ok(file)
}
