//! Ranking the contractors for one order: who may take it, and in which order to ask them,
//! with the facts behind each place so the dispatcher sees why (and may choose another).

use std::cmp::Reverse;

use uuid::Uuid;

use super::Priority;

/// When a contractor answers calls, in minutes of the local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnCall {
    Always,
    /// From `from` to `to` (exclusive); past midnight when `from > to` (night shifts).
    Hours {
        from: u16,
        to: u16,
    },
}

impl OnCall {
    /// Hours a day has minutes; `None` for a bound past the day's end or an empty span.
    #[must_use]
    pub fn hours(from: u16, to: u16) -> Option<Self> {
        (from < 24 * 60 && to <= 24 * 60 && from != to).then_some(Self::Hours { from, to })
    }

    #[must_use]
    pub fn covers(self, minute_of_day: u16) -> bool {
        match self {
            Self::Always => true,
            Self::Hours { from, to } if from < to => (from..to).contains(&minute_of_day),
            Self::Hours { from, to } => minute_of_day >= from || minute_of_day < to,
        }
    }
}

/// What is known of one contractor for one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub has_trade: bool,
    /// Their service area holds the order's compound.
    pub covers_compound: bool,
    pub contract_active: bool,
    pub on_call_now: bool,
    pub open_jobs: u32,
    pub capacity: u32,
    /// Orders they completed, and how many of those before the deadline.
    pub completed: u32,
    pub completed_on_time: u32,
    /// Residents' ratings (1–5 stars): how many and their sum.
    pub ratings: u32,
    pub rating_sum: u32,
    /// They already declined this order.
    pub declined: bool,
}

/// Why a contractor may not take the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    Trade,
    Area,
    Contract,
    /// Off call, for an emergency.
    OffCall,
    /// As many open jobs as their capacity.
    Full,
    Declined,
}

impl Ineligible {
    /// A dispatcher may not override it: the contractor lacks the trade, the area, a
    /// contract, or already said no.
    #[must_use]
    pub fn is_hard(self) -> bool {
        matches!(
            self,
            Self::Trade | Self::Area | Self::Contract | Self::Declined
        )
    }
}

/// A contractor's place for one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub candidate: Candidate,
    /// 1 for the first to ask; `None` when they may not take it.
    pub place: Option<u32>,
    pub ineligible: Vec<Ineligible>,
    /// On-time completions per thousand, as ranked (a newcomer's assumed rate when none).
    pub on_time_permille: u32,
    /// Average rating in hundredths of a star, as ranked (assumed when none).
    pub rating_centi: u32,
}

/// A newcomer is ranked as a good contractor, not a bad one, so that new contractors get work.
const NEW_ON_TIME_PERMILLE: u32 = 900;
const NEW_RATING_CENTI: u32 = 400;

fn permille(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| u32::try_from(u64::from(part) * 1000 / u64::from(whole)).unwrap_or(1000))
}

fn ineligible(c: &Candidate, priority: Priority) -> Vec<Ineligible> {
    let checks = [
        (c.has_trade, Ineligible::Trade),
        (c.covers_compound, Ineligible::Area),
        (c.contract_active, Ineligible::Contract),
        (
            c.on_call_now || priority != Priority::Emergency,
            Ineligible::OffCall,
        ),
        (c.open_jobs < c.capacity, Ineligible::Full),
        (!c.declined, Ineligible::Declined),
    ];
    checks
        .into_iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, why)| why)
        .collect()
}

/// Ranks every candidate: the eligible first, by on-time rate, then rating, then on call now,
/// then spare capacity, then id (so the same facts always give the same order); the
/// ineligible after them, with their reasons.
#[must_use]
pub fn rank(candidates: Vec<Candidate>, priority: Priority) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = candidates
        .into_iter()
        .map(|c| Ranked {
            ineligible: ineligible(&c, priority),
            on_time_permille: permille(c.completed_on_time, c.completed)
                .unwrap_or(NEW_ON_TIME_PERMILLE),
            rating_centi: permille(c.rating_sum, c.ratings).map_or(NEW_RATING_CENTI, |p| p / 10),
            place: None,
            candidate: c,
        })
        .collect();
    ranked.sort_by_key(|r| {
        (
            !r.ineligible.is_empty(),
            Reverse(r.on_time_permille),
            Reverse(r.rating_centi),
            !r.candidate.on_call_now,
            Reverse(r.candidate.capacity.saturating_sub(r.candidate.open_jobs)),
            r.candidate.id,
        )
    });
    for (place, r) in (1..).zip(ranked.iter_mut().filter(|r| r.ineligible.is_empty())) {
        r.place = Some(place);
    }
    ranked
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn able(id: u128) -> Candidate {
        Candidate {
            id: Uuid::from_u128(id),
            has_trade: true,
            covers_compound: true,
            contract_active: true,
            on_call_now: true,
            open_jobs: 0,
            capacity: 3,
            completed: 10,
            completed_on_time: 9,
            ratings: 4,
            rating_sum: 18,
            declined: false,
        }
    }

    #[test]
    fn the_punctual_come_first_and_the_ineligible_last_with_reasons() {
        let late = Candidate {
            completed_on_time: 5,
            ..able(1)
        };
        let full = Candidate {
            open_jobs: 3,
            has_trade: false,
            ..able(2)
        };
        let good = able(3);
        let ranked = rank(vec![late, full, good], Priority::Normal);
        let order: Vec<u128> = ranked.iter().map(|r| r.candidate.id.as_u128()).collect();
        assert_eq!(order, [3, 1, 2]);
        assert_eq!(ranked[0].place, Some(1));
        assert_eq!(ranked[0].on_time_permille, 900);
        assert_eq!(ranked[0].rating_centi, 450);
        assert_eq!(ranked[2].place, None);
        assert_eq!(ranked[2].ineligible, [Ineligible::Trade, Ineligible::Full]);
    }

    #[test]
    fn off_call_bars_only_emergencies() {
        let asleep = Candidate {
            on_call_now: false,
            ..able(1)
        };
        assert_eq!(
            rank(vec![asleep.clone()], Priority::Urgent)[0].place,
            Some(1)
        );
        let ranked = rank(vec![asleep], Priority::Emergency);
        assert_eq!(ranked[0].ineligible, [Ineligible::OffCall]);
    }

    #[test]
    fn a_newcomer_is_ranked_as_a_good_contractor() {
        let new = Candidate {
            completed: 0,
            completed_on_time: 0,
            ratings: 0,
            rating_sum: 0,
            ..able(1)
        };
        let r = &rank(vec![new], Priority::Normal)[0];
        assert_eq!((r.on_time_permille, r.rating_centi), (900, 400));
    }

    #[test]
    fn night_hours_run_past_midnight() {
        let night = OnCall::Hours {
            from: 22 * 60,
            to: 6 * 60,
        };
        assert_eq!(OnCall::hours(22 * 60, 6 * 60), Some(night));
        assert!(night.covers(23 * 60));
        assert!(night.covers(5 * 60));
        assert!(!night.covers(12 * 60));
        assert_eq!(OnCall::hours(600, 600), None);
        assert_eq!(OnCall::hours(24 * 60, 60), None);
    }

    proptest! {
        #[test]
        fn ranking_is_the_same_whatever_order_candidates_come_in(
            seeds in proptest::collection::vec((0u32..5, 0u32..10, any::<bool>()), 1..8),
            rotate in 0usize..8,
        ) {
            let candidates: Vec<Candidate> = seeds
                .iter()
                .enumerate()
                .map(|(i, &(jobs, on_time, trade))| Candidate {
                    open_jobs: jobs,
                    completed_on_time: on_time,
                    has_trade: trade,
                    ..able(i as u128)
                })
                .collect();
            let mut turned = candidates.clone();
            turned.rotate_left(rotate % candidates.len());
            prop_assert_eq!(rank(candidates, Priority::Emergency), rank(turned, Priority::Emergency));
        }
    }
}
