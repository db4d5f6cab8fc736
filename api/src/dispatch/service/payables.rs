//! What the firm owes its contractors and paying it: the costs of verified work no payment
//! has settled, and a payment that settles some of them — from the cash box or the bank, one
//! ledger entry per compound whose payable it clears. Paid by those who keep the books; read
//! by them and by the contractor.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::Money;
use domain::ledger::{PaidFrom, rules};
use serde_json::json;
use uuid::Uuid;

use crate::dispatch::model::{Contractor, ContractorCost, ContractorPayment};
use crate::dispatch::store;
use crate::ledger::{self, NewEntry};
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::compounds;

/// The most costs one payment settles.
const MOST_COSTS: usize = 500;

/// A contractor's account with the firm: what is owed, what was paid and what each paid.
pub struct ContractorAccount {
    pub contractor: Contractor,
    /// Costs no payment has settled, oldest first.
    pub unpaid: Vec<ContractorCost>,
    /// Payments, latest first, each with the costs it settled.
    pub payments: Vec<(ContractorPayment, Vec<ContractorCost>)>,
    /// The names of the compounds the costs are in.
    pub compound_names: HashMap<Uuid, String>,
}

impl ContractorAccount {
    /// What the firm still owes them.
    pub fn owed(&self) -> AppResult<Money> {
        Money::sum(self.unpaid.iter().map(|c| c.amount)).field("amount")
    }
}

/// A contractor's account: for the books, in the compounds within their reach; for the
/// contractor themselves, all of it.
#[tracing::instrument(name = "dispatch.contractor_account", skip_all)]
pub async fn account(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<ContractorAccount> {
    let everywhere = Reach::everything();
    let reach = if ctx.principal.can_keep_books() {
        &ctx.reach
    } else if ctx.principal.contractors().contains(&id) {
        &everywhere
    } else {
        return Err(AppError::forbidden(
            "a contractor's account is for the firm's books and the contractor",
        ));
    };
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let contractor = store::find_contractor(&tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("contractor"))?;
    let costs = store::costs_of(&tx, ctx.tenant_id, id).await?;
    let payments = store::payments_of(&tx, ctx.tenant_id, id).await?;
    let ids: Vec<Uuid> = costs
        .iter()
        .map(|c| c.compound_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let compound_names: HashMap<Uuid, String> =
        compounds::find_many(&tx, ctx.tenant_id, reach, &ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
    tx.commit().await?;
    let (unpaid, payments) = settle(costs, payments, |c| compound_names.contains_key(&c));
    Ok(ContractorAccount {
        contractor,
        unpaid,
        payments,
        compound_names,
    })
}

/// The costs in compounds `shown` no payment settled, and each payment with the costs it
/// settled there (a payment that settled none of them is left out).
fn settle(
    costs: Vec<ContractorCost>,
    payments: Vec<ContractorPayment>,
    shown: impl Fn(Uuid) -> bool,
) -> (
    Vec<ContractorCost>,
    Vec<(ContractorPayment, Vec<ContractorCost>)>,
) {
    let mut settled: HashMap<Uuid, Vec<ContractorCost>> = HashMap::new();
    let mut unpaid = Vec::new();
    for c in costs.into_iter().filter(|c| shown(c.compound_id)) {
        match c.paid_by {
            Some(p) => settled.entry(p).or_default().push(c),
            None => unpaid.push(c),
        }
    }
    let payments = payments
        .into_iter()
        .filter_map(|p| settled.remove(&p.id).map(|costs| (p, costs)))
        .collect();
    (unpaid, payments)
}

pub struct PayContractor {
    pub contractor: Uuid,
    pub costs: Vec<Uuid>,
    pub method: PaidFrom,
    /// The transfer's reference or the cash voucher's number.
    pub reference: String,
    pub paid_at: DateTime<Utc>,
    pub idempotency_key: String,
}

/// Checks what needs no database: some costs, each once; a reference; a time not ahead.
fn checked(db: &Db, p: &PayContractor) -> AppResult<(String, String)> {
    if p.costs.is_empty() || p.costs.len() > MOST_COSTS {
        return Err(AppError::bad_input(
            "costIds",
            format!("choose 1 to {MOST_COSTS} costs to pay"),
        ));
    }
    if p.costs.iter().collect::<HashSet<_>>().len() != p.costs.len() {
        return Err(AppError::bad_input("costIds", "a cost is named twice"));
    }
    let reference = p.reference.trim();
    if reference.is_empty() || reference.chars().count() > 64 {
        return Err(AppError::bad_input(
            "reference",
            "must be 1 to 64 characters",
        ));
    }
    if p.paid_at > db.clock().now() + chrono::Duration::days(1) {
        return Err(AppError::bad_input("paidAt", "must not be in the future"));
    }
    domain::sane_date(p.paid_at.date_naive()).field("paidAt")?;
    let key = crate::platform::idempotency::key(&p.idempotency_key)?;
    Ok((reference.to_owned(), key))
}

/// Records a payment to a contractor settling these costs of theirs (all still owed, all in
/// compounds the caller reaches): the payable of each compound cleared from its cash or bank.
/// Sent again with the same key, the same payment is returned and nothing is written.
#[tracing::instrument(name = "dispatch.pay_contractor", skip_all)]
pub async fn pay(db: &Db, ctx: &RequestContext, p: PayContractor) -> AppResult<ContractorPayment> {
    require_books(ctx)?;
    let (reference, key) = checked(db, &p)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let contractor = store::find_contractor(tx, ctx.tenant_id, p.contractor)
        .await?
        .ok_or(AppError::NotFound("contractor"))?;
    if let Some((done, settled)) = store::payment_by_key(tx, ctx.tenant_id, &key).await? {
        let same: HashSet<&Uuid> = p.costs.iter().collect();
        if done.contractor_id != contractor.id || settled.iter().collect::<HashSet<_>>() != same {
            return Err(AppError::conflict(
                "idempotencyKey",
                "already used for a different payment",
            ));
        }
        uow.commit().await?;
        return Ok(done);
    }
    let costs = owed_to(tx, ctx, contractor.id, &p.costs).await?;
    let payment = ContractorPayment {
        id: domain::new_id(),
        contractor_id: contractor.id,
        amount: Money::sum(costs.iter().map(|c| c.amount)).field("costIds")?,
        method: p.method,
        reference,
        paid_at: p.paid_at,
        recorded_by: ctx.user_id(),
        recorded_at: db.clock().now(),
    };
    store::insert_payment(tx, ctx.tenant_id, &payment, &key, &p.costs)
        .await
        .map_err(|e| AppError::unique_or_internal(e, "costIds", PAID_ALREADY))?;
    ledger::queue(&uow, entries(&contractor, &payment, &costs)?);
    uow.audit(
        "contractor.paid",
        "contractor",
        contractor.id,
        json!({ "payment": payment.id, "fen": payment.amount.fen(), "costs": p.costs.len(),
                "method": payment.method.code(), "reference": payment.reference }),
    );
    uow.commit().await?;
    Ok(payment)
}

const PAID_ALREADY: &str = "some of these costs have been paid already";

/// These costs, each the contractor's, in a compound the caller reaches (else not found),
/// and none paid yet (else a conflict).
async fn owed_to(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    contractor: Uuid,
    ids: &[Uuid],
) -> AppResult<Vec<ContractorCost>> {
    let costs = store::costs(tx, ctx.tenant_id, ids).await?;
    let compound_ids: Vec<Uuid> = costs.iter().map(|c| c.compound_id).collect();
    let reached: HashSet<Uuid> = compounds::find_many(tx, ctx.tenant_id, &ctx.reach, &compound_ids)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let theirs =
        |c: &ContractorCost| c.contractor_id == contractor && reached.contains(&c.compound_id);
    if costs.len() != ids.len() || !costs.iter().all(theirs) {
        return Err(AppError::NotFound("cost"));
    }
    if costs.iter().any(|c| c.paid_by.is_some()) {
        return Err(AppError::conflict("costIds", PAID_ALREADY));
    }
    Ok(costs)
}

/// One entry per compound: its payable to the contractor cleared from its cash or bank.
fn entries(
    contractor: &Contractor,
    payment: &ContractorPayment,
    costs: &[ContractorCost],
) -> AppResult<Vec<NewEntry>> {
    let mut by_compound: BTreeMap<Uuid, Vec<&ContractorCost>> = BTreeMap::new();
    for c in costs {
        by_compound.entry(c.compound_id).or_default().push(c);
    }
    by_compound
        .into_iter()
        .map(|(compound, costs)| {
            let amount = Money::sum(costs.iter().map(|c| c.amount)).field("costIds")?;
            Ok(NewEntry {
                entry: rules::contractor_paid(compound, payment.method, amount).field("costIds")?,
                occurred_at: payment.paid_at,
                idempotency_key: format!("contractor-payment:{}:{compound}", payment.id),
                memo: format!(
                    "付{}维修费（工单 {}）· {}",
                    contractor.name,
                    order_numbers(&costs),
                    payment.reference
                ),
                actor: Some(payment.recorded_by),
                reverses: None,
            })
        })
        .collect()
}

/// The orders a memo names: the first twenty, then how many in all (a memo holds 500
/// characters).
fn order_numbers(costs: &[&ContractorCost]) -> String {
    const NAMED: usize = 20;
    let named: Vec<String> = costs
        .iter()
        .take(NAMED)
        .map(|c| format!("No.{}", c.order_number))
        .collect();
    if costs.len() > NAMED {
        format!("{} 等 {} 张", named.join("、"), costs.len())
    } else {
        named.join("、")
    }
}
