//! Each work order photo's thumbnail: a small JPEG kept in the file store beside it (none for
//! photos added before thumbnails were made; the pages then show the photo itself).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("ALTER TABLE work_order_photos ADD COLUMN thumb_key VARCHAR(64)")
            .await?;
        Ok(())
    }
}
