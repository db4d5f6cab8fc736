//! How far ahead a schedule, an add-on, a waiver or a run may reach.

use domain::billing::BillingPeriod;

use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};

/// The latest month a schedule, activation or run may concern: next month.
pub(super) fn latest_period(db: &Db) -> BillingPeriod {
    BillingPeriod::containing(db.clock().today()).next()
}

pub fn check_not_far_future(
    db: &Db,
    period: BillingPeriod,
    field: &str,
    months_ahead: u32,
) -> AppResult<()> {
    let mut limit = BillingPeriod::containing(db.clock().today());
    for _ in 0..months_ahead {
        limit = limit.next();
    }
    if period > limit {
        return Err(AppError::bad_input(
            field,
            format!("must not be later than {limit}"),
        ));
    }
    Ok(())
}
