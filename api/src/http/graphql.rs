//! `POST /graphql`: authenticate, execute, classify errors.

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use tracing_actix_web::RootSpan;

use crate::db::Db;
use crate::error::AppError;
use crate::graphql::CourtyardSchema;
use crate::graphql::context::Session;
use crate::graphql::error;
use crate::graphql::loaders::Loaders;
use crate::services::auth;

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub async fn execute(
    schema: web::Data<CourtyardSchema>,
    db: web::Data<Db>,
    root_span: RootSpan,
    req: HttpRequest,
    gql: GraphQLRequest,
) -> GraphQLResponse {
    let mut request = gql.into_inner();
    if let Some(op) = &request.operation_name {
        root_span.record("graphql.operation", op.as_str());
    }
    let session = match bearer(&req) {
        None => Session::Anonymous,
        Some(token) => match auth::authenticate(&db, token).await {
            Ok(ctx) => {
                root_span.record("tenant.id", tracing::field::display(ctx.tenant_id));
                root_span.record("user.id", tracing::field::display(ctx.user_id()));
                request = request.data(Loaders::new(&db, &ctx));
                Session::Authenticated(ctx)
            }
            Err(AppError::Unauthenticated) => Session::Anonymous,
            Err(e) => {
                return async_graphql::Response::from_errors(vec![error::server_error(e)]).into();
            }
        },
    };
    let mut response = schema.execute(request.data(session)).await;
    response.errors.iter_mut().for_each(error::classify);
    response.into()
}

pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").finish())
}
