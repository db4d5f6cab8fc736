//! The roll of a vote: who may vote and with what area, taken from the household register
//! when the vote opens and frozen.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::Area;

/// Who holds a unit's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holder {
    /// The owner — for co-owners, the one they designated to vote.
    Person(Uuid),
    /// The developer, for every unit it has not sold.
    Developer,
}

/// One unit of the register: its exclusive area (from its recorded source) and who votes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub area: Area,
    pub holder: Holder,
}

/// One voter on the roll: one head, and the whole area of every unit they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voter {
    pub holder: Holder,
    /// Hundredths of a square metre.
    pub area: u64,
}

/// The frozen roll: each holder once (a person owning several units counts once by head and
/// fully by area; the developer's unsold units together count as one owner).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roll {
    voters: BTreeMap<Holder, u64>,
}

impl Roll {
    #[must_use]
    pub fn freeze(units: impl IntoIterator<Item = Unit>) -> Self {
        let mut voters = BTreeMap::new();
        for u in units {
            *voters.entry(u.holder).or_insert(0) += u.area.centi().unsigned_abs();
        }
        Self { voters }
    }

    /// The area `holder` votes with, if on the roll.
    #[must_use]
    pub fn area_of(&self, holder: Holder) -> Option<u64> {
        self.voters.get(&holder).copied()
    }

    /// Owners by head.
    #[must_use]
    pub fn owners(&self) -> u64 {
        self.voters.len() as u64
    }

    /// All exclusive area, in hundredths of a square metre.
    #[must_use]
    pub fn area(&self) -> u64 {
        self.voters.values().sum()
    }

    pub fn voters(&self) -> impl Iterator<Item = Voter> + '_ {
        self.voters.iter().map(|(holder, area)| Voter {
            holder: *holder,
            area: *area,
        })
    }
}
