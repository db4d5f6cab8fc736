//! People's repositories.

pub mod invites;
pub mod memberships;
pub mod people;
pub mod users;
