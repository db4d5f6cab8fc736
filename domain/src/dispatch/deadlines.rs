//! A compound's dispatch rules: how long a contractor has to answer a dispatch and to resolve
//! an order, by priority, and above what a household must agree to bear a repair's cost.

use chrono::{DateTime, Duration, Utc};

use super::Priority;
use crate::Money;

/// One priority's limits, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// From dispatch to acceptance.
    pub respond_minutes: u32,
    /// From the report to completion.
    pub resolve_minutes: u32,
}

/// The shortest limit a compound may set (5 minutes) and the longest (30 days).
pub const SHORTEST_MINUTES: u32 = 5;
pub const LONGEST_MINUTES: u32 = 30 * 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("a time limit must be between 5 minutes and 30 days")]
    OutOfRange,
    #[error("the time to answer must not be longer than the time to resolve")]
    AnswerAfterResolve,
    #[error("the amount a household may be charged without agreeing must not be negative")]
    NegativeThreshold,
}

impl Window {
    pub fn new(respond_minutes: u32, resolve_minutes: u32) -> Result<Self, RulesError> {
        let range = SHORTEST_MINUTES..=LONGEST_MINUTES;
        if !range.contains(&respond_minutes) || !range.contains(&resolve_minutes) {
            return Err(RulesError::OutOfRange);
        }
        if respond_minutes > resolve_minutes {
            return Err(RulesError::AnswerAfterResolve);
        }
        Ok(Self {
            respond_minutes,
            resolve_minutes,
        })
    }
}

/// A compound's rules: its deadlines, and the estimate above which the household must agree
/// before the order is dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub deadlines: Deadlines,
    pub confirm_above: Money,
}

impl Default for Rules {
    /// The default deadlines, and the household's agreement above 100.00 yuan.
    fn default() -> Self {
        Self {
            deadlines: Deadlines::default(),
            confirm_above: Money::from_fen(10_000),
        }
    }
}

impl Rules {
    pub fn new(deadlines: Deadlines, confirm_above: Money) -> Result<Self, RulesError> {
        if confirm_above.fen() < 0 {
            return Err(RulesError::NegativeThreshold);
        }
        Ok(Self {
            deadlines,
            confirm_above,
        })
    }

    /// Whether a household must agree to an estimate before work starts.
    #[must_use]
    pub fn needs_confirmation(&self, estimate: Money) -> bool {
        estimate > self.confirm_above
    }
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
    fn a_window_answers_no_later_than_it_resolves_within_thirty_days() {
        assert!(Window::new(30, 240).is_ok());
        assert_eq!(Window::new(300, 240), Err(RulesError::AnswerAfterResolve));
        assert_eq!(Window::new(4, 240), Err(RulesError::OutOfRange));
        assert_eq!(
            Window::new(30, 30 * 24 * 60 + 1),
            Err(RulesError::OutOfRange)
        );
        let rules = Rules::default();
        assert!(!rules.needs_confirmation(Money::from_fen(10_000)));
        assert!(rules.needs_confirmation(Money::from_fen(10_001)));
        assert_eq!(
            Rules::new(Deadlines::default(), Money::from_fen(-1)),
            Err(RulesError::NegativeThreshold)
        );
    }

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
