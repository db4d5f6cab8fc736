//! How long a contractor has to answer a dispatch and to resolve an order, by priority.

use chrono::{DateTime, Duration, Utc};

use super::Priority;

/// One priority's limits, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// From dispatch to acceptance.
    pub respond_minutes: u32,
    /// From the report to completion.
    pub resolve_minutes: u32,
}

/// A compound's limits for each priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub emergency: Window,
    pub urgent: Window,
    pub normal: Window,
}

impl Default for Deadlines {
    /// Half an hour to answer an emergency and four hours to end it; two hours and a day for
    /// an urgent order; a day and three days for the rest.
    fn default() -> Self {
        Self {
            emergency: Window {
                respond_minutes: 30,
                resolve_minutes: 4 * 60,
            },
            urgent: Window {
                respond_minutes: 2 * 60,
                resolve_minutes: 24 * 60,
            },
            normal: Window {
                respond_minutes: 24 * 60,
                resolve_minutes: 72 * 60,
            },
        }
    }
}

impl Deadlines {
    #[must_use]
    pub fn window(&self, priority: Priority) -> Window {
        match priority {
            Priority::Emergency => self.emergency,
            Priority::Urgent => self.urgent,
            Priority::Normal => self.normal,
        }
    }

    /// When a contractor dispatched at `at` must have accepted.
    #[must_use]
    pub fn respond_by(&self, priority: Priority, at: DateTime<Utc>) -> DateTime<Utc> {
        at + Duration::minutes(i64::from(self.window(priority).respond_minutes))
    }

    /// When an order reported at `at` must be completed.
    #[must_use]
    pub fn resolve_by(&self, priority: Priority, at: DateTime<Utc>) -> DateTime<Utc> {
        at + Duration::minutes(i64::from(self.window(priority).resolve_minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emergency_is_answered_sooner_than_a_normal_order() {
        let at = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
        let d = Deadlines::default();
        assert_eq!(
            d.respond_by(Priority::Emergency, at) - at,
            Duration::minutes(30)
        );
        assert_eq!(d.resolve_by(Priority::Normal, at) - at, Duration::hours(72));
        assert!(d.respond_by(Priority::Urgent, at) < d.respond_by(Priority::Normal, at));
    }
}
