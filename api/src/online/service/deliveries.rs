//! Succeeded payments of one firm that arrive together are applied together.
//!
//! Each delivery of a `payment_intent.succeeded` event joins its firm's queue. Whoever takes
//! the firm's turn applies what is queued (the oldest [`MAX_GROUP`]) as one group: one
//! transaction, its attempts and households locked by one statement each (in id order, the
//! order every path locks them), one statement for each kind of row it reads or writes
//! whatever its size, one ledger append and one commit; then every delivery of the group
//! gets its answer, and each is answered 2xx only after that commit. A delivery finds its
//! answer waiting, or takes turns itself until it is answered. Should the group fail as a
//! whole, each of its deliveries is applied alone, as any other event is, so one bad event
//! costs the others nothing but time. (A few statements and one commit per group instead of
//! several per event: docs/benchmarks.md.)

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::apply::{Successes, apply_event, event_record};
use crate::online::store;
use crate::online::stripe::event::Event;
use crate::platform::UnitOfWork;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::households;

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

/// At most this many deliveries are applied as one group, so that its statements stay far
/// below the engines' limits on bound parameters (13 per payment; SQLite allows 32,766).
const MAX_GROUP: usize = 500;

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
        self.in_turn(tenant, attempt, event, MAX_GROUP, |group| {
            apply_group(db, tenant, group)
        })
        .await
    }

    /// Queues a delivery and waits for its answer; while it waits, takes the firm's turns to
    /// `apply` up to `max` of the oldest queued deliveries at a time.
    async fn in_turn<F: Future<Output = ()>>(
        &self,
        tenant: Uuid,
        attempt: Uuid,
        event: Event,
        max: usize,
        apply: impl Fn(Vec<Delivery>) -> F,
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
        loop {
            tokio::select! {
                biased;
                done = &mut answered => return done.map_err(dropped)?,
                _turn = firm.turns.acquire() => {
                    let group: Vec<Delivery> = {
                        let mut queue = firm.queue.lock().unwrap_or_else(PoisonError::into_inner);
                        let n = queue.len().min(max);
                        queue.drain(..n).collect()
                    };
                    apply(group).await;
                }
            }
        }
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
    let uow = UnitOfWork::begin_for(db, tenant, None).await?;
    let tx = uow.tx();
    let at = Utc::now();
    let ids: Vec<Uuid> = group.iter().map(|d| d.attempt).collect();
    let mut attempts: HashMap<Uuid, crate::online::model::Attempt> =
        store::lock_attempts(tx, tenant, &ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    let homes: Vec<Uuid> = attempts.values().map(|a| a.household_id).collect();
    households::lock(tx, tenant, &homes).await?;
    let mut successes = Successes::owed_by(tx, tenant, &homes).await?;
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
    successes.write(&uow).await?;
    let fresh = store::record_events(tx, records).await?;
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
    crate::platform::crash_point("webhook-before-commit");
    uow.commit().await?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn event(n: usize) -> Event {
        let raw = format!(
            r#"{{"id":"evt_{n}","type":"charge.updated","created":1,"data":{{"object":{{"id":"ch_{n}"}}}}}}"#
        );
        crate::online::stripe::event::parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Answers every delivery of a group `applied`, noting the group's size.
    fn answering(
        sizes: Arc<Mutex<Vec<usize>>>,
    ) -> impl Fn(Vec<Delivery>) -> futures_util::future::BoxFuture<'static, ()> {
        move |group: Vec<Delivery>| {
            let sizes = Arc::clone(&sizes);
            Box::pin(async move {
                sizes
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(group.len());
                tokio::task::yield_now().await;
                for d in group {
                    let _ = d.answer.send(Ok("applied"));
                }
            })
        }
    }

    fn sizes_of(sizes: &Mutex<Vec<usize>>) -> Vec<usize> {
        sizes.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    #[tokio::test]
    async fn a_delivery_behind_a_full_group_takes_another_turn_for_itself() {
        let deliveries = Deliveries::default();
        let firm = Arc::clone(
            deliveries
                .firms
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(Uuid::nil())
                .or_default(),
        );
        // Five deliveries queued before ours, whose senders wait elsewhere.
        let mut earlier = Vec::new();
        for n in 0..5 {
            let (answer, answered) = oneshot::channel();
            firm.queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Delivery {
                    event: event(n),
                    attempt: Uuid::nil(),
                    answer,
                });
            earlier.push(answered);
        }
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let ours = deliveries.in_turn(
            Uuid::nil(),
            Uuid::nil(),
            event(5),
            4,
            answering(Arc::clone(&sizes)),
        );
        let answer = tokio::time::timeout(Duration::from_secs(10), ours)
            .await
            .unwrap_or_else(|_| panic!("our delivery was left in the queue"));
        assert_eq!(answer.ok(), Some("applied"));
        for answered in earlier {
            assert_eq!(answered.await.ok().and_then(Result::ok), Some("applied"));
        }
        assert_eq!(sizes_of(&sizes), [4, 2]);
    }

    #[tokio::test]
    async fn a_burst_larger_than_a_group_is_applied_in_groups_and_every_delivery_answered() {
        let deliveries = Arc::new(Deliveries::default());
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let waiting: Vec<_> = (0..50)
            .map(|n| {
                let deliveries = Arc::clone(&deliveries);
                let apply = answering(Arc::clone(&sizes));
                tokio::spawn(async move {
                    deliveries
                        .in_turn(Uuid::nil(), Uuid::nil(), event(n), 4, apply)
                        .await
                })
            })
            .collect();
        for w in waiting {
            let answer = tokio::time::timeout(Duration::from_secs(10), w)
                .await
                .unwrap_or_else(|_| panic!("a delivery was never answered"))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(answer.ok(), Some("applied"));
        }
        let sizes = sizes_of(&sizes);
        assert_eq!(sizes.iter().sum::<usize>(), 50, "{sizes:?}");
        assert!(sizes.iter().all(|&n| (1..=4).contains(&n)), "{sizes:?}");
        assert!(sizes.contains(&4), "{sizes:?}");
    }
}
