//! What the file routes share: the caller's session from its bearer token, the compound a
//! query names, an id in the path, a kept file served back, and refusals (a body too large
//! among them) in GraphQL's error shape (`errors[0].extensions.code`, `.field`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::ServerError;
use serde_json::json;
use uuid::Uuid;

use crate::people;
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::AppError;
use crate::platform::graphql::error;

pub(super) fn refusal(e: AppError) -> HttpResponse {
    let status = match e {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) | AppError::Refused { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::BadInput { .. } | AppError::Conflict { .. } | AppError::Choose { .. } => {
            StatusCode::BAD_REQUEST
        }
        AppError::TimedOut | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let e: ServerError = error::server_error(e);
    HttpResponse::build(status).json(json!({ "errors": [e] }))
}

/// A body above the route's limit of `max` bytes, refused before it is read.
pub(super) fn too_large(max: usize) -> HttpResponse {
    let mut r = refusal(AppError::bad_input(
        "file",
        format!("must be at most {} MB", max >> 20),
    ));
    *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    r
}

pub(super) async fn session(db: &Db, req: &HttpRequest) -> Result<RequestContext, AppError> {
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(AppError::Unauthenticated)?;
    people::authenticate(db, token.trim()).await
}

pub(super) fn compound(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::bad_input("compoundId", "is not an id"))
}

/// An id from the path.
pub(super) fn path_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::bad_input("id", "is not an id"))
}

/// A kept file, served as its kind (never sniffed by the browser), cached by the reader only.
pub(super) fn kept_file(
    kind: crate::platform::files::FileKind,
    bytes: Vec<u8>,
    max_age: u32,
) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(kind.content_type())
        .insert_header(("Cache-Control", format!("private, max-age={max_age}")))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes)
}
