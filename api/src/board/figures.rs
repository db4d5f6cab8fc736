//! The board's figures from the ledger's movements and the monthly closes (the committee
//! fund's are its statement's): one rule per figure, so that the board agrees with the ledger
//! to the fen.

use std::collections::BTreeMap;

use domain::{AccountKind as A, EntryKind as E};

use super::model::{CategoryFigures, FeeFigures};
use crate::income::MonthClose;
use crate::ledger::Movement;

/// Σ of the postings of one account kind by one entry kind.
fn sum(moves: &[Movement], account: A, entry: E) -> i64 {
    moves
        .iter()
        .filter(|m| m.account == account && m.entry == entry)
        .map(|m| m.amount.fen())
        .sum()
}

/// Fees over a span: billed and refunded raise what households owe; waivers, credit notes
/// and payments lower it.
pub(super) fn fees(moves: &[Movement]) -> FeeFigures {
    let r = A::HouseholdReceivable;
    let billed = sum(moves, r, E::InvoiceIssued);
    let waived = -sum(moves, r, E::WaiverGranted);
    let credited = -sum(moves, r, E::CreditNote);
    let collected = -sum(moves, r, E::PaymentReceived) - sum(moves, r, E::Refund);
    let due = billed - waived - credited;
    FeeFigures {
        billed_fen: billed,
        waived_fen: waived,
        credited_fen: credited,
        collected_fen: collected,
        collection_rate_bp: (due > 0).then(|| collected.saturating_mul(10_000) / due),
    }
}

/// What contractors were owed for work charged to the compound.
pub(super) fn contractor_spending(moves: &[Movement]) -> i64 {
    -sum(moves, A::ContractorPayable, E::ContractorCost)
}

/// Closed months' lines summed by category, in the categories' stable order.
pub(super) fn categories<'a>(
    closes: impl IntoIterator<Item = &'a MonthClose>,
) -> Vec<CategoryFigures> {
    let mut by: BTreeMap<&'static str, CategoryFigures> = BTreeMap::new();
    for l in closes.into_iter().flat_map(|c| &c.lines) {
        let f = by.entry(l.category.code()).or_insert(CategoryFigures {
            category: l.category.code(),
            gross_fen: 0,
            costs_fen: 0,
            owners_fen: 0,
            firm_fen: 0,
            owners_bp: l.rule.owners().get(),
            firm_bp: l.rule.firm().get(),
        });
        f.gross_fen += l.close.gross.fen();
        f.costs_fen += l.close.deducted.fen();
        f.owners_fen += l.close.owners.fen();
        f.firm_fen += l.close.firm.fen();
        // The rule of the latest month shown.
        f.owners_bp = l.rule.owners().get();
        f.firm_bp = l.rule.firm().get();
    }
    by.into_values().collect()
}
