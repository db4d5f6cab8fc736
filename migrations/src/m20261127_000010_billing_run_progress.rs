//! When a billing run last committed a batch, so that a run whose process died shows as
//! interrupted instead of running forever (`domain::billing::RunStatus`). Runs started
//! before this count from their start.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::timestamp_type;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let ts = timestamp_type(m);
        m.get_connection()
            .execute_unprepared(&format!(
                "ALTER TABLE billing_runs ADD COLUMN progressed_at {ts} NULL;"
            ))
            .await?;
        Ok(())
    }
}
