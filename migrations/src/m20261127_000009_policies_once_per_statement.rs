//! Row-level security that costs once per statement, and room for balance updates.
//!
//! - Every tenant table's policy now reads `app.tenant_id` in an uncorrelated subquery
//!   ([`crate::postgres::TENANT_MATCHES`]), which PostgreSQL evaluates once per statement.
//!   The bare `current_setting(…)::uuid` it replaces was evaluated, and its text parsed as a
//!   UUID, for every row a statement inserted or updated (`WITH CHECK`) and for every row a
//!   filter tested. Which rows each role sees is unchanged.
//! - `ledger_accounts` leaves 15 % of each page free, so the balance update every posting
//!   makes can stay on the same page (a HOT update) instead of adding an entry to each of the
//!   table's indexes. It applies to pages written from now on.
//!
//! PostgreSQL only: SQLite has neither.

use sea_orm_migration::prelude::*;

use crate::TENANT_TABLES;
use crate::postgres::{on_postgres, policy_clauses};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Tables created by later migrations get these clauses when they are created.
        let mut sql = String::new();
        for t in TENANT_TABLES {
            if m.has_table(*t).await? {
                sql.push_str(&format!(
                    "ALTER POLICY tenant_isolation ON {t} {};\n",
                    policy_clauses(t)
                ));
            }
        }
        sql.push_str("ALTER TABLE ledger_accounts SET (fillfactor = 85);");
        on_postgres(m, &sql).await
    }
}
