//! People's GraphQL: signing in, the firm's staff and their roles, residents and invitations.

pub mod auth;
pub mod people;
