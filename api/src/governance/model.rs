//! The plain records governance's use cases, storage and GraphQL share.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::Money;
use domain::governance::Tally;
use domain::governance::budget::{LineCategory, Lines, Step};
use domain::governance::{Body, Channel, Choice, Count, MatterKind, MatterState, Outcome, Post};
use uuid::Uuid;

use crate::platform::files::StoredFile;

/// A matter put to the owners of one compound.
#[derive(Debug, Clone)]
pub struct Matter {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub kind: MatterKind,
    pub title: String,
    pub body: String,
    /// Each owner's choice is hidden from the firm and the committee; only participation shows.
    pub secret: bool,
    pub state: MatterState,
    /// Ballots are taken until then.
    pub closes_at: DateTime<Utc>,
    /// How long the result is publicised after the vote closes.
    pub publicity_days: u16,
    pub drafted_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The frozen roll's totals, from the moment the vote opened.
    pub roll: Option<Count>,
    /// The count, from the moment the vote closed.
    pub tally: Option<Tally>,
    pub outcome: Option<Outcome>,
}

impl Matter {
    /// The last day the result is publicised, once the vote has closed.
    #[must_use]
    pub fn publicity_until(&self) -> Option<NaiveDate> {
        self.closed_at
            .map(|at| (at + Duration::days(i64::from(self.publicity_days))).date_naive())
    }
}

/// One voter on a vote's roll.
#[derive(Debug, Clone)]
pub struct RollVoter {
    pub voter_no: u32,
    /// `None`: the developer, for the units no one has bought.
    pub person_id: Option<Uuid>,
    pub name: Option<String>,
    pub units: u32,
    /// Hundredths of a square metre.
    pub area: u64,
    /// Their standing ballot, if they have cast one.
    pub ballot: Option<Standing>,
}

/// A voter's standing ballot: the newest they cast.
#[derive(Debug, Clone)]
pub struct Standing {
    /// `None` where the vote is secret and the reader is not the voter.
    pub choice: Option<Choice>,
    pub channel: Channel,
    pub cast_at: DateTime<Utc>,
    /// `None` where the choice is.
    pub receipt: Option<String>,
    /// Who cast it: the owner online, the clerk who entered a paper ballot.
    pub cast_by: Uuid,
    /// A paper ballot's scan; `None` where the choice is hidden (it shows the choice).
    pub scan: Option<StoredFile>,
    /// The name of the clerk who entered a paper ballot, where the reader may see the roll.
    pub entered_by: Option<String>,
}

impl Standing {
    /// What a secret vote shows of a ballot to anyone but its voter: that it was cast.
    #[must_use]
    pub fn hidden(self) -> Self {
        Self {
            choice: None,
            receipt: None,
            scan: None,
            ..self
        }
    }
}

/// A ballot as a published receipt: no voter, only its code, its choice and its area.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub receipt: String,
    pub choice: Choice,
    pub area: u64,
}

/// A ballot to record.
#[derive(Debug, Clone)]
pub struct NewBallot {
    pub matter: Uuid,
    pub voter_no: u32,
    pub choice: Choice,
    pub channel: Channel,
    pub cast_by: Uuid,
    /// The scan of a paper ballot.
    pub scan: Option<StoredFile>,
    pub receipt: String,
    pub at: DateTime<Utc>,
}

/// A seat on a compound's committee, for one term.
#[derive(Debug, Clone)]
pub struct Seat {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub body: Body,
    pub name: String,
    pub post: Post,
    pub phone: Option<String>,
    /// Their sign-in, if they have one: it holds the committee role for the term.
    pub user_id: Option<Uuid>,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    /// Set when the term ended before its last day.
    pub ended_on: Option<NaiveDate>,
}

impl Seat {
    /// The last day the seat is held.
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        self.ended_on.unwrap_or(self.term_to)
    }
}

/// A compound's budget for one year, at one of the seven steps.
#[derive(Debug, Clone)]
pub struct Budget {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub year: i32,
    pub title: String,
    pub step: Step,
    /// The owners' vote that approved it (from step 6).
    pub matter_id: Option<Uuid>,
    /// When step 1, collecting residents' opinions, began.
    pub created_at: DateTime<Utc>,
}

/// One version of a budget's lines; a revision is a new version.
#[derive(Debug, Clone)]
pub struct Version {
    pub number: u32,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub lines: Lines,
}

/// The dated record of one step a budget took: forward, or back to drafting with a reason.
#[derive(Debug, Clone)]
pub struct StepTaken {
    pub from: Step,
    pub to: Step,
    /// What the step concluded: the opinions' summary, the review's comments, the reason
    /// for going back.
    pub note: Option<String>,
    /// The street office that reviewed it (the step into the vote).
    pub reviewer: Option<String>,
    /// The vote that approved it (the step into implementation).
    pub matter_id: Option<Uuid>,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}

/// A resident's question on a budget and the committee's public answer.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Uuid,
    pub budget_id: Uuid,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One line of the final accounts: what was budgeted against what the ledger holds.
#[derive(Debug, Clone, Copy)]
pub struct Actual {
    pub category: LineCategory,
    pub budgeted: Money,
    /// `None`: the ledger does not keep this category (the firm's own costs, such as guards).
    pub actual: Option<Money>,
}

/// A passed matter, as other areas cite it.
#[derive(Debug, Clone)]
pub struct Decision {
    pub id: Uuid,
    pub title: String,
    /// The last day its result is publicised.
    pub publicity_until: Option<NaiveDate>,
}
