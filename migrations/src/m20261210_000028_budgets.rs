//! Compound budgets through the seven steps of the democratic decision method: the budget,
//! its versions (each a set of lines, never changed: a revision is a new version), the dated
//! record of every step taken, the supervision group of five, and residents' questions with
//! the committee's public answers. The final accounts are read from the ledger, not stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::{append_only, enable_rls, grant_app_role};
use crate::tenant_table::create_tenant_tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[(&str, &str)] = &[
    (
        "budgets",
        "compound_id UUID NOT NULL, year INTEGER NOT NULL, title VARCHAR(200) NOT NULL,
         step VARCHAR(16) NOT NULL, matter_id UUID NULL, created_by UUID NOT NULL,
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id)",
    ),
    (
        "budget_versions",
        "budget_id UUID NOT NULL, number INTEGER NOT NULL CHECK (number > 0),
         note VARCHAR(1000) NULL, created_by UUID NOT NULL,
         FOREIGN KEY (tenant_id, budget_id) REFERENCES budgets (tenant_id, id)",
    ),
    (
        "budget_steps",
        "budget_id UUID NOT NULL, from_step VARCHAR(16) NOT NULL, to_step VARCHAR(16) NOT NULL,
         note VARCHAR(2000) NULL, reviewer VARCHAR(200) NULL, matter_id UUID NULL,
         taken_by UUID NOT NULL,
         FOREIGN KEY (tenant_id, budget_id) REFERENCES budgets (tenant_id, id)",
    ),
    (
        "budget_questions",
        "budget_id UUID NOT NULL, asked_by UUID NOT NULL, question VARCHAR(1000) NOT NULL,
         answer VARCHAR(2000) NULL, answered_by UUID NULL, answered_at {ts} NULL,
         FOREIGN KEY (tenant_id, budget_id) REFERENCES budgets (tenant_id, id)",
    ),
];

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX budgets_per_year ON budgets (tenant_id, compound_id, year)",
    "CREATE UNIQUE INDEX budget_versions_numbered ON budget_versions (tenant_id, budget_id, number)",
    "CREATE INDEX budget_steps_by_budget ON budget_steps (tenant_id, budget_id, created_at)",
    "CREATE INDEX budget_questions_by_budget ON budget_questions (tenant_id, budget_id, created_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_tenant_tables(m, TABLES, INDEXES).await?;
        // A version's lines: one amount per category, never negative.
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE budget_lines (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               version_id UUID NOT NULL,
               category VARCHAR(32) NOT NULL,
               amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
               PRIMARY KEY (tenant_id, version_id, category),
               FOREIGN KEY (tenant_id, version_id) REFERENCES budget_versions (tenant_id, id))",
        )
        .await?;
        // The five owners' representatives who supervise the budget's implementation.
        db.execute_unprepared(
            "CREATE TABLE budget_supervisors (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               budget_id UUID NOT NULL,
               seat INTEGER NOT NULL CHECK (seat BETWEEN 1 AND 5),
               name VARCHAR(100) NOT NULL,
               PRIMARY KEY (tenant_id, budget_id, seat),
               FOREIGN KEY (tenant_id, budget_id) REFERENCES budgets (tenant_id, id))",
        )
        .await?;
        for table in [
            "budget_versions",
            "budget_lines",
            "budget_steps",
            "budget_supervisors",
        ] {
            append_only(m, table).await?;
        }
        for table in [
            "budgets",
            "budget_versions",
            "budget_lines",
            "budget_steps",
            "budget_supervisors",
            "budget_questions",
        ] {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
