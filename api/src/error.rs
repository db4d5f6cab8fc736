//! The application's one error type and its stable codes.
//!
//! Services return [`AppError`]; the GraphQL layer maps it to `extensions.code` in one place
//! (`graphql::error`). Internal causes are logged there and never shown to the client.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("you are not signed in, or your session has expired")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// The stable code clients switch on.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict { .. } => "CONFLICT",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// The input field at fault, if any.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } | Self::Conflict { field, .. } => Some(field),
            _ => None,
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

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }

    /// Maps a unique-constraint violation to a `CONFLICT` on `field`; anything else is internal.
    pub fn unique_or_internal(e: DbErr, field: &str, message: &str) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict(field, message),
            _ => Self::internal(e),
        }
    }
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
