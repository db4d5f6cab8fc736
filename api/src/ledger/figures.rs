//! Figures read from the ledger's movements, one rule each, for every area that reports them
//! (the public board, a budget's final accounts): so that each agrees with the ledger, and
//! with the others, to the fen.

use domain::{AccountKind as A, EntryKind as E};

use super::model::Movement;

/// Σ of the postings (debits positive) to one account kind by one entry kind.
#[must_use]
pub fn total(moves: &[Movement], account: A, entry: E) -> i64 {
    moves
        .iter()
        .filter(|m| m.account == account && m.entry == entry)
        .map(|m| m.amount.fen())
        .sum()
}

/// Households' fees over a span, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fees {
    pub billed: i64,
    pub waived: i64,
    pub credited: i64,
    /// Payments less refunds.
    pub collected: i64,
}

impl Fees {
    /// What households were asked to pay: billed less waivers and credit notes.
    #[must_use]
    pub fn due(&self) -> i64 {
        self.billed - self.waived - self.credited
    }
}

/// Billed and refunded raise what households owe; waivers, credit notes and payments lower it.
#[must_use]
pub fn fees(moves: &[Movement]) -> Fees {
    let r = A::HouseholdReceivable;
    Fees {
        billed: total(moves, r, E::InvoiceIssued),
        waived: -total(moves, r, E::WaiverGranted),
        credited: -total(moves, r, E::CreditNote),
        collected: -total(moves, r, E::PaymentReceived) - total(moves, r, E::Refund),
    }
}

/// The owners' share of common-part income credited to the committee fund.
#[must_use]
pub fn owners_share(moves: &[Movement]) -> i64 {
    -total(moves, A::CommitteeFund, E::CommonIncomeSplit)
}

/// Waivers a government subsidy pays for.
#[must_use]
pub fn subsidised(moves: &[Movement]) -> i64 {
    total(moves, A::SubsidyReceivable, E::WaiverGranted)
}

/// What contractors were owed for work charged to the compound, whoever bears it.
#[must_use]
pub fn contractor_spending(moves: &[Movement]) -> i64 {
    -total(moves, A::ContractorPayable, E::ContractorCost)
}

/// Repairs borne by the compound's budget (not the maintenance fund, not a household).
#[must_use]
pub fn budget_repairs(moves: &[Movement]) -> i64 {
    total(moves, A::RepairExpense, E::ContractorCost)
}
