//! The plain records and inputs people's use cases, storage and GraphQL share.

use chrono::{DateTime, Utc};
use domain::{Grant, IdNumberMasked, MemberRole, Name, Phone};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub id_number_masked: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: Name,
    pub phone: Option<Phone>,
    pub id_number: Option<IdNumberMasked>,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: Uuid,
    pub household_id: Uuid,
    pub person_id: Uuid,
    pub role: MemberRole,
    pub designated_voter: bool,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub identifier: String,
    pub display_name: String,
    pub password_hash: String,
    pub disabled: bool,
}

/// A live session: not revoked, not expired.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

/// One membership row, for the administrator's list.
#[derive(Debug, Clone)]
pub struct Membership {
    pub id: Uuid,
    pub user_id: Uuid,
    pub grant: Grant,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct Invite {
    pub id: Uuid,
    pub household_id: Uuid,
}
