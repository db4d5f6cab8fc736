//! The ledger's persistence: accounts with maintained balances, appending chained entries,
//! statements, trial balances and verification.
//!
//! Appending takes the tenant's chain head under a row lock first (the write lock on
//! SQLite), so appends of one tenant are serialised, idempotency keys are checked against
//! committed entries, and the chain has no forks.

mod accounts;
mod append;
mod entries;
mod sql;
mod verify;

pub use accounts::*;
pub use append::*;
pub use entries::*;
pub use verify::verify;
