//! The owners' committee fund: the committee's payout account and payouts of what the fund
//! holds, through Stripe Connect.

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{CommitteeFundMutation, CommitteeFundQuery};
