//! Households and the people attached to them.

use chrono::NaiveDate;

use crate::code::code_enum;

code_enum!(
    /// How a person belongs to a household.
    MemberRole {
        Owner = "owner",
        CoOwner = "co_owner",
        Tenant = "tenant",
        FamilyMember = "family_member",
    }
);

impl MemberRole {
    /// Only owners and co-owners hold a share of the property, and so may vote.
    #[must_use]
    pub fn holds_title(self) -> bool {
        matches!(self, Self::Owner | Self::CoOwner)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must not end before it starts")]
pub struct PeriodError;

/// A span of days, open-ended when `to` is `None`; both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl Period {
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Self, PeriodError> {
        match to {
            Some(to) if to < from => Err(PeriodError),
            _ => Ok(Self { from, to }),
        }
    }

    #[must_use]
    pub fn from(self) -> NaiveDate {
        self.from
    }

    #[must_use]
    pub fn to(self) -> Option<NaiveDate> {
        self.to
    }

    #[must_use]
    pub fn contains(self, day: NaiveDate) -> bool {
        day >= self.from && self.to.is_none_or(|to| day <= to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn periods_cannot_run_backwards() {
        assert_eq!(
            Period::new(d(2026, 5, 2), Some(d(2026, 5, 1))),
            Err(PeriodError)
        );
        assert!(Period::new(d(2026, 5, 1), Some(d(2026, 5, 1))).is_ok());
        let open = Period::new(d(2026, 1, 1), None).unwrap_or_else(|_| unreachable!());
        assert!(open.contains(d(2099, 1, 1)));
        assert!(!open.contains(d(2025, 12, 31)));
    }

    #[test]
    fn only_title_holders_vote() {
        assert!(MemberRole::Owner.holds_title());
        assert!(MemberRole::CoOwner.holds_title());
        assert!(!MemberRole::Tenant.holds_title());
        assert!(!MemberRole::FamilyMember.holds_title());
    }
}
