//! Tenancy's repositories.

pub mod buildings;
pub mod bundles;
pub mod compounds;
pub mod households;
pub mod tenants;
