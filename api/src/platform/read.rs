//! A firm's read-only transaction, begun in one round trip.
//!
//! sea-orm begins a PostgreSQL transaction with `BEGIN`, then sets its access mode, then the
//! firm's setting: three round trips before a query's first row. Here `BEGIN READ ONLY` and
//! the firm's setting go to the server as one simple query, and the statements that follow
//! run on sqlx's transaction directly, bound by sea-query's own binder — so every store that
//! takes `&impl ConnectionTrait` reads through it unchanged (decision 0022). SQLite has no
//! settings and no access modes: there it is sea-orm's own transaction.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use migrations::postgres::TENANT_SETTING;
use sea_orm::sqlx::{self, AssertSqlSafe, Postgres};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement,
    Values,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;
use uuid::Uuid;

use super::db::{StatementStats, sqlx_err};

/// Reads of one firm that see one snapshot per statement and write nothing (PostgreSQL
/// refuses a write in it).
pub enum Read {
    Postgres(PgRead),
    Other(DatabaseTransaction),
}

pub struct PgRead {
    tx: Mutex<sqlx::Transaction<'static, Postgres>>,
    stats: Arc<StatementStats>,
}

impl PgRead {
    /// `BEGIN READ ONLY` with `tenant`'s setting, in one round trip.
    pub(super) async fn begin(
        pool: &sqlx::PgPool,
        tenant: Uuid,
        stats: Arc<StatementStats>,
    ) -> Result<Self, DbErr> {
        // Both go in the statement's text (a simple query takes no parameters): a uuid is
        // only hex digits and dashes, the setting's name a constant.
        let begin =
            format!("BEGIN READ ONLY; SELECT set_config('{TENANT_SETTING}', '{tenant}', true)");
        let tx = pool
            .begin_with(AssertSqlSafe(begin))
            .await
            .map_err(sqlx_err)?;
        Ok(Self {
            tx: Mutex::new(tx),
            stats,
        })
    }

    /// Runs one statement, counted as sea-orm counts its own.
    async fn counted<T>(
        &self,
        run: impl Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, DbErr> {
        let started = Instant::now();
        let result = run.await.map_err(sqlx_err);
        self.stats.record(started.elapsed());
        result
    }
}

fn query(stmt: &Statement) -> sqlx::query::Query<'_, Postgres, SqlxValues> {
    let values = stmt.values.clone().unwrap_or(Values(Vec::new()));
    sqlx::query_with(AssertSqlSafe(stmt.sql.as_str()), SqlxValues(values))
}

impl Read {
    pub async fn commit(self) -> Result<(), DbErr> {
        match self {
            Self::Postgres(r) => r.tx.into_inner().commit().await.map_err(sqlx_err),
            Self::Other(tx) => tx.commit().await,
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Read {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Postgres(_) => DbBackend::Postgres,
            Self::Other(tx) => tx.get_database_backend(),
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Postgres(r) => {
                let mut tx = r.tx.lock().await;
                let done = r.counted(query(&stmt).execute(&mut **tx)).await?;
                Ok(done.into())
            }
            Self::Other(tx) => tx.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Postgres(r) => {
                let mut tx = r.tx.lock().await;
                let sql = AssertSqlSafe(sql.to_owned());
                let done = r.counted(sqlx::raw_sql(sql).execute(&mut **tx)).await?;
                Ok(done.into())
            }
            Self::Other(tx) => tx.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Postgres(r) => {
                let mut tx = r.tx.lock().await;
                let row = r.counted(query(&stmt).fetch_optional(&mut **tx)).await?;
                Ok(row.map(Into::into))
            }
            Self::Other(tx) => tx.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Postgres(r) => {
                let mut tx = r.tx.lock().await;
                let rows = r.counted(query(&stmt).fetch_all(&mut **tx)).await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }
            Self::Other(tx) => tx.query_all_raw(stmt).await,
        }
    }
}
