//! The GraphQL API: one module per area, merged into one schema.

/// A GraphQL enum mirroring a domain enum variant for variant, with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $gql:ident, $domain:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $gql { $($(#[$vdoc])* $variant),+ }

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
pub mod limits;
pub mod loaders;
mod metrics;
pub(crate) mod nul;
mod online;
mod pagination;
mod people;
mod tenancy;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use std::sync::Arc;

use crate::db::Db;
use crate::metrics::Metrics;
use limits::Budget;

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

fn builder(
    budget: Budget,
) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .limit_depth(budget.depth)
    .limit_complexity(budget.complexity)
    .limit_recursive_depth(32)
}

/// The one schema under two budgets: anonymous requests are held to the smaller.
pub struct Schemas {
    pub anonymous: CourtyardSchema,
    pub signed_in: CourtyardSchema,
}

impl Schemas {
    /// `db` is shared by every request, `metrics` counts them.
    #[must_use]
    pub fn build(
        db: Db,
        metrics: Arc<Metrics>,
        stripe: Option<Arc<crate::stripe::Stripe>>,
    ) -> Self {
        let schema = |budget| {
            builder(budget)
                .data(db.clone())
                .data(stripe.clone())
                .extension(metrics::RequestMetrics(Arc::clone(&metrics)))
                .finish()
        };
        Self {
            anonymous: schema(limits::ANONYMOUS),
            signed_in: schema(limits::SIGNED_IN),
        }
    }
}

/// The SDL committed at `api/schema.graphql`.
#[must_use]
pub fn sdl() -> String {
    builder(limits::SIGNED_IN).finish().sdl()
}
