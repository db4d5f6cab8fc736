//! The days the product deals in: a date outside them is a typing mistake (a stray minus, a
//! year of five digits), never a fact about a household or a payment.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};

/// The years a date may fall in.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a date between 1900-01-01 and 2200-12-31")]
pub struct DateOutOfRange;

/// `day`, when it falls within [`YEARS`].
pub fn sane_date(day: NaiveDate) -> Result<NaiveDate, DateOutOfRange> {
    if YEARS.contains(&day.year()) {
        Ok(day)
    } else {
        Err(DateOutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn dates_must_fall_within_the_years_people_live_in() {
        assert_eq!(sane_date(d(1900, 1, 1)), Ok(d(1900, 1, 1)));
        assert_eq!(sane_date(d(2200, 12, 31)), Ok(d(2200, 12, 31)));
        assert_eq!(sane_date(d(1899, 12, 31)), Err(DateOutOfRange));
        assert_eq!(sane_date(d(2201, 1, 1)), Err(DateOutOfRange));
        assert_eq!(sane_date(d(-2026, 1, 1)), Err(DateOutOfRange));
    }
}
