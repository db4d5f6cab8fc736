//! What the firm owes its contractors and paying them (for those who keep the books; a
//! contractor reads their own account).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::dispatch::model::{ContractorCost as Cost, ContractorPayment as Payment};
use crate::dispatch::service::{self as dispatch, ContractorAccount as Account, PayContractor};
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::{GqlResult, MoneyAmount, mirror_enum};

mirror_enum!(
    /// How staff paid money out: from the cash box or by bank transfer.
    PaidFrom,
    domain::ledger::PaidFrom { Cash, BankTransfer }
);

/// What the firm owes a contractor for one verified round of an order.
#[derive(SimpleObject)]
pub struct ContractorCost {
    pub id: ID,
    pub order_id: ID,
    pub order_number: u64,
    /// How many times the order had been reopened when this round was verified.
    pub round: i32,
    pub compound_id: ID,
    pub compound_name: String,
    pub amount: MoneyAmount,
    pub verified_at: DateTime<Utc>,
}

/// A payment to a contractor and the costs it settled.
#[derive(SimpleObject)]
pub struct ContractorPayment {
    pub id: ID,
    pub amount: MoneyAmount,
    pub method: PaidFrom,
    /// The transfer's reference or the cash voucher's number.
    pub reference: String,
    pub paid_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub costs: Vec<ContractorCost>,
}

/// A contractor's account with the firm, in the compounds the caller reaches.
#[derive(SimpleObject)]
pub struct ContractorAccount {
    /// The contractor's id.
    pub id: ID,
    pub name: String,
    /// What the firm still owes them: the sum of `unpaid`.
    pub owed: MoneyAmount,
    /// Verified work not yet paid for, oldest first.
    pub unpaid: Vec<ContractorCost>,
    /// Payments, latest first.
    pub payments: Vec<ContractorPayment>,
}

impl ContractorAccount {
    fn new(a: Account) -> GqlResult<Self> {
        let owed = a.owed()?;
        let Account {
            contractor,
            unpaid,
            payments,
            compound_names,
        } = a;
        let cost = |c: Cost| ContractorCost {
            id: c.id.into(),
            order_id: c.order_id.into(),
            order_number: c.order_number,
            round: c.round,
            compound_id: c.compound_id.into(),
            compound_name: compound_names
                .get(&c.compound_id)
                .cloned()
                .unwrap_or_default(),
            amount: c.amount.into(),
            verified_at: c.verified_at,
        };
        let payment = |(p, costs): (Payment, Vec<Cost>)| ContractorPayment {
            id: p.id.into(),
            amount: p.amount.into(),
            method: p.method.into(),
            reference: p.reference,
            paid_at: p.paid_at,
            recorded_at: p.recorded_at,
            costs: costs.into_iter().map(cost).collect(),
        };
        Ok(Self {
            id: contractor.id.into(),
            name: contractor.name,
            owed: owed.into(),
            unpaid: unpaid.into_iter().map(cost).collect(),
            payments: payments.into_iter().map(payment).collect(),
        })
    }
}

#[derive(InputObject)]
pub struct PayContractorInput {
    pub contractor_id: ID,
    /// The costs this payment settles (from `contractorAccount.unpaid`), 1 to 500.
    pub cost_ids: Vec<ID>,
    pub method: PaidFrom,
    /// The transfer's reference or the cash voucher's number, 1 to 64 characters.
    pub reference: String,
    pub paid_at: DateTime<Utc>,
    /// Sent again with the same key, the payment is recorded once.
    pub idempotency_key: String,
}

#[derive(Default)]
pub struct PayablesQuery;

#[Object]
impl PayablesQuery {
    /// What the firm owes a contractor and what it paid them (the accountant, the
    /// administrator, and the contractor themselves).
    async fn contractor_account(
        &self,
        ctx: &Context<'_>,
        contractor_id: ID,
    ) -> GqlResult<ContractorAccount> {
        let id = parse_id(&contractor_id, "contractorId")?;
        ContractorAccount::new(dispatch::contractor_account(ctx.db(), ctx.session()?, id).await?)
    }
}

#[derive(Default)]
pub struct PayablesMutation;

#[Object]
impl PayablesMutation {
    /// Records a payment to a contractor settling these costs of theirs; returns their account
    /// after it.
    async fn pay_contractor(
        &self,
        ctx: &Context<'_>,
        input: PayContractorInput,
    ) -> GqlResult<ContractorAccount> {
        let contractor = parse_id(&input.contractor_id, "contractorId")?;
        let costs = input
            .cost_ids
            .iter()
            .map(|c| parse_id(c, "costIds"))
            .collect::<Result<Vec<_>, _>>()?;
        let session = ctx.session()?;
        let pay = PayContractor {
            contractor,
            costs,
            method: input.method.into(),
            reference: input.reference,
            paid_at: input.paid_at,
            idempotency_key: input.idempotency_key,
        };
        dispatch::pay_contractor(ctx.db(), session, pay).await?;
        ContractorAccount::new(dispatch::contractor_account(ctx.db(), session, contractor).await?)
    }
}
