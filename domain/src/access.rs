//! Who may see and change what, decided once from a principal's grants.
//!
//! A grant is a role held over a scope (the whole firm, a bundle, a compound, a household or a
//! contractor). Services ask a [`Principal`] for a [`Visibility`] or a yes/no and filter their
//! queries with it; resolvers never decide access themselves.

use uuid::Uuid;

use crate::code::code_enum;

code_enum!(
    /// A role a user holds within one property firm.
    Role {
        FirmAdmin = "firm_admin",
        Accountant = "accountant",
        Dispatcher = "dispatcher",
        GridWorker = "grid_worker",
        CommitteeMember = "committee_member",
        Resident = "resident",
        Contractor = "contractor",
    }
);

impl Role {
    /// Firm staff see the firm's records within their scope; the others see only their own.
    #[must_use]
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Self::FirmAdmin | Self::Accountant | Self::Dispatcher | Self::GridWorker
        )
    }
}

/// What a grant covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Tenant,
    Bundle(Uuid),
    Compound(Uuid),
    Household(Uuid),
    Contractor(Uuid),
}

impl Scope {
    #[must_use]
    pub fn kind(self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::Bundle(_) => "bundle",
            Self::Compound(_) => "compound",
            Self::Household(_) => "household",
            Self::Contractor(_) => "contractor",
        }
    }

    #[must_use]
    pub fn id(self) -> Option<Uuid> {
        match self {
            Self::Tenant => None,
            Self::Bundle(id) | Self::Compound(id) | Self::Household(id) | Self::Contractor(id) => {
                Some(id)
            }
        }
    }

    /// Rebuilds a scope from its stored kind and id.
    #[must_use]
    pub fn from_parts(kind: &str, id: Option<Uuid>) -> Option<Self> {
        match (kind, id) {
            ("tenant", None) => Some(Self::Tenant),
            ("bundle", Some(id)) => Some(Self::Bundle(id)),
            ("compound", Some(id)) => Some(Self::Compound(id)),
            ("household", Some(id)) => Some(Self::Household(id)),
            ("contractor", Some(id)) => Some(Self::Contractor(id)),
            _ => None,
        }
    }
}

/// One role over one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// Which part of a firm's compounds and households a principal may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Everything in the tenant.
    All,
    /// Only what lies in these bundles, compounds or households (any of them).
    Within {
        bundles: Vec<Uuid>,
        compounds: Vec<Uuid>,
        households: Vec<Uuid>,
    },
}

impl Visibility {
    #[must_use]
    pub fn is_nothing(&self) -> bool {
        matches!(self, Self::Within { bundles, compounds, households }
            if bundles.is_empty() && compounds.is_empty() && households.is_empty())
    }
}

/// The acting user within one tenant, with every grant they hold there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub grants: Vec<Grant>,
}

impl Principal {
    fn has(&self, pred: impl Fn(&Grant) -> bool) -> bool {
        self.grants.iter().any(pred)
    }

    /// Configures the firm: bundles, compounds, households, people, invite codes.
    #[must_use]
    pub fn can_administer(&self) -> bool {
        self.has(|g| g.role == Role::FirmAdmin && g.scope == Scope::Tenant)
    }

    /// Issues household invite codes (printed on paper bills by the office).
    #[must_use]
    pub fn can_issue_invites(&self) -> bool {
        self.has(|g| {
            matches!(g.role, Role::FirmAdmin | Role::Accountant) && g.scope == Scope::Tenant
        })
    }

    /// Keeps the books: reads every account, posts adjustments and reversals.
    #[must_use]
    pub fn can_keep_books(&self) -> bool {
        self.has(|g| {
            matches!(g.role, Role::FirmAdmin | Role::Accountant) && g.scope == Scope::Tenant
        })
    }

    /// Handles low-income waivers, and so may see hardship records: the book-keepers and the
    /// grid workers who verify hardship on the ground.
    #[must_use]
    pub fn handles_waivers(&self) -> bool {
        self.can_keep_books() || self.has(|g| g.role == Role::GridWorker)
    }

    /// Reads any household's bills, payments and balance within reach — which show its
    /// waivers, and so who lives on 低保: the book-keepers only. Other staff see households,
    /// not their money; a resident sees their own household's (decided where it is read).
    #[must_use]
    pub fn can_read_bills(&self) -> bool {
        self.can_keep_books()
    }

    /// Sits on the owners' committee of this compound (and so may read its committee fund).
    #[must_use]
    pub fn on_committee_of(&self, compound: Uuid) -> bool {
        self.has(|g| g.role == Role::CommitteeMember && g.scope == Scope::Compound(compound))
    }

    /// Reads a compound's books as its owners see them (income, the committee fund, the
    /// board's address): the firm's book-keepers and the compound's own committee.
    #[must_use]
    pub fn reads_accounts_of(&self, compound: Uuid) -> bool {
        self.can_keep_books() || self.on_committee_of(compound)
    }

    /// Sees the contact details of people (phone, masked ID) beyond their own household.
    #[must_use]
    pub fn can_read_people(&self) -> bool {
        self.has(|g| g.role.is_staff())
    }

    /// Dispatches work orders in this compound (of this bundle): a dispatcher or the firm's
    /// administrator whose scope holds it.
    #[must_use]
    pub fn dispatches_in(&self, compound: Uuid, bundle: Uuid) -> bool {
        self.has(|g| {
            matches!(g.role, Role::Dispatcher | Role::FirmAdmin)
                && (g.scope == Scope::Tenant
                    || g.scope == Scope::Bundle(bundle)
                    || g.scope == Scope::Compound(compound))
        })
    }

    /// Dispatches work orders somewhere in the firm.
    #[must_use]
    pub fn dispatches(&self) -> bool {
        self.has(|g| matches!(g.role, Role::Dispatcher | Role::FirmAdmin))
    }

    /// Manages the firm's contractors: a dispatcher or administrator of the whole firm.
    #[must_use]
    pub fn manages_contractors(&self) -> bool {
        self.has(|g| {
            matches!(g.role, Role::Dispatcher | Role::FirmAdmin) && g.scope == Scope::Tenant
        })
    }

    /// Runs the compound's votes — drafts matters, opens and closes them: the firm's
    /// administrator whose scope holds it, or a member of the compound's committee.
    #[must_use]
    pub fn runs_votes_in(&self, compound: Uuid, bundle: Uuid) -> bool {
        self.on_committee_of(compound)
            || self.has(|g| {
                g.role == Role::FirmAdmin
                    && (g.scope == Scope::Tenant
                        || g.scope == Scope::Bundle(bundle)
                        || g.scope == Scope::Compound(compound))
            })
    }

    /// Enters paper ballots in the compound: who runs its votes, and the grid workers whose
    /// scope holds it (they collect the ballots door to door).
    #[must_use]
    pub fn enters_ballots_in(&self, compound: Uuid, bundle: Uuid) -> bool {
        self.runs_votes_in(compound, bundle)
            || self.has(|g| {
                g.role == Role::GridWorker
                    && (g.scope == Scope::Tenant
                        || g.scope == Scope::Bundle(bundle)
                        || g.scope == Scope::Compound(compound))
            })
    }

    /// The contractors this principal works as.
    #[must_use]
    pub fn contractors(&self) -> Vec<Uuid> {
        self.grants
            .iter()
            .filter_map(|g| match (g.role, g.scope) {
                (Role::Contractor, Scope::Contractor(id)) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// The households this principal lives in.
    #[must_use]
    pub fn homes(&self) -> Vec<Uuid> {
        self.grants
            .iter()
            .filter_map(|g| match (g.role, g.scope) {
                (Role::Resident, Scope::Household(id)) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Lives in this household (and so may report, confirm and rate its repairs).
    #[must_use]
    pub fn lives_in(&self, household: Uuid) -> bool {
        self.has(|g| g.role == Role::Resident && g.scope == Scope::Household(household))
    }

    /// The compounds and households this principal may read.
    #[must_use]
    pub fn visibility(&self) -> Visibility {
        if self.has(|g| g.role.is_staff() && g.scope == Scope::Tenant) {
            return Visibility::All;
        }
        let (mut bundles, mut compounds, mut households) = (vec![], vec![], vec![]);
        for g in &self.grants {
            match (g.role, g.scope) {
                (role, Scope::Bundle(id)) if role.is_staff() => bundles.push(id),
                (role, Scope::Compound(id)) if role.is_staff() || role == Role::CommitteeMember => {
                    compounds.push(id);
                }
                (Role::Resident, Scope::Household(id)) => households.push(id),
                _ => {}
            }
        }
        Visibility::Within {
            bundles,
            compounds,
            households,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(grants: &[(Role, Scope)]) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            grants: grants
                .iter()
                .map(|&(role, scope)| Grant { role, scope })
                .collect(),
        }
    }

    #[test]
    fn tenant_staff_see_everything() {
        let p = principal(&[(Role::Accountant, Scope::Tenant)]);
        assert_eq!(p.visibility(), Visibility::All);
        assert!(!p.can_administer());
        assert!(p.can_issue_invites());
    }

    #[test]
    fn a_resident_sees_only_their_household() {
        let h = Uuid::from_u128(7);
        let p = principal(&[(Role::Resident, Scope::Household(h))]);
        assert_eq!(
            p.visibility(),
            Visibility::Within {
                bundles: vec![],
                compounds: vec![],
                households: vec![h]
            }
        );
        assert!(!p.can_read_people());
        assert!(!p.can_administer());
    }

    #[test]
    fn a_dispatcher_dispatches_only_within_their_scope() {
        let (c, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let other = Uuid::from_u128(3);
        let p = principal(&[(Role::Dispatcher, Scope::Bundle(b))]);
        assert!(p.dispatches_in(c, b));
        assert!(!p.dispatches_in(c, other));
        assert!(!p.manages_contractors());
        let accountant = principal(&[(Role::Accountant, Scope::Tenant)]);
        assert!(!accountant.dispatches_in(c, b));
        assert!(principal(&[(Role::FirmAdmin, Scope::Tenant)]).manages_contractors());
    }

    #[test]
    fn a_committee_member_sees_their_compound() {
        let c = Uuid::from_u128(9);
        let p = principal(&[(Role::CommitteeMember, Scope::Compound(c))]);
        assert_eq!(
            p.visibility(),
            Visibility::Within {
                bundles: vec![],
                compounds: vec![c],
                households: vec![]
            }
        );
    }

    #[test]
    fn only_the_admin_and_accountant_keep_the_books() {
        let c = Uuid::from_u128(4);
        assert!(principal(&[(Role::Accountant, Scope::Tenant)]).can_keep_books());
        assert!(principal(&[(Role::FirmAdmin, Scope::Tenant)]).can_keep_books());
        assert!(!principal(&[(Role::Dispatcher, Scope::Tenant)]).can_keep_books());
        assert!(!principal(&[(Role::Accountant, Scope::Bundle(c))]).can_keep_books());
        let member = principal(&[(Role::CommitteeMember, Scope::Compound(c))]);
        assert!(member.on_committee_of(c));
        assert!(!member.on_committee_of(Uuid::from_u128(5)));
        assert!(!member.can_keep_books());
        assert!(!member.handles_waivers());
        assert!(principal(&[(Role::GridWorker, Scope::Bundle(c))]).handles_waivers());
        assert!(!principal(&[(Role::Dispatcher, Scope::Tenant)]).handles_waivers());
    }

    #[test]
    fn votes_are_run_by_the_admin_and_the_committee_and_ballots_entered_by_grid_workers_too() {
        let (c, b, other) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let member = principal(&[(Role::CommitteeMember, Scope::Compound(c))]);
        assert!(member.runs_votes_in(c, b) && !member.runs_votes_in(other, b));
        assert!(principal(&[(Role::FirmAdmin, Scope::Bundle(b))]).runs_votes_in(c, b));
        let grid = principal(&[(Role::GridWorker, Scope::Bundle(b))]);
        assert!(!grid.runs_votes_in(c, b) && grid.enters_ballots_in(c, b));
        assert!(!grid.enters_ballots_in(c, other));
        let accountant = principal(&[(Role::Accountant, Scope::Tenant)]);
        assert!(!accountant.enters_ballots_in(c, b));
        let resident = principal(&[(Role::Resident, Scope::Household(c))]);
        assert!(!resident.enters_ballots_in(c, b));
    }

    #[test]
    fn a_contractor_sees_no_households() {
        let p = principal(&[(Role::Contractor, Scope::Contractor(Uuid::from_u128(1)))]);
        assert!(p.visibility().is_nothing());
    }

    #[test]
    fn a_resident_grant_over_a_compound_gives_nothing() {
        let p = principal(&[(Role::Resident, Scope::Compound(Uuid::from_u128(3)))]);
        assert!(p.visibility().is_nothing());
    }

    #[test]
    fn scopes_round_trip_through_storage() {
        for s in [
            Scope::Tenant,
            Scope::Bundle(Uuid::from_u128(1)),
            Scope::Household(Uuid::from_u128(2)),
        ] {
            assert_eq!(Scope::from_parts(s.kind(), s.id()), Some(s));
        }
        assert_eq!(Scope::from_parts("tenant", Some(Uuid::nil())), None);
        assert_eq!(Scope::from_parts("bundle", None), None);
    }
}
