//! Governance's GraphQL: committees and their seats, matters with their rolls, ballots and
//! results, budgets through the seven steps.

mod budgets;
mod enums;
mod matters;
mod seats;

use async_graphql::MergedObject;

pub use budgets::{BudgetsMutation, BudgetsQuery};

pub use matters::{MattersMutation, MattersQuery};
pub use seats::{CommitteeMutation, CommitteeQuery};

#[derive(MergedObject, Default)]
pub struct GovernanceQuery(MattersQuery, CommitteeQuery, BudgetsQuery);

#[derive(MergedObject, Default)]
pub struct GovernanceMutation(MattersMutation, CommitteeMutation, BudgetsMutation);
