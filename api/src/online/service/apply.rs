//! Applying what Stripe reports (webhooks and reconciliation alike) in one transaction with
//! the event's record: attempts succeed, fail, are cancelled or disputed; refunds settle.

use chrono::{DateTime, Utc};
use domain::Money;
use domain::ledger::{PaymentMethod, rules};
use domain::online::{AttemptEvent, Move, RefundStatus};
use serde_json::json;
use uuid::Uuid;

use crate::billing;
use crate::collection::{self, Allocation, NewPayment};
use crate::collection::{Collection, credit_in};
use crate::ledger::{self as ledger_store, NewEntry};
use crate::online::model::{Attempt, NewEvent, NewRefund, Refund};
use crate::online::store;
use crate::online::stripe::event::{Event, What};
use crate::platform::UnitOfWork;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::tenancy::households;

pub(super) fn apply(a: &mut Attempt, e: AttemptEvent) -> bool {
    match a.status.on(e) {
        Move::To(next) => {
            a.status = next;
            true
        }
        Move::Unchanged => false,
    }
}

pub(super) fn settled(status: &str) -> Option<bool> {
    match status {
        "succeeded" => Some(true),
        "failed" | "canceled" => Some(false),
        _ => None,
    }
}

/// What of an attempt's payment is left once the refunds that `count` are taken off.
pub(super) async fn unrefunded(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    attempt: &Attempt,
    count: impl Fn(&Refund) -> bool,
) -> AppResult<Money> {
    let taken = Money::sum(
        store::refunds_of_attempts(tx, tenant, &[attempt.id])
            .await?
            .iter()
            .filter(|r| count(r))
            .map(|r| r.amount),
    )
    .field("amount")?;
    attempt.amount.checked_sub(taken).field("amount")
}

/// The tenant an event belongs to: the link we stored when creating its object wins over
/// metadata (metadata can only confirm it).
pub(super) async fn tenant_of(db: &Db, e: &Event) -> AppResult<Option<Uuid>> {
    // Platform tables, read outside any transaction: one statement in the common case.
    let conn = db.connection();
    let object = e.object_id.as_deref();
    let intent = intent_of(&e.what).filter(|i| Some(*i) != object);
    for object in [object, intent].into_iter().flatten() {
        if let Some(t) = store::tenant_of(conn, object).await? {
            return Ok(Some(t));
        }
    }
    // Metadata names a tenant only if it is one of ours.
    Ok(match e.tenant {
        Some(t) => crate::tenancy::tenants::find(conn, t).await?.map(|_| t),
        None => None,
    })
}

pub(super) fn intent_of(w: &What) -> Option<&str> {
    match w {
        What::IntentSucceeded { intent, .. }
        | What::IntentFailed { intent, .. }
        | What::IntentCanceled { intent, .. } => Some(intent),
        What::RefundSettled { intent, .. } | What::Disputed { intent } => intent.as_deref(),
        What::Other => None,
    }
}

/// Applies an event in one transaction with its record (`record_id`: the event's id, or a
/// reconciliation id). `received_at` dates the payment (now, for webhooks).
pub(super) async fn apply_event(
    db: &Db,
    e: &Event,
    record_id: &str,
    received_at: Option<DateTime<Utc>>,
) -> AppResult<&'static str> {
    let record = |tenant, outcome, detail| event_record(e, record_id, tenant, outcome, detail);
    let Some(tenant) = tenant_of(db, e).await? else {
        let tx = db.begin_global().await?;
        let fresh = store::record_event(&tx, record(None, "ignored_unknown_tenant", None)).await?;
        tx.commit().await?;
        return Ok(if fresh {
            "ignored_unknown_tenant"
        } else {
            "duplicate"
        });
    };
    let uow = UnitOfWork::begin_for(db, tenant, None).await?;
    let at = received_at.unwrap_or_else(Utc::now);
    let (outcome, detail) = effect(&uow, e, at).await?;
    // Deliveries of one event race to this unique id; every one but the first rolls back
    // (by then the attempt's or refund's lock has made its effect a no-op anyway).
    if !store::record_event(uow.tx(), record(Some(tenant), outcome, detail)).await? {
        uow.rollback().await?;
        return Ok("duplicate");
    }
    crate::platform::crash_point("webhook-before-commit");
    uow.commit().await?;
    Ok(outcome)
}

/// The record of event `e` under `id` (Stripe's event id, or a reconciliation id).
pub(super) fn event_record<'a>(
    e: &'a Event,
    id: &'a str,
    tenant: Option<Uuid>,
    outcome: &'a str,
    detail: Option<String>,
) -> NewEvent<'a> {
    NewEvent {
        id,
        event_type: &e.kind,
        object_id: e.object_id.as_deref(),
        tenant,
        outcome,
        detail,
        stripe_created: e.created,
    }
}

pub(super) async fn find_attempt(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    id: Option<Uuid>,
    intent: Option<&str>,
) -> AppResult<Option<Attempt>> {
    if let Some(id) = id
        && let Some(a) = store::lock_attempt(tx, tenant, id).await?
    {
        return Ok(Some(a));
    }
    match intent {
        Some(intent) => match store::find_attempt_by_intent(tx, tenant, intent).await? {
            Some(a) => Ok(store::lock_attempt(tx, tenant, a.id).await?),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// What event `e` does, in the caller's unit of work (whose ledger entries come last).
pub(super) async fn effect(
    uow: &UnitOfWork,
    e: &Event,
    at: DateTime<Utc>,
) -> AppResult<(&'static str, Option<String>)> {
    let (tx, tenant) = (uow.tx(), uow.tenant());
    let unknown = Ok(("ignored_unknown_object", None));
    match &e.what {
        What::IntentSucceeded {
            intent, attempt, ..
        } => {
            let Some(mut a) = find_attempt(tx, tenant, *attempt, Some(intent)).await? else {
                return unknown;
            };
            households::lock(tx, tenant, &[a.household_id]).await?;
            let mut successes = Successes::owed_by(tx, tenant, &[a.household_id]).await?;
            let outcome = successes.succeeded(&mut a, e, at)?;
            successes.write(uow).await?;
            Ok(outcome)
        }
        What::IntentFailed {
            intent,
            attempt,
            message,
        } => {
            let Some(mut a) = find_attempt(tx, tenant, *attempt, Some(intent)).await? else {
                return unknown;
            };
            if apply(&mut a, AttemptEvent::Failed) {
                a.failure = Some(message.chars().take(500).collect());
                store::save_attempt(tx, tenant, &a).await?;
                return Ok(("applied", None));
            }
            Ok(("unchanged", None))
        }
        What::IntentCanceled { intent, attempt } => {
            let Some(mut a) = find_attempt(tx, tenant, *attempt, Some(intent)).await? else {
                return unknown;
            };
            let changed = apply(&mut a, AttemptEvent::Canceled);
            if changed {
                store::save_attempt(tx, tenant, &a).await?;
            }
            Ok((if changed { "applied" } else { "unchanged" }, None))
        }
        What::RefundSettled {
            refund,
            intent,
            ours,
            amount,
            succeeded,
        } => {
            let found = match ours {
                Some(id) => store::lock_refund(tx, tenant, *id).await?,
                None => store::find_refund_by_stripe_id(tx, tenant, refund).await?,
            };
            let mut r = match found {
                Some(r) => r,
                None => {
                    // Made in Stripe's dashboard: recorded as such, and the household's debt
                    // comes back (no credit note: an accountant decides on that).
                    let Some(a) = find_attempt(tx, tenant, None, intent.as_deref()).await? else {
                        return unknown;
                    };
                    store::insert_refund(
                        tx,
                        tenant,
                        &a,
                        NewRefund {
                            payment: a.payment_id.unwrap_or_default(),
                            amount: Money::from_fen(*amount),
                            reason: "在 Stripe 后台退款 refunded in Stripe's dashboard".to_owned(),
                            requested_by: None,
                            stripe_refund_id: Some(refund.clone()),
                        },
                    )
                    .await?
                }
            };
            if r.stripe_refund_id.is_none() {
                r.stripe_refund_id = Some(refund.clone());
            }
            let changed = settle_refund(uow, &mut r, *succeeded).await?;
            store::save_refund(tx, tenant, &r).await?;
            Ok((if changed { "applied" } else { "unchanged" }, None))
        }
        What::Disputed { intent } => {
            let Some(mut a) = find_attempt(tx, tenant, None, intent.as_deref()).await? else {
                return unknown;
            };
            let changed = apply(&mut a, AttemptEvent::Disputed);
            if changed {
                store::save_attempt(tx, tenant, &a).await?;
            }
            Ok((if changed { "applied" } else { "unchanged" }, None))
        }
        What::Other => Ok(("ignored_type", None)),
    }
}

/// The money of succeeded attempts, recorded under the attempts' and their households'
/// locks (which the caller holds to its commit), written together by [`Successes::write`].
pub(super) struct Successes {
    payments: Collection,
    paid: Vec<Attempt>,
}

impl Successes {
    /// Reads what these households owe.
    pub(super) async fn owed_by(
        tx: &sea_orm::DatabaseTransaction,
        tenant: Uuid,
        households: &[Uuid],
    ) -> AppResult<Self> {
        Ok(Self {
            payments: Collection::owed_by(tx, tenant, households).await?,
            paid: Vec::new(),
        })
    }

    /// What a `payment_intent.succeeded` event does to its attempt: the money is received
    /// once, if it is what the attempt asked for (`applied` then, and only then).
    pub(super) fn succeeded(
        &mut self,
        a: &mut Attempt,
        e: &Event,
        at: DateTime<Utc>,
    ) -> AppResult<(&'static str, Option<String>)> {
        let What::IntentSucceeded {
            intent,
            amount_received,
            currency,
            ..
        } = &e.what
        else {
            return Err(AppError::Internal("not a succeeded payment".into()));
        };
        if !currency.eq_ignore_ascii_case("cny") || *amount_received != a.amount.fen() {
            tracing::warn!(attempt = %a.id, amount_received, "online payment amount differs");
            return Ok((
                "amount_mismatch",
                Some(format!(
                    "received {amount_received} {currency}, expected {} cny",
                    a.amount.fen()
                )),
            ));
        }
        if a.intent_id.is_none() {
            a.intent_id = Some(intent.clone());
        }
        let changed = self.receive(a, at)?;
        Ok((if changed { "applied" } else { "unchanged" }, None))
    }

    /// Records the money of a succeeded attempt once: the payment (processor clearing ←
    /// household receivable), allocated to the attempt's invoices first, with its receipt.
    pub(super) fn receive(&mut self, a: &mut Attempt, at: DateTime<Utc>) -> AppResult<bool> {
        if a.payment_id.is_some() {
            return Ok(false);
        }
        let intent = a
            .intent_id
            .clone()
            .ok_or_else(|| AppError::Internal("a paid attempt has no PaymentIntent".into()))?;
        // The payment and the attempt's link to it are written together, so an attempt
        // without a payment has none under this key (and the key is unique should that ever
        // break).
        let payment = self.payments.plan(
            NewPayment {
                household: a.household_id,
                compound: a.compound_id,
                amount: a.amount,
                method: PaymentMethod::Online,
                receipt_no: intent.chars().take(64).collect(),
                received_at: at,
                recorded_by: a.started_by,
                idempotency_key: format!("stripe:{intent}"),
                payer: None,
            },
            &a.invoices,
        )?;
        a.payment_id = Some(payment);
        apply(a, AttemptEvent::Succeeded);
        self.paid.push(a.clone());
        Ok(true)
    }

    /// Writes the payments received and their attempts, queues their ledger entries and
    /// publishes each success.
    pub(super) async fn write(self, uow: &UnitOfWork) -> AppResult<()> {
        let (tx, tenant) = (uow.tx(), uow.tenant());
        let recorded = self.payments.write(uow).await?;
        store::save_attempts(tx, tenant, &self.paid).await?;
        crate::ledger::queue(uow, recorded.into_iter().map(|u| u.entry).collect());
        for a in &self.paid {
            uow.publish(domain::Event::OnlinePaymentSucceeded {
                attempt: a.id,
                household: a.household_id,
            });
        }
        Ok(())
    }
}

/// Settles a refund once. On success: the money Stripe returned comes off the payment's
/// allocations (held credit first, then the newest invoices), the ledger records it
/// (household receivable ← processor clearing) and, for a refund asked through Courtyard,
/// a credit note with its reason clears what the household would otherwise owe again.
pub(super) async fn settle_refund(
    uow: &UnitOfWork,
    r: &mut Refund,
    succeeded: bool,
) -> AppResult<bool> {
    let Move::To(next) = r.status.settle(succeeded) else {
        return Ok(false);
    };
    r.status = next;
    if !succeeded {
        return Ok(true);
    }
    let (tx, tenant) = (uow.tx(), uow.tenant());
    let mut a = paid_attempt(uow, r.attempt_id).await?;
    let payment = a
        .payment_id
        .ok_or_else(|| AppError::Internal("a paid attempt has no payment".into()))?;
    r.payment_id = payment;
    let allocated = collection::allocations_of_payments(tx, tenant, &[payment]).await?;
    let undo = take_back(payment, r.amount, &a.invoices, &allocated)?;
    collection::allocate(tx, tenant, &undo).await?;
    book_refund(uow, r, &a).await?;
    if let Some(approver) = r.requested_by {
        credit_back(uow, r, approver, &undo).await?;
    }
    // This refund counts as settled before it is saved.
    let settling = r.id;
    let left_to_refund = unrefunded(tx, tenant, &a, |x| {
        x.id == settling || x.status == RefundStatus::Succeeded
    })
    .await?;
    apply(
        &mut a,
        AttemptEvent::Refunded {
            fully: left_to_refund.is_zero(),
        },
    );
    store::save_attempt(tx, tenant, &a).await?;
    uow.audit_by(
        r.requested_by,
        "online.refund_settled",
        "payment",
        payment,
        json!({ "fen": r.amount.fen(), "refund": r.id }),
    );
    Ok(true)
}

/// The refunded attempt, locked with its household; its money received first if that report
/// has not arrived yet (a refund proves the charge succeeded).
async fn paid_attempt(uow: &UnitOfWork, attempt: Uuid) -> AppResult<Attempt> {
    let (tx, tenant) = (uow.tx(), uow.tenant());
    let mut a = store::lock_attempt(tx, tenant, attempt)
        .await?
        .ok_or(AppError::NotFound("payment attempt"))?;
    households::lock(tx, tenant, &[a.household_id]).await?;
    if !a.status.money_received() {
        let mut successes = Successes::owed_by(tx, tenant, &[a.household_id]).await?;
        successes.receive(&mut a, Utc::now())?;
        successes.write(uow).await?;
    }
    Ok(a)
}

/// The allocations that take `amount` back off a payment: from its held credit first, then
/// from the invoices it paid, newest first.
fn take_back(
    payment: Uuid,
    amount: Money,
    invoices: &[Uuid],
    allocated: &[Allocation],
) -> AppResult<Vec<Allocation>> {
    let mut net: Vec<(Option<Uuid>, Money)> = Vec::new();
    for al in allocated {
        match net.iter_mut().find(|(i, _)| *i == al.invoice) {
            Some((_, m)) => *m = m.checked_add(al.amount).field("amount")?,
            None => net.push((al.invoice, al.amount)),
        }
    }
    let order: Vec<Option<Uuid>> = std::iter::once(None)
        .chain(invoices.iter().rev().copied().map(Some))
        .chain(net.iter().map(|(i, _)| *i))
        .collect();
    let mut left = amount;
    let mut undo = Vec::new();
    for target in order {
        if left.is_zero() {
            break;
        }
        if let Some((_, have)) = net.iter_mut().find(|(i, _)| *i == target)
            && have.is_positive()
        {
            let part = left.min(*have);
            *have = have.checked_sub(part).field("amount")?;
            left = left.checked_sub(part).field("amount")?;
            undo.push(Allocation {
                payment,
                invoice: target,
                amount: Money::from_fen(-part.fen()),
            });
        }
    }
    Ok(undo)
}

/// The refund's ledger entry, reversing (in part) the payment's.
async fn book_refund(uow: &UnitOfWork, r: &Refund, a: &Attempt) -> AppResult<()> {
    let entry = rules::refund(
        a.compound_id,
        a.household_id,
        PaymentMethod::Online,
        r.amount,
    )
    .field("amount")?;
    let key = format!("payment:{}", r.payment_id);
    let payment_entry = ledger_store::find_entry_by_key(uow.tx(), uow.tenant(), &key).await?;
    let memo = format!(
        "在线退款 {}：{}",
        r.stripe_refund_id.as_deref().unwrap_or(""),
        r.reason
    );
    crate::ledger::queue(
        uow,
        vec![NewEntry {
            entry,
            occurred_at: Utc::now(),
            idempotency_key: format!("refund:{}", r.id),
            memo,
            actor: r.requested_by,
            reverses: payment_entry.map(|e| e.id),
        }],
    );
    Ok(())
}

/// Credit notes, with the refund's reason, for what the refund took back off invoices: the
/// household does not owe that money again.
async fn credit_back(
    uow: &UnitOfWork,
    r: &Refund,
    approver: Uuid,
    undo: &[Allocation],
) -> AppResult<()> {
    for u in undo {
        let Some(invoice) = u.invoice else { continue };
        let inv = billing::find_invoice(uow.tx(), uow.tenant(), invoice)
            .await?
            .ok_or(AppError::NotFound("invoice"))?;
        let amount = Money::from_fen(-u.amount.fen());
        let reason = format!("在线退款 online refund: {}", r.reason);
        credit_in(uow, &inv, amount, reason, approver).await?;
    }
    Ok(())
}
