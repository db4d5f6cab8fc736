//! Access to per-request data from resolvers.

use async_graphql::{Context, ID};
use uuid::Uuid;

use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, FieldExt};

/// Whether the request carried a valid session.
pub enum Session {
    Anonymous,
    Authenticated(RequestContext),
}

/// The address the request came from (the peer of the connection).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

pub trait ContextExt {
    fn db(&self) -> &Db;
    fn session(&self) -> Result<&RequestContext, AppError>;
    fn client_addr(&self) -> Option<std::net::IpAddr>;
}

impl ContextExt for Context<'_> {
    fn db(&self) -> &Db {
        self.data_unchecked::<Db>()
    }

    fn client_addr(&self) -> Option<std::net::IpAddr> {
        self.data_opt::<ClientAddr>().and_then(|c| c.0)
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

/// A date argument within the years the product deals in (`domain::calendar`), naming it
/// otherwise.
pub fn sane_date(day: chrono::NaiveDate, field: &str) -> Result<chrono::NaiveDate, AppError> {
    domain::sane_date(day).field(field)
}

/// An instant argument on a day within the years the product deals in, naming it otherwise.
pub fn sane_time(
    at: chrono::DateTime<chrono::Utc>,
    field: &str,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    sane_date(at.date_naive(), field).map(|_| at)
}

/// A billing period (`YYYY-MM`) given as `field`.
pub fn period(raw: &str, field: &str) -> Result<domain::billing::BillingPeriod, AppError> {
    domain::billing::BillingPeriod::parse(raw).field(field)
}
