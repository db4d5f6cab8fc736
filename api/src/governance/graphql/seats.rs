//! A compound's committee: its members' seats and terms.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;

use super::enums::{CommitteeBody, CommitteePost};
use crate::governance::model::Seat;
use crate::governance::service::{self, SeatInput};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id, sane_date};

/// One member's seat for one term.
#[derive(SimpleObject)]
pub struct CommitteeSeat {
    pub id: ID,
    pub compound_id: ID,
    pub body: CommitteeBody,
    pub name: String,
    pub post: CommitteePost,
    /// Shown on the compound's public board.
    pub phone: Option<String>,
    /// Their sign-in, which holds the committee role for the term.
    pub user_id: Option<ID>,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    /// Set when the term ended early.
    pub ended_on: Option<NaiveDate>,
    /// The seat's last day (its term's, or the early end's).
    pub last_day: NaiveDate,
}

impl From<Seat> for CommitteeSeat {
    fn from(s: Seat) -> Self {
        Self {
            id: s.id.into(),
            compound_id: s.compound_id.into(),
            body: s.body.into(),
            last_day: s.last_day(),
            name: s.name,
            post: s.post.into(),
            phone: s.phone,
            user_id: s.user_id.map(Into::into),
            term_from: s.term_from,
            term_to: s.term_to,
            ended_on: s.ended_on,
        }
    }
}

#[derive(InputObject)]
pub struct CommitteeSeatInput {
    pub compound_id: ID,
    pub body: CommitteeBody,
    pub name: String,
    pub post: CommitteePost,
    pub phone: Option<String>,
    /// A user of the firm (often the owner's resident sign-in), to hold the committee role.
    pub user_id: Option<ID>,
    pub term_from: NaiveDate,
    /// At most five years after `termFrom`.
    pub term_to: NaiveDate,
}

#[derive(Default)]
pub struct CommitteeQuery;

#[Object]
impl CommitteeQuery {
    /// The compound's committee seats, current and past (anyone who sees the compound).
    async fn committee(&self, ctx: &Context<'_>, compound_id: ID) -> GqlResult<Vec<CommitteeSeat>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(service::seats_of(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[derive(Default)]
pub struct CommitteeMutation;

#[Object]
impl CommitteeMutation {
    /// Records a member's seat from the election's result (the firm's administrator).
    async fn appoint_committee_member(
        &self,
        ctx: &Context<'_>,
        input: CommitteeSeatInput,
    ) -> GqlResult<CommitteeSeat> {
        let input = SeatInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            body: input.body.into(),
            name: input.name,
            post: input.post.into(),
            phone: input.phone,
            user: input.user_id.map(|u| parse_id(&u, "userId")).transpose()?,
            term_from: sane_date(input.term_from, "termFrom")?,
            term_to: sane_date(input.term_to, "termTo")?,
        };
        Ok(service::appoint(ctx.db(), ctx.session()?, input)
            .await?
            .into())
    }

    /// Ends a member's term early, `on` being its last day (the firm's administrator).
    async fn end_committee_term(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: NaiveDate,
    ) -> GqlResult<CommitteeSeat> {
        let id = parse_id(&id, "id")?;
        let on = sane_date(on, "on")?;
        Ok(service::end_term(ctx.db(), ctx.session()?, id, on)
            .await?
            .into())
    }
}
