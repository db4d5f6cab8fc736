//! The public accounts board (账目公开栏) of each compound: fee income, common-part income and
//! its split, the committee fund and the firm's contacts, derived from the ledger and the
//! monthly closes, at an unguessable address the firm can rotate — no names, rooms or
//! hardship data. Served without a session, from a cache that any posting invalidates.

mod figures;
mod graphql;
mod model;
mod service;
mod store;

pub use graphql::{BoardMutation, BoardQuery};
pub use service::{BoardCache, board_json, poster_qr};
