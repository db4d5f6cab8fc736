//! What every benchmark shares: a fresh PostgreSQL database, migrated by its owner and used
//! as the unprivileged application role (row-level security in force), dropped afterwards.

use std::time::{Duration, Instant};

use api::platform::configuration::Secret;
use api::platform::db::Db;
use domain::Verification;
use sea_orm::ConnectionTrait;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The two connections a benchmark needs.
pub struct BenchDb {
    /// The schema owner: migrations, `ANALYZE`, counting across tenants.
    pub owner: Db,
    /// The application role, as the server connects in production.
    pub app: Db,
}

/// The server's Unix socket, used by default: sqlx 0.9.0 leaves Nagle's algorithm on for
/// TCP, which adds ~40 ms stalls to many round trips on loopback (docs/benchmarks.md).
const DEFAULT_ADMIN: &str = "postgres://postgres@localhost/postgres?host=/var/run/postgresql";

/// `scheme://user@host/db?query` with the user and the database replaced.
fn with_user_and_db(url: &str, user: &str, db: &str) -> String {
    let (path, query) = url
        .split_once('?')
        .map_or((url, None), |(p, q)| (p, Some(q)));
    let (scheme, rest) = path.split_once("://").unwrap_or(("postgres", path));
    let host = rest.split_once('/').map_or(rest, |(h, _)| h);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{scheme}://{user}@{host}/{db}{query}")
}

/// Runs `body` on a new database at `COURTYARD_BENCH_POSTGRES` (default: the local server's
/// Unix socket as `postgres`), then drops it whatever `body` returned, unless
/// `COURTYARD_BENCH_KEEP` is set (to inspect it afterwards: its name is printed).
pub async fn with_database<F, Fut>(prefix: &str, body: F) -> Result<(), BoxError>
where
    F: FnOnce(BenchDb) -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    let admin =
        std::env::var("COURTYARD_BENCH_POSTGRES").unwrap_or_else(|_| DEFAULT_ADMIN.to_owned());
    let name = format!("{prefix}_{}", std::process::id());
    let admin_db = Db::connect(&Secret::new(admin.clone())).await?;
    admin_db
        .connection()
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let result = async {
        let owner = Db::connect(&Secret::new(with_user_and_db(&admin, "postgres", &name))).await?;
        owner.migrate().await?;
        let app_url = with_user_and_db(&admin, migrations::postgres::APP_ROLE, &name);
        let app = Db::connect(&Secret::new(app_url)).await?;
        body(BenchDb { owner, app }).await
    }
    .await;
    if std::env::var_os("COURTYARD_BENCH_KEEP").is_some() {
        eprintln!("kept database {name}");
    } else {
        admin_db
            .connection()
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await?;
    }
    result
}

/// `ledger verify` of the firm `slug`, timed. Fast is worth nothing if the books are wrong:
/// any problem it finds is an error.
pub async fn verify_books(db: &Db, slug: &str) -> Result<(Duration, Verification), BoxError> {
    let started = Instant::now();
    let (_, books) = api::tenancy::verify_ledgers(db, Some(slug))
        .await
        .map_err(|e| format!("{e:?}"))?
        .pop()
        .ok_or_else(|| format!("no firm {slug:?} to verify"))?;
    let took = started.elapsed();
    if !books.problems.is_empty() {
        return Err(format!("ledger verify found problems: {:?}", books.problems).into());
    }
    Ok((took, books))
}

#[cfg(test)]
mod tests {
    use super::with_user_and_db;

    #[test]
    fn urls_keep_host_and_query() {
        assert_eq!(
            with_user_and_db(
                "postgres://postgres@localhost/postgres?host=/var/run/postgresql",
                "courtyard_app",
                "b1"
            ),
            "postgres://courtyard_app@localhost/b1?host=/var/run/postgresql"
        );
        assert_eq!(
            with_user_and_db(
                "postgres://postgres@127.0.0.1:5432/postgres",
                "postgres",
                "b2"
            ),
            "postgres://postgres@127.0.0.1:5432/b2"
        );
    }
}
