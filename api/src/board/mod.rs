//! The public accounts board (账目公开栏) of each compound: fee income, common-part income and
//! its split, the committee fund and the firm's contacts, derived from the ledger and the
//! monthly closes, with the owners' committee and the results of their votes, at an
//! unguessable address the firm can rotate — no residents' names, rooms or hardship data
//! (only the committee's members, who are posted by law). Served without a session, from a
//! cache that any posting invalidates (and that lives five minutes at most, so that a vote's
//! result or a new member shows within five minutes).

mod budgets;
mod figures;
mod graphql;
mod model;
mod service;
mod store;
mod votes;

pub use graphql::{BoardMutation, BoardQuery};
pub use service::{BoardCache, board_json, poster_qr};
