//! Owners' governance: the matters owners decide and the rules that decide them (Civil Code
//! Art. 278; the SPC interpretation on building co-ownership, Arts. 8–9).

pub mod budget;
mod roll;
mod tally;

pub use roll::{Holder, Roll, Unit, Voter};
pub use tally::{Choice, Count, Outcome, Tally, VoteError};

use crate::code::code_enum;

code_enum!(
    /// What a vote decides, from Art. 278's list; the kind fixes the rule.
    MatterKind {
        /// (1) 制定和修改业主大会议事规则
        RulesOfProcedure = "rules_of_procedure",
        /// (2) 制定和修改管理规约
        ManagementCovenant = "management_covenant",
        /// (3) 选举业主委员会或者更换业主委员会成员
        Committee = "committee",
        /// (4) 选聘和解聘物业服务企业或者其他管理人
        PropertyFirm = "property_firm",
        /// (5) 使用建筑物及其附属设施的维修资金
        UseMaintenanceFund = "use_maintenance_fund",
        /// (6) 筹集建筑物及其附属设施的维修资金
        RaiseMaintenanceFund = "raise_maintenance_fund",
        /// (7) 改建、重建建筑物及其附属设施
        Rebuild = "rebuild",
        /// (8) 改变共有部分的用途或者利用共有部分从事经营活动
        CommonPartsUse = "common_parts_use",
        /// (9) 有关共有和共同管理权利的其他重大事项
        Other = "other",
    }
);

/// How many of those taking part must say yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 过半数: more than half of the participating area and of the participating owners (half
    /// exactly is not enough).
    Majority,
    /// 四分之三以上: at least three quarters of both (three quarters exactly is enough).
    ThreeQuarters,
}

code_enum!(
    /// Where a matter stands: drafted, open for ballots on a frozen roll, or closed and counted.
    MatterState {
        Draft = "draft",
        Open = "open",
        Closed = "closed",
    }
);

code_enum!(
    /// How a ballot reached the vote.
    Channel {
        /// Cast by the owner, signed in.
        Online = "online",
        /// Filled in on paper and entered by staff, with its scan.
        Paper = "paper",
    }
);

code_enum!(
    /// The owners' body of a compound: an elected owners' committee, or where none is
    /// elected, a self-management team.
    Body {
        /// 业主委员会
        OwnersCommittee = "owners_committee",
        /// 自管会
        SelfManagement = "self_management",
    }
);

code_enum!(
    /// A member's post on the committee.
    Post {
        Chair = "chair",
        ViceChair = "vice_chair",
        Treasurer = "treasurer",
        Member = "member",
    }
);

impl MatterKind {
    /// Items 6–8 need three quarters; every other matter, the fund's *use* included, a
    /// majority.
    #[must_use]
    pub fn rule(self) -> Rule {
        match self {
            Self::RaiseMaintenanceFund | Self::Rebuild | Self::CommonPartsUse => {
                Rule::ThreeQuarters
            }
            _ => Rule::Majority,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::Area;

    fn person(n: u128) -> Holder {
        Holder::Person(Uuid::from_u128(n))
    }

    fn unit(holder: Holder, centi: i64) -> Unit {
        Unit {
            area: Area::from_centi(centi).unwrap_or_else(|e| panic!("{e}")),
            holder,
        }
    }

    /// `n` owners of one 100 m² unit each, persons 1..=n.
    fn equal_roll(n: u128) -> Roll {
        Roll::freeze((1..=n).map(|i| unit(person(i), 10_000)))
    }

    fn votes(range: std::ops::RangeInclusive<u128>, choice: Choice) -> Vec<(Holder, Choice)> {
        range.map(|i| (person(i), choice)).collect()
    }

    fn outcome(roll: &Roll, ballots: Vec<(Holder, Choice)>, rule: Rule) -> Outcome {
        Tally::count(roll, ballots)
            .unwrap_or_else(|e| panic!("{e}"))
            .outcome(rule)
    }

    #[test]
    fn items_six_to_eight_need_three_quarters_and_the_funds_use_a_majority() {
        let three: Vec<_> = MatterKind::ALL
            .iter()
            .filter(|k| k.rule() == Rule::ThreeQuarters)
            .collect();
        assert_eq!(
            three,
            [
                &MatterKind::RaiseMaintenanceFund,
                &MatterKind::Rebuild,
                &MatterKind::CommonPartsUse
            ]
        );
        assert_eq!(MatterKind::UseMaintenanceFund.rule(), Rule::Majority);
    }

    #[test]
    fn participation_of_two_thirds_by_area_but_not_by_head_is_no_quorum() {
        // Seven owners, 60 m²: owners 1–4 hold 40 of it, exactly two thirds; 4 of 7 heads is
        // just under two thirds (5 would be over).
        let roll = Roll::freeze((1..=4).map(|i| unit(person(i), 1_000)).chain([
            unit(person(5), 700),
            unit(person(6), 700),
            unit(person(7), 600),
        ]));
        let t = Tally::count(&roll, votes(1..=4, Choice::Yes)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.participating().area * 3, t.roll.area * 2);
        assert_eq!(t.outcome(Rule::Majority), Outcome::NoQuorum);
        let mut five = votes(1..=4, Choice::Yes);
        five.push((person(7), Choice::No));
        assert_eq!(outcome(&roll, five, Rule::Majority), Outcome::Passed);
        // Exactly two thirds of both (以上 includes the boundary): 6 equal owners, 4 take part.
        let roll = equal_roll(6);
        let t = Tally::count(&roll, votes(1..=4, Choice::Yes)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (t.participating().owners * 3, t.participating().area * 3),
            (t.roll.owners * 2, t.roll.area * 2)
        );
        assert_eq!(t.outcome(Rule::Majority), Outcome::Passed);
        // One owner fewer is under both.
        assert_eq!(
            outcome(&roll, votes(1..=3, Choice::Yes), Rule::Majority),
            Outcome::NoQuorum
        );
    }

    #[test]
    fn half_is_not_a_majority_and_one_owner_more_is() {
        let roll = equal_roll(12);
        // 12 take part: 6 yes is exactly half.
        let mut ballots = votes(1..=6, Choice::Yes);
        ballots.extend(votes(7..=12, Choice::No));
        assert_eq!(outcome(&roll, ballots, Rule::Majority), Outcome::Rejected);
        let mut ballots = votes(1..=7, Choice::Yes);
        ballots.extend(votes(8..=12, Choice::No));
        assert_eq!(outcome(&roll, ballots, Rule::Majority), Outcome::Passed);
        // Abstentions take part: 7 yes of 12 participating passes, 6 yes, 6 abstaining does not.
        let mut ballots = votes(1..=6, Choice::Yes);
        ballots.extend(votes(7..=12, Choice::Abstain));
        assert_eq!(outcome(&roll, ballots, Rule::Majority), Outcome::Rejected);
    }

    #[test]
    fn three_quarters_exactly_passes_and_just_under_does_not() {
        let roll = equal_roll(12);
        let mut ballots = votes(1..=9, Choice::Yes);
        ballots.extend(votes(10..=12, Choice::No));
        assert_eq!(
            outcome(&roll, ballots, Rule::ThreeQuarters),
            Outcome::Passed
        );
        let mut ballots = votes(1..=8, Choice::Yes);
        ballots.extend(votes(9..=12, Choice::No));
        assert_eq!(
            outcome(&roll, ballots, Rule::ThreeQuarters),
            Outcome::Rejected
        );
        // By head 9 of 12, but the three against hold most of the area: not by area.
        let roll = Roll::freeze(
            (1..=9)
                .map(|i| unit(person(i), 5_000))
                .chain((10..=12).map(|i| unit(person(i), 20_000))),
        );
        let mut ballots = votes(1..=9, Choice::Yes);
        ballots.extend(votes(10..=12, Choice::No));
        assert_eq!(
            outcome(&roll, ballots, Rule::ThreeQuarters),
            Outcome::Rejected
        );
    }

    #[test]
    fn a_person_with_several_units_and_the_developer_each_count_once_by_head_and_fully_by_area() {
        let roll = Roll::freeze([
            unit(person(1), 8_000),
            unit(person(1), 9_000),
            unit(Holder::Developer, 7_000),
            unit(Holder::Developer, 7_000),
            unit(Holder::Developer, 7_000),
            unit(person(2), 10_000),
        ]);
        assert_eq!((roll.owners(), roll.area()), (3, 48_000));
        assert_eq!(roll.area_of(person(1)), Some(17_000));
        assert_eq!(roll.area_of(Holder::Developer), Some(21_000));
        let t = Tally::count(
            &roll,
            [(person(1), Choice::Yes), (Holder::Developer, Choice::No)],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            t.yes,
            Count {
                owners: 1,
                area: 17_000
            }
        );
        assert_eq!(
            t.no,
            Count {
                owners: 1,
                area: 21_000
            }
        );
    }

    #[test]
    fn a_ballot_off_the_roll_or_a_second_one_is_refused() {
        // Co-owners of unit 1 designated person 1; person 99 (the other co-owner) is not on it.
        let roll = equal_roll(3);
        assert_eq!(
            Tally::count(&roll, [(person(99), Choice::Yes)]),
            Err(VoteError::NotOnRoll)
        );
        assert_eq!(
            Tally::count(&roll, [(person(1), Choice::Yes), (person(1), Choice::No)]),
            Err(VoteError::TwoBallots)
        );
    }

    proptest! {
        /// The tally equals a recount unit by unit: each unit's area to its holder's choice,
        /// each holder's head once.
        #[test]
        fn the_tally_is_a_recount_of_the_ballots(
            units in prop::collection::vec((0u128..40, 1i64..=Area::MAX), 1..120),
            choices in prop::collection::vec(0u8..4, 40),
        ) {
            let holder = |h: u128| if h == 0 { Holder::Developer } else { person(h) };
            let roll = Roll::freeze(units.iter().map(|(h, a)| unit(holder(*h), *a)));
            let choice_of = |h: u128| match choices[h as usize] {
                0 => Some(Choice::Yes),
                1 => Some(Choice::No),
                2 => Some(Choice::Abstain),
                _ => None,
            };
            let mut holders: Vec<u128> = units.iter().map(|(h, _)| *h).collect();
            holders.sort_unstable();
            holders.dedup();
            let ballots: Vec<_> = holders
                .iter()
                .filter_map(|h| choice_of(*h).map(|c| (holder(*h), c)))
                .collect();
            let t = Tally::count(&roll, ballots).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (want, got) in [(Choice::Yes, t.yes), (Choice::No, t.no), (Choice::Abstain, t.abstain)] {
                let area: i64 = units.iter().filter(|(h, _)| choice_of(*h) == Some(want)).map(|(_, a)| *a).sum();
                let heads = holders.iter().filter(|h| choice_of(**h) == Some(want)).count();
                prop_assert_eq!(got, Count { owners: heads as u64, area: area as u64 });
            }
            let all: i64 = units.iter().map(|(_, a)| *a).sum();
            prop_assert_eq!(t.roll, Count { owners: holders.len() as u64, area: all as u64 });
            // Passing needs quorum; a majority needs more yes than everything else together.
            let p = t.participating();
            let majority = t.outcome(Rule::Majority) == Outcome::Passed;
            prop_assert_eq!(majority, t.quorum() && t.yes.owners > p.owners - t.yes.owners && t.yes.area > p.area - t.yes.area);
            if t.outcome(Rule::ThreeQuarters) == Outcome::Passed {
                prop_assert!(majority);
            }
        }
    }
}
