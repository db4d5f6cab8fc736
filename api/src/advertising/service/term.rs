//! Changing a contract's term: renewing it for more months, or ending it early.

use domain::advertising::{self as ad, Pricing};
use domain::billing::BillingPeriod;
use domain::{LongText, Money};
use serde_json::json;
use uuid::Uuid;

use super::files::reachable;
use super::signing::numbered;
use crate::advertising::model::{ContractFile, Termination};
use crate::advertising::store;
use crate::ledger;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

fn refuse_if_terminated(file: &ContractFile) -> AppResult<()> {
    if file.contract.terminated.is_some() {
        return Err(AppError::conflict(
            "contractId",
            "this contract was terminated: sign a new one",
        ));
    }
    Ok(())
}

/// Renews a contract to `to`: the months added are owed at `price` (the current price when
/// none is given); a lump-sum contract owes the new sum in the first added month.
#[tracing::instrument(name = "advertising.renew", skip_all)]
pub async fn renew(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    to: BillingPeriod,
    price: Option<Money>,
) -> AppResult<ContractFile> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let file = reachable(tx, db, ctx, id).await?;
    refuse_if_terminated(&file)?;
    let mut contract = file.contract.clone();
    let price = price.unwrap_or(contract.price);
    let (term, added) =
        ad::renewal(contract.pricing, price, contract.term, to, contract.due_day).field("to")?;
    let next = file.instalments.iter().map(|i| i.seq).max().unwrap_or(0) + 1;
    store::insert_instalments(
        tx,
        ctx.tenant_id,
        id,
        &numbered(&added, next),
        db.clock().now(),
    )
    .await?;
    contract.term = term;
    contract.price = price;
    store::set_term(tx, ctx.tenant_id, &contract).await?;
    uow.audit(
        "advertising.renew",
        "advertising_contract",
        id,
        json!({ "to": to.to_string(), "fen": price.fen(), "lumpSum": contract.pricing == Pricing::LumpSum }),
    );
    let file = reachable(tx, db, ctx, id).await?;
    uow.commit().await?;
    Ok(file)
}

/// Ends a contract after `last`: the instalments of later months are cancelled. Refused when
/// the advertiser has already paid for those months (refund them first).
#[tracing::instrument(name = "advertising.terminate", skip_all)]
pub async fn terminate(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    last: BillingPeriod,
    reason: &str,
) -> AppResult<ContractFile> {
    require_books(ctx)?;
    let reason = LongText::parse(reason).field("reason")?.into_inner();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    // What is paid is read under the books' lock, as a payment reads what is owed.
    ledger::hold_books(tx, ctx.tenant_id).await?;
    let file = reachable(tx, db, ctx, id).await?;
    refuse_if_terminated(&file)?;
    let term = file.contract.term;
    if last < term.from() || last > term.to() {
        return Err(AppError::bad_input(
            "lastPeriod",
            format!(
                "must be a month of the term, {} to {}",
                term.from(),
                term.to()
            ),
        ));
    }
    let kept = Money::sum(
        file.instalments
            .iter()
            .filter(|i| !i.cancelled && i.period <= last)
            .map(|i| i.amount),
    )
    .field("lastPeriod")?;
    if file.paid() > kept {
        return Err(AppError::conflict(
            "lastPeriod",
            format!(
                "the advertiser has paid {} but the months through {last} owe {kept}: refund the difference first",
                file.paid()
            ),
        ));
    }
    let now = db.clock().now();
    store::cancel_after(tx, ctx.tenant_id, id, last, now).await?;
    let mut contract = file.contract.clone();
    contract.term = ad::Term::new(term.from(), last).field("lastPeriod")?;
    contract.terminated = Some(Termination { at: now, reason });
    store::set_term(tx, ctx.tenant_id, &contract).await?;
    uow.audit(
        "advertising.terminate",
        "advertising_contract",
        id,
        json!({ "last": last.to_string() }),
    );
    let file = reachable(tx, db, ctx, id).await?;
    uow.commit().await?;
    Ok(file)
}
