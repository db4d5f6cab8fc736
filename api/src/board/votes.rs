//! The owners' side of the board: the committee sitting today and the votes counted in the
//! last year, as their certificates give them.

use domain::governance::Count as Tallied;

use super::model::{Count, Member, VoteResult};
use crate::governance::{Matter, Seat};

pub(super) fn member(s: Seat) -> Member {
    Member {
        term_to: s.last_day().to_string(),
        name: s.name,
        post: s.post.code(),
        body: s.body.code(),
        phone: s.phone,
    }
}

fn count(c: Tallied) -> Count {
    Count {
        owners: c.owners,
        area_centi: c.area,
    }
}

/// A counted vote's certificate; `None` for a matter not yet counted.
pub(super) fn vote(m: Matter) -> Option<VoteResult> {
    let (tally, outcome, closed) = (m.tally?, m.outcome?, m.closed_at?);
    Some(VoteResult {
        kind: m.kind.code(),
        rule: match m.kind.rule() {
            domain::governance::Rule::Majority => "majority",
            domain::governance::Rule::ThreeQuarters => "three_quarters",
        },
        closed_on: closed.date_naive().to_string(),
        publicity_until: m.publicity_until().map(|d| d.to_string()),
        title: m.title,
        roll: count(tally.roll),
        yes: count(tally.yes),
        no: count(tally.no),
        abstain: count(tally.abstain),
        outcome: outcome.code(),
    })
}
