//! Billing runs as GraphQL reads them: where each stands and how far it got.

use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use domain::billing::RunStatus;

use crate::billing::model::Run;
use crate::platform::graphql::MoneyAmount;

/// Where a billing run stands. `INTERRUPTED`: it has committed no batch for ten minutes
/// (its process died); what it billed stands, and running the month again bills the rest.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum BillingRunStatus {
    Running,
    Finished,
    Interrupted,
}

impl From<RunStatus> for BillingRunStatus {
    fn from(s: RunStatus) -> Self {
        match s {
            RunStatus::Running => Self::Running,
            RunStatus::Finished => Self::Finished,
            RunStatus::Interrupted => Self::Interrupted,
        }
    }
}

#[derive(SimpleObject)]
pub struct BillingRun {
    pub id: ID,
    pub period: String,
    pub status: BillingRunStatus,
    /// Households in scope.
    pub total: i32,
    pub processed: i32,
    pub invoiced: MoneyAmount,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Run> for BillingRun {
    fn from(r: Run) -> Self {
        Self {
            id: r.id.into(),
            period: r.period.to_string(),
            status: r.status.into(),
            total: r.total,
            processed: r.processed,
            invoiced: r.invoiced.into(),
            started_at: r.started_at,
            finished_at: r.finished_at,
        }
    }
}
