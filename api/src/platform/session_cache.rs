//! Signed-in sessions this server has verified lately, so that a request does not look its
//! session, grants and reach up again (decision 0022).
//!
//! An entry is used only while all of these hold: it was loaded less than [`TTL`] ago, on
//! the same day (a committee member's grant ends with a day), before its session expires,
//! and nothing has changed the firm's access since. A change of access (a role granted or
//! taken away, a term, a sign-out, a compound moved between bundles) is published as
//! [`Event::AccessChanged`]: the server that committed it forgets the firm's entries before
//! answering, the other servers when the event reaches them through PostgreSQL's `NOTIFY`.
//! A load that raced with a change is not kept ([`SessionCache::keep`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use quick_cache::sync::Cache;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::events::{Event, Events};
use super::request::RequestContext;

/// How long an entry is trusted without a change of access being heard: the bound on what a
/// lost `NOTIFY` could leave stale.
pub const TTL: TimeDelta = TimeDelta::seconds(60);

/// Sessions held at most: a firm's busiest minute, with room to spare.
const CAPACITY: usize = 100_000;

#[derive(Clone)]
struct Entry {
    ctx: Arc<RequestContext>,
    session_expires: DateTime<Utc>,
    loaded_at: DateTime<Utc>,
    day: NaiveDate,
}

/// Shared by every clone of the database handle.
#[derive(Clone)]
pub struct SessionCache {
    entries: Arc<Cache<String, Entry>>,
    /// Bumped by every forgetting; a load that saw another value is not kept.
    generation: Arc<AtomicU64>,
    /// Lookups that found a good entry, and those that did not, for `/metrics`.
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl Default for SessionCache {
    fn default() -> Self {
        Self {
            entries: Arc::new(Cache::new(CAPACITY)),
            generation: Arc::default(),
            hits: Arc::default(),
            misses: Arc::default(),
        }
    }
}

/// Where a load began: passed back to [`SessionCache::keep`].
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

impl SessionCache {
    /// The context of the session whose token hashes to `token_hash`, if held and still good
    /// at `now`.
    #[must_use]
    pub fn get(&self, token_hash: &str, now: DateTime<Utc>) -> Option<RequestContext> {
        let found = self.entries.get(token_hash).and_then(|e| {
            let fresh =
                now < e.session_expires && now - e.loaded_at < TTL && now.date_naive() == e.day;
            if !fresh {
                self.entries.remove(token_hash);
            }
            fresh.then(|| RequestContext::clone(&e.ctx))
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Lookups so far that found a good entry, and those that did not.
    #[must_use]
    pub fn lookups(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Taken before loading a session from the database.
    #[must_use]
    pub fn ticket(&self) -> Ticket {
        Ticket(self.generation.load(Ordering::Acquire))
    }

    /// Keeps a context loaded at `now`, unless access changed since `ticket` was taken.
    pub fn keep(
        &self,
        ticket: Ticket,
        ctx: &RequestContext,
        session_expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let entry = Entry {
            ctx: Arc::new(ctx.clone()),
            session_expires,
            loaded_at: now,
            day: now.date_naive(),
        };
        self.entries.insert(ctx.token_hash.clone(), entry);
        // A forgetting that ran while this was loaded, or while it was inserted, wins.
        if self.generation.load(Ordering::Acquire) != ticket.0 {
            self.entries.remove(&ctx.token_hash);
        }
    }

    /// Forgets every session of `tenant`'s.
    pub fn forget_tenant(&self, tenant: Uuid) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.retain(|_, e| e.ctx.tenant_id != tenant);
    }

    /// Forgets every session.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.clear();
    }

    /// Forgets a firm's sessions whenever an [`Event::AccessChanged`] of it is heard — from
    /// another server, as this one forgets its own before it publishes — for as long as the
    /// server runs. Having fallen behind the events, it forgets everything.
    pub fn follow(&self, events: &Events) {
        let mut heard = events.subscribe();
        let cache = self.clone();
        tokio::spawn(async move {
            loop {
                match heard.recv().await {
                    Ok(p) if p.event == Event::AccessChanged => cache.forget_tenant(p.tenant),
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => cache.forget_all(),
                    Err(RecvError::Closed) => return,
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use domain::Principal;

    use super::*;
    use crate::platform::scope::Reach;

    fn ctx(tenant: u128, token: &str) -> RequestContext {
        RequestContext {
            tenant_id: Uuid::from_u128(tenant),
            principal: Principal {
                user_id: Uuid::from_u128(9),
                grants: vec![],
            },
            reach: Reach::everything(),
            token_hash: token.to_owned(),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn an_entry_lasts_its_ttl_its_day_and_its_session() {
        let cache = SessionCache::default();
        let now = at("2026-12-04T10:00:00Z");
        cache.keep(
            cache.ticket(),
            &ctx(1, "a"),
            at("2026-12-05T00:00:00Z"),
            now,
        );
        assert!(cache.get("a", now + TimeDelta::seconds(59)).is_some());
        assert!(cache.get("a", now + TTL).is_none());

        let late = at("2026-12-04T23:59:30Z");
        cache.keep(
            cache.ticket(),
            &ctx(1, "b"),
            at("2027-01-01T00:00:00Z"),
            late,
        );
        assert!(cache.get("b", late).is_some());
        assert!(
            cache.get("b", at("2026-12-05T00:00:10Z")).is_none(),
            "a new day"
        );

        cache.keep(
            cache.ticket(),
            &ctx(1, "c"),
            now + TimeDelta::seconds(5),
            now,
        );
        assert!(
            cache.get("c", now + TimeDelta::seconds(5)).is_none(),
            "session over"
        );
        assert_eq!(cache.lookups(), (2, 3));
    }

    #[test]
    fn forgetting_a_firm_leaves_the_others() {
        let cache = SessionCache::default();
        let now = at("2026-12-04T10:00:00Z");
        let until = at("2026-12-05T00:00:00Z");
        cache.keep(cache.ticket(), &ctx(1, "a"), until, now);
        cache.keep(cache.ticket(), &ctx(2, "b"), until, now);
        cache.forget_tenant(Uuid::from_u128(1));
        assert!(cache.get("a", now).is_none());
        assert!(cache.get("b", now).is_some());
    }

    #[test]
    fn a_load_that_raced_with_a_change_is_not_kept() {
        let cache = SessionCache::default();
        let now = at("2026-12-04T10:00:00Z");
        let ticket = cache.ticket();
        cache.forget_tenant(Uuid::from_u128(2));
        cache.keep(ticket, &ctx(1, "a"), at("2026-12-05T00:00:00Z"), now);
        assert!(cache.get("a", now).is_none());
    }
}
