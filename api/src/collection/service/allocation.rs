//! What households owe, and payments planned against it: the named invoice first, else the
//! oldest open invoices, anything left held as credit.

use std::collections::HashMap;

use domain::Money;
use domain::ledger::rules;
use serde_json::json;
use uuid::Uuid;

use crate::billing::{self, Invoice};
use crate::collection::model::{Allocation, NewPayment, Payment};
use crate::collection::store as payments;
use crate::ledger::NewEntry;
use crate::platform::UnitOfWork;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;

/// A payment planned or written but not yet booked: the caller appends `entry` as its
/// transaction's last write, so the firm's ledger lock is held only from there to the
/// commit.
#[must_use = "the payment's ledger entry must be appended"]
pub(crate) struct Unbooked {
    pub payment: Payment,
    pub allocations: Vec<Allocation>,
    pub entry: NewEntry,
}

/// Payments to several households planned one by one, then written together: each is
/// allocated to what its household still owed after the ones planned before it. The caller
/// holds the households' locks from [`Collection::owed_by`] until it commits.
pub(crate) struct Collection {
    open: HashMap<Uuid, Vec<(Invoice, Money)>>,
    planned: Vec<Unbooked>,
}

impl Collection {
    /// Reads what these households owe (one statement).
    pub async fn owed_by(
        tx: &sea_orm::DatabaseTransaction,
        tenant: Uuid,
        households: &[Uuid],
    ) -> AppResult<Self> {
        Ok(Self {
            open: open_invoices_of(tx, tenant, households).await?,
            planned: Vec::new(),
        })
    }

    /// Whether `household` still owes anything on `invoice`.
    pub fn owes_on(&self, household: Uuid, invoice: Uuid) -> bool {
        self.open
            .get(&household)
            .is_some_and(|open| open.iter().any(|(i, _)| i.id == invoice))
    }

    /// What `household` still owes, after the payments planned so far.
    pub fn owed(&self, household: Uuid) -> AppResult<Money> {
        let open = self.open.get(&household).map_or(&[][..], Vec::as_slice);
        Money::sum(open.iter().map(|(_, owed)| *owed)).field("amount")
    }

    /// Plans payment `r`: allocated to its household's open invoices (`first` in that order,
    /// then the oldest), anything left held as credit. Returns the payment's id; an error
    /// for a household [`Collection::owed_by`] did not read.
    pub fn plan(&mut self, r: NewPayment, first: &[Uuid]) -> AppResult<Uuid> {
        let open = self.open.get_mut(&r.household).ok_or_else(|| {
            AppError::Internal("a payment planned for a household whose debts were not read".into())
        })?;
        // The named invoices in the order named, then the rest oldest first (the order
        // `open` keeps for the next payment).
        let mut order: Vec<usize> = (0..open.len()).collect();
        order.sort_by_key(|&n| {
            let named = first.iter().position(|id| *id == open[n].0.id);
            named.unwrap_or(first.len())
        });
        let payment = r.into_payment();
        let id = payment.id;
        let mut left = payment.amount;
        let mut allocations = Vec::new();
        for n in order {
            if left.is_zero() {
                break;
            }
            let (invoice, outstanding) = &mut open[n];
            let part = left.min(*outstanding);
            allocations.push(Allocation {
                payment: payment.id,
                invoice: Some(invoice.id),
                amount: part,
            });
            left = left.checked_sub(part).field("amount")?;
            *outstanding = outstanding.checked_sub(part).field("amount")?;
        }
        open.retain(|(_, owed)| owed.is_positive());
        if left.is_positive() {
            allocations.push(Allocation {
                payment: payment.id,
                invoice: None,
                amount: left,
            });
        }
        let entry = rules::payment_received(
            payment.compound_id,
            payment.household_id,
            payment.method,
            payment.amount,
        )
        .field("amount")?;
        self.planned.push(Unbooked {
            entry: NewEntry {
                entry,
                occurred_at: payment.received_at,
                idempotency_key: format!("payment:{}", payment.id),
                memo: format!("收款 收据号 {}", payment.receipt_no),
                actor: Some(payment.recorded_by),
                reverses: None,
            },
            payment,
            allocations,
        });
        Ok(id)
    }

    /// Writes the planned payments and their allocations (a statement each), queues their
    /// audit records and events; returns them, in the order planned, for the caller to
    /// queue their entries.
    pub async fn write(self, uow: &UnitOfWork) -> AppResult<Vec<Unbooked>> {
        let (tx, tenant) = (uow.tx(), uow.tenant());
        let planned = self.planned;
        payments::insert(tx, tenant, planned.iter().map(|u| &u.payment)).await?;
        let allocations: Vec<Allocation> = planned
            .iter()
            .flat_map(|u| u.allocations.iter().copied())
            .collect();
        payments::allocate(tx, tenant, &allocations).await?;
        for Unbooked { payment: p, .. } in &planned {
            let detail = json!({ "fen": p.amount.fen(), "receipt": p.receipt_no, "method": p.method.code() });
            uow.audit_by(
                Some(p.recorded_by),
                "payment.record",
                "payment",
                p.id,
                detail,
            );
            uow.publish(Event::PaymentRecorded {
                payment: p.id,
                household: p.household_id,
                amount: p.amount,
            });
        }
        Ok(planned)
    }
}

/// What is still owed on an invoice: due, less payments and credit notes.
pub(super) fn still_owed(
    due: Money,
    paid: Money,
    credited: Money,
) -> Result<Money, domain::MoneyError> {
    due.checked_sub(paid)?.checked_sub(credited)
}

/// [`still_owed`] with what was paid and credited looked up by invoice.
pub(super) fn owed(
    i: &Invoice,
    paid: &HashMap<Uuid, Money>,
    credited: &HashMap<Uuid, Money>,
) -> Result<Money, domain::MoneyError> {
    let get = |m: &HashMap<Uuid, Money>| m.get(&i.id).copied().unwrap_or(Money::ZERO);
    still_owed(i.due, get(paid), get(credited))
}

/// Open invoices of a household, oldest period first, with what is still owed on each.
pub(crate) async fn open_invoices(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    household: Uuid,
) -> AppResult<Vec<(Invoice, Money)>> {
    Ok(open_invoices_of(tx, tenant, &[household])
        .await?
        .remove(&household)
        .unwrap_or_default())
}

/// [`open_invoices`] of each of these households (every one of them a key), in one
/// statement.
pub(super) async fn open_invoices_of(
    tx: &sea_orm::DatabaseTransaction,
    tenant: Uuid,
    households: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<(Invoice, Money)>>> {
    let mut invoices = billing::invoices_with_settled(tx, tenant, households).await?;
    invoices.sort_by_key(|(i, _, _)| (i.period, i.number));
    // Every household asked for has an entry, owing nothing if it has no open invoice.
    let mut out: HashMap<Uuid, Vec<(Invoice, Money)>> =
        households.iter().map(|h| (*h, Vec::new())).collect();
    for (i, paid, credited) in invoices {
        let owed = still_owed(i.due, paid, credited).field("amount")?;
        if owed.is_positive() {
            out.entry(i.household_id).or_default().push((i, owed));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use domain::billing::BillingPeriod;
    use domain::ledger::PaymentMethod;

    fn invoice(household: Uuid, period: &str, number: i64) -> Invoice {
        Invoice {
            id: domain::new_id(),
            number,
            household_id: household,
            compound_id: Uuid::nil(),
            period: BillingPeriod::parse(period).unwrap_or_else(|e| panic!("{e}")),
            days_billed: 30,
            gross: Money::from_fen(5_000),
            waived: Money::ZERO,
            due: Money::from_fen(5_000),
            waiver_funding: None,
            waiver_grant_id: None,
            issued_at: Utc::now(),
        }
    }

    fn paid(household: Uuid, fen: i64) -> NewPayment {
        NewPayment {
            household,
            compound: Uuid::nil(),
            amount: Money::from_fen(fen),
            method: PaymentMethod::Online,
            receipt_no: "r".into(),
            received_at: Utc::now(),
            recorded_by: Uuid::nil(),
            idempotency_key: domain::new_id().to_string(),
            payer: None,
        }
    }

    /// Each planned payment's allocations, as (invoice, fen).
    fn split(c: &Collection) -> Vec<Vec<(Option<Uuid>, i64)>> {
        c.planned
            .iter()
            .map(|u| {
                u.allocations
                    .iter()
                    .map(|a| (a.invoice, a.amount.fen()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn payments_planned_together_each_see_what_the_ones_before_left_owing() {
        let (home, other) = (domain::new_id(), domain::new_id());
        let (oct, nov) = (invoice(home, "2026-10", 1), invoice(home, "2026-11", 2));
        let theirs = invoice(other, "2026-11", 3);
        let mut c = Collection {
            open: HashMap::from([
                (
                    home,
                    vec![
                        (oct.clone(), Money::from_fen(1_000)),
                        (nov.clone(), Money::from_fen(2_000)),
                    ],
                ),
                (other, vec![(theirs.clone(), Money::from_fen(500))]),
            ]),
            planned: Vec::new(),
        };
        // November named first, then the oldest; then what is left; then a payment with
        // nothing left to pay is held as credit. Another household's debt is its own.
        for (who, fen, first) in [
            (home, 1_500, vec![nov.id]),
            (home, 1_500, vec![]),
            (home, 700, vec![]),
            (other, 800, vec![]),
        ] {
            c.plan(paid(who, fen), &first)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            split(&c),
            [
                vec![(Some(nov.id), 1_500)],
                vec![(Some(oct.id), 1_000), (Some(nov.id), 500)],
                vec![(None, 700)],
                vec![(Some(theirs.id), 500), (None, 300)],
            ]
        );
        assert!(!c.owes_on(home, nov.id) && !c.owes_on(other, theirs.id));
        for u in &c.planned {
            let allocated = Money::sum(u.allocations.iter().map(|a| a.amount));
            assert_eq!(allocated.ok(), Some(u.payment.amount));
            assert_eq!(u.entry.idempotency_key, format!("payment:{}", u.payment.id));
        }
    }

    #[test]
    fn a_named_invoice_still_owing_is_found_and_a_paid_one_is_not() {
        let home = domain::new_id();
        let nov = invoice(home, "2026-11", 1);
        let mut c = Collection {
            open: HashMap::from([(home, vec![(nov.clone(), Money::from_fen(300))])]),
            planned: Vec::new(),
        };
        assert!(c.owes_on(home, nov.id));
        assert!(!c.owes_on(domain::new_id(), nov.id));
        // A household whose debts were not read is refused, not treated as owing nothing.
        assert!(c.plan(paid(domain::new_id(), 100), &[]).is_err());
        c.plan(paid(home, 299), &[nov.id])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(c.owes_on(home, nov.id));
        c.plan(paid(home, 1), &[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.owes_on(home, nov.id));
    }
}
