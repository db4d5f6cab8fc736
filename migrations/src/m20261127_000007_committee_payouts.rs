//! Payouts of a committee's fund to its Stripe connected account (separate charges and
//! transfers), and the account itself on the compound.

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
        db.execute_unprepared(&format!(
            "ALTER TABLE compounds ADD COLUMN committee_stripe_account VARCHAR(255) NULL;
             CREATE TABLE committee_payouts (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               compound_id UUID NOT NULL,
               destination VARCHAR(255) NOT NULL,
               amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
               status VARCHAR(16) NOT NULL,
               stripe_transfer_id VARCHAR(255) NULL,
               failure VARCHAR(500) NULL,
               requested_by UUID NOT NULL,
               updated_at {ts} NOT NULL,
               PRIMARY KEY (tenant_id, id),
               FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id));
             CREATE INDEX committee_payouts_by_compound ON committee_payouts (tenant_id, compound_id);"
        ))
        .await?;
        enable_rls(m, "committee_payouts").await?;
        grant_app_role(m).await
    }
}
