//! The optional late fee (滞纳金) of a compound's contract.
//!
//! No national rule grants a late fee, and courts cut penalties far above the loss, so the
//! rule is deliberately mild and written down in one place:
//! - an invoice is overdue from the day after its due date: the last day of the billed month
//!   plus the contract's grace days;
//! - each month's billing run charges, per overdue earlier invoice, simple interest at the
//!   contract's daily rate on that invoice's **open principal** (its fee lines, never its own
//!   late-fee lines, so nothing compounds) for the overdue days of the previous month;
//! - payments reach principal first, so a paid-up principal stops the fee at once;
//! - the amount is rounded down to the fen (in the household's favour), and all late fees ever
//!   charged for one invoice stop at the cap, a share of that invoice's principal;
//! - each charge is its own line on the next invoice, naming the invoice it is for.

use chrono::{Days, NaiveDate};

use crate::allocation::BasisPoints;
use crate::billing::{BillingError, BillingPeriod};
use crate::money::{Money, MoneyError};

/// The highest daily rate accepted: 0.1% a day (万分之十). Contracts use 万分之三 to 万分之五.
pub const MAX_DAILY_RATE_BP: u16 = 10;
/// The longest grace period accepted, in days.
pub const MAX_GRACE_DAYS: u16 = 365;

/// A compound contract's late-fee terms. Built only through [`LateFeeTerms::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateFeeTerms {
    daily_rate_bp: u16,
    grace_days: u16,
    cap: BasisPoints,
}

/// Which part of the terms is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LateFeeError {
    #[error("dailyRateBp must be between 1 and {MAX_DAILY_RATE_BP} (basis points per day)")]
    DailyRate,
    #[error("graceDays must be between 0 and {MAX_GRACE_DAYS}")]
    GraceDays,
    #[error("capBp must be between 1 and 10000 (share of the principal)")]
    Cap,
}

impl LateFeeError {
    /// The input field at fault.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Self::DailyRate => "dailyRateBp",
            Self::GraceDays => "graceDays",
            Self::Cap => "capBp",
        }
    }
}

impl LateFeeTerms {
    pub fn new(daily_rate_bp: i64, grace_days: i64, cap_bp: i64) -> Result<Self, LateFeeError> {
        let daily_rate_bp = u16::try_from(daily_rate_bp)
            .ok()
            .filter(|r| (1..=MAX_DAILY_RATE_BP).contains(r))
            .ok_or(LateFeeError::DailyRate)?;
        let grace_days = u16::try_from(grace_days)
            .ok()
            .filter(|g| *g <= MAX_GRACE_DAYS)
            .ok_or(LateFeeError::GraceDays)?;
        let cap = u16::try_from(cap_bp)
            .ok()
            .filter(|c| *c >= 1)
            .and_then(|c| BasisPoints::new(c).ok())
            .ok_or(LateFeeError::Cap)?;
        Ok(Self {
            daily_rate_bp,
            grace_days,
            cap,
        })
    }

    #[must_use]
    pub fn daily_rate_bp(self) -> u16 {
        self.daily_rate_bp
    }

    #[must_use]
    pub fn grace_days(self) -> u16 {
        self.grace_days
    }

    #[must_use]
    pub fn cap(self) -> BasisPoints {
        self.cap
    }

    /// The last day an invoice for `period` may be paid without a late fee.
    #[must_use]
    pub fn due_date(self, period: BillingPeriod) -> NaiveDate {
        period
            .last_day()
            .checked_add_days(Days::new(u64::from(self.grace_days)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Days of `window` on which an invoice for `billed` was overdue.
    #[must_use]
    pub fn overdue_days(self, billed: BillingPeriod, window: BillingPeriod) -> u32 {
        let first_overdue = self
            .due_date(billed)
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
        let start = first_overdue.max(window.first_day());
        if start > window.last_day() {
            0
        } else {
            u32::try_from((window.last_day() - start).num_days() + 1).unwrap_or(0)
        }
    }

    /// The most that may ever be charged in late fees for an invoice of `principal`.
    pub fn ceiling(self, principal: Money) -> Result<Money, MoneyError> {
        let fen = i128::from(principal.fen()) * i128::from(self.cap.get()) / 10_000;
        Ok(Money::from_fen(
            i64::try_from(fen).map_err(|_| MoneyError::Overflow)?,
        ))
    }

    /// The late fee the run for `period` charges for one earlier invoice.
    ///
    /// `invoice` is the month it billed, `principal` its fee total, `open_principal` what is
    /// still unpaid of that principal, `already` the late fees charged for it so far.
    pub fn charge(
        self,
        period: BillingPeriod,
        invoice: OverdueInvoice,
    ) -> Result<Money, BillingError> {
        if invoice.billed >= period || !invoice.open_principal.is_positive() {
            return Ok(Money::ZERO);
        }
        let window = previous(period);
        let days = self.overdue_days(invoice.billed, window);
        let accrued = i128::from(invoice.open_principal.fen())
            * i128::from(self.daily_rate_bp)
            * i128::from(days)
            / 10_000;
        let accrued = Money::from_fen(i64::try_from(accrued).map_err(|_| MoneyError::Overflow)?);
        let room = self
            .ceiling(invoice.principal)?
            .checked_sub(invoice.already)?;
        Ok(if room.is_positive() {
            accrued.min(room)
        } else {
            Money::ZERO
        })
    }
}

/// What the late-fee rule needs to know of one earlier invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueInvoice {
    pub billed: BillingPeriod,
    pub principal: Money,
    pub open_principal: Money,
    pub already: Money,
}

fn previous(period: BillingPeriod) -> BillingPeriod {
    BillingPeriod::containing(period.first_day().pred_opt().unwrap_or(period.first_day()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> BillingPeriod {
        BillingPeriod::parse(s).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    fn overdue(billed: &str, principal: i64, open: i64, already: i64) -> OverdueInvoice {
        OverdueInvoice {
            billed: p(billed),
            principal: fen(principal),
            open_principal: fen(open),
            already: fen(already),
        }
    }

    #[test]
    fn terms_are_parsed_with_the_field_at_fault() {
        assert_eq!(LateFeeTerms::new(0, 0, 1000), Err(LateFeeError::DailyRate));
        assert_eq!(LateFeeTerms::new(11, 0, 1000), Err(LateFeeError::DailyRate));
        assert_eq!(LateFeeTerms::new(-5, 0, 1000), Err(LateFeeError::DailyRate));
        assert_eq!(LateFeeTerms::new(5, -1, 1000), Err(LateFeeError::GraceDays));
        assert_eq!(
            LateFeeTerms::new(5, 366, 1000),
            Err(LateFeeError::GraceDays)
        );
        assert_eq!(LateFeeTerms::new(5, 0, 0), Err(LateFeeError::Cap));
        assert_eq!(LateFeeTerms::new(5, 0, 10_001), Err(LateFeeError::Cap));
        assert_eq!(LateFeeTerms::new(5, 0, i64::MAX), Err(LateFeeError::Cap));
        assert_eq!(LateFeeError::Cap.field(), "capBp");
        let t = LateFeeTerms::new(5, 15, 1000).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (t.daily_rate_bp(), t.grace_days(), t.cap().get()),
            (5, 15, 1000)
        );
    }

    #[test]
    fn due_date_is_month_end_plus_grace() {
        let t = LateFeeTerms::new(5, 15, 1000).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            t.due_date(p("2026-09")),
            NaiveDate::from_ymd_opt(2026, 10, 15).unwrap_or_default()
        );
        // Overdue from 16 October: 16 of October's 31 days.
        assert_eq!(t.overdue_days(p("2026-09"), p("2026-10")), 16);
        assert_eq!(t.overdue_days(p("2026-09"), p("2026-11")), 30);
        assert_eq!(t.overdue_days(p("2026-10"), p("2026-10")), 0);
    }

    #[test]
    fn a_month_of_simple_interest_on_open_principal_rounded_down() {
        // ¥100.00 open, 万分之五 a day, no grace: September's invoice is overdue all October.
        let t = LateFeeTerms::new(5, 0, 1000).unwrap_or_else(|e| panic!("{e:?}"));
        // 10000 fen × 5 / 10000 × 31 days = 155 fen.
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-09", 10_000, 10_000, 0))
                .unwrap_or_else(|e| panic!("{e:?}")),
            fen(155)
        );
        // ¥33.33 open: 3333 × 5 × 31 / 10000 = 51.66… → 51 fen (rounded down).
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-09", 10_000, 3_333, 0))
                .unwrap_or_else(|e| panic!("{e:?}")),
            fen(51)
        );
    }

    #[test]
    fn the_cap_stops_the_total_and_paid_or_current_invoices_pay_nothing() {
        let t = LateFeeTerms::new(10, 0, 100).unwrap_or_else(|e| panic!("{e:?}")); // cap 1% of principal = 100 fen
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-09", 10_000, 10_000, 0))
                .unwrap_or_else(|e| panic!("{e:?}")),
            fen(100)
        );
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-09", 10_000, 10_000, 60))
                .unwrap_or_else(|e| panic!("{e:?}")),
            fen(40)
        );
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-09", 10_000, 10_000, 100))
                .unwrap_or_else(|e| panic!("{e:?}")),
            Money::ZERO
        );
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-09", 10_000, 0, 0))
                .unwrap_or_else(|e| panic!("{e:?}")),
            Money::ZERO
        );
        assert_eq!(
            t.charge(p("2026-11"), overdue("2026-11", 10_000, 10_000, 0))
                .unwrap_or_else(|e| panic!("{e:?}")),
            Money::ZERO
        );
        // Within grace the whole previous month: nothing.
        let graceful = LateFeeTerms::new(10, 45, 1000).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            graceful
                .charge(p("2026-11"), overdue("2026-09", 10_000, 10_000, 0))
                .unwrap_or_else(|e| panic!("{e:?}")),
            Money::ZERO
        );
    }

    proptest! {
        #[test]
        fn never_above_the_cap_never_negative(
            rate in 1i64..=10, grace in 0i64..=60, cap in 1i64..=10_000,
            principal in 1i64..=10_000_000, open_share in 0i64..=100, months in 1u32..=24,
        ) {
            let t = LateFeeTerms::new(rate, grace, cap).unwrap_or_else(|e| panic!("{e:?}"));
            let open = principal * open_share / 100;
            let billed = p("2025-01");
            let mut already = Money::ZERO;
            let mut period = billed;
            for _ in 0..months {
                period = period.next();
                let inv = OverdueInvoice { billed, principal: fen(principal), open_principal: fen(open), already };
                let c = t.charge(period, inv).unwrap_or_else(|e| panic!("{e:?}"));
                prop_assert!(c >= Money::ZERO);
                already = already.checked_add(c).unwrap_or_else(|e| panic!("{e:?}"));
            }
            let ceiling = t.ceiling(fen(principal)).unwrap_or_else(|e| panic!("{e:?}"));
            prop_assert!(already <= ceiling);
        }
    }
}
