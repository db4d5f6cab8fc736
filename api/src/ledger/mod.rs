//! The ledger: each firm's hash-chained, append-only double-entry journal, its accounts per
//! compound, statements, trial balances, adjustments and reversals, and its verification.
//! It uses no other area; every area that moves money records it here.

pub mod figures;
mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{LedgerMutation, LedgerQuery};
pub use model::{Account, Movement, NewEntry, StatementLine, StoredEntry};
pub use service::{
    accounts_for, append_in, append_to, hold_books, natural, open_chart, open_household_accounts,
    queue,
};
pub use store::{
    find_accounts, find_entry_by_key, head_seq, movements, movements_of, owing,
    statement as account_lines, verify,
};

/// The journal's storage, below the use cases: for the benchmarks and the tests of its
/// invariants.
pub mod journal {
    pub use super::store::{AppendError, accounts_for, append, append_to};
    pub use crate::ledger::model::NewEntry;
}
