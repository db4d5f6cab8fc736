//! Governance's vocabulary as GraphQL enums, mirrored from `domain::governance`.

use crate::platform::graphql::mirror_enum;

mirror_enum!(
    /// What a vote decides, from Civil Code Art. 278's list; the kind fixes the rule.
    MatterKind,
    domain::governance::MatterKind {
        RulesOfProcedure,
        ManagementCovenant,
        Committee,
        PropertyFirm,
        UseMaintenanceFund,
        RaiseMaintenanceFund,
        Rebuild,
        CommonPartsUse,
        Other
    }
);

mirror_enum!(
    /// How many of those taking part must say yes: more than half (MAJORITY), or at least
    /// three quarters (THREE_QUARTERS), of both the area and the owners.
    VoteRule,
    domain::governance::Rule { Majority, ThreeQuarters }
);

mirror_enum!(
    /// Where a matter stands.
    MatterState,
    domain::governance::MatterState { Draft, Open, Closed }
);

mirror_enum!(
    /// What a vote came to; NO_QUORUM: fewer than two thirds of the area or the owners took part.
    VoteOutcome,
    domain::governance::Outcome { NoQuorum, Passed, Rejected }
);

mirror_enum!(
    /// A ballot's choice.
    BallotChoice,
    domain::governance::Choice { Yes, No, Abstain }
);

mirror_enum!(
    /// How a ballot reached the vote.
    BallotChannel,
    domain::governance::Channel { Online, Paper }
);

mirror_enum!(
    /// The owners' body: an owners' committee (业委会) or a self-management team (自管会).
    CommitteeBody,
    domain::governance::Body { OwnersCommittee, SelfManagement }
);

mirror_enum!(
    /// A member's post on the committee.
    CommitteePost,
    domain::governance::Post { Chair, ViceChair, Treasurer, Member }
);

mirror_enum!(
    /// The seven steps of the democratic decision method, in order: OPINIONS (residents'
    /// opinions collected), DRAFTING, DISCUSSION (with owners' representatives), REVIEW (by the
    /// street office), VOTE (and publication of its result), IMPLEMENTATION (under a
    /// supervision group of five), FINAL_ACCOUNTS (against the ledger, questions answered).
    BudgetStep,
    domain::governance::budget::Step {
        Opinions,
        Drafting,
        Discussion,
        Review,
        Vote,
        Implementation,
        FinalAccounts
    }
);

mirror_enum!(
    /// A budget line's category: FEES, OWNERS_SHARE (of common-part income) and SUBSIDY are
    /// income; the rest are expenses.
    BudgetLineCategory,
    domain::governance::budget::LineCategory {
        Fees,
        OwnersShare,
        Subsidy,
        Guards,
        Cleaning,
        Repairs,
        CommonUtilities,
        Contingency
    }
);
