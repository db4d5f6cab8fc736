//! Matters, their rolls, ballots and results — the result certificate is a matter read whole.

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::governance::Count;

use super::enums::{BallotChannel, BallotChoice, MatterKind, MatterState, VoteOutcome, VoteRule};
use crate::governance::model::{Matter as Record, Receipt, RollVoter, Standing};
use crate::governance::service::{self, DraftInput};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id, sane_time};

/// Owners by head and their exclusive area.
#[derive(SimpleObject)]
pub struct VoteCount {
    pub owners: u64,
    /// m², exactly two decimals.
    pub area: String,
    /// 0.01 m².
    pub area_centi: u64,
}

fn square_metres(centi: u64) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

impl From<Count> for VoteCount {
    fn from(c: Count) -> Self {
        Self {
            owners: c.owners,
            area: square_metres(c.area),
            area_centi: c.area,
        }
    }
}

/// A matter put to the owners; once closed, its result certificate: the roll's totals,
/// participation, each choice by head and by area, the rule applied and the outcome.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Matter {
    pub id: ID,
    pub compound_id: ID,
    pub kind: MatterKind,
    /// The rule the kind takes.
    pub rule: VoteRule,
    pub title: String,
    pub body: String,
    /// Each owner's choice is hidden from the firm and the committee.
    pub secret: bool,
    pub state: MatterState,
    pub closes_at: DateTime<Utc>,
    pub publicity_days: u16,
    pub drafted_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The frozen roll's totals (once open).
    pub roll: Option<VoteCount>,
    /// Once closed.
    pub yes: Option<VoteCount>,
    pub no: Option<VoteCount>,
    pub abstain: Option<VoteCount>,
    pub outcome: Option<VoteOutcome>,
    /// The last day of the result's publicity, once closed.
    pub publicity_until: Option<NaiveDate>,
    #[graphql(skip)]
    pub matter_id: uuid::Uuid,
}

impl From<Record> for Matter {
    fn from(m: Record) -> Self {
        let tally = m.tally;
        Self {
            id: m.id.into(),
            matter_id: m.id,
            compound_id: m.compound_id.into(),
            kind: m.kind.into(),
            rule: m.kind.rule().into(),
            publicity_until: m.publicity_until(),
            title: m.title,
            body: m.body,
            secret: m.secret,
            state: m.state.into(),
            closes_at: m.closes_at,
            publicity_days: m.publicity_days,
            drafted_at: m.drafted_at,
            opened_at: m.opened_at,
            closed_at: m.closed_at,
            roll: m.roll.map(Into::into),
            yes: tally.map(|t| t.yes.into()),
            no: tally.map(|t| t.no.into()),
            abstain: tally.map(|t| t.abstain.into()),
            outcome: m.outcome.map(Into::into),
        }
    }
}

#[ComplexObject]
impl Matter {
    /// Who has taken part so far, by head and by area (shown on a secret vote too).
    async fn participation(&self, ctx: &Context<'_>) -> GqlResult<VoteCount> {
        Ok(
            service::participation(ctx.db(), ctx.session()?, self.matter_id)
                .await?
                .into(),
        )
    }

    /// The roll with each voter's ballot (those who run the vote or enter its ballots); on a
    /// secret vote, only whether and how each voted, never the choice.
    async fn voters(&self, ctx: &Context<'_>) -> GqlResult<Vec<Voter>> {
        Ok(service::voters(ctx.db(), ctx.session()?, self.matter_id)
            .await?
            .into_iter()
            .map(|v| Voter::on_roll(v, self.matter_id))
            .collect())
    }

    /// The standing ballots as receipts, published when the vote closes: a recount of the
    /// tally that names no one.
    async fn receipts(&self, ctx: &Context<'_>) -> GqlResult<Vec<BallotReceipt>> {
        Ok(service::receipts(ctx.db(), ctx.session()?, self.matter_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// A voter on a vote's roll.
#[derive(SimpleObject)]
pub struct Voter {
    pub voter_no: u32,
    /// Empty for the developer, voting for the units no one has bought.
    pub name: Option<String>,
    pub developer: bool,
    pub units: u32,
    pub area: VoteCount,
    pub ballot: Option<Ballot>,
}

impl Voter {
    /// A voter on the roll of `matter`, with where their paper ballot's scan is read.
    fn on_roll(v: RollVoter, matter: uuid::Uuid) -> Self {
        let scan_path = v
            .ballot
            .as_ref()
            .and_then(|b| b.scan.as_ref())
            .map(|_| format!("/matters/{matter}/paper-ballots/{}/scan", v.voter_no));
        Self::with_scan(v, scan_path)
    }

    /// The owner themselves (their ballot's scan is read by those who run the vote).
    fn me(v: RollVoter) -> Self {
        Self::with_scan(v, None)
    }

    fn with_scan(v: RollVoter, scan_path: Option<String>) -> Self {
        Self {
            voter_no: v.voter_no,
            developer: v.person_id.is_none(),
            name: v.name,
            units: v.units,
            area: Count {
                owners: 1,
                area: v.area,
            }
            .into(),
            ballot: v.ballot.map(|b| Ballot::of(b, scan_path)),
        }
    }
}

/// A voter's standing ballot.
#[derive(SimpleObject)]
pub struct Ballot {
    /// Empty on a secret vote, except to the voter.
    pub choice: Option<BallotChoice>,
    pub channel: BallotChannel,
    pub cast_at: DateTime<Utc>,
    /// The code published with the choice when the vote closes; empty where the choice is.
    pub receipt: Option<String>,
    /// Who entered a paper ballot (on the roll, for those who run the vote).
    pub entered_by: Option<String>,
    /// Where a paper ballot's scan is read (`GET`); empty on a secret vote.
    pub scan_path: Option<String>,
}

impl Ballot {
    fn of(s: Standing, scan_path: Option<String>) -> Self {
        Self {
            choice: s.choice.map(Into::into),
            channel: s.channel.into(),
            cast_at: s.cast_at,
            receipt: s.receipt,
            entered_by: s.entered_by,
            scan_path,
        }
    }
}

/// A published ballot: its receipt code, its choice and the area it carried.
#[derive(SimpleObject)]
pub struct BallotReceipt {
    pub receipt: String,
    pub choice: BallotChoice,
    pub area_centi: u64,
}

impl From<Receipt> for BallotReceipt {
    fn from(r: Receipt) -> Self {
        Self {
            receipt: r.receipt,
            choice: r.choice.into(),
            area_centi: r.area,
        }
    }
}

/// A matter as an owner sees it, with their own place on its roll.
#[derive(SimpleObject)]
pub struct MyMatter {
    pub matter: Matter,
    /// Them on the roll, with their standing ballot; empty if they are not on it.
    pub me: Option<Voter>,
}

#[derive(InputObject)]
pub struct MatterInput {
    pub compound_id: ID,
    pub kind: MatterKind,
    /// 1–100 characters.
    pub title: String,
    /// The motion in full, 1–4000 characters.
    pub body: String,
    #[graphql(default)]
    pub secret: bool,
    /// When ballots stop: in the future, within 180 days.
    pub closes_at: DateTime<Utc>,
    /// How many days the result is publicised, 1–90.
    #[graphql(default = 7)]
    pub publicity_days: i32,
}

#[derive(Default)]
pub struct MattersQuery;

#[Object]
impl MattersQuery {
    /// The compound's matters, newest first (anyone who sees the compound).
    async fn matters(&self, ctx: &Context<'_>, compound_id: ID) -> GqlResult<Vec<Matter>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(service::of_compound(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn matter(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Matter> {
        let id = parse_id(&id, "id")?;
        Ok(service::find(ctx.db(), ctx.session()?, id).await?.into())
    }

    /// The votes put to the owners of the signed-in resident's compounds.
    async fn my_matters(&self, ctx: &Context<'_>) -> GqlResult<Vec<MyMatter>> {
        Ok(service::my_matters(ctx.db(), ctx.session()?)
            .await?
            .into_iter()
            .map(|m| MyMatter {
                matter: m.matter.into(),
                me: m.voter.map(Voter::me),
            })
            .collect())
    }
}

#[derive(Default)]
pub struct MattersMutation;

#[Object]
impl MattersMutation {
    /// Drafts a matter (the compound's committee or the firm's administrator).
    async fn draft_matter(&self, ctx: &Context<'_>, input: MatterInput) -> GqlResult<Matter> {
        let input = DraftInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            kind: input.kind.into(),
            title: input.title,
            body: input.body,
            secret: input.secret,
            closes_at: sane_time(input.closes_at, "closesAt")?,
            publicity_days: input.publicity_days,
        };
        Ok(service::draft(ctx.db(), ctx.session()?, input)
            .await?
            .into())
    }

    /// Opens the vote, freezing its roll from the register as it is now.
    async fn open_vote(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Matter> {
        let id = parse_id(&id, "id")?;
        Ok(service::open(ctx.db(), ctx.session()?, id).await?.into())
    }

    /// Closes the vote after its time and counts it.
    async fn close_vote(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Matter> {
        let id = parse_id(&id, "id")?;
        Ok(service::close(ctx.db(), ctx.session()?, id).await?.into())
    }

    /// The signed-in owner's ballot, for the owner of their home on the roll (with homes of
    /// two owners, `householdId` says which); casting again replaces it until the vote closes.
    async fn cast_ballot(
        &self,
        ctx: &Context<'_>,
        matter_id: ID,
        household_id: Option<ID>,
        choice: BallotChoice,
    ) -> GqlResult<Voter> {
        let matter = parse_id(&matter_id, "matterId")?;
        let household = household_id
            .map(|h| parse_id(&h, "householdId"))
            .transpose()?;
        let voter =
            service::cast(ctx.db(), ctx.session()?, matter, household, choice.into()).await?;
        Ok(Voter::me(voter))
    }
}
