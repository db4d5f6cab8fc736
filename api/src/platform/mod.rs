//! The kernel every area uses: the database and its tenant transactions, the unit of work,
//! errors, audit, the request's scope, pagination, attached files, configuration and
//! telemetry. Nothing here
//! knows an area.

pub mod access;
mod audit;
pub(crate) mod bulk;
pub mod clock;
pub mod configuration;
pub(crate) mod copy_out;
pub mod db;
pub mod error;
pub mod events;
pub mod files;
pub mod graphql;
pub mod idempotency;
pub mod metrics;
pub mod page;
pub mod read;
mod request;
pub(crate) mod schema;
pub mod scope;
pub mod session_cache;
pub mod sheet;
pub(crate) mod storage;
pub mod telemetry;
pub mod thumbnails;
mod unit_of_work;

pub use request::RequestContext;
pub use unit_of_work::UnitOfWork;

/// Crash injection for the recovery tests: with `COURTYARD_CRASH_AT=<name>` the process
/// aborts here, as a power cut or an OOM kill would, leaving the transaction uncommitted.
pub(crate) fn crash_point(name: &str) {
    if std::env::var("COURTYARD_CRASH_AT").is_ok_and(|v| v == name) {
        tracing::error!(point = name, "COURTYARD_CRASH_AT: aborting the process");
        std::process::abort();
    }
}
