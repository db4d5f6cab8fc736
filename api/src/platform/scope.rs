//! The rows a request may read, as id sets every repository filters by.

use uuid::Uuid;

/// What part of a tenant a principal reaches. Built once per request by
/// `tenancy::reach_of`; `Reach::everything()` for firm-wide staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    restricted: bool,
    /// Bundles whose name the principal may see.
    bundles: Vec<Uuid>,
    /// Compounds whose details the principal may see.
    compounds: Vec<Uuid>,
    /// Compounds all of whose households the principal may see.
    household_compounds: Vec<Uuid>,
    /// Single households the principal may see (their own).
    households: Vec<Uuid>,
}

impl Reach {
    #[must_use]
    pub fn everything() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn restricted(
        bundles: Vec<Uuid>,
        compounds: Vec<Uuid>,
        household_compounds: Vec<Uuid>,
        households: Vec<Uuid>,
    ) -> Self {
        Self {
            restricted: true,
            bundles,
            compounds,
            household_compounds,
            households,
        }
    }

    /// `None` when every bundle is visible.
    #[must_use]
    pub fn bundles(&self) -> Option<&[Uuid]> {
        self.restricted.then_some(&self.bundles[..])
    }

    /// `None` when every compound is visible.
    #[must_use]
    pub fn compounds(&self) -> Option<&[Uuid]> {
        self.restricted.then_some(&self.compounds[..])
    }

    /// Whether the principal may see this compound's details.
    #[must_use]
    pub fn sees_compound(&self, id: Uuid) -> bool {
        self.compounds().is_none_or(|ids| ids.contains(&id))
    }

    /// `None` when every household is visible; else (whole compounds, single households).
    #[must_use]
    pub fn households(&self) -> Option<(&[Uuid], &[Uuid])> {
        self.restricted
            .then_some((&self.household_compounds[..], &self.households[..]))
    }
}
