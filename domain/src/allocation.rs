//! Splitting money exactly: every split sums to the whole, and its rounding is named.
//!
//! [`allocate`] is the one general rule (largest remainder, ties to the earlier part) used for
//! shared costs and proration. [`split_common_income`] is the named rule for income from
//! common parts: the firm's share is rounded *down* and the owners get every remaining fen.

use std::fmt;

use crate::money::{Money, MoneyError};

/// A ratio in basis points, 0–10000 (7000 = 70%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BasisPoints(u16);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("must be between 0 and 10000 basis points")]
    RatioOutOfRange,
    #[error("there must be at least one part")]
    NoParts,
    #[error("a non-zero amount cannot be split by weights that are all zero")]
    ZeroWeights,
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl BasisPoints {
    pub const WHOLE: u16 = 10_000;

    pub fn new(bp: u16) -> Result<Self, AllocationError> {
        if bp <= Self::WHOLE {
            Ok(Self(bp))
        } else {
            Err(AllocationError::RatioOutOfRange)
        }
    }

    #[must_use]
    pub fn get(self) -> u16 {
        self.0
    }

    /// What is left of the whole: `7000` for `3000`.
    #[must_use]
    pub fn complement(self) -> Self {
        Self(Self::WHOLE - self.0)
    }
}

impl fmt::Display for BasisPoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}%", self.0 / 100, self.0 % 100)
    }
}

/// Splits `total` in proportion to `weights`, exactly.
///
/// Each part first gets the floor of its exact share (of the magnitude); the fen left over go
/// one each to the parts with the largest remainders, ties to the earlier part. A negative
/// total (a refund, a reversal) is split as its magnitude and negated, so reversing a split
/// reverses every part exactly.
pub fn allocate(total: Money, weights: &[u64]) -> Result<Vec<Money>, AllocationError> {
    if weights.is_empty() {
        return Err(AllocationError::NoParts);
    }
    let weight_sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let magnitude = u128::from(total.fen().unsigned_abs());
    if weight_sum == 0 {
        return if magnitude == 0 {
            Ok(vec![Money::ZERO; weights.len()])
        } else {
            Err(AllocationError::ZeroWeights)
        };
    }
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        // magnitude < 2^64 and w < 2^64, so the product fits in u128.
        let exact = magnitude * u128::from(*w);
        parts.push(exact / weight_sum);
        remainders.push((exact % weight_sum, i));
    }
    let given: u128 = parts.iter().sum();
    let left = magnitude - given;
    // Largest remainder first; equal remainders go to the earlier part.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders
        .iter()
        .take(usize::try_from(left).unwrap_or(usize::MAX))
    {
        parts[i] += 1;
    }
    parts
        .into_iter()
        .map(|p| {
            let fen = i128::try_from(p).map_err(|_| MoneyError::Overflow)?;
            let signed = if total.fen() < 0 { -fen } else { fen };
            i64::try_from(signed)
                .map(Money::from_fen)
                .map_err(|_| MoneyError::Overflow.into())
        })
        .collect()
}

/// The two shares of one amount of common-part income.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommonIncomeSplit {
    /// The owners' share, to the compound's committee fund: everything not the firm's.
    pub owners: Money,
    /// The firm's share (its reasonable cost, Civil Code Art. 282), rounded down.
    pub firm: Money,
}

/// The Hefei rule by default: 30% to the firm, 70% to the owners.
pub const DEFAULT_FIRM_SHARE: BasisPoints = BasisPoints(3_000);

/// Splits common-part income: the firm's share is `total × firm_share`, rounded toward zero
/// (down for income, and mirrored exactly for a reversal); the owners get the rest.
pub fn split_common_income(
    total: Money,
    firm_share: BasisPoints,
) -> Result<CommonIncomeSplit, AllocationError> {
    let magnitude = i128::from(total.fen()).abs();
    let firm_magnitude = magnitude * i128::from(firm_share.get()) / i128::from(BasisPoints::WHOLE);
    let firm_fen = if total.fen() < 0 {
        -firm_magnitude
    } else {
        firm_magnitude
    };
    let firm = Money::from_fen(i64::try_from(firm_fen).map_err(|_| MoneyError::Overflow)?);
    Ok(CommonIncomeSplit {
        owners: total.checked_sub(firm)?,
        firm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fen(parts: &[Money]) -> Vec<i64> {
        parts.iter().map(|m| m.fen()).collect()
    }

    #[test]
    fn largest_remainder_with_ties_to_the_earlier_part() {
        assert_eq!(
            allocate(Money::from_fen(100), &[1, 1, 1]).map(|p| fen(&p)),
            Ok(vec![34, 33, 33])
        );
        assert_eq!(
            allocate(Money::from_fen(-100), &[1, 1, 1]).map(|p| fen(&p)),
            Ok(vec![-34, -33, -33])
        );
        assert_eq!(
            allocate(Money::from_fen(5), &[3, 0, 7]).map(|p| fen(&p)),
            Ok(vec![2, 0, 3])
        );
        assert_eq!(
            allocate(Money::from_fen(0), &[0, 0]).map(|p| fen(&p)),
            Ok(vec![0, 0])
        );
        assert_eq!(
            allocate(Money::from_fen(1), &[0, 0]),
            Err(AllocationError::ZeroWeights)
        );
        assert_eq!(
            allocate(Money::from_fen(1), &[]),
            Err(AllocationError::NoParts)
        );
        assert_eq!(
            allocate(Money::from_fen(i64::MIN), &[1, 1]).map(|p| fen(&p)),
            Ok(vec![i64::MIN / 2, i64::MIN / 2])
        );
    }

    #[test]
    fn the_firm_share_is_rounded_down_and_owners_get_the_rest() {
        let s = split_common_income(Money::from_fen(1001), DEFAULT_FIRM_SHARE)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.owners.fen(), s.firm.fen()), (701, 300));
        let s = split_common_income(Money::from_fen(3), DEFAULT_FIRM_SHARE)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.owners.fen(), s.firm.fen()), (3, 0));
        let r = split_common_income(Money::from_fen(-1001), DEFAULT_FIRM_SHARE)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.owners.fen(), r.firm.fen()),
            (-701, -300),
            "a reversal mirrors the split"
        );
        assert_eq!(
            BasisPoints::new(10_001),
            Err(AllocationError::RatioOutOfRange)
        );
        assert_eq!(DEFAULT_FIRM_SHARE.complement().get(), 7_000);
        assert_eq!(DEFAULT_FIRM_SHARE.to_string(), "30.00%");
    }

    proptest! {
        #[test]
        fn parts_sum_to_the_whole_and_stay_within_a_fen(
            total in any::<i64>(),
            weights in prop::collection::vec(0u64..1_000_000, 1..20),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = allocate(Money::from_fen(total), &weights).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let sum: i128 = parts.iter().map(|p| i128::from(p.fen())).sum();
            prop_assert_eq!(sum, i128::from(total));
            let wsum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            for (p, w) in parts.iter().zip(&weights) {
                // |part − exact share| < 1 fen, in exact rational arithmetic.
                let diff = i128::from(p.fen()) * wsum - i128::from(total) * i128::from(*w);
                prop_assert!(diff.abs() < wsum, "part {} weight {}", p.fen(), w);
            }
            // Deterministic.
            prop_assert_eq!(allocate(Money::from_fen(total), &weights).ok(), Some(parts));
        }

        #[test]
        fn common_income_splits_sum_exactly(total in -1_000_000_000_000i64..1_000_000_000_000, bp in 0u16..=10_000) {
            let share = BasisPoints::new(bp).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let s = split_common_income(Money::from_fen(total), share).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(s.owners.fen() + s.firm.fen(), total);
            prop_assert!(i128::from(s.firm.fen()).abs() * 10_000 <= i128::from(total).abs() * i128::from(bp));
            prop_assert!(i128::from(total).abs() * i128::from(bp) - i128::from(s.firm.fen()).abs() * 10_000 < 10_000);
        }
    }
}
