//! Advertising's use cases: signing, renewing and ending a contract, recording a payment,
//! and reading contracts. Book-keepers write; a compound's committee reads the contracts on
//! its compound.

mod files;
mod payments;
mod signing;
mod term;

pub use files::{contract, contracts_in};
pub use payments::{PaymentInput, record_payment};
pub use signing::{ContractInput, PlacementInput, sign};
pub use term::{renew, terminate};
