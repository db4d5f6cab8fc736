//! Counting a vote: ballots against the frozen roll, participation, and the result by the
//! matter's rule, in exact integer arithmetic.

use std::collections::HashSet;

use super::Rule;
use super::roll::{Holder, Roll};
use crate::code::code_enum;

code_enum!(
    /// A ballot's choice.
    Choice {
        Yes = "yes",
        No = "no",
        Abstain = "abstain",
    }
);

/// Owners by head and their area (hundredths of a square metre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub owners: u64,
    pub area: u64,
}

impl Count {
    fn add(&mut self, area: u64) {
        self.owners += 1;
        self.area += area;
    }

    fn plus(self, other: Self) -> Self {
        Self {
            owners: self.owners + other.owners,
            area: self.area + other.area,
        }
    }

    /// At least `num/den` of `whole`, by head and by area (`以上`: the boundary counts).
    fn at_least(self, num: u64, den: u64, whole: Self) -> bool {
        let ok = |part: u64, all: u64| {
            u128::from(part) * u128::from(den) >= u128::from(all) * u128::from(num)
        };
        ok(self.owners, whole.owners) && ok(self.area, whole.area)
    }

    /// More than half of `whole`, by head and by area (`过半数`: half is not enough).
    fn more_than_half(self, whole: Self) -> bool {
        let ok = |part: u64, all: u64| u128::from(part) * 2 > u128::from(all);
        ok(self.owners, whole.owners) && ok(self.area, whole.area)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    #[error("this owner is not on the vote's roll")]
    NotOnRoll,
    #[error("this owner has cast two ballots: keep only their last")]
    TwoBallots,
}

code_enum!(
    /// What a vote came to.
    Outcome {
        /// Fewer than two thirds of the area or of the owners took part.
        NoQuorum = "no_quorum",
        Passed = "passed",
        Rejected = "rejected",
    }
);

/// The count of a vote: the roll's totals and each choice by head and by area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub roll: Count,
    pub yes: Count,
    pub no: Count,
    pub abstain: Count,
}

impl Tally {
    /// Counts one ballot per owner on `roll`.
    pub fn count(
        roll: &Roll,
        ballots: impl IntoIterator<Item = (Holder, Choice)>,
    ) -> Result<Self, VoteError> {
        let mut tally = Self {
            roll: Count {
                owners: roll.owners(),
                area: roll.area(),
            },
            yes: Count::default(),
            no: Count::default(),
            abstain: Count::default(),
        };
        let mut seen = HashSet::new();
        for (holder, choice) in ballots {
            let area = roll.area_of(holder).ok_or(VoteError::NotOnRoll)?;
            if !seen.insert(holder) {
                return Err(VoteError::TwoBallots);
            }
            match choice {
                Choice::Yes => tally.yes.add(area),
                Choice::No => tally.no.add(area),
                Choice::Abstain => tally.abstain.add(area),
            }
        }
        Ok(tally)
    }

    /// Everyone who cast a ballot, abstentions included.
    #[must_use]
    pub fn participating(&self) -> Count {
        self.yes.plus(self.no).plus(self.abstain)
    }

    /// Owners holding at least two thirds of all exclusive area and at least two thirds of
    /// all owners took part.
    #[must_use]
    pub fn quorum(&self) -> bool {
        self.participating().at_least(2, 3, self.roll)
    }

    #[must_use]
    pub fn outcome(&self, rule: Rule) -> Outcome {
        if !self.quorum() {
            return Outcome::NoQuorum;
        }
        let part = self.participating();
        let passed = match rule {
            Rule::Majority => self.yes.more_than_half(part),
            Rule::ThreeQuarters => self.yes.at_least(3, 4, part),
        };
        if passed {
            Outcome::Passed
        } else {
            Outcome::Rejected
        }
    }
}
