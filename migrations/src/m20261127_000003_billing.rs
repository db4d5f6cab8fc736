//! Fee schedules and add-on activations; hardship records and waiver grants; billing runs,
//! invoices and their lines (immutable once issued); payments and their allocation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::postgres::{enable_rls, grant_app_role};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table here is a tenant table: `tenant_id`, `id`, `created_at`, keyed `(tenant_id, id)`.
const TABLES: &[(&str, &str)] = &[
    (
        "fee_schedules",
        "compound_id UUID NULL, bundle_id UUID NULL, scope_key VARCHAR(64) NOT NULL,
         effective_from INTEGER NOT NULL, note VARCHAR(500) NOT NULL, created_by UUID NOT NULL",
    ),
    (
        "fee_schedule_items",
        "schedule_id UUID NOT NULL, kind VARCHAR(32) NOT NULL, pricing VARCHAR(32) NOT NULL,
         rate_fen BIGINT NOT NULL CHECK (rate_fen > 0)",
    ),
    (
        "addon_activations",
        "compound_id UUID NOT NULL, kind VARCHAR(32) NOT NULL, from_period INTEGER NOT NULL,
         to_period INTEGER NULL, decision_ref VARCHAR(200) NOT NULL, activated_by UUID NOT NULL",
    ),
    (
        "hardship_records",
        "household_id UUID NOT NULL, category VARCHAR(32) NOT NULL, certificate_no VARCHAR(64) NOT NULL,
         evidence VARCHAR(500) NOT NULL, valid_from DATE NOT NULL, valid_to DATE NOT NULL, recorded_by UUID NOT NULL",
    ),
    (
        "waiver_grants",
        "household_id UUID NOT NULL, hardship_id UUID NULL, kind VARCHAR(16) NOT NULL, value BIGINT NOT NULL,
         from_period INTEGER NOT NULL, to_period INTEGER NOT NULL, funding VARCHAR(32) NOT NULL,
         proposed_by UUID NOT NULL, decided_by UUID NULL, decided_at TIMESTAMPTZ NULL, status VARCHAR(16) NOT NULL",
    ),
    (
        "billing_runs",
        "period INTEGER NOT NULL, compound_id UUID NULL, bundle_id UUID NULL, status VARCHAR(16) NOT NULL,
         total INTEGER NOT NULL, processed INTEGER NOT NULL, invoiced_fen BIGINT NOT NULL, started_by UUID NULL,
         finished_at TIMESTAMPTZ NULL",
    ),
    (
        "invoices",
        "number BIGINT NOT NULL, household_id UUID NOT NULL, compound_id UUID NOT NULL, period INTEGER NOT NULL,
         run_id UUID NOT NULL, days_billed INTEGER NOT NULL, gross_fen BIGINT NOT NULL, waived_fen BIGINT NOT NULL,
         due_fen BIGINT NOT NULL, waiver_grant_id UUID NULL, waiver_funding VARCHAR(32) NULL",
    ),
    ("invoice_lines", "invoice_id UUID NOT NULL, kind VARCHAR(32) NOT NULL, amount_fen BIGINT NOT NULL"),
    (
        "payments",
        "household_id UUID NOT NULL, compound_id UUID NOT NULL, amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
         method VARCHAR(16) NOT NULL, receipt_no VARCHAR(64) NOT NULL, received_at TIMESTAMPTZ NOT NULL,
         recorded_by UUID NOT NULL, idempotency_key VARCHAR(200) NOT NULL, reversed_at TIMESTAMPTZ NULL,
         reversal_reason VARCHAR(500) NULL",
    ),
    (
        "payment_allocations",
        "payment_id UUID NOT NULL, invoice_id UUID NULL, amount_fen BIGINT NOT NULL",
    ),
    (
        "demand_notices",
        "household_id UUID NOT NULL, kind VARCHAR(16) NOT NULL, note VARCHAR(500) NOT NULL, issued_by UUID NOT NULL",
    ),
];

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX fee_schedules_version ON fee_schedules (tenant_id, scope_key, effective_from)",
    "CREATE UNIQUE INDEX fee_schedule_items_kind ON fee_schedule_items (tenant_id, schedule_id, kind)",
    "CREATE INDEX addon_activations_by_compound ON addon_activations (tenant_id, compound_id)",
    "CREATE INDEX hardship_by_household ON hardship_records (tenant_id, household_id)",
    "CREATE INDEX waivers_by_household ON waiver_grants (tenant_id, household_id)",
    "CREATE UNIQUE INDEX invoices_one_per_period ON invoices (tenant_id, household_id, period)",
    "CREATE UNIQUE INDEX invoices_number ON invoices (tenant_id, number)",
    "CREATE INDEX invoices_by_compound ON invoices (tenant_id, compound_id, period)",
    "CREATE INDEX invoice_lines_by_invoice ON invoice_lines (tenant_id, invoice_id)",
    "CREATE UNIQUE INDEX payments_key ON payments (tenant_id, idempotency_key)",
    "CREATE INDEX payments_by_household ON payments (tenant_id, household_id)",
    "CREATE INDEX allocations_by_invoice ON payment_allocations (tenant_id, invoice_id)",
    "CREATE INDEX allocations_by_payment ON payment_allocations (tenant_id, payment_id)",
    "CREATE INDEX demand_notices_by_household ON demand_notices (tenant_id, household_id)",
];

/// Issued invoices and their lines never change: a correction is a credit note.
const IMMUTABLE: &[&str] = &["invoices", "invoice_lines", "payment_allocations"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = m.get_database_backend() == DbBackend::Postgres;
        let ts = if pg { "TIMESTAMPTZ" } else { "TEXT" };
        for (table, columns) in TABLES {
            let columns = if pg {
                (*columns).to_owned()
            } else {
                columns.replace("TIMESTAMPTZ", "TEXT")
            };
            db.execute_unprepared(&format!(
                "CREATE TABLE {table} (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   {columns},
                   PRIMARY KEY (tenant_id, id))"
            ))
            .await?;
        }
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        for table in IMMUTABLE {
            if pg {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                       FOR EACH ROW EXECUTE FUNCTION ledger_append_only();"
                ))
                .await?;
            } else {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                       BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable (append-only)'); END;
                     CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                       BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable (append-only)'); END;"
                ))
                .await?;
            }
        }
        for (table, _) in TABLES {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
