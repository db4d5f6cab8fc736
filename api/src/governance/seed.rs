//! Votes and budgets held before the demo's year began, written below the use cases (which
//! take ballots only while a vote is open by the server's clock, and move a budget only on
//! today's date): the roll frozen on the day the vote opened, a paper ballot for every voter,
//! the count at its close; a budget's steps on the days they were taken.

use chrono::{DateTime, Utc};
use domain::governance::{Channel, Choice, MatterKind, MatterState};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{Matter, NewBallot};
use super::service::tally_of;
use super::store::{ballots, matters, roll};
use crate::platform::error::{AppError, AppResult};

/// A vote that opened and closed in the past.
pub struct HistoricVote {
    pub compound: Uuid,
    pub kind: MatterKind,
    pub title: String,
    pub body: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    /// Who ran it and entered its ballots.
    pub by: Uuid,
    /// Each voter's choice, by their number on the roll.
    pub choice: fn(u32) -> Option<Choice>,
}

pub async fn historic_vote(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    v: HistoricVote,
) -> AppResult<Uuid> {
    let m = Matter {
        id: domain::new_id(),
        compound_id: v.compound,
        kind: v.kind,
        title: v.title,
        body: v.body,
        secret: false,
        state: MatterState::Draft,
        closes_at: v.closed_at,
        publicity_days: 7,
        drafted_at: v.opened_at,
        opened_at: None,
        closed_at: None,
        roll: None,
        tally: None,
        outcome: None,
    };
    matters::insert(tx, tenant, &m, v.by).await?;
    let totals = roll::freeze(tx, tenant, m.id, v.compound, v.opened_at.date_naive()).await?;
    matters::set_open(tx, tenant, m.id, v.opened_at, v.by, totals).await?;
    for voter in roll::voters(tx, tenant, m.id, None).await? {
        let Some(choice) = (v.choice)(voter.voter_no) else {
            continue;
        };
        let ballot = NewBallot {
            matter: m.id,
            voter_no: voter.voter_no,
            choice,
            channel: Channel::Paper,
            cast_by: v.by,
            scan: None,
            receipt: super::service::new_receipt(),
            at: v.opened_at,
        };
        ballots::cast(tx, tenant, &ballot).await?;
    }
    let tally = tally_of(totals, roll::counts(tx, tenant, m.id).await?);
    let outcome = tally.outcome(m.kind.rule());
    if !matters::set_closed(tx, tenant, m.id, v.closed_at, v.by, &tally, outcome).await? {
        return Err(AppError::conflict("id", "the seeded vote did not close"));
    }
    Ok(m.id)
}

pub use super::model::Seat;

/// A committee seat as the election recorded it.
pub async fn seat(tx: &impl ConnectionTrait, tenant: Uuid, seat: &Seat, by: Uuid) -> AppResult<()> {
    super::store::seats::insert(tx, tenant, seat, by, Utc::now()).await?;
    Ok(())
}

pub use super::model::{Budget, Question, StepTaken, Version};

/// A budget as it stood when the demo begins: started, revised and moved through its steps
/// on the days they were taken, its supervisors named, residents' questions asked (and
/// answered, where `answer` is set).
pub struct HistoricBudget {
    pub budget: Budget,
    pub by: Uuid,
    pub versions: Vec<Version>,
    /// In order, from step 1.
    pub steps: Vec<StepTaken>,
    pub supervisors: Option<domain::governance::budget::SupervisionGroup>,
    /// Each question with who asked it.
    pub questions: Vec<(Question, Uuid)>,
}

pub async fn historic_budget(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    h: HistoricBudget,
) -> AppResult<Uuid> {
    use super::store::{budgets, questions, versions};
    let id = h.budget.id;
    budgets::insert(tx, tenant, &h.budget, h.by).await?;
    for version in &h.versions {
        let v = versions::NewVersion {
            budget_id: id,
            version,
            by: h.by,
        };
        versions::insert(tx, tenant, v).await?;
    }
    for step in &h.steps {
        if !budgets::take_step(tx, tenant, id, step).await? {
            return Err(AppError::conflict(
                "steps",
                "the seeded steps are out of order",
            ));
        }
    }
    if let Some(group) = &h.supervisors {
        budgets::insert_supervisors(tx, tenant, id, group).await?;
    }
    for (q, asker) in &h.questions {
        questions::insert(tx, tenant, q, *asker).await?;
        if let (Some(answer), Some(at)) = (&q.answer, q.answered_at) {
            questions::answer(tx, tenant, q.id, answer, h.by, at).await?;
        }
    }
    Ok(id)
}
