//! Paying an owners' committee its fund through Stripe Connect (separate charges and
//! transfers): the committee's connected account is set by the firm's administrator, and an
//! accountant pays out what the fund holds. The ledger records the payout when Stripe has
//! made the transfer.

use chrono::Utc;
use domain::ledger::{AccountKind, PaymentMethod, rules};
use domain::online::{PayoutChannel, PayoutStatus};
use domain::{AccountKey, Money};
use serde_json::json;
use uuid::Uuid;

use super::store;
use crate::committee_fund::model::{NewPayout, Payout};
use crate::ledger::natural;
use crate::ledger::{self as ledger_store, NewEntry};
use crate::online;
use crate::online::Stripe;
use crate::online::stripe::GatewayError;
use crate::platform::access::{require_admin, require_books};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::compounds::{self, Compound};

/// A Stripe connected account id: `acct_` and letters or digits.
fn parse_account(raw: &str) -> AppResult<String> {
    let s = raw.trim();
    let ok = s.len() <= 255
        && s.strip_prefix("acct_").is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if ok {
        Ok(s.to_owned())
    } else {
        Err(AppError::bad_input(
            "accountId",
            "must be a Stripe connected account id such as acct_1A2b3C",
        ))
    }
}

#[tracing::instrument(name = "payouts.set_account", skip_all)]
pub async fn set_committee_account(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    account: Option<&str>,
) -> AppResult<Compound> {
    require_admin(ctx)?;
    let account = account.map(parse_account).transpose()?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let updated = compounds::set_committee_account(tx, ctx.tenant_id, compound, account.clone())
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    uow.audit(
        "payouts.set_account",
        "compound",
        compound,
        json!({ "account": account }),
    );
    uow.commit().await?;
    Ok(updated)
}

/// What the committee fund holds, less payouts Stripe has not answered yet and bank payouts
/// the committee has not decided.
pub(super) async fn available(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    compound: Uuid,
) -> AppResult<Money> {
    let key = AccountKey::compound(compound, AccountKind::CommitteeFund);
    let fund = ledger_store::find_accounts(tx, tenant, &[key])
        .await?
        .get(&key)
        .map_or(Money::ZERO, |a| natural(a.kind, a.balance));
    let pending = Money::sum(
        store::payouts_of(tx, tenant, compound)
            .await?
            .iter()
            .filter(|p| p.status.reserves())
            .map(|p| p.amount),
    )
    .field("amount")?;
    fund.checked_sub(pending).field("amount")
}

/// Pays `amount` (default: all the fund holds) to the committee's connected account: the
/// payout is reserved in one transaction, Stripe is called outside any, and its answer is
/// recorded in another.
#[tracing::instrument(name = "payouts.pay", skip_all)]
pub async fn pay_committee(
    db: &Db,
    ctx: &RequestContext,
    stripe: Option<&Stripe>,
    compound: Uuid,
    amount: Option<Money>,
) -> AppResult<Payout> {
    require_books(ctx)?;
    let stripe =
        stripe.ok_or_else(|| AppError::forbidden("online payment (Stripe) is not enabled"))?;
    let payout = reserve(db, ctx, compound, amount).await?;
    let transfer = stripe
        .create_transfer(
            ctx.tenant_id,
            payout.id,
            &payout.destination,
            payout.amount.fen(),
        )
        .await;
    record_transfer(db, ctx, payout, transfer).await
}

/// Records a pending payout of `amount` (default: all the fund holds), under the firm's
/// ledger lock so that two payouts cannot both spend the same balance.
async fn reserve(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    amount: Option<Money>,
) -> AppResult<Payout> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    crate::ledger::hold_books(tx, ctx.tenant_id).await?;
    let c = compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let destination = c.committee_stripe_account.clone().ok_or_else(|| {
        AppError::bad_input(
            "compoundId",
            "the committee has no connected Stripe account yet",
        )
    })?;
    let available = available(tx, ctx.tenant_id, compound).await?;
    let amount = amount.unwrap_or(available);
    if !amount.is_positive() {
        return Err(AppError::bad_input(
            "amount",
            "must be greater than zero (the fund holds nothing to pay out)",
        ));
    }
    if amount > available {
        return Err(AppError::bad_input(
            "amount",
            format!("the committee fund holds only {available}"),
        ));
    }
    let payout = store::insert_payout(
        tx,
        ctx.tenant_id,
        NewPayout {
            matter: None,
            compound,
            destination: &destination,
            amount,
            channel: PayoutChannel::Stripe,
            purpose: None,
            idempotency_key: None,
            requested_by: ctx.user_id(),
        },
    )
    .await?;
    let detail = json!({ "fen": amount.fen(), "payout": payout.id });
    uow.audit("payouts.pay", "compound", compound, detail);
    uow.commit().await?;
    Ok(payout)
}

/// Records Stripe's answer: paid (the ledger books the money out of the fund), refused
/// (failed: nothing moved), or unknown (pending: Stripe may have made it, so the amount stays
/// reserved rather than invite a second transfer).
async fn record_transfer(
    db: &Db,
    ctx: &RequestContext,
    mut payout: Payout,
    transfer: Result<String, GatewayError>,
) -> AppResult<Payout> {
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let outcome = match transfer {
        Ok(id) => {
            online::link(tx, &id, ctx.tenant_id).await?;
            let entry =
                rules::committee_payout(payout.compound_id, PaymentMethod::Online, payout.amount)
                    .field("amount")?;
            crate::ledger::queue(
                &uow,
                vec![NewEntry {
                    entry,
                    occurred_at: Utc::now(),
                    idempotency_key: format!("payout:{}", payout.id),
                    memo: format!("业委会资金转出 Stripe {id}"),
                    actor: Some(ctx.user_id()),
                    reverses: None,
                }],
            );
            payout.stripe_transfer_id = Some(id);
            payout.status = PayoutStatus::Paid;
            Ok(())
        }
        Err(e) => {
            payout.failure = Some(e.to_string().chars().take(500).collect());
            if matches!(e, GatewayError::Refused(_)) {
                payout.status = PayoutStatus::Failed;
            }
            Err(AppError::internal(e))
        }
    };
    store::save_payout(tx, ctx.tenant_id, &payout).await?;
    if payout.status != PayoutStatus::Pending {
        uow.publish(Event::PayoutSettled {
            payout: payout.id,
            compound: payout.compound_id,
        });
    }
    uow.commit().await?;
    outcome.map(|()| payout)
}

/// A compound's payouts (the firm's book-keepers and the compound's committee).
#[tracing::instrument(name = "payouts.of", skip_all)]
pub async fn payouts_of(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Vec<Payout>> {
    if !ctx.principal.reads_accounts_of(compound) {
        return Err(AppError::forbidden(
            "payouts are for the firm's accountant and the owners' committee",
        ));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let out = store::payouts_of(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(out)
}
