//! Access to per-request data from resolvers.

use async_graphql::{Context, ID};
use uuid::Uuid;

use std::sync::Arc;

use crate::db::Db;
use crate::error::AppError;
use crate::services::RequestContext;
use crate::stripe::Stripe;

/// Whether the request carried a valid session.
pub enum Session {
    Anonymous,
    Authenticated(RequestContext),
}

pub trait ContextExt {
    fn db(&self) -> &Db;
    fn session(&self) -> Result<&RequestContext, AppError>;
    /// Online payment, when configured.
    fn stripe(&self) -> Option<&Stripe>;
}

impl ContextExt for Context<'_> {
    fn db(&self) -> &Db {
        self.data_unchecked::<Db>()
    }

    fn stripe(&self) -> Option<&Stripe> {
        self.data_opt::<Option<Arc<Stripe>>>()
            .and_then(|s| s.as_deref())
    }

    fn session(&self) -> Result<&RequestContext, AppError> {
        match self.data_opt::<Session>() {
            Some(Session::Authenticated(ctx)) => Ok(ctx),
            _ => Err(AppError::Unauthenticated),
        }
    }
}

/// Parses a GraphQL `ID` argument, naming it when it is not one of ours.
pub fn parse_id(id: &ID, field: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.as_str()).map_err(|_| AppError::bad_input(field, "is not a valid id"))
}
