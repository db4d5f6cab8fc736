//! Reading the stored codes of governance's tables back into domain values.

use domain::governance::budget::{LineCategory, Step};
use domain::governance::{Body, Channel, Choice, MatterKind, MatterState, Outcome, Post};
use sea_orm::DbErr;

use crate::platform::storage::corrupt;

macro_rules! reader {
    ($fn:ident, $ty:ty, $what:literal) => {
        pub(super) fn $fn(code: &str) -> Result<$ty, DbErr> {
            <$ty>::from_code(code).ok_or_else(|| corrupt($what, code))
        }
    };
}

reader!(kind, MatterKind, "matter kind");
reader!(state, MatterState, "matter state");
reader!(outcome, Outcome, "vote outcome");
reader!(choice, Choice, "ballot choice");
reader!(channel, Channel, "ballot channel");
reader!(body, Body, "committee body");
reader!(post, Post, "committee post");
reader!(step, Step, "budget step");
reader!(category, LineCategory, "budget line category");

/// A stored count or area, never negative.
pub(super) fn count(n: i64, what: &str) -> Result<u64, DbErr> {
    u64::try_from(n).map_err(|_| corrupt(what, &n.to_string()))
}

/// A stored voter number or unit count, never negative.
pub(super) fn number(n: i32, what: &str) -> Result<u32, DbErr> {
    u32::try_from(n).map_err(|_| corrupt(what, &n.to_string()))
}
