//! Attempts at a secret (a password, an invite code), counted before they are checked.
//!
//! An attempt is recorded as failed *before* its secret is checked, in a short transaction
//! that serialises the attempts on its key (SQLite's write lock; PostgreSQL's advisory lock on
//! the key), and forgiven once it succeeds. However many arrive at once, at most `max` within
//! the window are ever checked. Nothing is held while the secret is checked.

use chrono::{Duration, Utc};
use uuid::Uuid;

use crate::people::store::users;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};

/// At most `max` failed attempts per key within `window`.
#[derive(Clone, Copy, Debug)]
pub struct Throttle {
    pub max: u64,
    pub window: Duration,
}

/// An attempt let through, counted as failed until forgiven.
#[derive(Debug)]
pub struct Attempt {
    id: Uuid,
}

/// Lets an attempt on `key` through, or refuses it with `locked` when `throttle` is spent.
#[tracing::instrument(name = "attempts.begin", skip_all)]
pub async fn begin(db: &Db, key: &str, throttle: Throttle, locked: &str) -> AppResult<Attempt> {
    let tx = db.begin_global_writes().await?;
    users::lock_attempts(&tx, key).await?;
    let failures =
        users::count_login_failures_since(&tx, key, Utc::now() - throttle.window).await?;
    if failures >= throttle.max {
        return Err(AppError::refused("LOCKED_OUT", locked));
    }
    let id = users::record_login_failure(&tx, key).await?;
    tx.commit().await?;
    Ok(Attempt { id })
}

/// Forgives a successful attempt, in the transaction that acted on its success.
pub async fn forgive(db: &impl sea_orm::ConnectionTrait, attempt: Attempt) -> AppResult<()> {
    Ok(users::delete_login_failure(db, attempt.id).await?)
}

/// Forgives every failure on `key` (a correct password wipes the slate).
pub async fn forgive_all(db: &Db, key: &str) -> AppResult<()> {
    let tx = db.begin_global().await?;
    users::clear_login_failures(&tx, key).await?;
    tx.commit().await?;
    Ok(())
}
