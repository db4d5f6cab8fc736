//! Identifiers: UUIDv7, so that ids sort by creation time and index well.

use uuid::Uuid;

/// A fresh time-ordered identifier.
#[must_use]
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
