//! What the ledger's store files share: the size of a multi-row insert, time as stored,
//! postings joined to their entries.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};

use crate::platform::schema::{journal_entry, posting};

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's parameter limits.
pub(super) const INSERT_CHUNK: usize = crate::platform::bulk::ROWS_A_STATEMENT;

pub(super) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// `SELECT … FROM postings p JOIN journal_entries e ON e.tenant_id = p.tenant_id AND e.id =
/// p.entry_id`: each posting with its entry, under the aliases returned, for the caller's
/// columns and conditions.
pub(super) fn postings_with_entries() -> (sea_orm::sea_query::SelectStatement, Alias, Alias) {
    let (p, e) = (Alias::new("p"), Alias::new("e"));
    let mut q = Query::select();
    q.from_as(posting::Entity, p.clone()).join_as(
        JoinType::InnerJoin,
        journal_entry::Entity,
        e.clone(),
        sea_orm::sea_query::Condition::all()
            .add(
                Expr::col((e.clone(), journal_entry::Column::TenantId))
                    .equals((p.clone(), posting::Column::TenantId)),
            )
            .add(
                Expr::col((e.clone(), journal_entry::Column::Id))
                    .equals((p.clone(), posting::Column::EntryId)),
            ),
    );
    (q, p, e)
}
