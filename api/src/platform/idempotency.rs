//! Idempotency keys chosen by clients: retrying a mutation with the same key changes nothing.

use crate::platform::error::{AppError, AppResult};

/// A client's idempotency key, trimmed: 1 to 200 characters.
pub fn key(raw: &str) -> AppResult<String> {
    let key = raw.trim();
    if key.is_empty() || key.len() > 200 {
        return Err(AppError::bad_input(
            "idempotencyKey",
            "must be 1 to 200 characters",
        ));
    }
    Ok(key.to_owned())
}
