//! Governance's storage: committee seats, matters, each vote's frozen roll and its ballots.

pub mod ballots;
mod codes;
pub mod matters;
pub mod roll;
pub mod seats;
mod sql;
