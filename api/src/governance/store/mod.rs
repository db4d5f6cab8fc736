//! Governance's storage: committee seats, matters, each vote's frozen roll and its ballots,
//! budgets with their versions, steps and questions.

pub mod ballots;
pub mod budgets;
mod codes;
pub mod matters;
pub mod questions;
pub mod roll;
pub mod seats;
mod sql;
pub mod versions;
