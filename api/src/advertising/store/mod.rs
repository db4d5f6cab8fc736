//! Advertising's storage: contracts with their placements, weights and instalments, and the
//! payments received with their shares.

mod codes;
mod contracts;
mod payments;

pub use contracts::{
    cancel_after, contract_ids_in, contracts, find_by_number, insert_contract, insert_instalments,
    set_term,
};
pub use payments::{find_payment_by_key, insert_payment, payments_of};
