//! Invoices and their lines lose their foreign key to `tenants` on PostgreSQL.
//!
//! It was a trigger fired for every row a billing run writes, each taking a share lock on
//! the firm's `tenants` row: 1.9–2.2 s of a 7.6–8.0 s run for 100,000 households (two
//! months, docs/benchmarks.md). It proved nothing the schema does not prove otherwise: row-level
//! security's `WITH CHECK` pins every row to the transaction's tenant, which is set only
//! from a tenant row found by the server, and tenants are archived, never deleted (decision
//! 0005). Invoices are written only by a billing run, for households it has just read in
//! that tenant. The ledger's tables made the same trade in migration 000008.
//!
//! SQLite keeps its original schema: its checks are in-process calls, and dropping a
//! constraint there means rebuilding the table.

use sea_orm_migration::prelude::*;

use crate::postgres::on_postgres;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "ALTER TABLE invoices DROP CONSTRAINT invoices_tenant_id_fkey;
             ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_tenant_id_fkey;",
        )
        .await
    }
}
