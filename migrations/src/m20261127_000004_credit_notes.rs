//! Credit notes: the only way to correct an issued invoice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::postgres::{enable_rls, grant_app_role};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = m.get_database_backend() == DbBackend::Postgres;
        let ts = if pg { "TIMESTAMPTZ" } else { "TEXT" };
        db.execute_unprepared(&format!(
            "CREATE TABLE credit_notes (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               invoice_id UUID NOT NULL,
               household_id UUID NOT NULL,
               compound_id UUID NOT NULL,
               amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
               reason VARCHAR(500) NOT NULL,
               approved_by UUID NOT NULL,
               PRIMARY KEY (tenant_id, id),
               FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id));
             CREATE INDEX credit_notes_by_invoice ON credit_notes (tenant_id, invoice_id);"
        ))
        .await?;
        if pg {
            db.execute_unprepared(
                "CREATE TRIGGER credit_notes_append_only BEFORE UPDATE OR DELETE ON credit_notes
                   FOR EACH ROW EXECUTE FUNCTION ledger_append_only();",
            )
            .await?;
        } else {
            db.execute_unprepared(
                "CREATE TRIGGER credit_notes_no_update BEFORE UPDATE ON credit_notes
                   BEGIN SELECT RAISE(ABORT, 'credit notes are immutable (append-only)'); END;
                 CREATE TRIGGER credit_notes_no_delete BEFORE DELETE ON credit_notes
                   BEGIN SELECT RAISE(ABORT, 'credit notes are immutable (append-only)'); END;",
            )
            .await?;
        }
        enable_rls(m, "credit_notes").await?;
        grant_app_role(m).await
    }
}
