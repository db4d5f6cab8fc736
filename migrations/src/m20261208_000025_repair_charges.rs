//! What a household owes for a repair it agreed to bear: a row per verified round of a work
//! order (a reopened order that is verified again has a second), written with the ledger
//! entry that charges the household, never changed; and on the invoice line that bills it,
//! which charge it is — at most one line per charge.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::{append_only, enable_rls, grant_app_role, timestamp_type};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let ts = timestamp_type(m);
        db.execute_unprepared(&format!(
            "CREATE TABLE repair_charges (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               order_id UUID NOT NULL,
               round INTEGER NOT NULL,
               household_id UUID NOT NULL,
               amount_fen BIGINT NOT NULL,
               CHECK (round >= 0 AND amount_fen > 0),
               PRIMARY KEY (tenant_id, id),
               UNIQUE (tenant_id, order_id, round),
               FOREIGN KEY (tenant_id, order_id) REFERENCES work_orders (tenant_id, id),
               FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id))"
        ))
        .await?;
        for sql in [
            "CREATE INDEX repair_charges_by_household ON repair_charges (tenant_id, household_id)",
            "ALTER TABLE invoice_lines ADD COLUMN repair_charge_id UUID",
            "ALTER TABLE invoice_lines ADD COLUMN work_order_id UUID",
            "CREATE UNIQUE INDEX invoice_lines_one_per_repair
               ON invoice_lines (tenant_id, repair_charge_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        append_only(m, "repair_charges").await?;
        enable_rls(m, "repair_charges").await?;
        grant_app_role(m).await
    }
}
