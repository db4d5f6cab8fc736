//! `POST /graphql`: bound, authenticate, execute, classify errors.
//!
//! A request is refused before any work when its body is too large or its document selects
//! too many fields (`graphql::limits`); it is held to the anonymous budget unless it carries
//! a valid session, and a query is stopped when it runs past its time limit. (actix-web does
//! not tell a handler that its client has gone, actix/actix-web#3462: the time limit is what
//! bounds the work of a request nobody waits for.)

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::ServerError;
use async_graphql::http::GraphiQLSource;
use tracing_actix_web::RootSpan;

use crate::graphql::{CourtyardSchema, Schemas};
use crate::people;
use crate::platform::db::Db;
use crate::platform::error::AppError;
use crate::platform::graphql::context::{ClientAddr, Session};
use crate::platform::graphql::error;
use crate::platform::graphql::limits::{self, RequestLimits};
use crate::platform::graphql::nul;
use crate::tenancy::Loaders;

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A GraphQL response holding one error, with its code set.
fn refusal(status: StatusCode, mut error: ServerError) -> HttpResponse {
    error::classify(&mut error);
    HttpResponse::build(status).json(async_graphql::Response::from_errors(vec![error]))
}

/// How `/graphql` reads its body: JSON of at most `limits.body_bytes`, refused in
/// GraphQL's shape otherwise.
pub fn body_config(limits: &RequestLimits) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limits.body_bytes)
        .error_handler(|err, _req| {
            let status = match &err {
                actix_web::error::JsonPayloadError::OverflowKnownLength { .. }
                | actix_web::error::JsonPayloadError::Overflow { .. } => {
                    StatusCode::PAYLOAD_TOO_LARGE
                }
                _ => StatusCode::BAD_REQUEST,
            };
            let response = refusal(status, ServerError::new(err.to_string(), None));
            actix_web::error::InternalError::from_response(err, response).into()
        })
}

pub async fn execute(
    schemas: web::Data<Schemas>,
    limits: web::Data<RequestLimits>,
    db: web::Data<Db>,
    root_span: RootSpan,
    req: HttpRequest,
    body: web::Json<async_graphql::Request>,
) -> HttpResponse {
    let mut request = body.into_inner();
    if let Some(op) = &request.operation_name {
        root_span.record("graphql.operation", op.as_str());
    }
    let token = bearer(&req);
    let budget = if token.is_some() {
        limits::SIGNED_IN
    } else {
        limits::ANONYMOUS
    };
    let mutation = match admit(&mut request, budget) {
        Ok(mutation) => mutation,
        Err(refused) => return refusal(StatusCode::OK, refused),
    };
    let session = match token {
        None => Session::Anonymous,
        Some(token) => match people::authenticate(&db, token).await {
            Ok(ctx) => {
                root_span.record("tenant.id", tracing::field::display(ctx.tenant_id));
                root_span.record("user.id", tracing::field::display(ctx.user_id()));
                request = request.data(Loaders::new(&db, &ctx));
                Session::Authenticated(ctx)
            }
            Err(AppError::Unauthenticated) => Session::Anonymous,
            Err(e) => return refusal(StatusCode::OK, error::server_error(e)),
        },
    };
    let schema = match session {
        Session::Anonymous => &schemas.anonymous,
        Session::Authenticated(_) => &schemas.signed_in,
    };
    let client = ClientAddr(req.peer_addr().map(|a| a.ip()));
    let request = request.data(session).data(client);
    let mut response = run(schema, request, mutation, limits.time).await;
    response.errors.iter_mut().for_each(error::classify);
    HttpResponse::Ok().json(response)
}

/// Parses the document once and checks what it asks for against `budget`, before any work;
/// whether it will run a mutation.
fn admit(
    request: &mut async_graphql::Request,
    budget: limits::Budget,
) -> Result<bool, ServerError> {
    let doc = async_graphql::parser::parse_query(&request.query)?;
    limits::check_fields(&doc, budget.fields)
        .map_err(|refused| ServerError::new(refused.to_string(), None))?;
    if let Some(field) = nul::field_holding_nul(&doc, &request.variables) {
        let bad = AppError::bad_input(&field, "must not contain a NUL character");
        return Err(error::server_error(bad));
    }
    let mutation = limits::is_mutation(&doc, request.operation_name.as_deref());
    request.set_parsed_query(doc);
    Ok(mutation)
}

/// Executes a request, stopping a query at `limit`. A mutation is never dropped midway:
/// dropped between sending its commit and hearing back, it would be answered "stopped" yet
/// have happened. Its statements are bounded by the database's own timeout (PostgreSQL),
/// its size by the cost limit.
async fn run(
    schema: &CourtyardSchema,
    request: async_graphql::Request,
    mutation: bool,
    limit: Duration,
) -> async_graphql::Response {
    let run = schema.execute(request);
    if mutation {
        return run.await;
    }
    tokio::time::timeout(limit, run).await.unwrap_or_else(|_| {
        tracing::warn!(?limit, "request stopped at its time limit");
        async_graphql::Response::from_errors(vec![error::server_error(AppError::TimedOut)])
    })
}

pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").finish())
}
