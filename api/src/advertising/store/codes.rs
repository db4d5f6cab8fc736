//! Reading the stored codes of advertising's tables back into domain values.

use domain::advertising::{AllocationKey, DueDay, PlacementKind, Pricing, Term};
use domain::billing::BillingPeriod;
use domain::ledger::PaymentMethod;
use sea_orm::DbErr;

use crate::platform::storage::corrupt;

pub(super) fn period(code: i32) -> Result<BillingPeriod, DbErr> {
    BillingPeriod::from_code(code).map_err(|_| corrupt("period", &code.to_string()))
}

pub(super) fn term(from: i32, to: i32) -> Result<Term, DbErr> {
    Term::new(period(from)?, period(to)?).map_err(|_| corrupt("term", &format!("{from}–{to}")))
}

pub(super) fn due_day(day: i32) -> Result<DueDay, DbErr> {
    u32::try_from(day)
        .ok()
        .and_then(|d| DueDay::new(d).ok())
        .ok_or_else(|| corrupt("due day", &day.to_string()))
}

pub(super) fn pricing(code: &str) -> Result<Pricing, DbErr> {
    Pricing::from_code(code).ok_or_else(|| corrupt("pricing", code))
}

pub(super) fn key(code: &str) -> Result<AllocationKey, DbErr> {
    AllocationKey::from_code(code).ok_or_else(|| corrupt("allocation key", code))
}

pub(super) fn kind(code: &str) -> Result<PlacementKind, DbErr> {
    PlacementKind::from_code(code).ok_or_else(|| corrupt("placement kind", code))
}

pub(super) fn method(code: &str) -> Result<PaymentMethod, DbErr> {
    PaymentMethod::from_code(code).ok_or_else(|| corrupt("payment method", code))
}

pub(super) fn count(v: i64, what: &str) -> Result<u64, DbErr> {
    u64::try_from(v).map_err(|_| corrupt(what, &v.to_string()))
}
