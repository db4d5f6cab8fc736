//! Money received by staff has bounds: each firm sets the largest single payment it accepts
//! (a typing slip of a few zeros is refused, not booked), and a receipt number is used once
//! per firm (an online payment's receipt is its PaymentIntent, unique already).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// ¥50,000: a year's fees of the largest household, several times over.
pub const DEFAULT_MAX_PAYMENT_FEN: i64 = 5_000_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "ALTER TABLE tenants ADD COLUMN max_payment_fen BIGINT NOT NULL DEFAULT {DEFAULT_MAX_PAYMENT_FEN}"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX payments_receipt_no ON payments (tenant_id, receipt_no)",
        )
        .await?;
        Ok(())
    }
}
