//! The plain records and inputs ledger's use cases, storage and GraphQL share.

use chrono::{DateTime, Utc};
use domain::{AccountKind, EntryKind, JournalEntry, Money};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub household_id: Option<Uuid>,
    pub kind: AccountKind,
    pub balance: Money,
    pub archived: bool,
}

/// An entry to append, with what the business event says about it.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub entry: JournalEntry,
    pub occurred_at: DateTime<Utc>,
    pub idempotency_key: String,
    pub memo: String,
    pub actor: Option<Uuid>,
    pub reverses: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub id: Uuid,
    pub seq: i64,
    pub compound_id: Uuid,
    pub kind: EntryKind,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub idempotency_key: String,
    pub memo: String,
    pub actor: Option<Uuid>,
    pub reverses: Option<Uuid>,
    pub hash: String,
    /// (account id, amount)
    pub postings: Vec<(Uuid, Money)>,
}

/// One line of an account statement.
#[derive(Debug, Clone)]
pub struct StatementLine {
    pub entry_id: Uuid,
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: EntryKind,
    pub memo: String,
    pub amount: Money,
}

/// The sum of postings to one kind of a compound's accounts by one kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    pub account: AccountKind,
    pub entry: EntryKind,
    /// Debits positive, credits negative.
    pub amount: Money,
}
