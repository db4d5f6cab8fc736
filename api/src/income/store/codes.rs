//! Reading the stored codes of income's tables back into domain values.

use domain::billing::BillingPeriod;
use domain::income::{IncomeCategory, SplitRule};
use domain::ledger::PaymentMethod;
use sea_orm::DbErr;

use crate::platform::storage::corrupt;

pub(super) fn category(code: &str) -> Result<IncomeCategory, DbErr> {
    IncomeCategory::from_code(code).ok_or_else(|| corrupt("income category", code))
}

pub(super) fn method(code: &str) -> Result<PaymentMethod, DbErr> {
    PaymentMethod::from_code(code).ok_or_else(|| corrupt("payment method", code))
}

pub(super) fn period(code: i32) -> Result<BillingPeriod, DbErr> {
    BillingPeriod::from_code(code).map_err(|_| corrupt("period", &code.to_string()))
}

pub(super) fn rule(owners_bp: i32, firm_bp: i32) -> Result<SplitRule, DbErr> {
    let bp = |v: i32| u16::try_from(v).map_err(|_| corrupt("basis points", &v.to_string()));
    SplitRule::new(bp(owners_bp)?, bp(firm_bp)?)
        .map_err(|_| corrupt("split rule", &format!("{owners_bp}/{firm_bp}")))
}
