//! Paying contractors: each verified round of a work order's cost owed to its contractor
//! (`contractor_costs`, one row per order and round, written with the ledger's entry), the
//! payments made to them (`contractor_payments`) and which costs each one settled
//! (`contractor_payment_items`: a cost is settled once, the unique key says so). All three
//! append-only; what is still owed is the costs no item settles.

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
        for sql in [
            format!(
                "CREATE TABLE contractor_costs (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   order_id UUID NOT NULL,
                   order_number BIGINT NOT NULL,
                   round INTEGER NOT NULL CHECK (round >= 0),
                   contractor_id UUID NOT NULL,
                   compound_id UUID NOT NULL,
                   amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                   PRIMARY KEY (tenant_id, id),
                   UNIQUE (tenant_id, order_id, round),
                   FOREIGN KEY (tenant_id, order_id) REFERENCES work_orders (tenant_id, id),
                   FOREIGN KEY (tenant_id, contractor_id) REFERENCES contractors (tenant_id, id),
                   FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id))"
            ),
            "CREATE INDEX contractor_costs_by_contractor
               ON contractor_costs (tenant_id, contractor_id)"
                .to_owned(),
            format!(
                "CREATE TABLE contractor_payments (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   contractor_id UUID NOT NULL,
                   amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                   method VARCHAR(16) NOT NULL,
                   reference VARCHAR(64) NOT NULL,
                   paid_at {ts} NOT NULL,
                   recorded_by UUID NOT NULL,
                   idempotency_key VARCHAR(200) NOT NULL,
                   PRIMARY KEY (tenant_id, id),
                   UNIQUE (tenant_id, idempotency_key),
                   FOREIGN KEY (tenant_id, contractor_id) REFERENCES contractors (tenant_id, id))"
            ),
            "CREATE INDEX contractor_payments_by_contractor
               ON contractor_payments (tenant_id, contractor_id, paid_at)"
                .to_owned(),
            format!(
                "CREATE TABLE contractor_payment_items (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   payment_id UUID NOT NULL,
                   cost_id UUID NOT NULL,
                   PRIMARY KEY (tenant_id, id),
                   UNIQUE (tenant_id, cost_id),
                   FOREIGN KEY (tenant_id, payment_id) REFERENCES contractor_payments (tenant_id, id),
                   FOREIGN KEY (tenant_id, cost_id) REFERENCES contractor_costs (tenant_id, id))"
            ),
            "CREATE INDEX contractor_payment_items_by_payment
               ON contractor_payment_items (tenant_id, payment_id)"
                .to_owned(),
            // Costs verified before this migration: each order's last verified round (an
            // earlier round of a reopened order is in the ledger, not listed here). Run as the
            // schema's owner with row-level security bypassed, as `courtyard migrate` is.
            "INSERT INTO contractor_costs
               (tenant_id, id, created_at, order_id, order_number, round, contractor_id,
                compound_id, amount_fen)
             SELECT tenant_id, id, updated_at, id, number, reopened, contractor_id, compound_id,
                    cost_fen
               FROM work_orders
              WHERE state IN ('verified', 'closed') AND cost_fen IS NOT NULL
                AND contractor_id IS NOT NULL"
                .to_owned(),
        ] {
            db.execute_unprepared(&sql).await?;
        }
        for table in [
            "contractor_costs",
            "contractor_payments",
            "contractor_payment_items",
        ] {
            append_only(m, table).await?;
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
