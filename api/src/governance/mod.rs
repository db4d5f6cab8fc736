//! Owners' governance — the compound's committee and its terms; the matters owners decide,
//! each voted on a roll frozen from the register and counted by the rule its kind takes
//! (Civil Code Art. 278); ballots online or on paper, secret where the matter is. Other areas
//! ask it one thing: has a matter of this kind passed for this compound?

mod graphql;
mod model;
pub mod seed;
mod service;
mod store;

use domain::governance::MatterKind;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use graphql::{GovernanceMutation, GovernanceQuery};
pub use model::{Matter, Seat};
/// The use cases of a vote's life, for the benchmark that drives them without a server.
pub use service::{DraftInput, close, draft, open};
pub use service::{enter_paper, paper_scan};

use crate::platform::error::{AppError, AppResult};

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

/// A passed matter, as other areas cite it.
#[derive(Debug, Clone)]
pub struct Decision {
    pub id: Uuid,
    pub title: String,
}

/// A passed matter of the compound of one of `kinds`, for a decision that needs one — or a
/// clear `BAD_USER_INPUT` on `field` saying what is missing.
pub async fn decided(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    matter: Uuid,
    kinds: &[MatterKind],
    field: &str,
) -> AppResult<Decision> {
    let m = store::matters::find(tx, tenant, matter)
        .await?
        .filter(|m| m.compound_id == compound)
        .ok_or_else(|| AppError::bad_input(field, "is not a matter of this compound"))?;
    if !kinds.contains(&m.kind) {
        let wanted: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
        return Err(AppError::bad_input(
            field,
            format!("this needs a matter of kind {}", wanted.join(" or ")),
        ));
    }
    if !service::passed(&m) {
        return Err(AppError::bad_input(
            field,
            "this matter has not passed: the owners have not decided it",
        ));
    }
    Ok(Decision {
        id: m.id,
        title: m.title,
    })
}
