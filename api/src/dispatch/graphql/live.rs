//! Work orders live: each change the caller may see, as it commits (on this server, or on
//! another on the same PostgreSQL database), so the board and the timelines update without
//! reloading.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::enums::{WorkOrderAction, WorkOrderState};
use crate::dispatch::service::hears;
use crate::platform::events::Published;
use crate::platform::graphql::context::{ContextExt, parse_id};

/// A work order changed: re-read it (or, with no order, everything shown: changes were
/// missed while the connection was busy).
#[derive(SimpleObject, Clone)]
pub struct WorkOrderChange {
    /// This notice's own id: two changes that leave an order in the same state (a photo
    /// added) are still two notices.
    pub id: ID,
    pub order_id: Option<ID>,
    /// The order's number within the firm.
    pub number: Option<u64>,
    /// The move that changed it; none when a photo was added.
    pub action: Option<WorkOrderAction>,
    pub compound_id: Option<ID>,
    pub state: Option<WorkOrderState>,
}

impl WorkOrderChange {
    fn missed() -> Self {
        Self {
            id: uuid::Uuid::now_v7().into(),
            order_id: None,
            number: None,
            action: None,
            compound_id: None,
            state: None,
        }
    }
}

#[derive(Default)]
pub struct WorkOrdersSubscription;

#[Subscription]
impl WorkOrdersSubscription {
    /// Each change to a work order the caller may read, in one compound if named.
    async fn work_order_changed(
        &self,
        ctx: &Context<'_>,
        compound_id: Option<ID>,
    ) -> Result<impl Stream<Item = WorkOrderChange> + use<>, async_graphql::Error> {
        let session = ctx.session()?.clone();
        let only = compound_id
            .map(|c| parse_id(&c, "compoundId"))
            .transpose()?;
        let events = ctx.db().events().subscribe();
        let heard = stream::unfold(events, |mut events| async move {
            match events.recv().await {
                Ok(published) => Some((Some(published), events)),
                Err(RecvError::Lagged(_)) => Some((None, events)),
                Err(RecvError::Closed) => None,
            }
        });
        Ok(heard.filter_map(move |p: Option<Published>| {
            let change = match p {
                None => Some(WorkOrderChange::missed()),
                Some(p) if p.tenant != session.tenant_id || !hears(&session, &p.event) => None,
                Some(p) => match p.event {
                    domain::Event::WorkOrderChanged {
                        order,
                        number,
                        action,
                        compound,
                        state,
                        ..
                    } if only.is_none_or(|c| c == compound) => Some(WorkOrderChange {
                        id: uuid::Uuid::now_v7().into(),
                        order_id: Some(order.into()),
                        number: Some(number),
                        action: action.map(Into::into),
                        compound_id: Some(compound.into()),
                        state: Some(state.into()),
                    }),
                    _ => None,
                },
            };
            std::future::ready(change)
        }))
    }
}
