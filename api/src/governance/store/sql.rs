//! Statements written once for both engines.

use sea_orm::{DbBackend, Statement, Value};

/// A statement written with PostgreSQL's numbered parameters (`$1`), run on either engine
/// (SQLite numbers them `?1`).
pub(super) fn numbered(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        sql.to_owned()
    } else {
        sql.replace('$', "?")
    };
    Statement::from_sql_and_values(backend, sql, values)
}
