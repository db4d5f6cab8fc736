//! Each compound's dispatch rules — the time to answer and to resolve an order of each
//! priority, and the estimate above which a household must agree to bear a repair — and, on
//! each order, whether its household's agreement is needed (decided when it is filed, by the
//! rules then in force) and when the server noted it past its resolution deadline.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::{enable_rls, grant_app_role, timestamp_type};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let ts = timestamp_type(m);
        let priorities = ["emergency", "urgent", "normal"];
        let columns: String = priorities
            .iter()
            .map(|p| format!("{p}_respond INTEGER NOT NULL, {p}_resolve INTEGER NOT NULL,"))
            .collect();
        // SQLite takes a table's constraints only after all its columns.
        let checks: String = priorities
            .iter()
            .map(|p| {
                format!("CHECK ({p}_respond BETWEEN 5 AND {p}_resolve AND {p}_resolve <= 43200),")
            })
            .collect();
        db.execute_unprepared(&format!(
            "CREATE TABLE dispatch_rules (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               compound_id UUID NOT NULL,
               {columns}
               confirm_above_fen BIGINT NOT NULL CHECK (confirm_above_fen >= 0),
               updated_at {ts} NOT NULL,
               {checks}
               PRIMARY KEY (tenant_id, id),
               FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id))"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX dispatch_rules_compound ON dispatch_rules (tenant_id, compound_id)",
        )
        .await?;
        db.execute_unprepared(
            "ALTER TABLE work_orders ADD COLUMN confirm_required BOOLEAN NOT NULL DEFAULT FALSE",
        )
        .await?;
        // When the server noted the order past its resolution deadline (once per deadline).
        db.execute_unprepared(&format!(
            "ALTER TABLE work_orders ADD COLUMN overdue_noted_at {ts} NULL"
        ))
        .await?;
        enable_rls(m, "dispatch_rules").await?;
        grant_app_role(m).await
    }
}
