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
