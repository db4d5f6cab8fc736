//! Who is acting, for which tenant: built once per request from the verified session.

use domain::Principal;
use uuid::Uuid;

use crate::platform::scope::Reach;

#[derive(Debug, Clone)]
pub struct RequestContext {
    /// From the session, never from a header or an argument.
    pub tenant_id: Uuid,
    pub principal: Principal,
    /// The rows this principal may read, resolved from their grants.
    pub reach: Reach,
    /// Hash of the bearer token, so `logout` can revoke exactly this session.
    pub token_hash: String,
}

impl RequestContext {
    #[must_use]
    pub fn user_id(&self) -> Uuid {
        self.principal.user_id
    }
}
