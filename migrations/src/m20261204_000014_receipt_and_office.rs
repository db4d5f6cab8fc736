//! A receipt names who paid (as the office wrote it down), and a firm tells residents how to
//! pay at its office when online payment is off: address, opening hours, phone, and its bank
//! account or transfer instructions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("ALTER TABLE payments ADD COLUMN payer TEXT")
            .await?;
        for column in [
            "office_address",
            "office_hours",
            "office_phone",
            "office_bank",
        ] {
            db.execute_unprepared(&format!("ALTER TABLE tenants ADD COLUMN {column} TEXT"))
                .await?;
        }
        Ok(())
    }
}
