//! The application's one error type and its stable codes.
//!
//! Services return [`AppError`]; the GraphQL layer maps it to `extensions.code` in one place
//! (`graphql::error`). Internal causes are logged there and never shown to the client.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("you are not signed in, or your session has expired")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    /// Refused for a stated reason the client can act on, sent as `extensions.reason`
    /// (`LOCKED_OUT`: too many failed attempts; `NO_ROLE`: no role in the firm named;
    /// `PROPOSER`: a waiver's proposer may not decide it).
    #[error("{message}")]
    Refused {
        reason: &'static str,
        message: String,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    /// Bad input the server cannot decide for the caller: `field` must be one of `choices`
    /// (value, label), sent as `extensions.choices` — a firm to sign in to.
    #[error("{field}: choose one of: {}", choices.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(", "))]
    Choose {
        field: String,
        choices: Vec<(String, String)>,
    },
    /// The request ran past its time limit and was stopped (a busy moment, or too much asked):
    /// by the server, or its statement by the database.
    #[error("this request took too long and was stopped; try again, or ask for less at once")]
    TimedOut,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// The stable code clients switch on.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden(_) | Self::Refused { .. } => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } | Self::Choose { .. } => "BAD_USER_INPUT",
            Self::Conflict { .. } => "CONFLICT",
            Self::TimedOut | Self::Internal(_) => "INTERNAL",
        }
    }

    /// The input field at fault, if any.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. }
            | Self::Conflict { field, .. }
            | Self::Choose { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Why a refusal happened, when the client can do something about it.
    #[must_use]
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Self::Refused { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The values a client may choose from for the field at fault, if the server offered any.
    #[must_use]
    pub fn choices(&self) -> &[(String, String)] {
        match self {
            Self::Choose { choices, .. } => choices,
            _ => &[],
        }
    }

    pub fn refused(reason: &'static str, message: impl Into<String>) -> Self {
        Self::Refused {
            reason,
            message: message.into(),
        }
    }

    pub fn bad_input(field: &str, message: impl std::fmt::Display) -> Self {
        Self::BadInput {
            field: field.to_owned(),
            message: message.to_string(),
        }
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    /// An unexpected failure; a statement the database cancelled at its time limit is
    /// [`Self::TimedOut`] instead.
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        let cause: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
        if cause
            .downcast_ref::<DbErr>()
            .is_some_and(cancelled_at_its_limit)
        {
            return Self::TimedOut;
        }
        Self::Internal(cause)
    }

    /// An internal error that was a unique-constraint violation (a concurrent request won a
    /// race) as a `CONFLICT` on `field`; any other error unchanged.
    #[must_use]
    pub fn unique_as_conflict(self, field: &str, message: &str) -> Self {
        let unique = matches!(&self, Self::Internal(cause) if matches!(
            cause.downcast_ref::<DbErr>().and_then(DbErr::sql_err),
            Some(SqlErr::UniqueConstraintViolation(_))
        ));
        if unique {
            Self::conflict(field, message)
        } else {
            self
        }
    }

    /// Maps a unique-constraint violation to a `CONFLICT` on `field`; anything else is internal.
    pub fn unique_or_internal(e: DbErr, field: &str, message: &str) -> Self {
        Self::internal(e).unique_as_conflict(field, message)
    }
}

/// PostgreSQL's `query_canceled` (57014): the statement ran past `statement_timeout`.
fn cancelled_at_its_limit(e: &DbErr) -> bool {
    let (DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e))) = e else {
        return false;
    };
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "57014")
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        Self::internal(e)
    }
}

/// Parses an input with a domain parser, naming the field on failure.
pub trait FieldExt<T> {
    fn field(self, name: &str) -> Result<T, AppError>;
}

impl<T, E: std::fmt::Display> FieldExt<T> for Result<T, E> {
    fn field(self, name: &str) -> Result<T, AppError> {
        self.map_err(|e| AppError::bad_input(name, e))
    }
}

pub type AppResult<T> = Result<T, AppError>;
