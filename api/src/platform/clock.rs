//! The time as the server sees it: the system's, unless a test holds it at a moment of its
//! choosing (so that rules about "this month" and "the future" are tested on any day).

use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, NaiveDate, Utc};

/// Shared by every clone: holding one holds them all.
#[derive(Clone, Debug, Default)]
pub struct Clock(Arc<RwLock<Option<DateTime<Utc>>>>);

impl Clock {
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .unwrap_or_else(Utc::now)
    }

    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Stops the clock at `at`: for tests, and for the demo writing months of history as they
    /// happened; nothing in the server calls it.
    pub fn hold_at(&self, at: DateTime<Utc>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_clock_holds_for_every_clone() {
        let clock = Clock::default();
        let other = clock.clone();
        let at = DateTime::parse_from_rfc3339("2030-02-03T04:05:06Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert!(other.now() > at - chrono::Duration::days(365 * 20));
        clock.hold_at(at);
        assert_eq!(other.now(), at);
        assert_eq!(other.today().to_string(), "2030-02-03");
    }
}
