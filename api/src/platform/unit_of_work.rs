//! A use case's transaction and what it leaves behind.
//!
//! A use case that writes begins one `UnitOfWork`, writes through [`UnitOfWork::tx`], and
//! queues what must come after its own writes: audit records, the ledger's appends, events.
//! [`UnitOfWork::commit`] then writes them in one order everywhere —
//!
//! 1. the use case's own writes, as it went (rows it locks are locked in the order the areas
//!    document: refund, attempt, household);
//! 2. its audit records, in one statement;
//! 3. the writes queued to come last: the ledger's appends, which take the firm's ledger
//!    lock, so that lock is held only from the append to the commit;
//! 4. `COMMIT`;
//! 5. its events, published on [`Events`] — never before the commit, so no subscriber hears
//!    of a change that was rolled back; a change of access first makes this server forget
//!    the firm's signed-in sessions (`session_cache`). Dropping a unit of work rolls it
//!    back and publishes nothing.

use std::sync::Mutex;

use futures_util::future::BoxFuture;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::db::Db;
use super::error::AppResult;
use super::events::{Event, Events};
use super::request::RequestContext;
use super::session_cache::SessionCache;

/// A write queued to come last in the transaction, given the transaction and the tenant.
pub type LastWrite =
    Box<dyn for<'t> FnOnce(&'t DatabaseTransaction, Uuid) -> BoxFuture<'t, AppResult<()>> + Send>;

/// One audit record: who did what to which record.
struct Audit {
    actor: Option<Uuid>,
    action: &'static str,
    subject_kind: &'static str,
    subject_id: Option<Uuid>,
    detail: serde_json::Value,
}

#[derive(Default)]
struct Queued {
    audit: Vec<Audit>,
    last: Vec<LastWrite>,
    events: Vec<Event>,
}

pub struct UnitOfWork {
    tx: DatabaseTransaction,
    tenant: Uuid,
    actor: Option<Uuid>,
    // Queued through `&self`, so the use case may hold `tx()` borrowed while it queues.
    queued: Mutex<Queued>,
    events: Events,
    sessions: SessionCache,
}

impl UnitOfWork {
    /// A unit of work of the request's firm, acted by its user.
    pub async fn begin(db: &Db, ctx: &RequestContext) -> AppResult<Self> {
        Self::begin_for(db, ctx.tenant_id, Some(ctx.user_id())).await
    }

    /// A unit of work of `tenant`'s, acted by `actor` (`None`: the system, such as a webhook).
    pub async fn begin_for(db: &Db, tenant: Uuid, actor: Option<Uuid>) -> AppResult<Self> {
        Ok(Self {
            tx: db.begin_tenant_writes(tenant).await?,
            tenant,
            actor,
            queued: Mutex::default(),
            events: db.events().clone(),
            sessions: db.sessions().clone(),
        })
    }

    #[must_use]
    pub fn tx(&self) -> &DatabaseTransaction {
        &self.tx
    }

    #[must_use]
    pub fn tenant(&self) -> Uuid {
        self.tenant
    }

    fn queue(&self, f: impl FnOnce(&mut Queued)) {
        f(&mut self
            .queued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
    }

    /// Records, at the commit, that the unit's actor did `action` to a record (or to the
    /// firm as a whole, with no `subject_id`).
    pub fn audit(
        &self,
        action: &'static str,
        subject_kind: &'static str,
        subject_id: impl Into<Option<Uuid>>,
        detail: serde_json::Value,
    ) {
        self.audit_by(self.actor, action, subject_kind, subject_id, detail);
    }

    /// [`Self::audit`] of what `actor` did, when that is not the unit's actor (a refund a
    /// webhook settles was asked for by a user).
    pub fn audit_by(
        &self,
        actor: Option<Uuid>,
        action: &'static str,
        subject_kind: &'static str,
        subject_id: impl Into<Option<Uuid>>,
        detail: serde_json::Value,
    ) {
        let subject_id = subject_id.into();
        self.queue(|q| {
            q.audit.push(Audit {
                actor,
                action,
                subject_kind,
                subject_id,
                detail,
            });
        });
    }

    /// Queues a write to come after every other write of the unit (the ledger's append).
    pub fn last(&self, write: LastWrite) {
        self.queue(|q| q.last.push(write));
    }

    /// Publishes `event` once the unit has committed.
    pub fn publish(&self, event: Event) {
        self.queue(|q| q.events.push(event));
    }

    /// Rolls back: nothing queued is written or published.
    pub async fn rollback(self) -> AppResult<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Writes what was queued, commits, then publishes the events.
    #[tracing::instrument(name = "unit_of_work.commit", skip_all)]
    pub async fn commit(self) -> AppResult<()> {
        let queued = self
            .queued
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let records = queued.audit.into_iter().map(|a| AuditEntry {
            actor: a.actor,
            action: a.action,
            subject_kind: a.subject_kind,
            subject_id: a.subject_id,
            detail: a.detail,
        });
        audit::record_all(&self.tx, self.tenant, records).await?;
        for write in queued.last {
            write(&self.tx, self.tenant).await?;
        }
        self.tx.commit().await?;
        if queued.events.contains(&Event::AccessChanged) {
            // Before anyone hears of the change: this server's next request checks afresh.
            self.sessions.forget_tenant(self.tenant);
        }
        self.events.publish(self.tenant, queued.events);
        Ok(())
    }
}
