//! Owners' governance — the compound's committee and its terms; the matters owners decide,
//! each voted on a roll frozen from the register and counted by the rule its kind takes
//! (Civil Code Art. 278); ballots online or on paper, secret where the matter is; each year's
//! budget through the seven steps of the democratic decision method. Other areas ask it one
//! thing: has a matter of this kind passed for this compound? The board reads its committee,
//! counted votes and budgets.

mod graphql;
mod model;
pub mod seed;
mod service;
mod store;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use graphql::{GovernanceMutation, GovernanceQuery};
pub use model::{Decision, Matter, Seat};
pub use service::{BudgetDetail, decided};
/// The use cases of a vote's life, for the benchmark that drives them without a server.
pub use service::{DraftInput, close, draft, open};
pub use service::{enter_paper, paper_scan};

use crate::platform::error::AppResult;

/// The compound's committee on `today`: the seats whose term covers it (the public board).
pub async fn committee_on(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    today: chrono::NaiveDate,
) -> AppResult<Vec<Seat>> {
    Ok(store::seats::of_compound(tx, tenant, compound)
        .await?
        .into_iter()
        .filter(|s| s.term_from <= today && today <= s.last_day())
        .collect())
}

/// The compound's votes counted on or after `since`, newest first (the public board).
pub async fn counted_since(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    since: chrono::NaiveDate,
) -> AppResult<Vec<Matter>> {
    let mut counted: Vec<Matter> = store::matters::of_compounds(tx, tenant, &[compound])
        .await?
        .into_iter()
        .filter(|m| m.closed_at.is_some_and(|at| at.date_naive() >= since))
        .collect();
    counted.sort_by_key(|m| std::cmp::Reverse(m.closed_at));
    Ok(counted)
}

/// The compound's budgets for last year and later, newest first, read whole (the public
/// board).
pub async fn budgets_on_board(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    today: chrono::NaiveDate,
) -> AppResult<Vec<BudgetDetail>> {
    use chrono::Datelike;
    let mut found = store::budgets::of_compound(tx, tenant, compound).await?;
    found.retain(|b| b.year >= today.year() - 1);
    service::read_whole(tx, tenant, found, today).await
}
