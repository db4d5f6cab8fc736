//! Database connections and tenant-scoped transactions.
//!
//! Every unit of work runs in a transaction opened here. On PostgreSQL the transaction first
//! sets `app.tenant_id` ([`TENANT_SETTING`]) with `set_config(…, true)`, transaction-local
//! so a pooled connection never carries one tenant's setting into another's work; row-level
//! security does the rest.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use migrations::postgres::{TENANT_SETTING, USER_SETTING};
use migrations::{Migrator, sea_orm_migration::MigratorTrait};
use sea_orm::RuntimeErr;
use sea_orm::sqlx::{self, AssertSqlSafe};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, IsolationLevel, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use uuid::Uuid;

use super::clock::Clock;
use super::configuration::Secret;
use super::events::{Event, Events};
use super::read::{PgRead, Read};
use super::session_cache::SessionCache;

/// A driver error from where sqlx is used directly, as sea-orm reports its own.
pub(crate) fn sqlx_err(e: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(e)))
}

#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    stats: Arc<StatementStats>,
    clock: Clock,
    events: Events,
    sessions: SessionCache,
}

/// Statements executed and their total time, for `/metrics` and for tests that bound the
/// number of statements a request may take.
#[derive(Debug, Default)]
pub struct StatementStats {
    pub count: AtomicU64,
    pub micros: AtomicU64,
}

impl StatementStats {
    /// One statement that took `elapsed`.
    pub fn record(&self, elapsed: Duration) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.micros.fetch_add(micros, Ordering::Relaxed);
    }
}

impl Db {
    /// Connects; an SQLite file is created if missing.
    pub async fn connect(url: &Secret) -> Result<Self, DbErr> {
        Self::connect_with(url, None).await
    }

    /// Connects for serving requests: on PostgreSQL the server cancels any statement that
    /// runs longer than `statement_timeout` (a request's time limit), so a request stopped at
    /// its limit leaves no statement running behind it. (SQLite's statements are short.)
    pub async fn connect_serving(url: &Secret, statement_timeout: Duration) -> Result<Self, DbErr> {
        Self::connect_with(url, Some(statement_timeout)).await
    }

    #[tracing::instrument(name = "db.connect", skip_all)]
    async fn connect_with(
        url: &Secret,
        statement_timeout: Option<Duration>,
    ) -> Result<Self, DbErr> {
        let mut url = url.expose().to_owned();
        let sqlite = url.starts_with("sqlite:");
        if sqlite && !url.contains("mode=") {
            url.push_str(if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            });
        }
        let mut options = ConnectOptions::new(url);
        options
            .max_connections(if sqlite { 8 } else { 16 })
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if let Some(timeout) = statement_timeout {
            let millis = timeout.as_millis().to_string();
            options.map_sqlx_postgres_opts(move |pg| {
                pg.options([("statement_timeout", millis.as_str())])
            });
        }
        let mut conn = Database::connect(options).await?;
        let stats = Arc::new(StatementStats::default());
        let sink = Arc::clone(&stats);
        conn.set_metric_callback(move |info| sink.record(info.elapsed));
        if sqlite {
            // WAL lets readers work while one writer commits (it is a property of the file, so
            // one connection sets it for all). sqlx already turns foreign keys on.
            conn.execute_unprepared("PRAGMA journal_mode=WAL;").await?;
        }
        Ok(Self {
            conn,
            stats,
            clock: Clock::default(),
            events: Events::default(),
            sessions: SessionCache::default(),
        })
    }

    /// Where units of work publish their events, shared by every clone of this handle.
    #[must_use]
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// The signed-in sessions this server has verified lately, shared by every clone.
    #[must_use]
    pub fn sessions(&self) -> &SessionCache {
        &self.sessions
    }

    /// Tells this server and the others that access in `tenant` changed, after a change
    /// committed outside a unit of work (a sign-out): each forgets the firm's sessions.
    pub fn access_changed(&self, tenant: Uuid) {
        self.sessions.forget_tenant(tenant);
        self.publish(tenant, Event::AccessChanged);
    }

    /// Publishes what a change committed outside a unit of work did (a billing run's batch,
    /// written on its own transaction for speed). Only after its commit.
    pub fn publish(&self, tenant: Uuid, event: Event) {
        self.events.publish(tenant, vec![event]);
    }

    /// The server's clock, shared by every clone of this handle.
    #[must_use]
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    #[must_use]
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    #[must_use]
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Applies pending migrations.
    #[tracing::instrument(name = "db.migrate", skip_all)]
    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.conn, None).await
    }

    /// How many migrations are not yet applied. Reads the migration table only: the
    /// application role on PostgreSQL may not create it (sea-orm-migration's own check
    /// would try to), and a schema without it has every migration pending.
    pub async fn pending_migrations(&self) -> Result<usize, DbErr> {
        let applied: std::collections::HashSet<String> = match self
            .conn
            .query_all_raw(Statement::from_string(
                self.backend(),
                "SELECT version FROM seaql_migrations",
            ))
            .await
        {
            Ok(rows) => rows
                .iter()
                .map(|r| r.try_get_by_index::<String>(0))
                .collect::<Result<_, _>>()?,
            Err(_) => std::collections::HashSet::new(),
        };
        Ok(Migrator::migrations()
            .iter()
            .filter(|m| !applied.contains(m.name()))
            .count())
    }

    /// A transaction that sees only `tenant`'s rows.
    pub async fn begin_tenant(&self, tenant: Uuid) -> Result<DatabaseTransaction, DbErr> {
        self.begin_with(&[(TENANT_SETTING, tenant)], TransactionOptions::default())
            .await
    }

    /// A read-only transaction of `tenant`'s, for a query's reads: on PostgreSQL begun with
    /// the firm's setting in one round trip ([`Read`]).
    #[tracing::instrument(name = "db.begin_read", skip_all)]
    pub async fn begin_tenant_read(&self, tenant: Uuid) -> Result<Read, DbErr> {
        if self.backend() == DbBackend::Postgres {
            let pool = self.conn.get_postgres_connection_pool();
            let read = PgRead::begin(pool, tenant, Arc::clone(&self.stats)).await?;
            return Ok(Read::Postgres(read));
        }
        Ok(Read::Other(self.conn.begin().await?))
    }

    /// A read-only transaction of `tenant`'s that sees one snapshot throughout, for reads
    /// that must agree with each other across statements (`ledger verify`). SQLite's read
    /// transactions are snapshots already.
    pub async fn begin_tenant_snapshot(&self, tenant: Uuid) -> Result<DatabaseTransaction, DbErr> {
        let options = if self.backend() == DbBackend::Postgres {
            TransactionOptions {
                isolation_level: Some(IsolationLevel::RepeatableRead),
                access_mode: Some(AccessMode::ReadOnly),
                ..TransactionOptions::default()
            }
        } else {
            TransactionOptions::default()
        };
        self.begin_with(&[(TENANT_SETTING, tenant)], options).await
    }

    /// The snapshot of `tx`, a PostgreSQL transaction from [`Self::begin_tenant_snapshot`],
    /// exported for [`Self::join_snapshot`] while `tx` stays open.
    pub async fn export_snapshot(tx: &DatabaseTransaction) -> Result<String, DbErr> {
        tx.query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_export_snapshot()",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("pg_export_snapshot() returned no row".into()))?
        .try_get_by_index(0)
    }

    /// Another connection of the pool in a read-only transaction of `tenant`'s that sees the
    /// `snapshot` exported by [`Self::export_snapshot`]: one consistent view read over several
    /// connections at once. PostgreSQL only; sqlx's own transaction, for what sea-orm does not
    /// expose (`COPY … TO STDOUT`), rolled back if dropped.
    #[tracing::instrument(name = "db.join_snapshot", skip_all)]
    pub async fn join_snapshot(
        &self,
        tenant: Uuid,
        snapshot: &str,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, DbErr> {
        // The id goes into the statement's text (SET takes no parameters): only the digits
        // and dashes PostgreSQL's ids are made of.
        if self.backend() != DbBackend::Postgres
            || snapshot.is_empty()
            || !snapshot.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
        {
            return Err(DbErr::Custom(format!(
                "cannot join snapshot {snapshot:?} on {:?}",
                self.backend()
            )));
        }
        let mut tx = self
            .conn
            .get_postgres_connection_pool()
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(sqlx_err)?;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "SET TRANSACTION SNAPSHOT '{snapshot}'"
        )))
        .execute(&mut *tx)
        .await
        .map_err(sqlx_err)?;
        sqlx::query("SELECT set_config($1, $2, true)")
            .bind(TENANT_SETTING)
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await
            .map_err(sqlx_err)?;
        Ok(tx)
    }

    /// A transaction of `tenant`'s that will write (every mutation begins with this). On
    /// SQLite it holds the database's write lock from its first statement (`BEGIN
    /// IMMEDIATE`): a deferred transaction that has read cannot become the writer once
    /// another has committed, and fails at once with "database is locked". On PostgreSQL it
    /// is [`Self::begin_tenant`]: rows are locked as they are reached (see
    /// `tenancy::households::lock`) and the firm's ledger lock only by the append.
    pub async fn begin_tenant_writes(&self, tenant: Uuid) -> Result<DatabaseTransaction, DbErr> {
        if self.backend() == DbBackend::Postgres {
            return self.begin_tenant(tenant).await;
        }
        self.begin_sqlite_writer().await
    }

    /// A transaction for work that spans tenants for one user (their memberships).
    pub async fn begin_user(&self, user: Uuid) -> Result<DatabaseTransaction, DbErr> {
        self.begin_with(&[(USER_SETTING, user)], TransactionOptions::default())
            .await
    }

    /// A transaction on global tables that will write after reading: on SQLite it holds the
    /// write lock from its first statement, as [`Self::begin_tenant_writes`] does.
    pub async fn begin_global_writes(&self) -> Result<DatabaseTransaction, DbErr> {
        if self.backend() == DbBackend::Postgres {
            return self.begin_global().await;
        }
        self.begin_sqlite_writer().await
    }

    async fn begin_sqlite_writer(&self) -> Result<DatabaseTransaction, DbErr> {
        self.conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
    }

    /// A transaction on global tables only (tenants, users, sessions).
    pub async fn begin_global(&self) -> Result<DatabaseTransaction, DbErr> {
        self.conn.begin().await
    }

    async fn begin_with(
        &self,
        settings: &[(&str, Uuid)],
        options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        let tx = self.conn.begin_with_options(options).await?;
        if self.backend() == DbBackend::Postgres {
            for (name, value) in settings {
                tx.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT set_config($1, $2, true)",
                    [(*name).into(), value.to_string().into()],
                ))
                .await?;
            }
        }
        Ok(tx)
    }

    /// `SELECT 1`, for readiness.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    /// Statements executed so far and their total time in microseconds.
    #[must_use]
    pub fn statement_stats(&self) -> (u64, u64) {
        (
            self.stats.count.load(Ordering::Relaxed),
            self.stats.micros.load(Ordering::Relaxed),
        )
    }

    /// Pool size and idle connections, for metrics.
    #[must_use]
    pub fn pool_stats(&self) -> (u32, usize) {
        match self.backend() {
            DbBackend::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = self.conn.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        }
    }
}
