//! Online payment through Stripe: payment attempts and refunds (tenant tables), the log of
//! every webhook event received, and which tenant each Stripe object belongs to.
//!
//! `stripe_events` and `stripe_links` are platform tables, like `users`: an event arrives
//! before anyone knows its tenant (it may belong to none), so they carry `tenant_id` as a
//! plain column and have no row-level security; only the webhook path and reconciliation
//! read them, always by Stripe's id.

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
            "CREATE TABLE payment_attempts (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               household_id UUID NOT NULL,
               compound_id UUID NOT NULL,
               amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
               invoice_ids TEXT NOT NULL,
               status VARCHAR(16) NOT NULL,
               intent_id VARCHAR(255) NULL,
               payment_id UUID NULL,
               failure VARCHAR(500) NULL,
               started_by UUID NOT NULL,
               updated_at {ts} NOT NULL,
               PRIMARY KEY (tenant_id, id),
               FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id));
             CREATE UNIQUE INDEX payment_attempts_intent ON payment_attempts (tenant_id, intent_id);
             CREATE INDEX payment_attempts_by_household ON payment_attempts (tenant_id, household_id);
             CREATE TABLE online_refunds (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               attempt_id UUID NOT NULL,
               payment_id UUID NOT NULL,
               amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
               reason VARCHAR(500) NOT NULL,
               status VARCHAR(16) NOT NULL,
               stripe_refund_id VARCHAR(255) NULL,
               requested_by UUID NULL,
               updated_at {ts} NOT NULL,
               PRIMARY KEY (tenant_id, id),
               FOREIGN KEY (tenant_id, attempt_id) REFERENCES payment_attempts (tenant_id, id));
             CREATE INDEX online_refunds_by_attempt ON online_refunds (tenant_id, attempt_id);
             CREATE TABLE stripe_events (
               id VARCHAR(255) NOT NULL PRIMARY KEY,
               event_type VARCHAR(100) NOT NULL,
               object_id VARCHAR(255) NULL,
               tenant_id UUID NULL,
               outcome VARCHAR(32) NOT NULL,
               detail VARCHAR(500) NULL,
               stripe_created BIGINT NOT NULL,
               received_at {ts} NOT NULL);
             CREATE INDEX stripe_events_by_tenant ON stripe_events (tenant_id, received_at);
             CREATE TABLE stripe_links (
               object_id VARCHAR(255) NOT NULL PRIMARY KEY,
               tenant_id UUID NOT NULL REFERENCES tenants (id));"
        ))
        .await?;
        for table in ["payment_attempts", "online_refunds"] {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
