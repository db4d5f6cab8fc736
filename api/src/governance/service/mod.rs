//! Governance's use cases.

mod ballots;
mod budget_reads;
mod budget_steps;
mod budgets;
mod checks;
mod matters;
mod mine;
mod questions;
mod seats;

pub use ballots::{cast, enter_paper, new_receipt, paper_scan};
pub use budget_reads::of_compound as budgets_of;
pub use budget_reads::{BudgetDetail, detail, mine as my_budgets, read_whole};
pub use budget_steps::{AdvanceInput, advance, send_back};
pub use budgets::{StartInput, revise, start};
pub use checks::decided;
pub use matters::{
    DraftInput, close, draft, find, of_compound, open, participation, receipts, tally_of, voters,
};
pub use mine::my_matters;
pub use questions::{answer, ask};
pub use seats::of_compound as seats_of;
pub use seats::{SeatInput, appoint, end_term};
