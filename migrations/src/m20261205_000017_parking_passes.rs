//! Monthly parking passes (停车月卡): a plate, its space or zone, the months it covers and
//! the price per month; the payment is an income record of the parking-pass category.

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
                "CREATE TABLE parking_passes (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   compound_id UUID NOT NULL,
                   plate VARCHAR(16) NOT NULL,
                   space VARCHAR(50) NULL,
                   from_period INTEGER NOT NULL,
                   to_period INTEGER NOT NULL CHECK (to_period >= from_period),
                   monthly_fen BIGINT NOT NULL CHECK (monthly_fen > 0),
                   income_record_id UUID NOT NULL,
                   issued_by UUID NOT NULL,
                   PRIMARY KEY (tenant_id, id),
                   FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id),
                   FOREIGN KEY (tenant_id, income_record_id) REFERENCES income_records (tenant_id, id));
                 CREATE INDEX parking_passes_by_plate ON parking_passes (tenant_id, compound_id, plate);
                 CREATE UNIQUE INDEX parking_passes_record ON parking_passes (tenant_id, income_record_id);"
            ))
            .await?;
        enable_rls(m, "parking_passes").await?;
        grant_app_role(m).await
    }
}
