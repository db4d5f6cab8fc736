//! People's use cases.

pub mod attempts;
pub mod auth;
pub mod invites;
pub mod members;
pub mod people;
