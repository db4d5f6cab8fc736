//! HTTP routes: GraphQL (and its subscriptions over WebSocket), household registers, parking
//! takings, resolutions' scans, paper ballots and work orders' photos as files, health,
//! metrics, and the single-page app.

mod ballots;
mod board;
mod graphql;
mod ops;
mod photos;
mod register;
mod scans;
mod session;
mod spa;
mod subscriptions;
mod takings;
mod webhooks;

use actix_web::web;

use crate::platform::files::FileStore;
use crate::platform::graphql::limits::RequestLimits;

pub fn routes(cfg: &mut web::ServiceConfig, static_dir: &std::path::Path, limits: &RequestLimits) {
    cfg.service(
        web::resource("/graphql")
            .app_data(graphql::body_config(limits))
            .route(web::post().to(graphql::execute))
            .route(web::get().to(graphql::graphiql)),
    )
    .route("/graphql/ws", web::get().to(subscriptions::subscribe))
    .service(
        web::resource("/households/import")
            .app_data(web::PayloadConfig::new(register::MAX_FILE_BYTES))
            .route(web::post().to(register::import)),
    )
    .route("/households/export", web::get().to(register::export))
    .service(
        web::resource("/income/resolutions/{id}/scan")
            .app_data(web::PayloadConfig::new(FileStore::MAX_BYTES))
            .route(web::post().to(scans::attach))
            .route(web::get().to(scans::read)),
    )
    .service(
        web::resource("/income/takings/import")
            .app_data(web::PayloadConfig::new(takings::MAX_FILE_BYTES))
            .route(web::post().to(takings::import)),
    )
    .service(
        web::resource("/matters/{id}/paper-ballots")
            .app_data(web::PayloadConfig::new(FileStore::MAX_BYTES))
            .route(web::post().to(ballots::enter)),
    )
    .route(
        "/matters/{id}/paper-ballots/{voter}/scan",
        web::get().to(ballots::scan),
    )
    .service(
        web::resource("/work-orders/{id}/photos")
            .app_data(web::PayloadConfig::new(FileStore::MAX_BYTES))
            .route(web::post().to(photos::attach)),
    )
    .route(
        "/work-orders/{id}/photos/{photo}",
        web::get().to(photos::read),
    )
    .route("/webhooks/stripe", web::post().to(webhooks::stripe))
    .route("/healthz", web::get().to(ops::healthz))
    .route("/readyz", web::get().to(ops::readyz))
    .route("/metrics", web::get().to(ops::metrics))
    .app_data(web::Data::new(board::BoardPage(
        static_dir.join("board").join("index.html"),
    )))
    .route("/board/{token}", web::get().to(board::page))
    .route("/board/{token}/data", web::get().to(board::data))
    .route("/board/{token}/qr.svg", web::get().to(board::qr));
    spa::routes(cfg, static_dir);
}
