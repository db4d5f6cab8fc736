//! Monthly fees: billing periods, fee items and their prices, proration, waivers, and the
//! computation of one household's invoice for one month.
//!
//! Rounding rules, each in one place:
//! - a per-m² line is `area (0.01 m²) × rate (fen per m²)`, divided by 100 and rounded half up
//!   to the fen, once per line;
//! - a household active only part of the month pays the days it was active: each line is
//!   split by days with [`allocate`] (largest remainder), and the active part is billed;
//! - a percentage waiver is the waived share of the total split the same way; a fixed waiver
//!   never exceeds what is due.

use std::fmt;

use chrono::{Datelike, NaiveDate};

mod versions;

pub use versions::{ScheduleScope, addon_covers, in_force};

use crate::Area;
use crate::allocation::{AllocationError, BasisPoints, allocate};
use crate::code::code_enum;
use crate::money::{Money, MoneyError};

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillingPeriod {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    #[error("must be a month written YYYY-MM, e.g. 2026-11")]
    MalformedPeriod,
    #[error("must be between 2000-01 and 2100-12")]
    PeriodOutOfRange,
    #[error("must be greater than zero")]
    NotPositive,
    #[error("is implausibly high (more than {max} per month)")]
    Absurd { max: Money },
    #[error("must be at most 100% (10000 basis points)")]
    OverWhole,
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error(transparent)]
    Allocation(#[from] AllocationError),
}

impl BillingPeriod {
    pub fn new(year: i32, month: u32) -> Result<Self, BillingError> {
        if !(1..=12).contains(&month) {
            return Err(BillingError::MalformedPeriod);
        }
        if !(2000..=2100).contains(&year) {
            return Err(BillingError::PeriodOutOfRange);
        }
        Ok(Self { year, month })
    }

    pub fn parse(raw: &str) -> Result<Self, BillingError> {
        let s = raw.trim();
        let (y, m) = s.split_once('-').ok_or(BillingError::MalformedPeriod)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(BillingError::MalformedPeriod);
        }
        Self::new(
            y.parse().map_err(|_| BillingError::MalformedPeriod)?,
            m.parse().map_err(|_| BillingError::MalformedPeriod)?,
        )
    }

    /// The month containing `day`.
    #[must_use]
    pub fn containing(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `yyyymm` as stored, e.g. 202611.
    #[must_use]
    pub fn code(self) -> i32 {
        self.year * 100 + i32::try_from(self.month).unwrap_or(0)
    }

    pub fn from_code(code: i32) -> Result<Self, BillingError> {
        Self::new(
            code / 100,
            u32::try_from(code % 100).map_err(|_| BillingError::MalformedPeriod)?,
        )
    }

    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    #[must_use]
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    #[must_use]
    pub fn days(self) -> u32 {
        self.last_day().day()
    }
}

impl fmt::Display for BillingPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

code_enum!(
    /// What a fee line pays for.
    FeeItemKind {
        /// 垃圾清运 — base service.
        GarbageRemoval = "garbage_removal",
        /// 治安巡逻 — base service.
        SecurityPatrol = "security_patrol",
        /// 水电维修 — base service.
        UtilitiesRepair = "utilities_repair",
        /// 停车管理 — add-on, needs the owners' approval.
        ParkingManagement = "parking_management",
        /// 绿化养护 — add-on, needs the owners' approval.
        GreeneryCare = "greenery_care",
    }
);

impl FeeItemKind {
    /// Add-on services are billed only while activated by an owners' decision.
    #[must_use]
    pub fn is_addon(self) -> bool {
        matches!(self, Self::ParkingManagement | Self::GreeneryCare)
    }
}

code_enum!(
    /// Why a household's fees are relieved (减免): the certified hardships the policy names.
    HardshipCategory {
        /// 低保
        Dibao = "dibao",
        /// 特困 / 五保
        Tekun = "tekun",
        /// 孤寡老人
        ElderlyAlone = "elderly_alone",
        /// 残疾
        Disability = "disability",
        Other = "other",
    }
);

code_enum!(
    /// Where a waiver stands: proposed by one member of staff, then approved or rejected by
    /// another, once.
    GrantStatus {
        Proposed = "proposed",
        Approved = "approved",
        Rejected = "rejected",
    }
);

impl GrantStatus {
    /// The status a decision gives a proposed waiver; `None` once it has been decided.
    #[must_use]
    pub fn decided(self, approve: bool) -> Option<Self> {
        match (self, approve) {
            (Self::Proposed, true) => Some(Self::Approved),
            (Self::Proposed, false) => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// What an invoice line is for: a fee item of the schedule, a late fee charged for an
/// earlier, overdue invoice (see [`crate::late_fee`]), or a repair the household bore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    Fee(FeeItemKind),
    LateFee,
    /// A work order's cost the household agreed to bear: in the books since the repair was
    /// verified, billed here to be paid.
    Repair,
}

impl LineKind {
    pub const LATE_FEE_CODE: &'static str = "late_fee";
    pub const REPAIR_CODE: &'static str = "repair";

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Fee(kind) => kind.code(),
            Self::LateFee => Self::LATE_FEE_CODE,
            Self::Repair => Self::REPAIR_CODE,
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            Self::LATE_FEE_CODE => Some(Self::LateFee),
            Self::REPAIR_CODE => Some(Self::Repair),
            _ => FeeItemKind::from_code(code).map(Self::Fee),
        }
    }
}

/// How an item is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pricing {
    /// Fixed fen per household per month.
    PerHousehold(Money),
    /// Fen per m² of exclusive area per month.
    PerSquareMetre(Money),
}

/// The most any one item may charge: ¥1,000 per household, or ¥50 per m², per month. Old
/// compounds charge a few yuan; anything above this is a typing mistake.
pub const MAX_PER_HOUSEHOLD: Money = Money::from_fen(100_000);
pub const MAX_PER_SQUARE_METRE: Money = Money::from_fen(5_000);

impl Pricing {
    pub fn per_household(rate: Money) -> Result<Self, BillingError> {
        check_rate(rate, MAX_PER_HOUSEHOLD).map(Self::PerHousehold)
    }

    pub fn per_square_metre(rate: Money) -> Result<Self, BillingError> {
        check_rate(rate, MAX_PER_SQUARE_METRE).map(Self::PerSquareMetre)
    }

    /// One month's charge for a household of this area, before proration.
    pub fn monthly(self, area: Area) -> Result<Money, BillingError> {
        match self {
            Self::PerHousehold(rate) => Ok(rate),
            Self::PerSquareMetre(rate) => {
                // area in 0.01 m² × fen per m² = hundredths of a fen; round half up once.
                let hundredths = i128::from(area.centi()) * i128::from(rate.fen());
                let fen = (hundredths + 50) / 100;
                Ok(Money::from_fen(
                    i64::try_from(fen).map_err(|_| MoneyError::Overflow)?,
                ))
            }
        }
    }
}

fn check_rate(rate: Money, max: Money) -> Result<Money, BillingError> {
    if !rate.is_positive() {
        Err(BillingError::NotPositive)
    } else if rate > max {
        Err(BillingError::Absurd { max })
    } else {
        Ok(rate)
    }
}

/// How much of a month's fee a waiver takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverAmount {
    Full,
    Percent(BasisPoints),
    FixedPerMonth(Money),
}

impl WaiverAmount {
    pub fn percent(bp: u32) -> Result<Self, BillingError> {
        let bp = u16::try_from(bp).map_err(|_| BillingError::OverWhole)?;
        if bp == 0 {
            return Err(BillingError::NotPositive);
        }
        Ok(Self::Percent(
            BasisPoints::new(bp).map_err(|_| BillingError::OverWhole)?,
        ))
    }

    pub fn fixed(per_month: Money) -> Result<Self, BillingError> {
        check_rate(per_month, MAX_PER_HOUSEHOLD).map(Self::FixedPerMonth)
    }

    /// The waived part of `due` (never more than `due`).
    pub fn of(self, due: Money) -> Result<Money, BillingError> {
        Ok(match self {
            Self::Full => due,
            Self::Percent(bp) => allocate(
                due,
                &[u64::from(bp.get()), u64::from(bp.complement().get())],
            )?[0],
            Self::FixedPerMonth(m) => m.min(due),
        })
    }
}

/// One item of the schedule in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeItem {
    pub kind: FeeItemKind,
    pub pricing: Pricing,
}

/// One line of a computed invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceLine {
    pub kind: FeeItemKind,
    pub amount: Money,
}

/// A household's invoice for one month, before it is numbered and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    pub lines: Vec<InvoiceLine>,
    /// Days billed of the month's days (prorated when fewer).
    pub days_billed: u32,
    /// Fee lines plus late fees plus repair charges.
    pub gross: Money,
    pub waived: Money,
    pub due: Money,
    /// The part of `gross` that is late fees for earlier invoices (not in `lines`).
    pub late_fees: Money,
    /// The part of `gross` that is repairs the household bore (not in `lines`): posted when
    /// each repair was verified, so the invoice's own entry leaves them out.
    pub repairs: Money,
}

impl InvoiceDraft {
    /// Adds late fees for earlier invoices: they raise what is billed and due, and no waiver
    /// reaches them (a waiver is of the month's fees).
    pub fn with_late_fees(
        mut self,
        fees: impl IntoIterator<Item = Money>,
    ) -> Result<Self, BillingError> {
        let late = Money::sum(fees)?;
        self.late_fees = self.late_fees.checked_add(late)?;
        self.raised_by(late)
    }

    /// Adds repairs the household bore: they raise what is billed and due, no waiver reaches
    /// them, and no late fee is charged for them.
    pub fn with_repairs(
        mut self,
        costs: impl IntoIterator<Item = Money>,
    ) -> Result<Self, BillingError> {
        let repairs = Money::sum(costs)?;
        self.repairs = self.repairs.checked_add(repairs)?;
        self.raised_by(repairs)
    }

    /// Bills and asks `more` beyond the month's fees.
    fn raised_by(mut self, more: Money) -> Result<Self, BillingError> {
        self.gross = self.gross.checked_add(more)?;
        self.due = self.due.checked_add(more)?;
        Ok(self)
    }

    /// What the invoice's own ledger entry posts: all it bills but the repairs, which are in
    /// the books already.
    pub fn issued(&self) -> Result<Money, BillingError> {
        Ok(self.gross.checked_sub(self.repairs)?)
    }
}

/// The days of `period` on which a household active `from..=to` is billed.
#[must_use]
pub fn active_days(period: BillingPeriod, from: NaiveDate, to: Option<NaiveDate>) -> u32 {
    let start = from.max(period.first_day());
    let end = to.map_or(period.last_day(), |t| t.min(period.last_day()));
    if end < start {
        0
    } else {
        u32::try_from((end - start).num_days() + 1).unwrap_or(0)
    }
}

/// Computes one household's invoice: one line per billable item (add-ons only when
/// `active_addons` has them), each prorated by active days, then the waiver.
pub fn compute_invoice(
    period: BillingPeriod,
    area: Area,
    days_active: u32,
    items: &[FeeItem],
    active_addons: &[FeeItemKind],
    waiver: Option<WaiverAmount>,
) -> Result<InvoiceDraft, BillingError> {
    let days = period.days();
    let days_billed = days_active.min(days);
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        if item.kind.is_addon() && !active_addons.contains(&item.kind) {
            continue;
        }
        let full = item.pricing.monthly(area)?;
        let amount = if days_billed == days {
            full
        } else {
            allocate(
                full,
                &[u64::from(days_billed), u64::from(days - days_billed)],
            )?[0]
        };
        if !amount.is_zero() {
            lines.push(InvoiceLine {
                kind: item.kind,
                amount,
            });
        }
    }
    let gross = Money::sum(lines.iter().map(|l| l.amount))?;
    let waived = match waiver {
        Some(w) if gross.is_positive() => w.of(gross)?,
        _ => Money::ZERO,
    };
    Ok(InvoiceDraft {
        lines,
        days_billed,
        gross,
        waived,
        due: gross.checked_sub(waived)?,
        late_fees: Money::ZERO,
        repairs: Money::ZERO,
    })
}

/// Where a billing run stands. A run is interrupted when it has not finished a batch for
/// [`RunStatus::STALLED_AFTER`]: its process died (a crash, a kill, a power cut). Its
/// committed batches stand; running the month again bills everyone it did not reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    Running,
    Finished,
    Interrupted,
}

impl RunStatus {
    /// How long a run may go without committing a batch before it counts as interrupted: a
    /// batch takes seconds even on a slow machine.
    pub const STALLED_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

    /// The status of a run last heard of at `last_progress` (its start or its latest batch).
    #[must_use]
    pub fn of(
        finished: bool,
        last_progress: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        if finished {
            Self::Finished
        } else if now - last_progress > Self::STALLED_AFTER {
            Self::Interrupted
        } else {
            Self::Running
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_silent_past_the_stall_limit_is_interrupted_and_a_finished_one_never() {
        use chrono::{TimeDelta, TimeZone, Utc};
        let start = Utc
            .with_ymd_and_hms(2026, 11, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let limit = RunStatus::STALLED_AFTER;
        let at = |d: TimeDelta| start + d;
        assert_eq!(RunStatus::of(false, start, at(limit)), RunStatus::Running);
        assert_eq!(
            RunStatus::of(false, start, at(limit + TimeDelta::seconds(1))),
            RunStatus::Interrupted
        );
        assert_eq!(
            RunStatus::of(true, start, at(TimeDelta::days(30))),
            RunStatus::Finished
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_waiver_is_decided_once() {
        assert_eq!(
            GrantStatus::Proposed.decided(true),
            Some(GrantStatus::Approved)
        );
        assert_eq!(
            GrantStatus::Proposed.decided(false),
            Some(GrantStatus::Rejected)
        );
        for done in [GrantStatus::Approved, GrantStatus::Rejected] {
            assert_eq!(done.decided(true), None);
            assert_eq!(done.decided(false), None);
        }
    }

    #[test]
    fn hardship_categories_round_trip_their_stored_codes() {
        for c in HardshipCategory::ALL {
            assert_eq!(HardshipCategory::from_code(c.code()), Some(*c));
        }
        assert_eq!(HardshipCategory::from_code("DIBAO"), None);
    }

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    fn area(centi: i64) -> Area {
        Area::from_centi(centi).unwrap_or_else(|e| panic!("{e}"))
    }

    fn p(s: &str) -> BillingPeriod {
        BillingPeriod::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn periods_parse_strictly() {
        assert_eq!(p("2026-02").days(), 28);
        assert_eq!(p("2028-02").days(), 29);
        assert_eq!(p("2026-12").next(), p("2027-01"));
        assert_eq!(p("2026-11").code(), 202_611);
        assert_eq!(BillingPeriod::from_code(202_611), Ok(p("2026-11")));
        for bad in [
            "2026-13", "2026-00", "26-11", "2026-1", "2026/11", "", "abcd-ef",
        ] {
            assert!(BillingPeriod::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            BillingPeriod::parse("3026-11"),
            Err(BillingError::PeriodOutOfRange)
        );
    }

    #[test]
    fn per_square_metre_lines_round_half_up_once() {
        // 89.50 m² × ¥0.35 = ¥31.325 → ¥31.33
        let price = Pricing::per_square_metre(fen(35)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(price.monthly(area(8950)), Ok(fen(3133)));
        // 89.49 m² × ¥0.35 = ¥31.3215 → ¥31.32
        assert_eq!(price.monthly(area(8949)), Ok(fen(3132)));
    }

    #[test]
    fn absurd_and_non_positive_rates_are_refused() {
        assert_eq!(
            Pricing::per_household(fen(0)),
            Err(BillingError::NotPositive)
        );
        assert_eq!(
            Pricing::per_household(fen(-100)),
            Err(BillingError::NotPositive)
        );
        assert!(matches!(
            Pricing::per_household(fen(100_001)),
            Err(BillingError::Absurd { .. })
        ));
        assert!(matches!(
            Pricing::per_square_metre(fen(5_001)),
            Err(BillingError::Absurd { .. })
        ));
        assert_eq!(WaiverAmount::percent(10_001), Err(BillingError::OverWhole));
        assert_eq!(WaiverAmount::percent(0), Err(BillingError::NotPositive));
    }

    #[test]
    fn a_full_month_with_a_half_waiver() {
        let items = [
            FeeItem {
                kind: FeeItemKind::GarbageRemoval,
                pricing: Pricing::PerHousehold(fen(1_000)),
            },
            FeeItem {
                kind: FeeItemKind::SecurityPatrol,
                pricing: Pricing::PerHousehold(fen(1_001)),
            },
            FeeItem {
                kind: FeeItemKind::GreeneryCare,
                pricing: Pricing::PerHousehold(fen(500)),
            },
        ];
        let w = WaiverAmount::percent(5_000).unwrap_or_else(|e| panic!("{e}"));
        let d = compute_invoice(p("2026-11"), area(6000), 30, &items, &[], Some(w))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.lines.len(), 2, "an add-on not activated is not billed");
        assert_eq!(d.gross, fen(2_001));
        assert_eq!(
            d.waived,
            fen(1_001),
            "the odd fen goes to the larger remainder (the first part)"
        );
        assert_eq!(d.due, fen(1_000));
    }

    #[test]
    fn part_months_are_prorated_by_day() {
        let items = [FeeItem {
            kind: FeeItemKind::GarbageRemoval,
            pricing: Pricing::PerHousehold(fen(3_000)),
        }];
        let period = p("2026-11");
        let days = active_days(
            period,
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default(),
            None,
        );
        assert_eq!(days, 10);
        let d = compute_invoice(period, area(6000), days, &items, &[], None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.due, fen(1_000));
        assert_eq!(
            active_days(
                period,
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
                None
            ),
            0
        );
        let left = NaiveDate::from_ymd_opt(2026, 11, 3);
        assert_eq!(
            active_days(
                period,
                NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
                left
            ),
            3
        );
    }

    #[test]
    fn repairs_raise_what_is_due_untouched_by_the_waiver_and_are_not_posted_again() {
        let items = [FeeItem {
            kind: FeeItemKind::GarbageRemoval,
            pricing: Pricing::PerHousehold(fen(1_000)),
        }];
        let half = WaiverAmount::percent(5_000).ok();
        let d = compute_invoice(p("2026-01"), area(5_000), 31, &items, &[], half)
            .and_then(|d| d.with_late_fees([fen(30)]))
            .and_then(|d| d.with_repairs([fen(12_000), fen(500)]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.waived, fen(500));
        assert_eq!(d.repairs, fen(12_500));
        assert_eq!(d.gross, fen(1_000 + 30 + 12_500));
        assert_eq!(d.due, fen(500 + 30 + 12_500));
        assert_eq!(d.issued(), Ok(fen(1_030)));
        assert_eq!(LineKind::from_code("repair"), Some(LineKind::Repair));
        assert_eq!(LineKind::Repair.code(), "repair");
    }

    proptest! {
        #[test]
        fn invoices_add_up(rate in 1i64..100_000, days in 0u32..=31, bp in 1u32..=10_000, centi in 1i64..1_000_000) {
            let items = [
                FeeItem { kind: FeeItemKind::GarbageRemoval, pricing: Pricing::PerHousehold(fen(rate)) },
                FeeItem { kind: FeeItemKind::SecurityPatrol, pricing: Pricing::PerSquareMetre(fen(rate % 5_000 + 1)) },
            ];
            let w = WaiverAmount::percent(bp).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let d = compute_invoice(p("2026-01"), area(centi), days, &items, &[], Some(w)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let sum: i64 = d.lines.iter().map(|l| l.amount.fen()).sum();
            prop_assert_eq!(sum, d.gross.fen());
            prop_assert_eq!(d.gross.fen() - d.waived.fen(), d.due.fen());
            prop_assert!(d.waived <= d.gross && !d.due.fen().is_negative());
            if days == 0 { prop_assert!(d.gross.is_zero()); }
        }
    }
}
