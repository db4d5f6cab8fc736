//! The owners' committee fund: its statement, the committee's payout account and payouts of
//! what the fund holds, through Stripe Connect.

mod bank;
mod graphql;
mod model;
mod service;
mod statement;
mod store;

pub use graphql::{CommitteeFundMutation, CommitteeFundQuery};
pub use statement::{FundStatement, statement_in, statements_in};
