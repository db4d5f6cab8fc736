//! Succeeded payments of one firm that arrive together are applied together.
//!
//! Each delivery of a `payment_intent.succeeded` event joins its firm's queue. Whoever takes
//! the firm's turn applies everything queued as one group: one transaction, its attempts and
//! households locked by one statement each (in id order, the order every path locks them),
//! one statement for each kind of row it reads or writes whatever its size, one ledger
//! append and one commit for the group; then every delivery of the group gets its
//! answer, and each is answered 2xx only after that commit. A delivery finds its answer
//! waiting, or takes the next turn itself. Should the group fail as a whole, each of its
//! deliveries is applied alone, as any other event is, so one bad event costs the others
//! nothing but time. (A few statements and one commit per group instead of several per
//! event: docs/benchmarks.md.)

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::{Successes, apply_event, event_record};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::store::households;
use crate::store::online as store;
use crate::stripe::event::Event;

/// The deliveries waiting in each firm's queue.
#[derive(Default)]
pub struct Deliveries {
    firms: Mutex<HashMap<Uuid, Arc<Firm>>>,
}

struct Firm {
    queue: Mutex<Vec<Delivery>>,
    /// Taken by whoever applies the firm's queue: [`GROUPS_IN_FLIGHT`] groups at a time per
    /// firm, so that one group's reads overlap another's writes and commit.
    turns: tokio::sync::Semaphore,
}

const GROUPS_IN_FLIGHT: usize = 2;

impl Default for Firm {
    fn default() -> Self {
        Self {
            queue: Mutex::default(),
            turns: tokio::sync::Semaphore::new(GROUPS_IN_FLIGHT),
        }
    }
}

struct Delivery {
    event: Event,
    attempt: Uuid,
    answer: oneshot::Sender<AppResult<&'static str>>,
}

impl Deliveries {
    /// Applies a succeeded payment for `attempt` of `tenant` with whatever else of the firm
    /// is in flight; returns what was done with it, once committed.
    pub async fn apply(
        &self,
        db: &Db,
        tenant: Uuid,
        attempt: Uuid,
        event: Event,
    ) -> AppResult<&'static str> {
        let firm = {
            let mut firms = self.firms.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(firms.entry(tenant).or_default())
        };
        let (answer, mut answered) = oneshot::channel();
        firm.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Delivery {
                event,
                attempt,
                answer,
            });
        tokio::select! {
            biased;
            done = &mut answered => return done.map_err(dropped)?,
            _turn = firm.turns.acquire() => {
                let group = std::mem::take(
                    &mut *firm.queue.lock().unwrap_or_else(PoisonError::into_inner),
                );
                apply_group(db, tenant, group).await;
            }
        }
        // Ours was in the group just applied, or in an earlier one.
        answered.await.map_err(dropped)?
    }
}

fn dropped(_: oneshot::error::RecvError) -> AppError {
    AppError::Internal("a delivery was dropped before it was applied; Stripe will retry".into())
}

async fn apply_group(db: &Db, tenant: Uuid, group: Vec<Delivery>) {
    if group.is_empty() {
        return;
    }
    let size = group.len();
    match apply_together(db, tenant, &group).await {
        Ok(outcomes) => {
            for (d, outcome) in group.into_iter().zip(outcomes) {
                let _ = d.answer.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::warn!(error = ?e, size, "a group of deliveries failed; applying each alone");
            for d in group {
                let outcome = apply_event(db, &d.event, &d.event.id, None).await;
                let _ = d.answer.send(outcome);
            }
        }
    }
}

/// Applies a group in one transaction, with one statement for each kind of row it writes
/// (payments, allocations, audit records, attempts, events) whatever its size; the outcome
/// of each delivery, in order.
#[tracing::instrument(name = "online.webhook_group", skip_all, fields(tenant.id = %tenant, size = group.len()))]
async fn apply_together(db: &Db, tenant: Uuid, group: &[Delivery]) -> AppResult<Vec<&'static str>> {
    let tx = db.begin_tenant_writes(tenant).await?;
    let at = Utc::now();
    let ids: Vec<Uuid> = group.iter().map(|d| d.attempt).collect();
    let mut attempts: HashMap<Uuid, store::Attempt> = store::lock_attempts(&tx, tenant, &ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let homes: Vec<Uuid> = attempts.values().map(|a| a.household_id).collect();
    households::lock(&tx, tenant, &homes).await?;
    let mut successes = Successes::owed_by(&tx, tenant, &homes).await?;
    // Each distinct event's outcome (`applied` when its money was received).
    let mut applied = Vec::with_capacity(group.len());
    let mut records = Vec::with_capacity(group.len());
    let mut seen = HashSet::new();
    for d in group {
        let e = &d.event;
        if !seen.insert(e.id.as_str()) {
            applied.push(None);
            continue;
        }
        let (outcome, detail) = match attempts.get_mut(&d.attempt) {
            Some(a) => successes.succeeded(a, e, at)?,
            None => ("ignored_unknown_object", None),
        };
        applied.push(Some(outcome));
        records.push(event_record(e, &e.id, Some(tenant), outcome, detail));
    }
    let book = successes.write(&tx, tenant).await?;
    let fresh = store::record_events(&tx, records).await?;
    let mut outcomes = Vec::with_capacity(group.len());
    for (d, applied) in group.iter().zip(applied) {
        outcomes.push(match applied {
            Some(outcome) if fresh.contains(&d.event.id) => outcome,
            Some("applied") => {
                return Err(AppError::Internal(
                    "an event recorded before had an effect again".into(),
                ));
            }
            // Delivered before: under the attempt's lock its effect was a no-op.
            Some(_) | None => "duplicate",
        });
    }
    if !book.is_empty() {
        crate::services::ledger::append_in(&tx, tenant, book).await?;
    }
    crate::services::crash_point("webhook-before-commit");
    tx.commit().await?;
    Ok(outcomes)
}
