//! The bus a unit of work publishes its events to, after it commits.

use tokio::sync::broadcast;
use uuid::Uuid;

pub use domain::Event;

/// An event and the firm it happened in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub tenant: Uuid,
    pub event: Event,
}

/// How many events a subscriber may fall behind before it loses the oldest
/// (`RecvError::Lagged`: it should then re-read what it shows).
const CAPACITY: usize = 1024;

/// Shared by every clone of the database handle: subscribers hear every firm's events and
/// keep those of the firm they serve.
#[derive(Clone, Debug)]
pub struct Events(broadcast::Sender<Published>);

impl Default for Events {
    fn default() -> Self {
        Self(broadcast::channel(CAPACITY).0)
    }
}

impl Events {
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.0.subscribe()
    }

    /// Sends to whoever is subscribed; with no one subscribed the events are dropped.
    pub(super) fn publish(&self, tenant: Uuid, events: Vec<Event>) {
        for event in events {
            tracing::debug!(?event, "published");
            // An error only means no one is subscribed.
            let _ = self.0.send(Published { tenant, event });
        }
    }
}
