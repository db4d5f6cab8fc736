//! The compound's budgets as the board shows them: lines once the budget is put to the vote,
//! actuals from the ledger once it is implemented, questions and answers always.

use domain::governance::budget::Step;

use super::model::{BudgetFigures, BudgetLine, BudgetQuestion};
use crate::governance::BudgetDetail;

pub(super) fn figures(d: BudgetDetail) -> BudgetFigures {
    let public = d.budget.step.number() >= Step::Vote.number();
    let lines = match (&d.actuals, d.versions.last()) {
        (Some(actuals), _) => actuals
            .iter()
            .map(|a| BudgetLine {
                category: a.category.code(),
                income: a.category.is_income(),
                budgeted_fen: a.budgeted.fen(),
                actual_fen: a.actual.map(|m| m.fen()),
            })
            .collect(),
        (None, Some(v)) if public => v
            .lines
            .iter()
            .map(|(c, m)| BudgetLine {
                category: c.code(),
                income: c.is_income(),
                budgeted_fen: m.fen(),
                actual_fen: None,
            })
            .collect(),
        _ => vec![],
    };
    BudgetFigures {
        year: d.budget.year,
        title: d.budget.title,
        step: d.budget.step.code(),
        step_number: d.budget.step.number(),
        lines,
        supervisors: d.supervisors,
        questions: d
            .questions
            .into_iter()
            .map(|q| BudgetQuestion {
                question: q.question,
                asked_on: q.asked_at.date_naive().to_string(),
                answer: q.answer,
                answered_on: q.answered_at.map(|a| a.date_naive().to_string()),
            })
            .collect(),
    }
}
