//! Money: Chinese yuan in integer fen (分), with checked arithmetic.
//!
//! There is no floating point anywhere money is. Amounts may be negative (refunds,
//! reversals, credits); products and ratios go through `i128` and report overflow instead of
//! wrapping.

use std::fmt;
use std::str::FromStr;

/// An amount of CNY in fen. The field is private: build it with [`Money::from_fen`] or
/// [`Money::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the amount is too large")]
    Overflow,
    #[error("must be an amount in yuan like 12.3 or 12.30")]
    Malformed,
    #[error("may have at most two decimals (fen)")]
    TooPrecise,
    #[error("must be greater than zero")]
    NotPositive,
}

/// The largest amount accepted from people: one hundred billion yuan. Far beyond any real
/// bill, yet small enough that sums of millions of them cannot overflow `i64`.
pub const MAX_INPUT_FEN: i64 = 10_000_000_000_000;

impl Money {
    pub const ZERO: Self = Self(0);

    #[must_use]
    pub const fn from_fen(fen: i64) -> Self {
        Self(fen)
    }

    #[must_use]
    pub const fn fen(self) -> i64 {
        self.0
    }

    #[must_use]
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Self)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Self)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_neg(self) -> Result<Self, MoneyError> {
        self.0.checked_neg().map(Self).ok_or(MoneyError::Overflow)
    }

    pub fn checked_mul(self, factor: i64) -> Result<Self, MoneyError> {
        self.0
            .checked_mul(factor)
            .map(Self)
            .ok_or(MoneyError::Overflow)
    }

    /// Sums amounts, failing on overflow.
    pub fn sum<I: IntoIterator<Item = Self>>(items: I) -> Result<Self, MoneyError> {
        items.into_iter().try_fold(Self::ZERO, Self::checked_add)
    }

    /// Parses yuan as people write them: `12`, `12.3`, `12.30`, `-5.00`, `1,234.56`.
    /// A third decimal is an error, never rounded away.
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let s: String = raw.trim().chars().filter(|c| *c != ',').collect();
        let (negative, unsigned) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let digits = unsigned.strip_prefix('¥').unwrap_or(unsigned);
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !all_digits(whole)
            || !all_digits(frac)
            || (digits.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::Malformed);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        if whole.len() > 15 {
            return Err(MoneyError::Overflow);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Malformed)?;
        let frac: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| MoneyError::Malformed)?;
        let fen = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .ok_or(MoneyError::Overflow)?;
        if fen > MAX_INPUT_FEN {
            return Err(MoneyError::Overflow);
        }
        Ok(Self(if negative { -fen } else { fen }))
    }

    /// Parses a strictly positive amount (a payment, a price).
    pub fn parse_positive(raw: &str) -> Result<Self, MoneyError> {
        let m = Self::parse(raw)?;
        if m.0 <= 0 {
            Err(MoneyError::NotPositive)
        } else {
            Ok(m)
        }
    }

    /// `12.30` — plain yuan with two decimals, for forms and CSV.
    #[must_use]
    pub fn to_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Money {
    /// The amount in Chinese financial capitals, as receipts (收据) write it:
    /// `壹拾肆元整`, `壹万零伍元伍角`, `负叁元整`.
    #[must_use]
    pub fn to_chinese_uppercase(self) -> String {
        const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
        const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
        const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
        let abs = self.0.unsigned_abs();
        let (yuan, jiao, fen) = (abs / 100, (abs / 10 % 10) as usize, (abs % 10) as usize);
        let mut out = String::new();
        if self.0 < 0 {
            out.push('负');
        }
        if yuan > 0 {
            let mut groups = Vec::new();
            let mut rest = yuan;
            while rest > 0 {
                groups.push((rest % 10_000) as usize);
                rest /= 10_000;
            }
            let mut started = false;
            let mut gap = false;
            for (i, &g) in groups.iter().enumerate().rev() {
                if g == 0 {
                    gap = started;
                    continue;
                }
                if started && (gap || g < 1_000) {
                    out.push('零');
                }
                let mut zero_pending = false;
                let mut rendered = false;
                for pos in (0..4).rev() {
                    let d = g / 10_usize.pow(pos as u32) % 10;
                    if d == 0 {
                        zero_pending = rendered;
                    } else {
                        if zero_pending {
                            out.push('零');
                            zero_pending = false;
                        }
                        out.push(DIGITS[d]);
                        out.push_str(UNITS[pos]);
                        rendered = true;
                    }
                }
                out.push_str(GROUPS[i]);
                started = true;
                gap = false;
            }
            out.push('元');
        }
        match (jiao, fen) {
            (0, 0) if yuan == 0 => out.push_str("零元整"),
            (0, 0) => out.push('整'),
            (j, f) => {
                if j > 0 {
                    out.push(DIGITS[j]);
                    out.push('角');
                } else if yuan > 0 {
                    out.push('零');
                }
                if f > 0 {
                    out.push(DIGITS[f]);
                    out.push('分');
                } else {
                    out.push('整');
                }
            }
        }
        out
    }
}

impl fmt::Display for Money {
    /// `¥1,234.56`; negative amounts as `-¥1,234.56`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_what_people_write() {
        assert_eq!(Money::parse("12"), Ok(Money::from_fen(1200)));
        assert_eq!(Money::parse("12.3"), Ok(Money::from_fen(1230)));
        assert_eq!(Money::parse("12.30"), Ok(Money::from_fen(1230)));
        assert_eq!(Money::parse("0.05"), Ok(Money::from_fen(5)));
        assert_eq!(Money::parse("-5.1"), Ok(Money::from_fen(-510)));
        assert_eq!(Money::parse("¥1,234.56"), Ok(Money::from_fen(123_456)));
    }

    #[test]
    fn refuses_what_is_not_money() {
        assert_eq!(Money::parse("12.345"), Err(MoneyError::TooPrecise));
        for bad in ["", "abc", "12.", ".5", "1e3", "--1", "12.3.4", " - 1"] {
            assert_eq!(Money::parse(bad), Err(MoneyError::Malformed), "{bad}");
        }
        assert_eq!(
            Money::parse("9223372036854775807"),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Money::parse("100000000001"), Err(MoneyError::Overflow));
        assert_eq!(Money::parse_positive("0"), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse_positive("-1"), Err(MoneyError::NotPositive));
    }

    #[test]
    fn displays_as_yuan() {
        assert_eq!(Money::from_fen(123_456).to_string(), "¥1,234.56");
        assert_eq!(Money::from_fen(-5).to_string(), "-¥0.05");
        assert_eq!(Money::from_fen(100_000_000).to_string(), "¥1,000,000.00");
        assert_eq!(Money::from_fen(0).to_string(), "¥0.00");
        assert_eq!(Money::from_fen(-1230).to_plain(), "-12.30");
        assert_eq!(
            Money::from_fen(i64::MIN).to_plain(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn chinese_capitals_for_receipts() {
        let c = |fen: i64| Money::from_fen(fen).to_chinese_uppercase();
        assert_eq!(c(1_400), "壹拾肆元整");
        assert_eq!(c(2_800), "贰拾捌元整");
        assert_eq!(c(1_000_550), "壹万零伍元伍角整");
        assert_eq!(c(10_000_000), "壹拾万元整");
        assert_eq!(c(101_000), "壹仟零壹拾元整");
        assert_eq!(c(100_000_100), "壹佰万零壹元整");
        assert_eq!(c(1_000_000_000_000), "壹佰亿元整");
        assert_eq!(c(5), "伍分");
        assert_eq!(c(50), "伍角整");
        assert_eq!(c(105), "壹元零伍分");
        assert_eq!(c(0), "零元整");
        assert_eq!(c(-300), "负叁元整");
        assert_eq!(c(2_130_500_000), "贰仟壹佰叁拾万伍仟元整");
    }

    #[test]
    fn arithmetic_reports_overflow() {
        assert_eq!(
            Money::from_fen(i64::MAX).checked_add(Money::from_fen(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::from_fen(i64::MIN).checked_neg(),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::sum([Money::from_fen(1), Money::from_fen(2)]),
            Ok(Money::from_fen(3))
        );
    }

    proptest! {
        #[test]
        fn plain_and_display_round_trip(fen in -MAX_INPUT_FEN..=MAX_INPUT_FEN) {
            let m = Money::from_fen(fen);
            prop_assert_eq!(Money::parse(&m.to_plain()), Ok(m));
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }
    }
}
