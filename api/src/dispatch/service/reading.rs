//! Reading work orders: the dispatcher's board and queue, the contractor's jobs, the
//! reporter's own, each within what the reader may see; one order with its timeline; the
//! ranking for an order.

use domain::Role;
use domain::dispatch::{Actor, OrderState, Ranked};
use uuid::Uuid;

use super::candidates::ranked;
use super::parts::readable;
use crate::dispatch::model::{Contractor, Photo, TimelineEntry, WorkOrder};
use crate::dispatch::store::{self, OrderFilter};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::page::{Page, PageRequest};
use crate::tenancy::compounds;

/// What a list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    pub compound: Option<Uuid>,
    pub states: Vec<OrderState>,
    pub contractor: Option<Uuid>,
}

/// The orders the caller may see: staff and committee members those of the compounds they
/// reach, contractors their jobs, residents their household's, everyone what they reported.
fn within(ctx: &RequestContext) -> OrderFilter {
    let p = &ctx.principal;
    let sees_compounds = p
        .grants
        .iter()
        .any(|g| g.role.is_staff() || g.role == Role::CommitteeMember);
    let households = p
        .grants
        .iter()
        .filter_map(|g| match (g.role, g.scope) {
            (Role::Resident, domain::Scope::Household(h)) => Some(h),
            _ => None,
        })
        .collect();
    OrderFilter {
        compounds: if sees_compounds {
            ctx.reach.compounds().map(<[Uuid]>::to_vec)
        } else {
            Some(Vec::new())
        },
        households,
        contractors: p.contractors(),
        reporter: Some(ctx.user_id()),
        ..OrderFilter::default()
    }
}

#[tracing::instrument(name = "dispatch.list", skip_all)]
pub async fn list(
    db: &Db,
    ctx: &RequestContext,
    narrowing: Narrowing,
    page: PageRequest,
) -> AppResult<Page<WorkOrder>> {
    let filter = OrderFilter {
        compound: narrowing.compound,
        states: narrowing.states,
        contractor: narrowing.contractor,
        ..within(ctx)
    };
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    if let Some(c) = filter.compound
        && compounds::find(&tx, ctx.tenant_id, &ctx.reach, c)
            .await?
            .is_none()
    {
        return Err(AppError::NotFound("compound"));
    }
    if let Some(c) = filter.contractor
        && !store::contractor_exists(&tx, ctx.tenant_id, c).await?
    {
        return Err(AppError::NotFound("contractor"));
    }
    let page = store::list(&tx, ctx.tenant_id, &filter, page).await?;
    tx.commit().await?;
    Ok(page)
}

/// One order as its reader sees it: the parts they play on it, its timeline and its photos.
pub struct OrderFile {
    pub order: WorkOrder,
    pub parts: Vec<Actor>,
    pub timeline: Vec<TimelineEntry>,
    pub photos: Vec<Photo>,
}

pub async fn order(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<OrderFile> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (order, parts) = readable(&tx, ctx, id).await?;
    let timeline = store::timeline(&tx, ctx.tenant_id, id).await?;
    let photos = store::photos_of(&tx, ctx.tenant_id, id).await?;
    tx.commit().await?;
    Ok(OrderFile {
        order,
        parts,
        timeline,
        photos,
    })
}

/// The contractors ranked for an order, for its dispatcher.
pub async fn candidates(
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<Vec<(Contractor, Ranked)>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (order, parts) = readable(&tx, ctx, id).await?;
    if !parts.contains(&Actor::Dispatcher) {
        return Err(AppError::forbidden(
            "only the order's dispatcher ranks contractors",
        ));
    }
    let out = ranked(&tx, ctx.tenant_id, &order, db.clock().now()).await?;
    tx.commit().await?;
    Ok(out)
}
