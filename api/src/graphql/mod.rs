//! The GraphQL API: one module per area, merged into one schema.

/// A GraphQL enum mirroring a domain enum variant for variant, with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $gql:ident, $domain:path { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $gql { $($variant),+ }

        impl From<$gql> for $domain {
            fn from(v: $gql) -> Self { match v { $($gql::$variant => Self::$variant),+ } }
        }

        impl From<$domain> for $gql {
            fn from(v: $domain) -> Self { match v { $(<$domain>::$variant => Self::$variant),+ } }
        }
    };
}

mod auth;
mod billing;
pub mod context;
pub mod error;
mod ledger;
pub mod loaders;
mod metrics;
mod online;
mod pagination;
mod people;
mod tenancy;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use std::sync::Arc;

use crate::db::Db;
use crate::metrics::Metrics;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    auth::AuthQuery,
    auth::MembersQuery,
    tenancy::TenancyQuery,
    people::PeopleQuery,
    ledger::LedgerQuery,
    billing::BillingQuery,
    online::OnlineQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    auth::AuthMutation,
    auth::MembersMutation,
    tenancy::TenancyMutation,
    people::PeopleMutation,
    ledger::LedgerMutation,
    billing::BillingMutation,
    online::OnlineMutation,
);

pub type CourtyardSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 2_000;

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
}

/// The schema with its limits; `db` is shared by every request, `metrics` counts them.
#[must_use]
pub fn build_schema(
    db: Db,
    metrics: Arc<Metrics>,
    stripe: Option<Arc<crate::stripe::Stripe>>,
) -> CourtyardSchema {
    builder()
        .data(db)
        .data(stripe)
        .extension(metrics::RequestMetrics(metrics))
        .finish()
}

/// The SDL committed at `api/schema.graphql`.
#[must_use]
pub fn sdl() -> String {
    builder().finish().sdl()
}
