//! Photographs of a work order — the problem as reported, the work as completed — kept in the
//! file store by content; a row per photo, never changed.

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
            "CREATE TABLE work_order_photos (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               order_id UUID NOT NULL,
               file_key VARCHAR(64) NOT NULL,
               kind VARCHAR(32) NOT NULL,
               stage VARCHAR(16) NOT NULL,
               added_by UUID NOT NULL,
               PRIMARY KEY (tenant_id, id),
               FOREIGN KEY (tenant_id, order_id) REFERENCES work_orders (tenant_id, id))"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX work_order_photos_by_order ON work_order_photos (tenant_id, order_id)",
        )
        .await?;
        append_only(m, "work_order_photos").await?;
        enable_rls(m, "work_order_photos").await?;
        grant_app_role(m).await
    }
}
