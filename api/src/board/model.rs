//! The board as it is published: aggregates only, every amount in fen.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub compound: String,
    pub firm: String,
    pub office: Contacts,
    /// The month the figures of `fees.month` are for (`YYYY-MM`) and its year.
    pub month: String,
    pub year: i32,
    pub fees: Fees,
    pub income: Income,
    pub fund: Fund,
    /// What contractors were owed this year for work charged to the compound.
    pub contractor_spending_fen: i64,
    /// The owners' committee as it sits today.
    pub committee: Vec<Member>,
    /// The owners' votes counted in the last year, newest first: each result's certificate.
    pub votes: Vec<VoteResult>,
    /// Last year's budget and later ones, newest first.
    pub budgets: Vec<BudgetFigures>,
    pub generated_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contacts {
    pub address: Option<String>,
    pub hours: Option<String>,
    pub phone: Option<String>,
}

/// Fees billed, waived (in aggregate only) and collected, as the ledger has them.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeFigures {
    pub billed_fen: i64,
    pub waived_fen: i64,
    pub credited_fen: i64,
    pub collected_fen: i64,
    /// Collected over what was due (billed less waived and credited), in basis points.
    pub collection_rate_bp: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fees {
    pub month: FeeFigures,
    pub year: FeeFigures,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryFigures {
    pub category: &'static str,
    pub gross_fen: i64,
    pub costs_fen: i64,
    pub owners_fen: i64,
    pub firm_fen: i64,
    pub owners_bp: u16,
    pub firm_bp: u16,
}

/// Common-part income of closed months: the last one closed, and this year's so far.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Income {
    pub last_closed: Option<String>,
    pub last_month: Vec<CategoryFigures>,
    pub year: Vec<CategoryFigures>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payout {
    pub date: String,
    pub amount_fen: i64,
    pub memo: String,
}

/// The committee fund this year: opening + shares − payouts − waivers it funded ± other = balance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fund {
    pub opening_fen: i64,
    pub shares_fen: i64,
    pub payouts_fen: i64,
    pub waivers_fen: i64,
    pub other_fen: i64,
    pub balance_fen: i64,
    pub payouts: Vec<Payout>,
}

/// A committee member, as posted: name, post, phone and the term's last day.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub name: String,
    pub post: &'static str,
    pub body: &'static str,
    pub phone: Option<String>,
    pub term_to: String,
}

/// Owners by head and their area, in 0.01 m².
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Count {
    pub owners: u64,
    pub area_centi: u64,
}

/// A budget as the owners see it: its step; once put to the vote its lines, and from
/// implementation on each against the ledger (the final accounts at step 7); the supervision
/// group; residents' questions with the committee's answers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetFigures {
    pub year: i32,
    pub title: String,
    pub step: &'static str,
    pub step_number: u8,
    pub lines: Vec<BudgetLine>,
    pub supervisors: Vec<String>,
    pub questions: Vec<BudgetQuestion>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLine {
    pub category: &'static str,
    pub income: bool,
    pub budgeted_fen: i64,
    /// `None` before implementation, or where the ledger does not keep the category.
    pub actual_fen: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetQuestion {
    pub question: String,
    pub asked_on: String,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
}

/// A counted vote: the rule applied, the roll, each choice and the outcome.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteResult {
    pub title: String,
    pub kind: &'static str,
    pub rule: &'static str,
    pub closed_on: String,
    pub publicity_until: Option<String>,
    pub roll: Count,
    pub yes: Count,
    pub no: Count,
    pub abstain: Count,
    pub outcome: &'static str,
}
