//! Tenancy: firms, their bundles, compounds, buildings and households — where everything
//! else belongs — and which of them a principal reaches.

mod graphql;
mod loaders;
mod model;
mod reach;
mod service;
mod store;

pub use graphql::{Compound as CompoundObject, TenancyMutation, TenancyQuery, compound_name};
pub use loaders::Loaders;
pub use reach::reach_of;
pub(crate) use service::write_register;
pub use service::{
    ImportReport, ImportTerms, compounds_by_id, export_households, import_households,
    set_max_payment, set_office, verify_ledgers,
};

/// Firms, as other areas read them.
pub mod tenants {
    pub use super::store::tenants::{all, find, find_by_slug, find_many};
    pub use crate::tenancy::model::{Office, Tenant};
}

/// Bundles, as other areas read them.
pub mod bundles {
    pub use super::store::bundles::find;
}

/// Compounds, as other areas read them, and the two settings other areas own on a compound:
/// its late fee (billing) and its committee's payout account (committee fund).
pub mod compounds {
    pub use super::store::compounds::{all, find, find_many, set_committee_account, set_late_fee};
    pub use crate::tenancy::model::{Compound, CompoundFilter};
}

/// Buildings, as other areas read them.
pub mod buildings {
    pub use super::store::buildings::find_many;
}

/// Households, as other areas read them; `lock` serialises writes to a household's money.
pub mod households {
    pub use super::store::households::{
        any_in_reach, billable, compounds_of, count_billable, find, find_many, lock,
    };
    pub use crate::tenancy::model::Household;
}

/// What `courtyard demo` writes directly, below the use cases.
pub mod seed {
    pub mod tenants {
        pub use crate::tenancy::store::tenants::{find_by_slug, insert};
    }
    pub mod bundles {
        pub use crate::tenancy::model::BundleFields;
        pub use crate::tenancy::store::bundles::{insert, list};
    }
    pub mod compounds {
        pub use crate::tenancy::model::{CompoundFields, CompoundFilter};
        pub use crate::tenancy::store::compounds::{insert, list};
    }
    pub mod buildings {
        pub use crate::tenancy::store::buildings::insert;
    }
    pub mod households {
        pub use crate::tenancy::model::{HouseholdFilter, NewHousehold};
        pub use crate::tenancy::store::households::{find, insert, list};
    }
}
