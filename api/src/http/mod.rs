//! HTTP routes: GraphQL, health, metrics, and the single-page app.

mod graphql;
mod ops;
mod spa;
mod webhooks;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig, static_dir: &std::path::Path) {
    cfg.service(
        web::resource("/graphql")
            .route(web::post().to(graphql::execute))
            .route(web::get().to(graphql::graphiql)),
    )
    .route("/webhooks/stripe", web::post().to(webhooks::stripe))
    .route("/healthz", web::get().to(ops::healthz))
    .route("/readyz", web::get().to(ops::readyz))
    .route("/metrics", web::get().to(ops::metrics));
    spa::routes(cfg, static_dir);
}
