//! What every area's store shares: reading stored codes back, optimistic inserts and sums by
//! key. Each area keeps its own repositories in its `store`; the sea-orm entities they read
//! and write are the one schema in `platform::schema`, seen by stores only.

use std::collections::HashMap;

use domain::Money;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Select, SqlErr,
};
use uuid::Uuid;

/// A stored code that no longer parses means the database was edited behind our back.
pub(crate) fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("stored {what} {value:?} is not valid"))
}

/// Runs `write` inside a savepoint, for writers that insert optimistically: a unique-key
/// violation that `expected` accepts (given the violation's message) undoes the write and
/// answers `false`; any other error is returned as it is.
pub(crate) async fn unless_unique_clash(
    db: &impl ConnectionTrait,
    write: impl Future<Output = Result<(), DbErr>>,
    expected: impl Fn(&str) -> bool,
) -> Result<bool, DbErr> {
    db.execute_unprepared("SAVEPOINT unique_clash").await?;
    match write.await {
        Ok(()) => {
            db.execute_unprepared("RELEASE SAVEPOINT unique_clash")
                .await?;
            Ok(true)
        }
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(m)) if expected(&m)) =>
        {
            db.execute_unprepared("ROLLBACK TO SAVEPOINT unique_clash")
                .await?;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Σ `amount` per `key` over `rows` whose key is one of `ids`, summed by the database (in
/// chunks of 1,000 keys). Keys without rows are absent.
pub(crate) async fn sums_by_key<E: EntityTrait>(
    db: &impl ConnectionTrait,
    rows: Select<E>,
    [key_col, amount_col]: [E::Column; 2],
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Money>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let sums: Vec<(Option<Uuid>, Option<i64>)> = rows
            .clone()
            .select_only()
            .column(key_col)
            .column_as(
                Expr::col(amount_col).sum().cast_as(Alias::new("BIGINT")),
                "total",
            )
            .filter(key_col.is_in(chunk.iter().copied()))
            .group_by(key_col)
            .into_tuple()
            .all(db)
            .await?;
        for (key, total) in sums {
            if let Some(key) = key {
                out.insert(key, Money::from_fen(total.unwrap_or(0)));
            }
        }
    }
    Ok(out)
}
