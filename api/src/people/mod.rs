//! People: persons and the households they belong to, users and their sessions, staff
//! memberships and roles, and the invitation codes residents sign up with.

mod graphql;
mod model;
mod service;
mod store;

pub use graphql::auth::{AuthMutation, AuthQuery, MembersMutation, MembersQuery};
pub use graphql::people::{HouseholdMember, PeopleMutation, PeopleQuery, household_members};
pub use service::auth::{Password, authenticate, hash_password, hash_token, login};
pub use store::users::display_name;

/// Owners as a household register brings them, written in bulk.
pub mod register {
    pub use crate::people::model::NewPerson;
    pub use crate::people::store::people::{insert_owners, owners_of};
}

/// A committee member's role, held for their term (governance seats them).
pub mod committee {
    pub use crate::people::store::memberships::{committee_until, in_firm};
}

/// What `courtyard demo` writes directly, below the use cases.
pub mod seed {
    pub mod memberships {
        pub use crate::people::store::memberships::grant;
    }
    pub mod people {
        pub use crate::people::model::NewPerson;
        pub use crate::people::store::people::{add_member, insert};
    }
    pub mod users {
        pub use crate::people::store::users::{find_by_identifier, insert};
    }
}
