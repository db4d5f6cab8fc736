//! Income from common parts (Civil Code Art. 282): its categories, the split rule a compound's
//! owners adopted, and the monthly close that deducts documented direct costs and splits
//! what is left between the owners' committee fund and the firm.
//!
//! The close of one category for one month, in one place ([`close_category`]):
//! - what may be deducted is the month's costs plus any shortfall carried in, but never more
//!   than the month's gross: costs are never taken from the fund;
//! - whatever could not be deducted is carried forward as a shortfall, and so is a month
//!   whose corrections left its gross below zero;
//! - the net is split by [`split_common_income`]: the firm's share rounded down, the owners
//!   get every remaining fen.

use crate::allocation::{AllocationError, BasisPoints, split_common_income};
use crate::code::code_enum;
use crate::money::{Money, MoneyError};

code_enum!(
    /// What a compound's common parts earned from.
    IncomeCategory {
        /// 广告 — lift panels, outdoor boards, lamp-pole light boxes, garage doors.
        Advertising = "advertising",
        /// 停车月卡 — monthly parking passes.
        ParkingPass = "parking_pass",
        /// 临时停车 — temporary parking takings.
        ParkingTemporary = "parking_temporary",
        /// 商家推广 — merchants' promotion fees.
        Promotion = "promotion",
        /// 公共用房租金 — rent of common premises.
        PremisesRent = "premises_rent",
        /// 废品回收 — recyclables sold.
        Recyclables = "recyclables",
        Other = "other",
    }
);

/// A Chinese vehicle plate as a parking pass names it: a province's character, the
/// issuing office's letter, then five (or six, for new-energy vehicles) letters or digits —
/// `桂B12345`, `桂BD12345`. Upper case, without spaces or the dot some write after the letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plate(String);

impl Plate {
    pub fn parse(raw: &str) -> Result<Self, IncomeError> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '.' | '-'))
            .flat_map(char::to_uppercase)
            .collect();
        let mut chars = cleaned.chars();
        let province = chars
            .next()
            .is_some_and(|c| !c.is_ascii() && c.is_alphabetic());
        let office = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let rest: Vec<char> = chars.collect();
        let serial = matches!(rest.len(), 5 | 6) && rest.iter().all(char::is_ascii_alphanumeric);
        if province && office && serial {
            Ok(Self(cleaned))
        } else {
            Err(IncomeError::Plate)
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncomeError {
    #[error("must be a vehicle plate such as 桂B12345 (or 桂BD12345 for a new-energy vehicle)")]
    Plate,
    #[error("the owners' and the firm's shares must add up to 10000 basis points (100%)")]
    SharesNotWhole,
    #[error("must not be negative")]
    Negative,
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error(transparent)]
    Allocation(#[from] AllocationError),
}

/// How a compound's owners decided to split a category's income: the owners' share to the
/// committee fund, the firm's share for running it. Built only from shares that add up to
/// the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitRule {
    firm: BasisPoints,
}

impl SplitRule {
    /// 70% to the owners, 30% to the firm (the Hefei rule).
    pub const DEFAULT: Self = Self {
        firm: crate::allocation::DEFAULT_FIRM_SHARE,
    };

    pub fn new(owners_bp: u16, firm_bp: u16) -> Result<Self, IncomeError> {
        if u32::from(owners_bp) + u32::from(firm_bp) != u32::from(BasisPoints::WHOLE) {
            return Err(IncomeError::SharesNotWhole);
        }
        Ok(Self {
            firm: BasisPoints::new(firm_bp)?,
        })
    }

    #[must_use]
    pub fn firm(self) -> BasisPoints {
        self.firm
    }

    #[must_use]
    pub fn owners(self) -> BasisPoints {
        self.firm.complement()
    }
}

/// One category's month, as the close found and split it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryClose {
    /// Income received in the month, corrections included (may be below zero).
    pub gross: Money,
    /// Direct costs documented for the month.
    pub costs: Money,
    /// Costs earlier months could not deduct.
    pub carried_in: Money,
    /// Costs deducted from this month's gross.
    pub deducted: Money,
    /// Costs (and a negative gross) left for later months.
    pub carried_out: Money,
    /// To the committee fund.
    pub owners: Money,
    /// To the firm, rounded down.
    pub firm: Money,
}

impl CategoryClose {
    /// What was split: the gross less what was deducted.
    #[must_use]
    pub fn net(&self) -> Money {
        Money::from_fen(self.owners.fen() + self.firm.fen())
    }
}

/// Closes one category's month: deducts costs up to the gross, carries the rest forward and
/// splits the net by `rule`.
pub fn close_category(
    gross: Money,
    costs: Money,
    carried_in: Money,
    rule: SplitRule,
) -> Result<CategoryClose, IncomeError> {
    if costs.fen() < 0 || carried_in.fen() < 0 {
        return Err(IncomeError::Negative);
    }
    let claims = costs.checked_add(carried_in)?;
    let available = if gross.is_positive() {
        gross
    } else {
        Money::ZERO
    };
    let deducted = claims.min(available);
    // A gross below zero (corrections exceeding the month's takings) is a shortfall too.
    let deficit = available.checked_sub(gross)?;
    let carried_out = claims.checked_sub(deducted)?.checked_add(deficit)?;
    let split = split_common_income(available.checked_sub(deducted)?, rule.firm)?;
    Ok(CategoryClose {
        gross,
        costs,
        carried_in,
        deducted,
        carried_out,
        owners: split.owners,
        firm: split.firm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fen(f: i64) -> Money {
        Money::from_fen(f)
    }

    #[test]
    fn shares_must_make_the_whole() {
        assert_eq!(SplitRule::new(7000, 2999), Err(IncomeError::SharesNotWhole));
        assert_eq!(SplitRule::new(10_001, 0), Err(IncomeError::SharesNotWhole));
        let rule = SplitRule::new(7000, 3000).unwrap_or_else(|_| unreachable!());
        assert_eq!(rule, SplitRule::DEFAULT);
        assert_eq!(rule.owners().get(), 7000);
        assert!(SplitRule::new(10_000, 0).is_ok());
    }

    #[test]
    fn costs_come_off_first_and_the_firm_is_rounded_down() {
        let c = close_category(fen(10_001), fen(1_000), fen(0), SplitRule::DEFAULT)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(c.deducted, fen(1_000));
        assert_eq!(c.firm, fen(2_700));
        assert_eq!(c.owners, fen(6_301));
        assert_eq!(c.carried_out, Money::ZERO);
    }

    #[test]
    fn costs_above_the_gross_are_carried_never_taken_from_the_fund() {
        let c = close_category(fen(500), fen(800), fen(100), SplitRule::DEFAULT)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(c.deducted, fen(500));
        assert_eq!(c.carried_out, fen(400));
        assert_eq!((c.owners, c.firm), (Money::ZERO, Money::ZERO));
    }

    #[test]
    fn a_negative_gross_is_carried_as_a_shortfall() {
        let c = close_category(fen(-300), fen(50), fen(0), SplitRule::DEFAULT)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(c.deducted, Money::ZERO);
        assert_eq!(c.carried_out, fen(350));
        assert_eq!(c.net(), Money::ZERO);
    }

    #[test]
    fn plates_are_read_as_people_write_them() {
        let ok = |raw: &str| Plate::parse(raw).map(|p| p.as_str().to_owned());
        assert_eq!(ok("桂b 12345"), Ok("桂B12345".to_owned()));
        assert_eq!(ok("桂B·D12345"), Ok("桂BD12345".to_owned()));
        for bad in [
            "",
            "B12345",
            "桂112345",
            "桂B1234",
            "桂B1234567",
            "桂B12#45",
            "GUIB12345",
        ] {
            assert_eq!(Plate::parse(bad), Err(IncomeError::Plate), "{bad}");
        }
    }

    #[test]
    fn negative_costs_are_refused() {
        assert_eq!(
            close_category(fen(1), fen(-1), fen(0), SplitRule::DEFAULT),
            Err(IncomeError::Negative)
        );
    }

    proptest! {
        #[test]
        fn every_fen_is_accounted_for(
            gross in -1_000_000_000i64..1_000_000_000,
            costs in 0i64..1_000_000_000,
            carried in 0i64..1_000_000_000,
            firm_bp in 0u16..=10_000,
        ) {
            let rule = SplitRule::new(10_000 - firm_bp, firm_bp).unwrap_or_else(|_| unreachable!());
            let c = close_category(fen(gross), fen(costs), fen(carried), rule)
                .unwrap_or_else(|_| unreachable!());
            // What was not deducted or split is carried: no fen is lost or made up.
            prop_assert_eq!(c.net().fen() + c.deducted.fen(), gross.max(0));
            prop_assert_eq!(c.carried_out.fen(), costs + carried - c.deducted.fen() + (-gross).max(0));
            prop_assert!(c.deducted.fen() <= gross.max(0));
            prop_assert!(c.owners.fen() >= 0 && c.firm.fen() >= 0);
            // The firm never gets more than its share of the net.
            prop_assert!(i128::from(c.firm.fen()) * 10_000 <= i128::from(c.net().fen()) * i128::from(firm_bp));
        }
    }
}
