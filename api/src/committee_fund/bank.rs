//! Payouts of the committee fund by bank transfer: two people of two organisations. The
//! firm's accountant proposes one (amount, payee, purpose), holding the amount back from other
//! payouts; a member of the compound's committee approves it — the ledger then records the
//! money leaving the fund — or rejects it with a reason. Decided once; never below zero.

use chrono::Utc;
use domain::governance::MatterKind;
use domain::ledger::{PaymentMethod, rules};
use domain::online::PayoutChannel;
use domain::{LongText, Money};
use serde_json::json;
use uuid::Uuid;

use super::service::available;
use super::store;
use crate::committee_fund::model::{NewPayout, Payout};
use crate::governance;
use crate::ledger::{self, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::compounds;

pub struct BankPayoutInput {
    pub compound: Uuid,
    /// The owners' passed matter that decided the spending.
    pub matter: Uuid,
    pub amount: Money,
    /// Who receives it: the account holder and account, e.g. the maintenance fund's account.
    pub payee: String,
    pub purpose: String,
    pub idempotency_key: String,
}

/// Spending the owners' share of common income is theirs to decide: as a use of the
/// maintenance fund it replenishes (Art. 278 (5)) or another major matter (9).
const SPENDING: &[MatterKind] = &[MatterKind::UseMaintenanceFund, MatterKind::Other];

fn text(raw: &str, max: usize, field: &str) -> AppResult<String> {
    let parsed = LongText::parse(raw).field(field)?.into_inner();
    if parsed.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(parsed)
}

/// Proposes a bank payout from the fund (book-keepers). Proposing again with the same key
/// returns the first proposal.
#[tracing::instrument(name = "payouts.propose_bank", skip_all)]
pub async fn propose(db: &Db, ctx: &RequestContext, input: BankPayoutInput) -> AppResult<Payout> {
    require_books(ctx)?;
    if !input.amount.is_positive() {
        return Err(AppError::bad_input("amount", "must be greater than zero"));
    }
    let payee = text(&input.payee, 200, "payee")?;
    let purpose = text(&input.purpose, 500, "purpose")?;
    let key = crate::platform::idempotency::key(&input.idempotency_key)?;
    let key = key.as_str();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    // Under the firm's ledger lock: two proposals cannot both spend the same balance.
    ledger::hold_books(tx, ctx.tenant_id).await?;
    compounds::find(tx, ctx.tenant_id, &ctx.reach, input.compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    governance::decided(
        tx,
        ctx.tenant_id,
        input.compound,
        input.matter,
        SPENDING,
        "matterId",
    )
    .await?;
    if let Some(existing) = store::find_by_key(tx, ctx.tenant_id, key).await? {
        if existing.compound_id != input.compound || existing.amount != input.amount {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for a different payout",
            ));
        }
        uow.commit().await?;
        return Ok(existing);
    }
    let free = available(tx, ctx.tenant_id, input.compound).await?;
    if input.amount > free {
        return Err(AppError::bad_input(
            "amount",
            format!("the committee fund has only {free} not held for other payouts"),
        ));
    }
    let payout = store::insert_payout(
        tx,
        ctx.tenant_id,
        NewPayout {
            compound: input.compound,
            destination: &payee,
            amount: input.amount,
            channel: PayoutChannel::BankTransfer,
            purpose: Some(purpose),
            idempotency_key: Some(key.to_owned()),
            requested_by: ctx.user_id(),
            matter: Some(input.matter),
        },
    )
    .await?;
    let detail = json!({ "payout": payout.id, "fen": payout.amount.fen() });
    uow.audit("payouts.propose_bank", "compound", input.compound, detail);
    uow.commit().await?;
    Ok(payout)
}

/// A committee member of the payout's compound approves (the ledger records the transfer) or
/// rejects it with a reason; never the person who proposed it.
#[tracing::instrument(name = "payouts.decide", skip_all)]
pub async fn decide(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
    approve: bool,
    note: Option<String>,
) -> AppResult<Payout> {
    let note = note
        .filter(|n| !n.trim().is_empty())
        .map(|n| text(&n, 500, "note"))
        .transpose()?;
    if !approve && note.is_none() {
        return Err(AppError::bad_input(
            "note",
            "say why the payout is rejected",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    ledger::hold_books(tx, ctx.tenant_id).await?;
    let mut payout = store::find_payout(tx, ctx.tenant_id, id)
        .await?
        .filter(|p| ctx.reach.sees_compound(p.compound_id))
        .ok_or(AppError::NotFound("payout"))?;
    if !ctx.principal.on_committee_of(payout.compound_id) {
        return Err(AppError::forbidden(
            "a payout of the fund is decided by the owners' committee",
        ));
    }
    if payout.requested_by == ctx.user_id() {
        return Err(AppError::refused(
            "PROPOSER",
            "whoever proposed a payout cannot decide it",
        ));
    }
    let status = payout
        .status
        .decided(approve)
        .ok_or_else(|| AppError::conflict("id", "this payout has already been decided"))?;
    if approve {
        // The amount was held back, so the fund covers it unless something else has since
        // been taken from the fund (a waiver it funds, an adjustment).
        let free = available(tx, ctx.tenant_id, payout.compound_id).await?;
        if free < Money::ZERO {
            return Err(AppError::bad_input(
                "id",
                format!(
                    "the committee fund no longer covers this payout (short by {})",
                    free.checked_neg().field("amount")?
                ),
            ));
        }
        let entry = rules::committee_payout(
            payout.compound_id,
            PaymentMethod::BankTransfer,
            payout.amount,
        )
        .field("amount")?;
        ledger::queue(
            &uow,
            vec![NewEntry {
                entry,
                occurred_at: Utc::now(),
                idempotency_key: format!("payout:{}", payout.id),
                memo: payout.purpose.clone().unwrap_or_default(),
                actor: Some(ctx.user_id()),
                reverses: None,
            }],
        );
    }
    payout.status = status;
    payout.decided_by = Some(ctx.user_id());
    payout.decided_at = Some(Utc::now());
    payout.decision_note = note;
    store::save_payout(tx, ctx.tenant_id, &payout).await?;
    let detail = json!({ "payout": payout.id, "approve": approve });
    uow.audit("payouts.decide", "compound", payout.compound_id, detail);
    uow.publish(Event::PayoutSettled {
        payout: payout.id,
        compound: payout.compound_id,
    });
    uow.commit().await?;
    Ok(payout)
}
