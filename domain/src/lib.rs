//! Courtyard's business rules, pure: no I/O, no async, no database, no web framework.
//!
//! Values enter the system through the parsers here (`Name::parse`, `Area::parse`, …) and are
//! valid from then on; nothing inside the application re-checks them.

pub mod access;
pub mod advertising;
pub mod allocation;
pub mod area;
pub mod billing;
pub mod calendar;
mod code;
pub mod compound;
pub mod contact;
pub mod dispatch;
pub mod event;
pub mod governance;
pub mod household;
pub mod id;
pub mod income;
pub mod late_fee;
pub mod ledger;
pub mod money;
pub mod online;
pub mod register;
pub mod takings;
pub mod text;

pub use access::{Grant, Principal, Role, Scope, Visibility};
pub use allocation::{
    AllocationError, BasisPoints, CommonIncomeSplit, allocate, split_common_income,
};
pub use area::{Area, AreaError, AreaSource};
pub use calendar::{DateOutOfRange, sane_date};
pub use compound::{ChargingMode, ManagementMode, OnboardingStage, SecurityBaseline};
pub use contact::{ContactError, Email, IdNumberMasked, Identifier, Phone};
pub use event::Event;
pub use household::{MemberRole, Period, PeriodError};
pub use id::new_id;
pub use ledger::{
    AccountKey, AccountKind, ChainRecord, ChainVerifier, EntryBuilder, EntryKind, GENESIS_HASH,
    JournalEntry, LedgerError, Posting, Verification, chain_hash,
};
pub use money::{Money, MoneyError};
pub use text::{Document, Label, LongText, Name, Slug, TextError};
