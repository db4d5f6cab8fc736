//! The board's figures from the ledger's movements and the monthly closes (the committee
//! fund's are its statement's): one rule per figure, so that the board agrees with the ledger
//! to the fen.

use std::collections::BTreeMap;

use super::model::{CategoryFigures, FeeFigures};
use crate::income::MonthClose;
use crate::ledger::{Movement, figures};

/// Fees over a span, with the share of what was due that was collected.
pub(super) fn fees(moves: &[Movement]) -> FeeFigures {
    let f = figures::fees(moves);
    let due = f.due();
    FeeFigures {
        billed_fen: f.billed,
        waived_fen: f.waived,
        credited_fen: f.credited,
        collected_fen: f.collected,
        collection_rate_bp: (due > 0).then(|| f.collected.saturating_mul(10_000) / due),
    }
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
