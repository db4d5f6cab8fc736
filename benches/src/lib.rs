//! What every benchmark shares: a fresh PostgreSQL database, migrated by its owner and used
//! as the unprivileged application role (row-level security in force), dropped afterwards.

use api::configuration::Secret;
use api::db::Db;
use sea_orm::ConnectionTrait;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The two connections a benchmark needs.
pub struct BenchDb {
    /// The schema owner: migrations, `ANALYZE`, counting across tenants.
    pub owner: Db,
    /// The application role, as the server connects in production.
    pub app: Db,
}

/// Runs `body` on a new database at `COURTYARD_BENCH_POSTGRES` (default
/// `postgres://postgres@127.0.0.1:5432/postgres`), then drops it whatever `body` returned.
pub async fn with_database<F, Fut>(prefix: &str, body: F) -> Result<(), BoxError>
where
    F: FnOnce(BenchDb) -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    let admin = std::env::var("COURTYARD_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_owned();
    let name = format!("{prefix}_{}", std::process::id());
    let admin_db = Db::connect(&Secret::new(admin.clone())).await?;
    admin_db
        .connection()
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let result = async {
        let owner = Db::connect(&Secret::new(format!("{base}/{name}"))).await?;
        owner.migrate().await?;
        let app_url = format!("{base}/{name}").replacen("://postgres@", "://courtyard_app@", 1);
        let app = Db::connect(&Secret::new(app_url)).await?;
        body(BenchDb { owner, app }).await
    }
    .await;
    admin_db
        .connection()
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await?;
    result
}
