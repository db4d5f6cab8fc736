//! Payouts of a committee's fund by bank transfer: proposed by the firm's accountant (with
//! its purpose), decided by a member of the committee, once; the same table as Stripe
//! payouts, so that every payout holds its amount back from the others alike.

use sea_orm_migration::prelude::*;

use crate::postgres::timestamp_type;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let ts = timestamp_type(m);
        for column in [
            "channel VARCHAR(16) NOT NULL DEFAULT 'stripe'".to_owned(),
            "purpose VARCHAR(500) NULL".to_owned(),
            "decided_by UUID NULL".to_owned(),
            format!("decided_at {ts} NULL"),
            "decision_note VARCHAR(500) NULL".to_owned(),
            "idempotency_key VARCHAR(200) NULL".to_owned(),
        ] {
            db.execute_unprepared(&format!(
                "ALTER TABLE committee_payouts ADD COLUMN {column}"
            ))
            .await?;
        }
        db.execute_unprepared(
            "CREATE UNIQUE INDEX committee_payouts_key ON committee_payouts (tenant_id, idempotency_key)",
        )
        .await?;
        Ok(())
    }
}
