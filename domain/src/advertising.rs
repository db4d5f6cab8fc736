//! Advertising contracts on common parts (广告位合同): what an advertiser owes and when (the
//! schedule of instalments), how a payment settles it (oldest instalment first), and how a
//! payment over several compounds is shared among them (by the contract's key, through the
//! one allocation rule, [`crate::allocate`]).

use chrono::{Datelike, NaiveDate};

use crate::billing::BillingPeriod;
use crate::code::code_enum;
use crate::money::{Money, MoneyError};

code_enum!(
    /// Where an advertisement is placed.
    PlacementKind {
        LiftPanel = "lift_panel",
        OutdoorBoard = "outdoor_board",
        LampPoleLightBox = "lamp_pole_light_box",
        GarageDoor = "garage_door",
        Other = "other",
    }
);

code_enum!(
    /// How a payment is shared among a contract's compounds: by the placements in each, or
    /// by each compound's households when the contract was signed.
    AllocationKey {
        Placements = "placements",
        Households = "households",
    }
);

code_enum!(
    /// Whether the price is per month of the term or one sum for the whole term.
    Pricing {
        Monthly = "monthly",
        LumpSum = "lump_sum",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    #[error("the term must not end before it starts")]
    EndsBeforeStart,
    #[error("the price must be greater than zero")]
    PriceNotPositive,
    #[error("the day instalments fall due must be between 1 and 28")]
    DueDay,
    #[error("a renewal must end after the current term")]
    RenewalNotLater,
    #[error("must be greater than zero")]
    PaymentNotPositive,
    #[error("must be at most {outstanding}, what is still owed on the contract")]
    AboveOutstanding { outstanding: Money },
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// A contract's months, `from..=to`, never ending before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    from: BillingPeriod,
    to: BillingPeriod,
}

impl Term {
    pub fn new(from: BillingPeriod, to: BillingPeriod) -> Result<Self, ContractError> {
        if to < from {
            return Err(ContractError::EndsBeforeStart);
        }
        Ok(Self { from, to })
    }

    #[must_use]
    pub fn from(self) -> BillingPeriod {
        self.from
    }

    #[must_use]
    pub fn to(self) -> BillingPeriod {
        self.to
    }

    /// Each month of the term, in order.
    pub fn months(self) -> impl Iterator<Item = BillingPeriod> {
        std::iter::successors(Some(self.from), |p| Some(p.next()))
            .take_while(move |p| *p <= self.to)
    }
}

/// The day of the month an instalment falls due: 1–28, so that every month has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDay(u32);

impl DueDay {
    pub fn new(day: u32) -> Result<Self, ContractError> {
        if (1..=28).contains(&day) {
            Ok(Self(day))
        } else {
            Err(ContractError::DueDay)
        }
    }

    #[must_use]
    pub fn get(self) -> u32 {
        self.0
    }

    /// The due date in `period`.
    #[must_use]
    pub fn of(self, period: BillingPeriod) -> NaiveDate {
        period
            .first_day()
            .with_day(self.0)
            .unwrap_or_else(|| period.first_day())
    }
}

/// One amount expected from the advertiser, in the month it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    pub period: BillingPeriod,
    pub due_on: NaiveDate,
    pub amount: Money,
}

/// The instalments a term owes at a price: one per month for a monthly price, or the whole
/// sum due in the term's first month.
pub fn schedule(
    pricing: Pricing,
    price: Money,
    term: Term,
    due: DueDay,
) -> Result<Vec<Instalment>, ContractError> {
    if !price.is_positive() {
        return Err(ContractError::PriceNotPositive);
    }
    Ok(match pricing {
        Pricing::Monthly => term
            .months()
            .map(|period| Instalment {
                period,
                due_on: due.of(period),
                amount: price,
            })
            .collect(),
        Pricing::LumpSum => vec![Instalment {
            period: term.from,
            due_on: due.of(term.from),
            amount: price,
        }],
    })
}

/// The instalments a renewal from `term` to `to` adds: the months after the current term at
/// a monthly price, or the new sum due in the first added month.
pub fn renewal(
    pricing: Pricing,
    price: Money,
    term: Term,
    to: BillingPeriod,
    due: DueDay,
) -> Result<(Term, Vec<Instalment>), ContractError> {
    if to <= term.to {
        return Err(ContractError::RenewalNotLater);
    }
    let added = Term::new(term.to.next(), to)?;
    Ok((
        Term::new(term.from, to)?,
        schedule(pricing, price, added, due)?,
    ))
}

/// How an instalment stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstalmentState {
    Paid,
    /// Not yet due (partly paid or not).
    Open,
    /// Past its due date and not paid in full.
    Overdue,
}

#[must_use]
pub fn state(amount: Money, paid: Money, due_on: NaiveDate, today: NaiveDate) -> InstalmentState {
    if paid >= amount {
        InstalmentState::Paid
    } else if today > due_on {
        InstalmentState::Overdue
    } else {
        InstalmentState::Open
    }
}

/// Settles `payment` against what is still owed on each instalment (in schedule order):
/// the oldest first, each in full before the next. Answers what goes to each instalment.
pub fn settle(payment: Money, owed: &[Money]) -> Result<Vec<Money>, ContractError> {
    if !payment.is_positive() {
        return Err(ContractError::PaymentNotPositive);
    }
    let outstanding = Money::sum(owed.iter().copied())?;
    if payment > outstanding {
        return Err(ContractError::AboveOutstanding { outstanding });
    }
    let mut left = payment;
    let mut out = Vec::with_capacity(owed.len());
    for &o in owed {
        let take = left.min(o.max(Money::ZERO));
        out.push(take);
        left = left.checked_sub(take)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn p(s: &str) -> BillingPeriod {
        BillingPeriod::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn yuan(fen: i64) -> Money {
        Money::from_fen(fen)
    }

    #[test]
    fn a_term_may_not_end_before_it_starts() {
        assert_eq!(
            Term::new(p("2026-05"), p("2026-04")),
            Err(ContractError::EndsBeforeStart)
        );
        let one = Term::new(p("2026-12"), p("2026-12")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(one.months().count(), 1);
    }

    #[test]
    fn a_monthly_price_owes_each_month_on_its_due_day() {
        let term = Term::new(p("2026-11"), p("2027-02")).unwrap_or_else(|e| panic!("{e}"));
        let due = DueDay::new(10).unwrap_or_else(|e| panic!("{e}"));
        let s =
            schedule(Pricing::Monthly, yuan(50_000), term, due).unwrap_or_else(|e| panic!("{e}"));
        let periods: Vec<String> = s.iter().map(|i| i.period.to_string()).collect();
        assert_eq!(periods, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(
            s[2].due_on,
            NaiveDate::from_ymd_opt(2027, 1, 10).unwrap_or_default()
        );
        assert!(s.iter().all(|i| i.amount == yuan(50_000)));
    }

    #[test]
    fn a_lump_sum_is_due_once_in_the_first_month() {
        let term = Term::new(p("2026-11"), p("2027-10")).unwrap_or_else(|e| panic!("{e}"));
        let due = DueDay::new(1).unwrap_or_else(|e| panic!("{e}"));
        let s = schedule(Pricing::LumpSum, yuan(1_200_000), term, due)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].period, p("2026-11"));
        assert_eq!(s[0].amount, yuan(1_200_000));
    }

    #[test]
    fn zero_prices_and_impossible_due_days_are_refused() {
        let term = Term::new(p("2026-11"), p("2026-12")).unwrap_or_else(|e| panic!("{e}"));
        let due = DueDay::new(1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            schedule(Pricing::Monthly, Money::ZERO, term, due),
            Err(ContractError::PriceNotPositive)
        );
        assert_eq!(DueDay::new(0), Err(ContractError::DueDay));
        assert_eq!(DueDay::new(29), Err(ContractError::DueDay));
    }

    #[test]
    fn a_renewal_adds_the_months_after_the_term() {
        let term = Term::new(p("2026-01"), p("2026-12")).unwrap_or_else(|e| panic!("{e}"));
        let due = DueDay::new(5).unwrap_or_else(|e| panic!("{e}"));
        let (longer, added) = renewal(Pricing::Monthly, yuan(60_000), term, p("2027-03"), due)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(longer.to(), p("2027-03"));
        assert_eq!(added.len(), 3);
        assert_eq!(added[0].period, p("2027-01"));
        assert_eq!(
            renewal(Pricing::Monthly, yuan(1), term, p("2026-12"), due),
            Err(ContractError::RenewalNotLater)
        );
    }

    #[test]
    fn a_payment_settles_the_oldest_first_and_never_more_than_is_owed() {
        let owed = [yuan(100), yuan(100), yuan(100)];
        assert_eq!(
            settle(yuan(150), &owed),
            Ok(vec![yuan(100), yuan(50), Money::ZERO])
        );
        assert_eq!(
            settle(yuan(301), &owed),
            Err(ContractError::AboveOutstanding {
                outstanding: yuan(300)
            })
        );
        assert_eq!(
            settle(Money::ZERO, &owed),
            Err(ContractError::PaymentNotPositive)
        );
    }

    #[test]
    fn an_instalment_is_overdue_only_after_its_day_unpaid() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or_default();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert_eq!(
            state(yuan(100), yuan(40), due, day(10)),
            InstalmentState::Open
        );
        assert_eq!(
            state(yuan(100), yuan(40), due, day(11)),
            InstalmentState::Overdue
        );
        assert_eq!(
            state(yuan(100), yuan(100), due, day(31)),
            InstalmentState::Paid
        );
    }

    proptest! {
        #[test]
        fn settling_gives_away_exactly_the_payment(
            owed in proptest::collection::vec(1i64..1_000_000, 1..24),
            share in 1u32..=100,
        ) {
            let owed: Vec<Money> = owed.into_iter().map(Money::from_fen).collect();
            let total: i64 = owed.iter().map(|m| m.fen()).sum();
            let payment = Money::from_fen((total * i64::from(share) / 100).max(1));
            let parts = settle(payment, &owed).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(parts.iter().map(|m| m.fen()).sum::<i64>(), payment.fen());
            for (part, o) in parts.iter().zip(&owed) {
                prop_assert!(*part <= *o && !part.fen().is_negative());
            }
            // Oldest first: nothing goes to an instalment while an older one is still owed.
            let first_short = parts.iter().zip(&owed).position(|(p, o)| p < o);
            if let Some(i) = first_short {
                prop_assert!(parts[i + 1..].iter().all(|p| p.is_zero()));
            }
        }
    }
}
