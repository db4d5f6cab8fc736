//! The arrears list's access paths: household receivables owing money, most owed first,
//! across the firm and within a compound. Partial, so households that owe nothing (most of
//! them, most of the month) take no room in either.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ledger_accounts_owing ON ledger_accounts \
             (tenant_id, balance DESC, household_id DESC) \
             WHERE household_id IS NOT NULL AND balance > 0",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX ledger_accounts_owing_by_compound ON ledger_accounts \
             (tenant_id, compound_id, balance DESC, household_id DESC) \
             WHERE household_id IS NOT NULL AND balance > 0",
        )
        .await?;
        Ok(())
    }
}
