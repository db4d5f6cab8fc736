//! The bus a unit of work publishes its events to, after it commits.
//!
//! Subscribers on this server hear them at once. With several servers on one PostgreSQL
//! database, the events live subscribers follow (work orders changing, billing runs'
//! progress) and changes of access (which make every server forget a firm's signed-in
//! sessions) are also relayed through `NOTIFY` and heard by every other server's `LISTEN`
//! ([`Events::relay`]): no new infrastructure. A server does not re-hear its own events (each carries its origin).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use domain::dispatch::{Action, OrderState};
use sea_orm::sqlx::postgres::{PgListener, PgPool};
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};
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

/// The PostgreSQL channel the servers relay events on.
const CHANNEL: &str = "courtyard_events";

/// Shared by every clone of the database handle: subscribers hear every firm's events and
/// keep those of the firm they serve.
#[derive(Clone, Debug)]
pub struct Events {
    local: broadcast::Sender<Published>,
    /// This server, so that it ignores its own events coming back from PostgreSQL.
    origin: Uuid,
    /// Set once relaying starts: the events to `NOTIFY`, as their JSON.
    outbox: Arc<OnceLock<mpsc::UnboundedSender<String>>>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            local: broadcast::channel(CAPACITY).0,
            origin: Uuid::now_v7(),
            outbox: Arc::default(),
        }
    }
}

impl Events {
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.local.subscribe()
    }

    /// Sends to whoever is subscribed here, and to the other servers when relaying; with no
    /// one subscribed the events are dropped.
    pub(super) fn publish(&self, tenant: Uuid, events: Vec<Event>) {
        for event in events {
            tracing::debug!(?event, "published");
            if let (Some(outbox), Some(wire)) = (self.outbox.get(), self.wire(tenant, &event)) {
                let _ = outbox.send(wire);
            }
            // An error only means no one is subscribed.
            let _ = self.local.send(Published { tenant, event });
        }
    }

    /// Relays events between this server and the others on the same PostgreSQL database, for
    /// as long as the server runs: one connection listens, the pool notifies.
    pub fn relay(&self, pool: PgPool) {
        let (outbox, mut outgoing) = mpsc::unbounded_channel::<String>();
        if self.outbox.set(outbox).is_err() {
            return;
        }
        let notifier = pool.clone();
        tokio::spawn(async move {
            while let Some(payload) = outgoing.recv().await {
                let sent = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(&notifier)
                    .await;
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "relaying an event to the other servers failed");
                }
            }
        });
        let events = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = events.listen(&pool).await {
                    tracing::warn!(error = %e, "listening for other servers' events failed; retrying");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    async fn listen(&self, pool: &PgPool) -> Result<(), sea_orm::sqlx::Error> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        loop {
            let note = listener.recv().await?;
            if let Some(p) = self.unwire(note.payload()) {
                let _ = self.local.send(p);
            }
        }
    }

    /// An event as the other servers read it; `None` for events only this server follows.
    fn wire(&self, tenant: Uuid, event: &Event) -> Option<String> {
        if *event == Event::AccessChanged {
            return Some(
                json!({ "origin": self.origin, "tenant": tenant, "access": true }).to_string(),
            );
        }
        if let Event::BillingRunProgressed { run } = event {
            return Some(
                json!({ "origin": self.origin, "tenant": tenant, "billingRun": run }).to_string(),
            );
        }
        let Event::WorkOrderChanged {
            order,
            number,
            action,
            compound,
            state,
            contractor,
            reporter,
            household,
        } = event
        else {
            return None;
        };
        Some(
            json!({ "origin": self.origin, "tenant": tenant, "order": order, "number": number,
                    "action": action.map(Action::code), "compound": compound,
                    "state": state.code(), "contractor": contractor, "reporter": reporter,
                    "household": household })
            .to_string(),
        )
    }

    /// Another server's event; `None` for this server's own, or anything unreadable.
    fn unwire(&self, payload: &str) -> Option<Published> {
        let v: Value = serde_json::from_str(payload).ok()?;
        let id = |key: &str| v[key].as_str().and_then(|s| Uuid::parse_str(s).ok());
        if id("origin")? == self.origin {
            return None;
        }
        if v["access"] == json!(true) {
            return Some(Published {
                tenant: id("tenant")?,
                event: Event::AccessChanged,
            });
        }
        if let Some(run) = id("billingRun") {
            return Some(Published {
                tenant: id("tenant")?,
                event: Event::BillingRunProgressed { run },
            });
        }
        Some(Published {
            tenant: id("tenant")?,
            event: Event::WorkOrderChanged {
                order: id("order")?,
                number: v["number"].as_u64()?,
                action: match v["action"].as_str() {
                    Some(code) => Some(Action::from_code(code)?),
                    None => None,
                },
                compound: id("compound")?,
                state: OrderState::from_code(v["state"].as_str()?)?,
                contractor: id("contractor"),
                reporter: id("reporter")?,
                household: id("household"),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_work_order_event_crosses_to_another_server_but_not_back_to_its_own() {
        let (here, there) = (Events::default(), Events::default());
        let event = Event::WorkOrderChanged {
            order: Uuid::from_u128(1),
            number: 7,
            action: Some(Action::Dispatch),
            compound: Uuid::from_u128(2),
            state: OrderState::Dispatched,
            contractor: Some(Uuid::from_u128(3)),
            reporter: Uuid::from_u128(4),
            household: None,
        };
        let tenant = Uuid::from_u128(5);
        let wire = here.wire(tenant, &event).unwrap_or_default();
        assert_eq!(there.unwire(&wire), Some(Published { tenant, event }));
        assert_eq!(here.unwire(&wire), None);
        let other = Event::PaymentReversed {
            payment: Uuid::nil(),
            household: Uuid::nil(),
        };
        assert_eq!(here.wire(tenant, &other), None);
    }

    #[test]
    fn a_billing_run_s_progress_crosses_to_another_server() {
        let (here, there) = (Events::default(), Events::default());
        let heard = Published {
            tenant: Uuid::from_u128(5),
            event: Event::BillingRunProgressed {
                run: Uuid::from_u128(6),
            },
        };
        let wire = here.wire(heard.tenant, &heard.event).unwrap_or_default();
        assert_eq!(there.unwire(&wire), Some(heard));
        assert_eq!(here.unwire(&wire), None);
    }

    #[test]
    fn a_change_of_access_crosses_to_another_server() {
        let (here, there) = (Events::default(), Events::default());
        let tenant = Uuid::from_u128(5);
        let wire = here.wire(tenant, &Event::AccessChanged).unwrap_or_default();
        let heard = Published {
            tenant,
            event: Event::AccessChanged,
        };
        assert_eq!(there.unwire(&wire), Some(heard));
        assert_eq!(here.unwire(&wire), None);
    }
}
