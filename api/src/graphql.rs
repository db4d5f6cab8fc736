//! The one GraphQL schema: the areas' query and mutation objects merged, under two budgets.

use async_graphql::{MergedObject, MergedSubscription, Schema};

use std::sync::Arc;

use crate::platform::db::Db;
use crate::platform::graphql::limits::{self, Budget};
use crate::platform::graphql::{error, metrics};
use crate::platform::metrics::Metrics;
use crate::{
    advertising, billing, board, collection, committee_fund, dispatch, governance, income, ledger,
    online, people, reports, tenancy,
};

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    people::AuthQuery,
    people::MembersQuery,
    tenancy::TenancyQuery,
    people::PeopleQuery,
    ledger::LedgerQuery,
    billing::BillingQuery,
    collection::CollectionQuery,
    reports::ReportsQuery,
    online::OnlineQuery,
    committee_fund::CommitteeFundQuery,
    income::IncomeQuery,
    advertising::AdvertisingQuery,
    dispatch::ContractorsQuery,
    dispatch::WorkOrdersQuery,
    dispatch::PayablesQuery,
    dispatch::DispatchRulesQuery,
    governance::GovernanceQuery,
    board::BoardQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    people::AuthMutation,
    people::MembersMutation,
    tenancy::TenancyMutation,
    people::PeopleMutation,
    ledger::LedgerMutation,
    billing::BillingMutation,
    collection::CollectionMutation,
    online::OnlineMutation,
    committee_fund::CommitteeFundMutation,
    income::IncomeMutation,
    advertising::AdvertisingMutation,
    dispatch::ContractorsMutation,
    dispatch::WorkOrdersMutation,
    dispatch::PayablesMutation,
    dispatch::DispatchRulesMutation,
    governance::GovernanceMutation,
    board::BoardMutation,
);

/// What a client may follow live (over `/graphql/ws`).
#[derive(MergedSubscription, Default)]
pub struct SubscriptionRoot(
    dispatch::WorkOrdersSubscription,
    billing::BillingSubscription,
);

pub type CourtyardSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

fn builder(
    budget: Budget,
) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
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
        stripe: Option<Arc<crate::online::stripe::Stripe>>,
    ) -> Self {
        let schema = |budget| {
            builder(budget)
                .data(db.clone())
                .data(stripe.clone())
                .extension(metrics::RequestMetrics(Arc::clone(&metrics)))
                .extension(error::ClassifySubscriptions)
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
