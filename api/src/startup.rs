//! Builds the HTTP server and exposes the port it bound (port 0 picks a free one for tests).

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpServer, middleware, web};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder, TracingLogger};

use crate::graphql::Schemas;
use crate::http;
use crate::online::stripe::Stripe;
use crate::platform::db::Db;
use crate::platform::files::FileStore;
use crate::platform::graphql::limits::RequestLimits;
use crate::platform::metrics::Metrics;

/// The request span: request id, method, route, status, plus the tenant and user once known.
struct CourtyardRootSpan;

impl RootSpanBuilder for CourtyardRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing_actix_web::root_span!(
            request,
            tenant.id = tracing::field::Empty,
            user.id = tracing::field::Empty,
            graphql.operation = tracing::field::Empty
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `listen` and prepares the server; nothing runs until [`Self::run_until_stopped`].
    pub fn build(
        db: Db,
        listen: SocketAddr,
        static_dir: PathBuf,
        files: FileStore,
        stripe: Option<Arc<Stripe>>,
        limits: RequestLimits,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(listen)?;
        // With several servers on one PostgreSQL database, each hears the others' events, and
        // forgets a firm's sessions when another changed its access.
        if db.backend() == sea_orm::DbBackend::Postgres {
            db.events()
                .relay(db.connection().get_postgres_connection_pool().clone());
            db.sessions().follow(db.events());
        }
        let port = listener.local_addr()?.port();
        let metrics = web::Data::new(Metrics::default());
        let schemas = web::Data::new(Schemas::build(
            db.clone(),
            metrics.clone().into_inner(),
            stripe.clone(),
        ));
        let limits = web::Data::new(limits);
        let stripe = web::Data::new(stripe);
        let deliveries = web::Data::new(crate::online::Deliveries::default());
        let boards = web::Data::new(crate::board::BoardCache::default());
        let files = web::Data::new(files);
        let db = web::Data::new(db);
        let server = HttpServer::new(move || {
            App::new()
                .wrap(middleware::Compress::default())
                .wrap(TracingLogger::<CourtyardRootSpan>::new())
                .app_data(schemas.clone())
                .app_data(limits.clone())
                .app_data(metrics.clone())
                .app_data(db.clone())
                .app_data(stripe.clone())
                .app_data(deliveries.clone())
                .app_data(boards.clone())
                .app_data(files.clone())
                .configure(|cfg| http::routes(cfg, &static_dir, &limits))
        })
        .listen(listener)?
        // SIGTERM/SIGINT stop accepting, then finish in-flight requests for up to 30 s.
        .shutdown_timeout(30)
        .run();
        Ok(Self { port, server })
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
