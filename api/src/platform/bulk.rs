//! Bulk inserts on PostgreSQL: every column travels as one array parameter and the rows are
//! rebuilt by `UNNEST`, so a batch of any size is one small statement to plan (a multi-row
//! `VALUES` list with thousands of parameters costs more to plan than to insert).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ArrayType;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

/// One column of a bulk insert: its name, its PostgreSQL type and every row's value.
/// Arrays cannot carry NULL here, so a nullable column stands for NULL with a sentinel
/// (the nil UUID, the empty string) that the insert turns back into NULL.
pub(crate) struct Column {
    name: &'static str,
    pg_type: &'static str,
    null_sentinel: Option<&'static str>,
    values: Value,
}

/// One column of rows as a PostgreSQL array parameter.
pub(crate) fn array<T>(rows: &[T], kind: ArrayType, f: impl Fn(&T) -> Value) -> Value {
    Value::Array(kind, Some(Box::new(rows.iter().map(f).collect())))
}

const NIL_UUID: &str = "'00000000-0000-0000-0000-000000000000'::uuid";

impl Column {
    fn of<T>(
        name: &'static str,
        (pg_type, kind): (&'static str, ArrayType),
        null_sentinel: Option<&'static str>,
        rows: &[T],
        f: impl Fn(&T) -> Value,
    ) -> Self {
        Self {
            name,
            pg_type,
            null_sentinel,
            values: array(rows, kind, f),
        }
    }

    pub(crate) fn uuid<T>(name: &'static str, rows: &[T], f: impl Fn(&T) -> Uuid) -> Self {
        Self::of(name, UUID, None, rows, |r| f(r).into())
    }

    /// A nullable uuid column; the nil UUID stands for NULL.
    pub(crate) fn opt_uuid<T>(
        name: &'static str,
        rows: &[T],
        f: impl Fn(&T) -> Option<Uuid>,
    ) -> Self {
        Self::of(name, UUID, Some(NIL_UUID), rows, |r| {
            f(r).unwrap_or(Uuid::nil()).into()
        })
    }

    pub(crate) fn bigint<T>(name: &'static str, rows: &[T], f: impl Fn(&T) -> i64) -> Self {
        Self::of(name, ("bigint", ArrayType::BigInt), None, rows, |r| {
            f(r).into()
        })
    }

    pub(crate) fn int<T>(name: &'static str, rows: &[T], f: impl Fn(&T) -> i32) -> Self {
        Self::of(name, ("integer", ArrayType::Int), None, rows, |r| {
            f(r).into()
        })
    }

    pub(crate) fn text<T>(name: &'static str, rows: &[T], f: impl Fn(&T) -> String) -> Self {
        Self::of(name, TEXT, None, rows, |r| f(r).into())
    }

    /// A nullable text column; the empty string stands for NULL.
    pub(crate) fn opt_text<T>(
        name: &'static str,
        rows: &[T],
        f: impl Fn(&T) -> Option<String>,
    ) -> Self {
        Self::of(name, TEXT, Some("''"), rows, |r| {
            f(r).unwrap_or_default().into()
        })
    }

    pub(crate) fn boolean<T>(name: &'static str, rows: &[T], f: impl Fn(&T) -> bool) -> Self {
        Self::of(name, ("boolean", ArrayType::Bool), None, rows, |r| {
            f(r).into()
        })
    }

    pub(crate) fn date<T>(
        name: &'static str,
        rows: &[T],
        f: impl Fn(&T) -> chrono::NaiveDate,
    ) -> Self {
        Self::of(name, ("date", ArrayType::ChronoDate), None, rows, |r| {
            f(r).into()
        })
    }

    pub(crate) fn timestamp<T>(
        name: &'static str,
        rows: &[T],
        f: impl Fn(&T) -> DateTime<Utc>,
    ) -> Self {
        let kind = ("timestamptz", ArrayType::ChronoDateTimeUtc);
        Self::of(name, kind, None, rows, |r| f(r).into())
    }
}

const UUID: (&str, ArrayType) = ("uuid", ArrayType::Uuid);
const TEXT: (&str, ArrayType) = ("text", ArrayType::String);

/// `INSERT INTO table (columns…) SELECT … FROM UNNEST(arrays…)`, then `suffix` (an
/// `ON CONFLICT` clause, or nothing); the number of rows written. PostgreSQL only.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    table: &str,
    columns: Vec<Column>,
    suffix: &str,
) -> Result<u64, DbErr> {
    let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let selected: Vec<String> = columns
        .iter()
        .map(|c| match c.null_sentinel {
            Some(s) => format!("NULLIF(u.{}, {s})", c.name),
            None => format!("u.{}", c.name),
        })
        .collect();
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}[]", i + 1, c.pg_type))
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({names}) SELECT {selected} FROM UNNEST({arrays}) AS u({names}) {suffix}",
        names = names.join(", "),
        selected = selected.join(", "),
        arrays = arrays.join(", "),
    );
    let values: Vec<Value> = columns.into_iter().map(|c| c.values).collect();
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?
        .rows_affected())
}

/// Rows a multi-row `INSERT … VALUES` writes at once: inside both engines' bind-parameter
/// limits (SQLite's 32,766, PostgreSQL's 65,535) for tables of up to 32 columns.
pub(crate) const ROWS_A_STATEMENT: usize = 1_000;

/// A bulk writer fills tables faster than autovacuum analyses them, and PostgreSQL keeps
/// planning lookups into them as if they were still small — sequential scans that grow
/// with every batch (a billing run went quadratic), and prepared statements keep a generic
/// plan made when the table was empty. Within the
/// caller's transaction only, index paths are preferred and every execution is planned for
/// its parameters. `SET LOCAL` ends with the transaction.
pub(crate) async fn index_plans(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_custom_plan;",
        )
        .await?;
    }
    Ok(())
}
