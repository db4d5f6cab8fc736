//! The optional late fee of a compound's contract (off while its columns are NULL), and the
//! invoice a late-fee line is charged for.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for sql in [
            "ALTER TABLE compounds ADD COLUMN late_fee_daily_bp INTEGER NULL",
            "ALTER TABLE compounds ADD COLUMN late_fee_grace_days INTEGER NULL",
            "ALTER TABLE compounds ADD COLUMN late_fee_cap_bp INTEGER NULL",
            "ALTER TABLE invoice_lines ADD COLUMN late_fee_for UUID NULL",
            "CREATE INDEX invoice_lines_late_fee_for ON invoice_lines (tenant_id, late_fee_for)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
