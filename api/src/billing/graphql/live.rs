//! Billing runs live: a run as it starts, commits each batch and finishes (on this server or
//! another on the same PostgreSQL database), so the accountant follows it without reloading.

use async_graphql::{Context, Subscription};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::runs::BillingRun;
use crate::billing::service;
use crate::platform::graphql::context::ContextExt;

#[derive(Default)]
pub struct BillingSubscription;

#[Subscription]
impl BillingSubscription {
    /// Each of the firm's billing runs as it moves, read afresh. For those who keep the books.
    async fn billing_run_changed(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = BillingRun> + use<>, async_graphql::Error> {
        let session = ctx.session()?.clone();
        service::follows_runs(&session)?;
        let db = ctx.db().clone();
        let events = db.events().subscribe();
        let tenant = session.tenant_id;
        // A subscriber that fell behind misses some batches; the next one reads the run afresh.
        let runs = stream::unfold(events, move |mut events| async move {
            loop {
                match events.recv().await {
                    Ok(p) if p.tenant == tenant => {
                        if let domain::Event::BillingRunProgressed { run } = p.event {
                            return Some((run, events));
                        }
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        });
        Ok(runs.filter_map(move |run| {
            let (db, session) = (db.clone(), session.clone());
            async move { service::run(&db, &session, run).await.ok().map(Into::into) }
        }))
    }
}
