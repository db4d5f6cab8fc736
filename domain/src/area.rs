//! Exclusive (专有部分) floor area, in hundredths of a square metre.
//!
//! Area weighs owners' votes and prices per-m² fees, so it is an exact integer: `89.50 m²` is
//! `8950`. User input has at most two decimals; a third is an error, never rounded away.

use std::fmt;
use std::str::FromStr;

use crate::code::code_enum;

/// A strictly positive area in 0.01 m², at most [`Area::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Area(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    #[error("must be a number of square metres like 89.5 or 89.50")]
    Malformed,
    #[error("may have at most two decimals (0.01 m²)")]
    TooPrecise,
    #[error("must be greater than zero")]
    NotPositive,
    #[error("must be at most 10000.00 m²")]
    TooLarge,
}

impl Area {
    /// 10,000 m²: far above any single household, low enough that sums never overflow.
    pub const MAX: i64 = 1_000_000;

    /// From hundredths of a square metre, as stored.
    pub fn from_centi(centi: i64) -> Result<Self, AreaError> {
        if centi <= 0 {
            Err(AreaError::NotPositive)
        } else if centi > Self::MAX {
            Err(AreaError::TooLarge)
        } else {
            Ok(Self(centi))
        }
    }

    /// Parses square metres as people write them: `89`, `89.5`, `89.50`.
    pub fn parse(raw: &str) -> Result<Self, AreaError> {
        let s = raw.trim();
        if s.starts_with('-') {
            return Err(AreaError::NotPositive);
        }
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AreaError::Malformed);
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
            return Err(AreaError::Malformed);
        }
        if frac.len() > 2 {
            return Err(AreaError::TooPrecise);
        }
        if whole.len() > 9 {
            return Err(AreaError::TooLarge);
        }
        let whole: i64 = whole.parse().map_err(|_| AreaError::Malformed)?;
        let frac_centi: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| AreaError::Malformed)? * 10,
            _ => frac.parse().map_err(|_| AreaError::Malformed)?,
        };
        Self::from_centi(whole * 100 + frac_centi)
    }

    #[must_use]
    pub fn centi(self) -> i64 {
        self.0
    }
}

impl FromStr for Area {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

code_enum!(
    /// Where an area figure comes from, in the order the SPC interpretation prefers them.
    AreaSource {
        /// 不动产登记簿 — the property register.
        PropertyRegister = "property_register",
        /// 测绘 — a survey, when the unit is not registered.
        Survey = "survey",
        /// 买卖合同 — the sale contract, when neither exists.
        SaleContract = "sale_contract",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_what_people_write() {
        assert_eq!(Area::parse("89").map(Area::centi), Ok(8900));
        assert_eq!(Area::parse("89.5").map(Area::centi), Ok(8950));
        assert_eq!(Area::parse(" 89.05 ").map(Area::centi), Ok(8905));
        assert_eq!(Area::parse("0.01").map(Area::centi), Ok(1));
    }

    #[test]
    fn rejects_what_is_not_an_area() {
        assert_eq!(Area::parse("89.505"), Err(AreaError::TooPrecise));
        assert_eq!(Area::parse("0"), Err(AreaError::NotPositive));
        assert_eq!(Area::parse("0.00"), Err(AreaError::NotPositive));
        assert_eq!(Area::parse("-5"), Err(AreaError::NotPositive));
        assert_eq!(Area::parse(""), Err(AreaError::Malformed));
        assert_eq!(Area::parse("89."), Err(AreaError::Malformed));
        assert_eq!(Area::parse(".5"), Err(AreaError::Malformed));
        assert_eq!(Area::parse("1e3"), Err(AreaError::Malformed));
        assert_eq!(Area::parse("10000.01"), Err(AreaError::TooLarge));
        assert_eq!(
            Area::parse("99999999999999999999"),
            Err(AreaError::TooLarge)
        );
        assert_eq!(Area::from_centi(0), Err(AreaError::NotPositive));
    }

    proptest! {
        #[test]
        fn display_round_trips(centi in 1..=Area::MAX) {
            let area = Area::from_centi(centi).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(Area::parse(&area.to_string()), Ok(area));
        }
    }
}
