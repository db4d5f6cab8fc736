//! The server's watch over orders: one that no contractor answered by its deadline is taken
//! back and passed on to the next in the ranking (or left filed, for the dispatcher); one past
//! its resolution deadline unfinished is noted on its timeline, once, and the dispatcher's
//! board hears of it. Its state is the orders' own columns in the database, so it survives a
//! restart; a move saves only if no one moved the order first, so two servers on one database
//! never escalate the same order twice.

use std::time::Duration;

use domain::dispatch::{Action, Actor};
use uuid::Uuid;

use super::candidates::{pass_on, unassign};
use super::step::Step;
use crate::dispatch::store;
use crate::platform::UnitOfWork;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};

/// At most this many orders of a firm in one pass.
const BATCH: u64 = 100;

/// Escalates every order of `tenant` whose answer is overdue now, and notes every one past its
/// resolution deadline; returns how many orders it moved.
#[tracing::instrument(name = "dispatch.escalate", skip_all, fields(%tenant))]
pub async fn escalate_overdue(db: &Db, tenant: Uuid) -> AppResult<usize> {
    Ok(pass_on_unanswered(db, tenant).await? + note_unresolved(db, tenant).await?)
}

async fn pass_on_unanswered(db: &Db, tenant: Uuid) -> AppResult<usize> {
    let now = db.clock().now();
    let overdue = {
        let tx = db.begin_tenant(tenant).await?;
        let o = store::overdue_unanswered(&tx, tenant, now, BATCH).await?;
        tx.commit().await?;
        o
    };
    let mut done = 0;
    for order in overdue {
        let uow = UnitOfWork::begin_for(db, tenant, None).await?;
        // Re-read inside the unit: another server may have moved it since.
        let Some(order) = store::find_order(uow.tx(), tenant, order.id).await? else {
            continue;
        };
        if order.respond_by.is_none_or(|by| by >= now) {
            continue;
        }
        let Ok(mut step) = Step::begin(order, Action::Escalate, &[Actor::System]) else {
            continue;
        };
        unassign(&mut step.order);
        match step.commit_in(&uow, None, None, now).await {
            Ok(order) => {
                pass_on(&uow, order, now).await?;
                uow.commit().await?;
                done += 1;
            }
            // Another server escalated it first.
            Err(AppError::Conflict { .. }) => uow.rollback().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Notes each unfinished order past its resolution deadline on its timeline, once.
async fn note_unresolved(db: &Db, tenant: Uuid) -> AppResult<usize> {
    let now = db.clock().now();
    let overdue = {
        let tx = db.begin_tenant(tenant).await?;
        let o = store::overdue_unresolved(&tx, tenant, now, BATCH).await?;
        tx.commit().await?;
        o
    };
    let mut done = 0;
    for order in overdue {
        let uow = UnitOfWork::begin_for(db, tenant, None).await?;
        let Ok(mut step) = Step::begin(order, Action::Overdue, &[Actor::System]) else {
            continue;
        };
        step.order.overdue_noted_at = Some(now);
        match step.commit_in(&uow, None, None, now).await {
            Ok(_) => {
                uow.commit().await?;
                done += 1;
            }
            Err(AppError::Conflict { .. }) => uow.rollback().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Runs [`escalate_overdue`] for every firm every `every`, for as long as the server runs.
pub async fn watch(db: Db, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = pass(&db).await {
            tracing::warn!(error = %e, "escalating overdue work orders failed; will retry");
        }
    }
}

async fn pass(db: &Db) -> AppResult<()> {
    let firms = {
        let tx = db.begin_global().await?;
        let firms = crate::tenancy::tenants::all(&tx).await?;
        tx.commit().await?;
        firms
    };
    for tenant in firms.into_iter().map(|f| f.id) {
        let n = escalate_overdue(db, tenant).await?;
        if n > 0 {
            tracing::info!(%tenant, escalated = n, "work orders passed on");
        }
    }
    Ok(())
}
