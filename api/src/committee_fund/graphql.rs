//! The committee fund's GraphQL: the committee's payout account and its payouts.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::Money;

use super::service as payouts;
use crate::committee_fund::model::Payout;
use crate::online::stripe_in;
use crate::platform::error::FieldExt;
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::{MoneyAmount, mirror_enum};
use crate::tenancy::CompoundObject;

mirror_enum!(
    PayoutStatus,
    domain::online::PayoutStatus {
        Pending,
        Paid,
        Failed
    }
);

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
}
