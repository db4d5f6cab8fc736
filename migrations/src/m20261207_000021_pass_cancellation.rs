//! A parking pass ended early: the first month it no longer covers, the reason, and the
//! income record of the refund (a correction of parking-pass income, below zero).

use sea_orm_migration::prelude::*;

use crate::postgres::grant_app_role;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // One column per statement: SQLite adds them one at a time.
        for column in [
            "cancelled_from INTEGER NULL",
            "cancel_reason VARCHAR(500) NULL",
            "refund_record_id UUID NULL",
        ] {
            db.execute_unprepared(&format!("ALTER TABLE parking_passes ADD COLUMN {column}"))
                .await?;
        }
        grant_app_role(m).await
    }
}
