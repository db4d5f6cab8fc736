//! A compound's annual budget through the seven steps of the democratic decision method (the
//! 叙永 seed): each step leaves a dated record, and a budget moves only forward — or back to
//! drafting, with a reason, from discussion, review or the vote.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::code::code_enum;
use crate::text::{Name, TextError};
use crate::{Money, MoneyError};

code_enum!(
    /// Where a budget stands; the order is the law's.
    Step {
        /// 1 征集意见: residents' opinions collected.
        Opinions = "opinions",
        /// 2 拟定草案: the draft.
        Drafting = "drafting",
        /// 3 协商讨论: discussion with owners' representatives; revisions kept as versions.
        Discussion = "discussion",
        /// 4 审核: the street office's review.
        Review = "review",
        /// 5 表决公示: the owners' vote and the publication of its result.
        Vote = "vote",
        /// 6 组织实施: implementation, watched by a supervision group of five.
        Implementation = "implementation",
        /// 7 决算公开: final accounts against the ledger, published; questions answered.
        FinalAccounts = "final_accounts",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("a budget moves one step at a time: from {from} the next step is {next}")]
    Skipped { from: Step, next: Step },
    #[error("the final accounts are the last step")]
    Last,
    #[error("only discussion, review and the vote can send a budget back to drafting")]
    NotBack,
}

impl Step {
    /// 1–7, as the method numbers them.
    #[must_use]
    pub fn number(self) -> u8 {
        match self {
            Self::Opinions => 1,
            Self::Drafting => 2,
            Self::Discussion => 3,
            Self::Review => 4,
            Self::Vote => 5,
            Self::Implementation => 6,
            Self::FinalAccounts => 7,
        }
    }

    #[must_use]
    pub fn next(self) -> Option<Self> {
        Self::ALL.get(usize::from(self.number())).copied()
    }

    /// The step after this one, if `to` is it.
    pub fn forward(self, to: Self) -> Result<Self, StepError> {
        match self.next() {
            Some(next) if next == to => Ok(to),
            Some(next) => Err(StepError::Skipped { from: self, next }),
            None => Err(StepError::Last),
        }
    }

    /// Back to drafting (with a reason, recorded by the caller): from discussion, a rejected
    /// review, or a vote that did not pass.
    pub fn back_to_drafting(self) -> Result<Self, StepError> {
        match self {
            Self::Discussion | Self::Review | Self::Vote => Ok(Self::Drafting),
            _ => Err(StepError::NotBack),
        }
    }

    /// The budget's lines may change (a new version) only while it is drafted or discussed.
    #[must_use]
    pub fn lines_open(self) -> bool {
        matches!(self, Self::Drafting | Self::Discussion)
    }
}

code_enum!(
    /// What a budget line is for: income on the one side, expense on the other.
    LineCategory {
        /// Property fees.
        Fees = "fees",
        /// The owners' share of common-part income.
        OwnersShare = "owners_share",
        /// Government subsidies.
        Subsidy = "subsidy",
        /// Guards (保安).
        Guards = "guards",
        /// Cleaning (保洁).
        Cleaning = "cleaning",
        /// Repairs.
        Repairs = "repairs",
        /// Common-area utilities (公共水电).
        CommonUtilities = "common_utilities",
        /// Contingency.
        Contingency = "contingency",
    }
);

impl LineCategory {
    #[must_use]
    pub fn is_income(self) -> bool {
        matches!(self, Self::Fees | Self::OwnersShare | Self::Subsidy)
    }

    /// Its place in the budget: income first, then expense, in the order declared.
    fn rank(self) -> usize {
        Self::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(usize::MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("a budget line must not be negative")]
    Negative,
    #[error("{0} appears twice: one line per category")]
    Twice(LineCategory),
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// One version of a budget's lines: a non-negative amount per category, each at most once,
/// kept in the budget's order (income, then expense).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lines(BTreeMap<usize, (LineCategory, Money)>);

/// How one category changed between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub category: LineCategory,
    /// `None`: the line is new.
    pub before: Option<Money>,
    /// `None`: the line was removed.
    pub after: Option<Money>,
}

impl Lines {
    pub fn new(
        lines: impl IntoIterator<Item = (LineCategory, Money)>,
    ) -> Result<Self, BudgetError> {
        let mut map = BTreeMap::new();
        for (category, amount) in lines {
            if amount < Money::ZERO {
                return Err(BudgetError::Negative);
            }
            if map.insert(category.rank(), (category, amount)).is_some() {
                return Err(BudgetError::Twice(category));
            }
        }
        let lines = Self(map);
        lines.totals()?;
        Ok(lines)
    }

    pub fn iter(&self) -> impl Iterator<Item = (LineCategory, Money)> + '_ {
        self.0.values().copied()
    }

    /// Income, expense and what is left (negative: a deficit).
    pub fn totals(&self) -> Result<(Money, Money, Money), MoneyError> {
        let side = |income: bool| {
            Money::sum(
                self.iter()
                    .filter(|(c, _)| c.is_income() == income)
                    .map(|(_, m)| m),
            )
        };
        let (income, expense) = (side(true)?, side(false)?);
        Ok((income, expense, income.checked_sub(expense)?))
    }

    /// What changed from `before` to `self`, category by category (unchanged lines left out).
    #[must_use]
    pub fn diff(&self, before: &Self) -> Vec<Change> {
        let mut keys: Vec<&usize> = self.0.keys().chain(before.0.keys()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .filter_map(|k| {
                let (old, new) = (before.0.get(k), self.0.get(k));
                let category = new.or(old).map(|(c, _)| *c)?;
                let (before, after) = (old.map(|(_, m)| *m), new.map(|(_, m)| *m));
                (before != after).then_some(Change {
                    category,
                    before,
                    after,
                })
            })
            .collect()
    }
}

/// The final accounts of a year's budget are drawn once the year is over.
#[must_use]
pub fn accounts_drawable(year: i32, today: NaiveDate) -> bool {
    today.year() > year
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupError {
    #[error("the supervision group has five owners' representatives, not {0}")]
    NotFive(usize),
    #[error("{0} is named twice")]
    Twice(String),
    #[error("a name {0}")]
    Name(#[from] TextError),
}

/// The five owners' representatives who supervise a budget's implementation (step 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionGroup([Name; 5]);

impl SupervisionGroup {
    pub fn new(names: &[String]) -> Result<Self, GroupError> {
        let parsed = names
            .iter()
            .map(|n| Name::parse(n))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, n) in parsed.iter().enumerate() {
            if parsed[..i].contains(n) {
                return Err(GroupError::Twice(n.to_string()));
            }
        }
        let len = parsed.len();
        parsed
            .try_into()
            .map(Self)
            .map_err(|_| GroupError::NotFive(len))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Name::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(y: i64) -> Money {
        Money::from_fen(y * 100)
    }

    #[test]
    fn a_budget_moves_one_step_at_a_time_and_back_only_to_drafting() {
        let mut step = Step::Opinions;
        for to in &Step::ALL[1..] {
            step = step.forward(*to).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(step, Step::FinalAccounts);
        assert_eq!(step.forward(Step::Opinions), Err(StepError::Last));
        assert_eq!(
            Step::Drafting.forward(Step::Review),
            Err(StepError::Skipped {
                from: Step::Drafting,
                next: Step::Discussion
            })
        );
        assert!(Step::Review.forward(Step::Drafting).is_err());
        assert_eq!(Step::Vote.back_to_drafting(), Ok(Step::Drafting));
        assert_eq!(
            Step::Implementation.back_to_drafting(),
            Err(StepError::NotBack)
        );
        assert_eq!(Step::Opinions.back_to_drafting(), Err(StepError::NotBack));
        assert!(Step::Discussion.lines_open() && !Step::Vote.lines_open());
    }

    #[test]
    fn lines_are_never_negative_once_per_category_and_total_exactly() {
        assert_eq!(
            Lines::new([(LineCategory::Guards, Money::from_fen(-1))]),
            Err(BudgetError::Negative)
        );
        assert_eq!(
            Lines::new([(LineCategory::Fees, yuan(1)), (LineCategory::Fees, yuan(2))]),
            Err(BudgetError::Twice(LineCategory::Fees))
        );
        let lines = Lines::new([
            (LineCategory::Fees, yuan(100_320)),
            (LineCategory::OwnersShare, Money::from_fen(1_370_610)),
            (LineCategory::Guards, yuan(72_000)),
            (LineCategory::Cleaning, yuan(36_000)),
            (LineCategory::Contingency, Money::ZERO),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            lines.totals(),
            Ok((
                Money::from_fen(11_402_610),
                yuan(108_000),
                Money::from_fen(602_610)
            ))
        );
        let overflow = Lines::new([
            (LineCategory::Fees, Money::from_fen(i64::MAX)),
            (LineCategory::Subsidy, Money::from_fen(1)),
        ]);
        assert!(matches!(overflow, Err(BudgetError::Money(_))));
    }

    #[test]
    fn the_supervision_group_is_five_different_people() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let five = names(&["张三", "李四", "王五", "赵六", "钱七"]);
        let group = SupervisionGroup::new(&five).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(group.names().count(), 5);
        assert_eq!(
            SupervisionGroup::new(&five[..4]),
            Err(GroupError::NotFive(4))
        );
        assert_eq!(
            SupervisionGroup::new(&names(&["张三", "李四", "王五", "赵六", " 张三 "])),
            Err(GroupError::Twice("张三".into()))
        );
        assert!(matches!(
            SupervisionGroup::new(&names(&["张三", "李四", "王五", "赵六", ""])),
            Err(GroupError::Name(TextError::Empty))
        ));
    }

    #[test]
    fn final_accounts_wait_for_the_year_to_end() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert!(!accounts_drawable(2026, day(2026, 12, 31)));
        assert!(accounts_drawable(2026, day(2027, 1, 1)));
    }

    #[test]
    fn a_revision_shows_what_changed_line_by_line() {
        let first = Lines::new([
            (LineCategory::Guards, yuan(72_000)),
            (LineCategory::Cleaning, yuan(36_000)),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let second = Lines::new([
            (LineCategory::Guards, yuan(60_000)),
            (LineCategory::Cleaning, yuan(36_000)),
            (LineCategory::Repairs, yuan(12_000)),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            second.diff(&first),
            [
                Change {
                    category: LineCategory::Guards,
                    before: Some(yuan(72_000)),
                    after: Some(yuan(60_000))
                },
                Change {
                    category: LineCategory::Repairs,
                    before: None,
                    after: Some(yuan(12_000))
                },
            ]
        );
        assert_eq!(first.diff(&second).len(), 2);
        assert!(first.diff(&first).is_empty());
    }
}
