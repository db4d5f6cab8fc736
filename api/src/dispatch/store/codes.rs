//! Reading the stored codes of dispatch's tables back into domain values.

use domain::dispatch::{
    Action, Actor, Bearer, ContractorKind, LocationKind, OnCall, OrderState, Priority, RateKind,
    RejectReason, Trade,
};
use sea_orm::DbErr;

use crate::platform::storage::corrupt;

macro_rules! reader {
    ($fn:ident, $ty:ty, $what:literal) => {
        pub(super) fn $fn(code: &str) -> Result<$ty, DbErr> {
            <$ty>::from_code(code).ok_or_else(|| corrupt($what, code))
        }
    };
}

reader!(trade, Trade, "trade");
reader!(priority, Priority, "priority");
reader!(location_kind, LocationKind, "location kind");
reader!(state, OrderState, "order state");
reader!(bearer, Bearer, "bearer");
reader!(action, Action, "action");
reader!(actor, Actor, "actor");
reader!(contractor_kind, ContractorKind, "contractor kind");
reader!(rate_kind, RateKind, "rate kind");
reader!(reject_reason, RejectReason, "reject reason");

pub(super) fn on_call(from: Option<i32>, to: Option<i32>) -> Result<OnCall, DbErr> {
    match (from, to) {
        (None, None) => Ok(OnCall::Always),
        (Some(f), Some(t)) => u16::try_from(f)
            .ok()
            .zip(u16::try_from(t).ok())
            .and_then(|(f, t)| OnCall::hours(f, t))
            .ok_or_else(|| corrupt("on-call hours", &format!("{f}–{t}"))),
        _ => Err(corrupt("on-call hours", "half set")),
    }
}

/// The stored pair for `on_call`.
pub(super) fn on_call_columns(on_call: OnCall) -> (Option<i32>, Option<i32>) {
    match on_call {
        OnCall::Always => (None, None),
        OnCall::Hours { from, to } => (Some(i32::from(from)), Some(i32::from(to))),
    }
}

pub(super) fn count(v: i64, what: &str) -> Result<u32, DbErr> {
    u32::try_from(v).map_err(|_| corrupt(what, &v.to_string()))
}
