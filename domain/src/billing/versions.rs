//! Which fee schedule version, and which add-ons, a billing run applies to a compound in a
//! period.

use uuid::Uuid;

use super::BillingPeriod;

/// Whom a fee schedule version applies to: a bundle's default, or one compound's own (the
/// compound then ignores its bundle's versions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleScope {
    Bundle(Uuid),
    Compound(Uuid),
}

impl ScheduleScope {
    /// How the scope is stored: `bundle:<id>` or `compound:<id>`.
    #[must_use]
    pub fn key(self) -> String {
        match self {
            Self::Bundle(id) => format!("bundle:{id}"),
            Self::Compound(id) => format!("compound:{id}"),
        }
    }
}

/// The version in force for a compound of `bundle` in `period`: the compound's own latest
/// version effective by then, else its bundle's. `scope_of` gives a version's scope and its
/// first month.
pub fn in_force<T>(
    versions: &[T],
    scope_of: impl Fn(&T) -> (ScheduleScope, BillingPeriod),
    compound: Uuid,
    bundle: Uuid,
    period: BillingPeriod,
) -> Option<&T> {
    let latest = |scope: ScheduleScope| {
        versions
            .iter()
            .map(|v| (v, scope_of(v)))
            .filter(|(_, (s, from))| *s == scope && *from <= period)
            .max_by_key(|(_, (_, from))| *from)
            .map(|(v, _)| v)
    };
    latest(ScheduleScope::Compound(compound)).or_else(|| latest(ScheduleScope::Bundle(bundle)))
}

/// Whether an add-on activated from `from` through `to` (inclusive; open-ended without) is
/// billed in `period`.
#[must_use]
pub fn addon_covers(from: BillingPeriod, to: Option<BillingPeriod>, period: BillingPeriod) -> bool {
    from <= period && to.is_none_or(|t| period <= t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(s: &str) -> BillingPeriod {
        BillingPeriod::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_compound_s_own_version_wins_once_it_is_effective() {
        let (bundle, compound) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let versions = [
            (
                "bundle 2026-01",
                ScheduleScope::Bundle(bundle),
                month("2026-01"),
            ),
            (
                "bundle 2026-06",
                ScheduleScope::Bundle(bundle),
                month("2026-06"),
            ),
            (
                "own 2026-09",
                ScheduleScope::Compound(compound),
                month("2026-09"),
            ),
            (
                "other compound",
                ScheduleScope::Compound(Uuid::from_u128(3)),
                month("2026-01"),
            ),
        ];
        let at =
            |p: &str| in_force(&versions, |v| (v.1, v.2), compound, bundle, month(p)).map(|v| v.0);
        assert_eq!(at("2025-12"), None, "nothing effective yet");
        assert_eq!(at("2026-01"), Some("bundle 2026-01"));
        assert_eq!(at("2026-08"), Some("bundle 2026-06"), "the bundle's latest");
        assert_eq!(
            at("2026-09"),
            Some("own 2026-09"),
            "the compound's own from its month"
        );
        assert_eq!(at("2027-03"), Some("own 2026-09"));
    }

    #[test]
    fn an_add_on_is_billed_from_its_first_month_through_its_last() {
        let (from, to) = (month("2026-03"), month("2026-05"));
        assert!(!addon_covers(from, Some(to), month("2026-02")));
        assert!(addon_covers(from, Some(to), month("2026-03")));
        assert!(addon_covers(from, Some(to), month("2026-05")));
        assert!(!addon_covers(from, Some(to), month("2026-06")));
        assert!(addon_covers(from, None, month("2030-01")), "open-ended");
    }

    #[test]
    fn a_scope_is_stored_by_kind_and_id() {
        let id = Uuid::from_u128(7);
        assert_eq!(ScheduleScope::Bundle(id).key(), format!("bundle:{id}"));
        assert_eq!(ScheduleScope::Compound(id).key(), format!("compound:{id}"));
    }
}
