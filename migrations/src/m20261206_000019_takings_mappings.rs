//! How each compound's parking system export is read: the headings of its date, amount and
//! (for single exits) order-number columns, saved by the last import that wrote.

use sea_orm_migration::prelude::*;

use crate::postgres::{enable_rls, grant_app_role, timestamp_type};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let ts = timestamp_type(m);
        m.get_connection()
            .execute_unprepared(&format!(
                "CREATE TABLE takings_mappings (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   compound_id UUID NOT NULL,
                   date_column VARCHAR(100) NOT NULL,
                   amount_column VARCHAR(100) NOT NULL,
                   reference_column VARCHAR(100) NULL,
                   saved_by UUID NOT NULL,
                   PRIMARY KEY (tenant_id, id),
                   FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id));
                 CREATE UNIQUE INDEX takings_mappings_compound ON takings_mappings (tenant_id, compound_id);"
            ))
            .await?;
        enable_rls(m, "takings_mappings").await?;
        grant_app_role(m).await
    }
}
