//! Contractors: registering and keeping them, their contracts and scorecards.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;

use super::enums::{ContractorKind, ContractorRateKind, Trade};
use crate::dispatch::model::{Contract, Contractor as Record, Record as Work, ServiceArea};
use crate::dispatch::service::{self as dispatch, ContractInput, ContractorInput};
use crate::platform::error::FieldExt;
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::{GqlResult, MoneyAmount};

/// A contract with a contractor.
#[derive(SimpleObject)]
pub struct ContractorContract {
    pub id: ID,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub rate_kind: ContractorRateKind,
    pub rate: MoneyAmount,
}

impl From<Contract> for ContractorContract {
    fn from(k: Contract) -> Self {
        Self {
            id: k.id.into(),
            starts_on: k.starts_on,
            ends_on: k.ends_on,
            rate_kind: k.rate_kind.into(),
            rate: k.rate.into(),
        }
    }
}

/// A contractor's record of work.
#[derive(SimpleObject)]
pub struct Scorecard {
    pub open_jobs: u32,
    pub completed: u32,
    /// Completed before the deadline, per thousand completed; none before the first.
    pub on_time_permille: Option<u32>,
    pub ratings: u32,
    /// Average stars × 100; none before the first rating.
    pub average_rating_centi: Option<u32>,
    /// Times their work was reopened, per thousand completed.
    pub reopen_permille: Option<u32>,
    /// The average cost of a completed order.
    pub average_cost: Option<MoneyAmount>,
    /// Completed orders and their average cost in each trade worked in.
    pub by_trade: Vec<TradeScore>,
}

/// A contractor's completed work in one trade.
#[derive(SimpleObject)]
pub struct TradeScore {
    pub trade: Trade,
    pub completed: u32,
    pub average_cost: MoneyAmount,
}

fn average(cost_fen: i64, completed: u32) -> Option<MoneyAmount> {
    (completed > 0).then(|| Money::from_fen(cost_fen / i64::from(completed)).into())
}

fn per(part: u32, whole: u32, scale: u64) -> Option<u32> {
    (whole > 0)
        .then(|| u32::try_from(u64::from(part) * scale / u64::from(whole)).unwrap_or(u32::MAX))
}

impl From<Work> for Scorecard {
    fn from(w: Work) -> Self {
        Self {
            open_jobs: w.open_jobs,
            completed: w.completed,
            on_time_permille: per(w.completed_on_time, w.completed, 1000),
            ratings: w.ratings,
            average_rating_centi: per(w.rating_sum, w.ratings, 100),
            reopen_permille: per(w.reopened, w.completed, 1000),
            average_cost: average(w.cost_fen, w.completed),
            by_trade: w
                .by_trade
                .into_iter()
                .filter_map(|t| {
                    Some(TradeScore {
                        trade: t.trade.into(),
                        completed: t.completed,
                        average_cost: average(t.cost_fen, t.completed)?,
                    })
                })
                .collect(),
        }
    }
}

/// A contractor firm, an individual, or the firm's own repairman.
#[derive(SimpleObject)]
pub struct Contractor {
    pub id: ID,
    pub name: String,
    pub kind: ContractorKind,
    pub phone: Option<String>,
    pub trades: Vec<Trade>,
    pub bundle_ids: Vec<ID>,
    pub compound_ids: Vec<ID>,
    pub capacity: u32,
    /// Minutes of the day they answer from and to (Beijing time); none: always.
    pub on_call_from: Option<u16>,
    pub on_call_to: Option<u16>,
    pub contracts: Vec<ContractorContract>,
    pub retired_at: Option<DateTime<Utc>>,
    pub scorecard: Scorecard,
}

impl Contractor {
    fn new(c: Record, work: Work) -> Self {
        let (on_call_from, on_call_to) = match c.on_call {
            domain::dispatch::OnCall::Always => (None, None),
            domain::dispatch::OnCall::Hours { from, to } => (Some(from), Some(to)),
        };
        let pick = |want_bundle: bool| {
            c.areas
                .iter()
                .filter_map(|a| match (*a, want_bundle) {
                    (ServiceArea::Bundle(id), true) | (ServiceArea::Compound(id), false) => {
                        Some(ID::from(id))
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        Self {
            id: c.id.into(),
            bundle_ids: pick(true),
            compound_ids: pick(false),
            name: c.name,
            kind: c.kind.into(),
            phone: c.phone,
            trades: c.trades.into_iter().map(Into::into).collect(),
            capacity: c.capacity,
            on_call_from,
            on_call_to,
            contracts: c.contracts.into_iter().map(Into::into).collect(),
            retired_at: c.retired_at,
            scorecard: work.into(),
        }
    }
}

#[derive(InputObject)]
pub struct ContractorFields {
    pub name: String,
    pub kind: ContractorKind,
    pub phone: Option<String>,
    pub trades: Vec<Trade>,
    /// Bundles they work in (every compound of each, now and later).
    #[graphql(default)]
    pub bundle_ids: Vec<ID>,
    #[graphql(default)]
    pub compound_ids: Vec<ID>,
    /// Open jobs at once, 1–100.
    pub capacity: i32,
    /// Minutes of the day (0–1439) they answer from; with `onCallTo`, or neither for always.
    pub on_call_from: Option<i32>,
    pub on_call_to: Option<i32>,
    /// No more orders go to a retired contractor.
    #[graphql(default)]
    pub retired: bool,
}

impl ContractorFields {
    fn parse(self) -> GqlResult<ContractorInput> {
        let ids = |ids: &[ID], field: &str| -> GqlResult<Vec<uuid::Uuid>> {
            ids.iter()
                .map(|i| parse_id(i, field).map_err(Into::into))
                .collect()
        };
        let on_call = match (self.on_call_from, self.on_call_to) {
            (None, None) => None,
            (Some(f), Some(t)) => Some((f, t)),
            (None, Some(_)) => Err(crate::platform::error::AppError::bad_input(
                "onCallFrom",
                "give both times, or neither for always on call",
            ))?,
            (Some(_), None) => Err(crate::platform::error::AppError::bad_input(
                "onCallTo",
                "give both times, or neither for always on call",
            ))?,
        };
        Ok(ContractorInput {
            bundles: ids(&self.bundle_ids, "bundleIds")?,
            compounds: ids(&self.compound_ids, "compoundIds")?,
            name: self.name,
            kind: self.kind.into(),
            phone: self.phone,
            trades: self.trades.into_iter().map(Into::into).collect(),
            capacity: self.capacity,
            on_call,
            retired: self.retired,
        })
    }
}

#[derive(InputObject)]
pub struct ContractTerms {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub rate_kind: ContractorRateKind,
    /// Yuan, e.g. "80.00".
    pub rate: String,
}

impl ContractTerms {
    fn parse(self) -> GqlResult<ContractInput> {
        Ok(ContractInput {
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            rate_kind: self.rate_kind.into(),
            rate: Money::parse_positive(&self.rate).field("rate")?,
        })
    }
}

#[derive(Default)]
pub struct ContractorsQuery;

#[Object]
impl ContractorsQuery {
    /// The firm's contractors with their scorecards (firm staff; a contractor sees their own).
    async fn contractors(&self, ctx: &Context<'_>) -> GqlResult<Vec<Contractor>> {
        let found = dispatch::contractors(ctx.db(), ctx.session()?).await?;
        Ok(found
            .into_iter()
            .map(|(c, w)| Contractor::new(c, w))
            .collect())
    }
}

#[derive(Default)]
pub struct ContractorsMutation;

#[Object]
impl ContractorsMutation {
    /// Registers a contractor with their first contract (a firm-wide dispatcher or the
    /// administrator). Give them a sign-in with `addMember` (role contractor, this scope).
    async fn register_contractor(
        &self,
        ctx: &Context<'_>,
        input: ContractorFields,
        contract: ContractTerms,
    ) -> GqlResult<Contractor> {
        let c = dispatch::register_contractor(
            ctx.db(),
            ctx.session()?,
            input.parse()?,
            contract.parse()?,
        )
        .await?;
        // A new contractor has done no work yet.
        Ok(Contractor::new(c, Work::default()))
    }

    /// Changes a contractor's details, trades, areas, capacity and hours, or retires them.
    async fn update_contractor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ContractorFields,
    ) -> GqlResult<Contractor> {
        let id = parse_id(&id, "id")?;
        let (c, w) =
            dispatch::update_contractor(ctx.db(), ctx.session()?, id, input.parse()?).await?;
        Ok(Contractor::new(c, w))
    }

    /// Adds a contract (a renewal or a new rate) to a contractor.
    async fn add_contractor_contract(
        &self,
        ctx: &Context<'_>,
        contractor_id: ID,
        contract: ContractTerms,
    ) -> GqlResult<Contractor> {
        let id = parse_id(&contractor_id, "contractorId")?;
        let (c, w) =
            dispatch::add_contract(ctx.db(), ctx.session()?, id, contract.parse()?).await?;
        Ok(Contractor::new(c, w))
    }
}
