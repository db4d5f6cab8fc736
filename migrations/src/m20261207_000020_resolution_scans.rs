//! A business-use resolution's scan: the key of the file kept (its content's SHA-256) and
//! its content type. Empty for resolutions recorded without one; set once.

use sea_orm_migration::prelude::*;

use crate::postgres::grant_app_role;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // One column per statement: SQLite adds them one at a time.
        db.execute_unprepared(
            "ALTER TABLE business_use_resolutions ADD COLUMN scan_key VARCHAR(64) NULL",
        )
        .await?;
        db.execute_unprepared(
            "ALTER TABLE business_use_resolutions ADD COLUMN scan_type VARCHAR(32) NULL",
        )
        .await?;
        grant_app_role(m).await
    }
}
