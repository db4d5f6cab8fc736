//! Common-part income: the owners' resolutions that allow business use of common parts, the
//! split rules they adopted (versioned by month), income received and the direct costs of
//! earning it, and each compound's monthly closes with one line per category.
//!
//! Each compound's public accounts board has an unguessable address (`public_boards`), looked up
//! before any firm is known, so that table is global, like sessions: its rows name the firm.
//!
//! Income, costs and closes are append-only: a correction is a new record in an open month.
//! A resolution's `matter_id` stays empty until owners' votes exist; then it links the
//! passed matter, and income rows, which point at the compound's rules, need no migration.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::postgres::{append_only, enable_rls, grant_app_role};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[(&str, &str)] = &[
    (
        "business_use_resolutions",
        "compound_id UUID NOT NULL, document_no VARCHAR(100) NOT NULL, decided_on DATE NOT NULL,
         note VARCHAR(500) NULL, matter_id UUID NULL, recorded_by UUID NOT NULL",
    ),
    (
        "income_split_rules",
        "compound_id UUID NOT NULL, category VARCHAR(32) NOT NULL, effective_from INTEGER NOT NULL,
         owners_bp INTEGER NOT NULL, firm_bp INTEGER NOT NULL, resolution_id UUID NOT NULL,
         recorded_by UUID NOT NULL,
         CHECK (owners_bp >= 0 AND firm_bp >= 0 AND owners_bp + firm_bp = 10000),
         FOREIGN KEY (tenant_id, resolution_id) REFERENCES business_use_resolutions (tenant_id, id)",
    ),
    (
        "income_records",
        "compound_id UUID NOT NULL, category VARCHAR(32) NOT NULL, period INTEGER NOT NULL,
         received_on DATE NOT NULL, amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
         method VARCHAR(16) NOT NULL, payer VARCHAR(100) NULL, reference VARCHAR(100) NULL,
         correction_reason VARCHAR(500) NULL, idempotency_key VARCHAR(200) NOT NULL,
         entry_id UUID NOT NULL, recorded_by UUID NOT NULL",
    ),
    (
        "income_costs",
        "compound_id UUID NOT NULL, category VARCHAR(32) NOT NULL, period INTEGER NOT NULL,
         amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), description VARCHAR(500) NOT NULL,
         evidence VARCHAR(200) NOT NULL, method VARCHAR(16) NOT NULL,
         idempotency_key VARCHAR(200) NOT NULL, entry_id UUID NOT NULL, recorded_by UUID NOT NULL",
    ),
    (
        "income_closes",
        "compound_id UUID NOT NULL, period INTEGER NOT NULL, entry_id UUID NULL,
         closed_by UUID NULL",
    ),
    (
        "income_close_lines",
        "close_id UUID NOT NULL, category VARCHAR(32) NOT NULL, owners_bp INTEGER NOT NULL,
         firm_bp INTEGER NOT NULL, gross_fen BIGINT NOT NULL, costs_fen BIGINT NOT NULL,
         carried_in_fen BIGINT NOT NULL, deducted_fen BIGINT NOT NULL, carried_out_fen BIGINT NOT NULL,
         owners_fen BIGINT NOT NULL, firm_fen BIGINT NOT NULL",
    ),
];

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX business_use_resolutions_number
       ON business_use_resolutions (tenant_id, compound_id, document_no)",
    "CREATE UNIQUE INDEX income_split_rules_version
       ON income_split_rules (tenant_id, compound_id, category, effective_from)",
    "CREATE UNIQUE INDEX income_records_key ON income_records (tenant_id, idempotency_key)",
    "CREATE INDEX income_records_by_month ON income_records (tenant_id, compound_id, period)",
    "CREATE UNIQUE INDEX income_costs_key ON income_costs (tenant_id, idempotency_key)",
    "CREATE INDEX income_costs_by_month ON income_costs (tenant_id, compound_id, period)",
    "CREATE UNIQUE INDEX income_closes_month ON income_closes (tenant_id, compound_id, period)",
    "CREATE UNIQUE INDEX income_close_lines_category
       ON income_close_lines (tenant_id, close_id, category)",
];

/// Never updated or deleted: income and costs are corrected by new records, closes never
/// reopen.
const APPEND_ONLY: &[&str] = &[
    "income_records",
    "income_costs",
    "income_closes",
    "income_close_lines",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = m.get_database_backend() == DbBackend::Postgres;
        let ts = if pg { "TIMESTAMPTZ" } else { "TEXT" };
        for (table, columns) in TABLES {
            // Each row belongs to a compound, a close line to its close.
            let (parent, parent_table) = if *table == "income_close_lines" {
                ("close_id", "income_closes")
            } else {
                ("compound_id", "compounds")
            };
            db.execute_unprepared(&format!(
                "CREATE TABLE {table} (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   {columns},
                   PRIMARY KEY (tenant_id, id),
                   FOREIGN KEY (tenant_id, {parent}) REFERENCES {parent_table} (tenant_id, id))",
            ))
            .await?;
        }
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        for table in APPEND_ONLY {
            append_only(m, table).await?;
        }
        for (table, _) in TABLES {
            enable_rls(m, table).await?;
        }
        db.execute_unprepared(&format!(
            "CREATE TABLE public_boards (
               token VARCHAR(64) NOT NULL PRIMARY KEY,
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               compound_id UUID NOT NULL,
               created_at {ts} NOT NULL,
               FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id));
             CREATE UNIQUE INDEX public_boards_compound ON public_boards (tenant_id, compound_id);"
        ))
        .await?;
        grant_app_role(m).await
    }
}
