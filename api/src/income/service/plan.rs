//! What closing a compound's month posts, category by category: its sums, what the close
//! before carried, and the rule in force — for the close and for a month still open alike.

use std::collections::BTreeMap;

use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::{IncomeCategory, SplitRule, close_category};

use crate::income::model::{CloseLine, MonthClose, RuleVersion};
use crate::income::store::MonthSums;
use crate::platform::error::{AppResult, FieldExt};

/// The rule in force for `category` in `month`: its latest version from that month or
/// before, else the default 70/30.
pub(super) fn rule_in_force(
    versions: &[RuleVersion],
    category: IncomeCategory,
    month: BillingPeriod,
) -> SplitRule {
    versions
        .iter()
        .filter(|v| v.category == category && v.effective_from <= month)
        .max_by_key(|v| v.effective_from)
        .map_or(SplitRule::DEFAULT, |v| v.rule)
}

/// A compound's lines for `month`: its sums by category, what the close before carried and
/// the rules in force, in the categories' stable order.
pub(super) fn lines_for(
    month: BillingPeriod,
    sums: impl IntoIterator<Item = (IncomeCategory, MonthSums)>,
    before: Option<&MonthClose>,
    versions: &[RuleVersion],
) -> AppResult<Vec<CloseLine>> {
    let mut by: BTreeMap<&str, (IncomeCategory, MonthSums, Money)> = BTreeMap::new();
    for (category, s) in sums {
        by.entry(category.code())
            .or_insert((category, MonthSums::default(), Money::ZERO))
            .1 = s;
    }
    for l in before.map(|b| b.lines.as_slice()).unwrap_or_default() {
        if !l.close.carried_out.is_zero() {
            by.entry(l.category.code())
                .or_insert((l.category, MonthSums::default(), Money::ZERO))
                .2 = l.close.carried_out;
        }
    }
    by.into_values()
        .map(|(category, s, carried_in)| {
            let rule = rule_in_force(versions, category, month);
            let close = close_category(s.gross, s.costs, carried_in, rule).field("amount")?;
            Ok(CloseLine {
                category,
                rule,
                close,
            })
        })
        .collect()
}
