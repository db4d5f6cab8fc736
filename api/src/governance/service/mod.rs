//! Governance's use cases.

mod ballots;
mod checks;
mod matters;
mod mine;
mod seats;

pub use ballots::{cast, enter_paper, new_receipt, paper_scan};
pub use matters::{
    DraftInput, close, draft, find, of_compound, open, participation, passed, receipts, tally_of,
    voters,
};
pub use mine::my_matters;
pub use seats::of_compound as seats_of;
pub use seats::{SeatInput, appoint, end_term};
