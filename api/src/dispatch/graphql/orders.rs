//! Work orders: reporting, the board and the queues, one order with its timeline, the ranking
//! for an order, and every move.

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::Money;
use domain::dispatch::{Action, Ranked};
use uuid::Uuid;

use super::enums::{
    Ineligibility, Trade, WorkOrderAction, WorkOrderActor, WorkOrderBearer, WorkOrderLocation,
    WorkOrderPriority, WorkOrderRejection, WorkOrderState,
};
use crate::dispatch::model::{Contractor, Photo, TimelineEntry, WorkOrder as Order};
use crate::dispatch::service::{self as dispatch, Filing, Narrowing, ReportInput};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::pagination::{connection, page_request};
use crate::platform::graphql::{GqlResult, MoneyAmount};

/// Who a contractor is, as an order names them.
#[derive(SimpleObject, Clone)]
pub struct ContractorBrief {
    pub id: ID,
    pub name: String,
    pub phone: Option<String>,
}

impl From<&Contractor> for ContractorBrief {
    fn from(c: &Contractor) -> Self {
        Self {
            id: c.id.into(),
            name: c.name.clone(),
            phone: c.phone.clone(),
        }
    }
}

/// A work order.
#[derive(SimpleObject)]
pub struct WorkOrder {
    pub id: ID,
    /// The firm's number for it, to quote on the phone.
    pub number: u64,
    pub compound_id: ID,
    pub compound_name: String,
    pub household_id: Option<ID>,
    pub location_kind: WorkOrderLocation,
    pub location: String,
    pub trade: Trade,
    pub priority: WorkOrderPriority,
    pub description: String,
    pub state: WorkOrderState,
    pub rejected_as: Option<WorkOrderRejection>,
    pub reported_at: DateTime<Utc>,
    /// When it must be completed by.
    pub resolve_by: DateTime<Utc>,
    /// Past its deadline and not completed.
    pub overdue: bool,
    pub bearer: Option<WorkOrderBearer>,
    /// What the household was told it will pay at most.
    pub estimate: Option<MoneyAmount>,
    /// The household must agree to the estimate before the order is dispatched.
    pub awaits_confirmation: bool,
    pub charge_confirmed_at: Option<DateTime<Utc>>,
    pub contractor: Option<ContractorBrief>,
    pub dispatched_at: Option<DateTime<Utc>>,
    /// When the contractor must have accepted by.
    pub respond_by: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cost: Option<MoneyAmount>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    pub reopened: u32,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// What orders name besides themselves: their contractors and compounds, each read once for
/// every order shown.
struct Named {
    contractors: HashMap<Uuid, Contractor>,
    compounds: HashMap<Uuid, String>,
}

impl Named {
    async fn read(db: &Db, ctx: &RequestContext, orders: &[Order]) -> GqlResult<Self> {
        let distinct = |ids: &mut Vec<Uuid>| {
            ids.sort_unstable();
            ids.dedup();
        };
        let mut contractors: Vec<Uuid> = orders.iter().filter_map(|o| o.contractor_id).collect();
        distinct(&mut contractors);
        let mut compounds: Vec<Uuid> = orders.iter().map(|o| o.compound_id).collect();
        distinct(&mut compounds);
        Ok(Self {
            contractors: if contractors.is_empty() {
                HashMap::new()
            } else {
                dispatch::contractors_by_id(db, ctx, &contractors).await?
            },
            compounds: compound_names(db, ctx, &compounds).await?,
        })
    }
}

async fn compound_names(
    db: &Db,
    ctx: &RequestContext,
    ids: &[Uuid],
) -> GqlResult<HashMap<Uuid, String>> {
    Ok(crate::tenancy::compounds_by_id(db, ctx, ids)
        .await?
        .into_iter()
        .map(|(id, c)| (id, c.name))
        .collect())
}

impl WorkOrder {
    fn new(o: Order, named: &Named, now: DateTime<Utc>) -> Self {
        Self {
            id: o.id.into(),
            number: o.number,
            compound_id: o.compound_id.into(),
            compound_name: named
                .compounds
                .get(&o.compound_id)
                .cloned()
                .unwrap_or_default(),
            household_id: o.household_id.map(Into::into),
            location_kind: o.location_kind.into(),
            trade: o.trade.into(),
            priority: o.priority.into(),
            state: o.state.into(),
            rejected_as: o.rejected_as.map(Into::into),
            reported_at: o.reported_at,
            resolve_by: o.resolve_by,
            overdue: o.overdue(now),
            bearer: o.bearer.map(Into::into),
            estimate: o.estimate.map(Into::into),
            awaits_confirmation: o.awaits_confirmation(),
            charge_confirmed_at: o.charge_confirmed_at,
            contractor: o
                .contractor_id
                .and_then(|c| named.contractors.get(&c))
                .map(Into::into),
            dispatched_at: o.dispatched_at,
            respond_by: o.respond_by,
            completed_at: o.completed_at,
            cost: o.cost.map(Into::into),
            rating: o.rating,
            rating_comment: o.rating_comment,
            reopened: o.reopened,
            closed_at: o.closed_at,
            updated_at: o.updated_at,
            location: o.location,
            description: o.description,
        }
    }
}

/// Orders as GraphQL objects, the contractors and compounds they name read once.
async fn objects(db: &Db, ctx: &RequestContext, orders: Vec<Order>) -> GqlResult<Vec<WorkOrder>> {
    let named = Named::read(db, ctx, &orders).await?;
    let now = db.clock().now();
    Ok(orders
        .into_iter()
        .map(|o| WorkOrder::new(o, &named, now))
        .collect())
}

async fn object(ctx: &Context<'_>, order: Order) -> GqlResult<WorkOrder> {
    let mut found = objects(ctx.db(), ctx.session()?, vec![order]).await?;
    found
        .pop()
        .ok_or_else(|| AppError::NotFound("work order").into())
}

/// One entry of an order's timeline.
#[derive(SimpleObject)]
pub struct WorkOrderStep {
    pub seq: u32,
    pub action: WorkOrderAction,
    pub from: Option<WorkOrderState>,
    pub to: WorkOrderState,
    pub at: DateTime<Utc>,
    /// Who acted: the dispatcher, the contractor, the reporter or the server.
    pub actor: WorkOrderActor,
    /// The contractor it concerned (dispatched to, declined by, completed by).
    pub contractor: Option<ContractorBrief>,
    pub note: Option<String>,
}

/// An order with its timeline, its photos and what the reader may do to it.
#[derive(SimpleObject)]
pub struct WorkOrderDetail {
    pub order: WorkOrder,
    /// The parts the reader plays on it (the actions offered follow from them).
    pub my_parts: Vec<WorkOrderActor>,
    pub timeline: Vec<WorkOrderStep>,
    pub photos: Vec<WorkOrderPhoto>,
}

/// A photograph of an order; `path` serves it to whoever may read the order (with their
/// bearer token); photos are added by `POST /work-orders/{id}/photos`.
#[derive(SimpleObject)]
pub struct WorkOrderPhoto {
    pub id: ID,
    /// The order's state when it was added: the problem as reported, or the work as done.
    pub stage: WorkOrderState,
    pub added_at: DateTime<Utc>,
    pub content_type: String,
    pub path: String,
    /// A small JPEG of it, for lists (the photo itself for photos added before thumbnails).
    pub thumbnail_path: String,
}

impl From<Photo> for WorkOrderPhoto {
    fn from(p: Photo) -> Self {
        let path = format!("/work-orders/{}/photos/{}", p.order_id, p.id);
        Self {
            thumbnail_path: format!("{path}?size=thumb"),
            path,
            id: p.id.into(),
            stage: p.stage.into(),
            added_at: p.added_at,
            content_type: p.kind.content_type().to_owned(),
        }
    }
}

/// A contractor's place in the ranking for an order, and why.
#[derive(SimpleObject)]
pub struct DispatchCandidate {
    pub contractor: ContractorBrief,
    /// 1 for the first to ask; none when they may not take it.
    pub place: Option<u32>,
    pub ineligible: Vec<Ineligibility>,
    /// As ranked: on-time completions per thousand, average stars × 100 (a newcomer's are
    /// assumed good).
    pub on_time_permille: u32,
    pub rating_centi: u32,
    pub open_jobs: u32,
    pub capacity: u32,
    pub on_call_now: bool,
}

impl DispatchCandidate {
    fn new(c: &Contractor, r: Ranked) -> Self {
        Self {
            contractor: c.into(),
            place: r.place,
            ineligible: r.ineligible.into_iter().map(Into::into).collect(),
            on_time_permille: r.on_time_permille,
            rating_centi: r.rating_centi,
            open_jobs: r.candidate.open_jobs,
            capacity: r.candidate.capacity,
            on_call_now: r.candidate.on_call_now,
        }
    }
}

#[derive(InputObject)]
pub struct ReportWorkOrderInput {
    /// The compound, for a common area (a household names its own).
    pub compound_id: Option<ID>,
    pub household_id: Option<ID>,
    pub location_kind: WorkOrderLocation,
    /// Where, for a common area: "3号楼 2单元 楼道灯".
    pub location: Option<String>,
    pub trade: Trade,
    #[graphql(default_with = "WorkOrderPriority::Normal")]
    pub priority: WorkOrderPriority,
    pub description: String,
}

#[derive(InputObject)]
pub struct FileWorkOrderInput {
    pub trade: Trade,
    pub priority: WorkOrderPriority,
    pub bearer: WorkOrderBearer,
    /// Yuan, e.g. "150.00": what the household will pay at most (required when it bears the
    /// cost; above 100.00 it must agree before the order is dispatched).
    pub estimate: Option<String>,
    pub note: Option<String>,
}

#[derive(Default)]
pub struct WorkOrdersQuery;

#[Object]
impl WorkOrdersQuery {
    /// The work orders the caller may see, oldest first: staff and committee members those of
    /// their compounds, contractors their jobs, residents their household's and their own.
    #[allow(clippy::too_many_arguments)]
    async fn work_orders(
        &self,
        ctx: &Context<'_>,
        compound_id: Option<ID>,
        #[graphql(default)] states: Vec<WorkOrderState>,
        contractor_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, WorkOrder>> {
        let session = ctx.session()?;
        let had_after = after.is_some();
        let narrowing = Narrowing {
            compound: compound_id
                .map(|i| parse_id(&i, "compoundId"))
                .transpose()?,
            states: states.into_iter().map(Into::into).collect(),
            contractor: contractor_id
                .map(|i| parse_id(&i, "contractorId"))
                .transpose()?,
        };
        let page =
            dispatch::list(ctx.db(), session, narrowing, page_request(first, after)?).await?;
        let has_next = page.has_next;
        let orders = objects(ctx.db(), session, page.items).await?;
        let page = crate::platform::page::Page {
            items: orders,
            has_next,
        };
        Ok(connection(
            page,
            had_after,
            |o| Uuid::parse_str(o.id.as_str()).unwrap_or_default(),
            |o| o,
        ))
    }

    /// One work order with its timeline.
    async fn work_order(&self, ctx: &Context<'_>, id: ID) -> GqlResult<WorkOrderDetail> {
        let session = ctx.session()?;
        let id = parse_id(&id, "id")?;
        let dispatch::OrderFile {
            order,
            parts,
            timeline,
            photos,
        } = dispatch::order(ctx.db(), session, id).await?;
        let mut ids: Vec<Uuid> = timeline.iter().filter_map(|t| t.contractor_id).collect();
        ids.extend(order.contractor_id);
        ids.sort_unstable();
        ids.dedup();
        let named = Named {
            contractors: dispatch::contractors_by_id(ctx.db(), session, &ids).await?,
            compounds: compound_names(ctx.db(), session, &[order.compound_id]).await?,
        };
        let step = |t: TimelineEntry| WorkOrderStep {
            seq: t.seq,
            action: t.action.into(),
            from: t.from.map(Into::into),
            to: t.to.into(),
            at: t.at,
            actor: t.actor.into(),
            contractor: t
                .contractor_id
                .and_then(|c| named.contractors.get(&c))
                .map(Into::into),
            note: t.note,
        };
        Ok(WorkOrderDetail {
            photos: photos.into_iter().map(Into::into).collect(),
            my_parts: parts.into_iter().map(Into::into).collect(),
            timeline: timeline.into_iter().map(step).collect(),
            order: WorkOrder::new(order, &named, ctx.db().clock().now()),
        })
    }

    /// The contractors ranked for an order, with why (the order's dispatcher).
    async fn dispatch_candidates(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
    ) -> GqlResult<Vec<DispatchCandidate>> {
        let id = parse_id(&order_id, "orderId")?;
        let ranked = dispatch::candidates(ctx.db(), ctx.session()?, id).await?;
        Ok(ranked
            .into_iter()
            .map(|(c, r)| DispatchCandidate::new(&c, r))
            .collect())
    }
}

fn money(raw: Option<String>, field: &str) -> GqlResult<Option<Money>> {
    Ok(raw
        .map(|m| Money::parse_positive(&m).field(field))
        .transpose()?)
}

#[derive(Default)]
pub struct WorkOrdersMutation;

#[Object]
impl WorkOrdersMutation {
    /// Reports a repair or a problem (a resident for their household or compound; staff and
    /// committee members within their compounds).
    async fn report_work_order(
        &self,
        ctx: &Context<'_>,
        input: ReportWorkOrderInput,
    ) -> GqlResult<WorkOrder> {
        let report = ReportInput {
            compound: input
                .compound_id
                .map(|i| parse_id(&i, "compoundId"))
                .transpose()?,
            household: input
                .household_id
                .map(|i| parse_id(&i, "householdId"))
                .transpose()?,
            location_kind: input.location_kind.into(),
            location: input.location,
            trade: input.trade.into(),
            priority: input.priority.into(),
            description: input.description,
        };
        let order = dispatch::report(ctx.db(), ctx.session()?, report).await?;
        object(ctx, order).await
    }

    /// Files a report as a job: trade, priority and who bears the cost (a dispatcher).
    async fn file_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: FileWorkOrderInput,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let filing = Filing {
            trade: input.trade.into(),
            priority: input.priority.into(),
            bearer: input.bearer.into(),
            estimate: money(input.estimate, "estimate")?,
            note: input.note,
        };
        let order = dispatch::file(ctx.db(), ctx.session()?, id, filing).await?;
        object(ctx, order).await
    }

    /// Rejects a report as a duplicate or out of scope (a dispatcher).
    async fn reject_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: WorkOrderRejection,
        note: Option<String>,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::reject(ctx.db(), ctx.session()?, id, reason.into(), note).await?;
        object(ctx, order).await
    }

    /// Dispatches an order to a contractor, or to the first of the ranking when none is named
    /// (a dispatcher; also to pass it from one contractor to another).
    async fn dispatch_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        contractor_id: Option<ID>,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let contractor = contractor_id
            .map(|c| parse_id(&c, "contractorId"))
            .transpose()?;
        let order = dispatch::dispatch(ctx.db(), ctx.session()?, id, contractor).await?;
        object(ctx, order).await
    }

    /// The contractor takes the job.
    async fn accept_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> GqlResult<WorkOrder> {
        simple(ctx, id, Action::Accept, note).await
    }

    /// The contractor cannot take it, saying why; it goes to the next in the ranking.
    async fn decline_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::decline(ctx.db(), ctx.session()?, id, Some(note)).await?;
        object(ctx, order).await
    }

    /// The contractor starts work.
    async fn start_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> GqlResult<WorkOrder> {
        simple(ctx, id, Action::Start, note).await
    }

    /// The contractor has finished, with the cost (yuan, e.g. "180.00").
    async fn complete_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        cost: String,
        note: Option<String>,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let cost = Money::parse(&cost).field("cost")?;
        let order = dispatch::complete(ctx.db(), ctx.session()?, id, cost, note).await?;
        object(ctx, order).await
    }

    /// The work is checked and done: the cost goes to the ledger, charged to whoever bears it
    /// (the dispatcher, or the reporter).
    async fn verify_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::verify(ctx.db(), ctx.session()?, id, note).await?;
        object(ctx, order).await
    }

    /// The work is checked and not done: back to the contractor, saying what is wrong.
    async fn send_back_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::send_back(ctx.db(), ctx.session()?, id, Some(note)).await?;
        object(ctx, order).await
    }

    /// Closes a verified order (a dispatcher).
    async fn close_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::close(ctx.db(), ctx.session()?, id, note).await?;
        object(ctx, order).await
    }

    /// Reopens a verified or closed order within 7 days, saying what went wrong.
    async fn reopen_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::reopen(ctx.db(), ctx.session()?, id, Some(note)).await?;
        object(ctx, order).await
    }

    /// Cancels an order, saying why (its reporter before it is dispatched; a dispatcher until
    /// it is completed).
    async fn cancel_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::cancel(ctx.db(), ctx.session()?, id, Some(note)).await?;
        object(ctx, order).await
    }

    /// The household agrees to bear the estimated cost.
    async fn confirm_work_order_charge(&self, ctx: &Context<'_>, id: ID) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::confirm_charge(ctx.db(), ctx.session()?, id).await?;
        object(ctx, order).await
    }

    /// The reporter rates the verified work: 1 to 5 stars and a comment.
    async fn rate_work_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        stars: i32,
        comment: Option<String>,
    ) -> GqlResult<WorkOrder> {
        let id = parse_id(&id, "id")?;
        let order = dispatch::rate(ctx.db(), ctx.session()?, id, stars, comment).await?;
        object(ctx, order).await
    }
}

async fn simple(
    ctx: &Context<'_>,
    id: ID,
    action: Action,
    note: Option<String>,
) -> GqlResult<WorkOrder> {
    let id = parse_id(&id, "id")?;
    let order = dispatch::simple(ctx.db(), ctx.session()?, id, action, note).await?;
    object(ctx, order).await
}
