//! The committee fund's GraphQL: the committee's payout account and its payouts.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;

use super::service as payouts;
use super::{bank, statement};
use crate::committee_fund::model::Payout;
use crate::online::stripe_in;
use crate::platform::error::FieldExt;
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id, sane_date};
use crate::platform::graphql::{MoneyAmount, mirror_enum};
use crate::tenancy::CompoundObject;

mirror_enum!(
    PayoutStatus,
    domain::online::PayoutStatus {
        Pending,
        Paid,
        Failed,
        Proposed,
        Rejected
    }
);

mirror_enum!(
    PayoutChannel,
    domain::online::PayoutChannel {
        Stripe,
        BankTransfer
    }
);

/// The fund's statement over a span of days; every figure a sum of the fund account's
/// postings, so `opening + shares − payouts − waivers + other = closing`.
#[derive(SimpleObject)]
pub struct CommitteeFundStatement {
    pub compound_id: ID,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: MoneyAmount,
    /// The owners' shares of common-part income, from monthly closes.
    pub shares: MoneyAmount,
    pub payouts: MoneyAmount,
    /// Waivers the fund paid for.
    pub waivers: MoneyAmount,
    /// Adjustments and reversals.
    pub other: MoneyAmount,
    pub closing: MoneyAmount,
}

#[derive(InputObject)]
pub struct BankPayoutInput {
    pub compound_id: ID,
    /// The owners' passed matter that decided the spending: a use of the maintenance fund
    /// (USE_MAINTENANCE_FUND) or another major matter (OTHER), in this compound.
    pub matter_id: ID,
    /// Yuan, greater than zero, at most what the fund holds not held for other payouts.
    pub amount: String,
    /// Who receives it: account holder and account.
    pub payee: String,
    pub purpose: String,
    /// Chosen by the client; proposing again with it returns the first proposal.
    pub idempotency_key: String,
}

#[derive(SimpleObject)]
pub struct CommitteePayout {
    pub id: ID,
    pub compound_id: ID,
    /// The committee's connected account it was sent to.
    pub destination: String,
    pub amount: MoneyAmount,
    pub status: PayoutStatus,
    pub stripe_transfer_id: Option<String>,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub channel: PayoutChannel,
    /// What a bank payout is for.
    pub purpose: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Why the committee rejected it, or its note on approving.
    pub decision_note: Option<String>,
    /// The owners' passed matter a bank payout spends the fund under.
    pub matter_id: Option<ID>,
}

impl From<Payout> for CommitteePayout {
    fn from(p: Payout) -> Self {
        Self {
            id: p.id.into(),
            compound_id: p.compound_id.into(),
            destination: p.destination,
            amount: p.amount.into(),
            status: p.status.into(),
            stripe_transfer_id: p.stripe_transfer_id,
            failure: p.failure,
            created_at: p.created_at,
            channel: p.channel.into(),
            purpose: p.purpose,
            decided_at: p.decided_at,
            decision_note: p.decision_note,
            matter_id: p.matter_id.map(Into::into),
        }
    }
}

#[derive(Default)]
pub struct CommitteeFundQuery;

#[Object]
impl CommitteeFundQuery {
    /// A compound's payouts of its committee fund (accountant, admin, its committee).
    async fn committee_payouts(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<CommitteePayout>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(payouts::payouts_of(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The fund's statement of days `from..=to` (accountant, admin, the compound's committee).
    async fn committee_fund_statement(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        from: NaiveDate,
        to: NaiveDate,
    ) -> GqlResult<CommitteeFundStatement> {
        let compound = parse_id(&compound_id, "compoundId")?;
        let (from, to) = (sane_date(from, "from")?, sane_date(to, "to")?);
        let s = statement::statement(ctx.db(), ctx.session()?, compound, from, to).await?;
        Ok(CommitteeFundStatement {
            compound_id,
            from,
            to,
            opening: s.opening.into(),
            shares: s.shares.into(),
            payouts: s.payouts.into(),
            waivers: s.waivers.into(),
            other: s.other.into(),
            closing: s.closing.into(),
        })
    }
}

#[derive(Default)]
pub struct CommitteeFundMutation;

#[Object]
impl CommitteeFundMutation {
    /// Sets (or with null removes) the committee's Stripe connected account (admin).
    async fn set_committee_stripe_account(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        account_id: Option<String>,
    ) -> GqlResult<CompoundObject> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(CompoundObject(
            payouts::set_committee_account(
                ctx.db(),
                ctx.session()?,
                compound,
                account_id.as_deref(),
            )
            .await?,
        ))
    }

    /// Pays the committee fund (all of it unless `amount` is given) to the committee's
    /// connected account through a Stripe transfer (accountant, admin).
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn pay_committee_fund(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        amount: Option<String>,
    ) -> GqlResult<CommitteePayout> {
        let compound = parse_id(&compound_id, "compoundId")?;
        let amount = amount
            .as_deref()
            .map(|a| Money::parse_positive(a).field("amount"))
            .transpose()?;
        Ok(
            payouts::pay_committee(ctx.db(), ctx.session()?, stripe_in(ctx), compound, amount)
                .await?
                .into(),
        )
    }

    /// Proposes paying from the fund by bank transfer; the committee decides (accountant,
    /// admin).
    async fn propose_committee_bank_payout(
        &self,
        ctx: &Context<'_>,
        input: BankPayoutInput,
    ) -> GqlResult<CommitteePayout> {
        let session = ctx.session()?;
        let input = bank::BankPayoutInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            matter: parse_id(&input.matter_id, "matterId")?,
            amount: Money::parse_positive(&input.amount).field("amount")?,
            payee: input.payee,
            purpose: input.purpose,
            idempotency_key: input.idempotency_key,
        };
        Ok(bank::propose(ctx.db(), session, input).await?.into())
    }

    /// Approves (the transfer is then booked) or rejects, with a reason, a proposed bank
    /// payout (a member of the compound's committee other than the proposer).
    async fn decide_committee_payout(
        &self,
        ctx: &Context<'_>,
        id: ID,
        approve: bool,
        note: Option<String>,
    ) -> GqlResult<CommitteePayout> {
        let id = parse_id(&id, "id")?;
        Ok(bank::decide(ctx.db(), ctx.session()?, id, approve, note)
            .await?
            .into())
    }
}
