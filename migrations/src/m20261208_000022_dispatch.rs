//! Contractor dispatch: contractors (their trades, service area and contracts), work orders
//! and each order's timeline — one row per thing anyone did to it, never changed — and the
//! firm's counter that numbers its orders.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::{append_only, enable_rls, grant_app_role};
use crate::tenant_table::create_tenant_tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each table with its columns and, for a contractor's rows, the key to their contractor.
const TABLES: &[(&str, &str)] = &[
    (
        "contractors",
        "name VARCHAR(100) NOT NULL, kind VARCHAR(16) NOT NULL, phone VARCHAR(20) NULL,
         capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
         on_call_from INTEGER NULL CHECK (on_call_from BETWEEN 0 AND 1439),
         on_call_to INTEGER NULL CHECK (on_call_to BETWEEN 1 AND 1440),
         retired_at {ts} NULL",
    ),
    (
        "contractor_trades",
        "contractor_id UUID NOT NULL, trade VARCHAR(32) NOT NULL,
         FOREIGN KEY (tenant_id, contractor_id) REFERENCES contractors (tenant_id, id)",
    ),
    (
        "contractor_areas",
        "contractor_id UUID NOT NULL, bundle_id UUID NULL, compound_id UUID NULL,
         CHECK ((bundle_id IS NULL) <> (compound_id IS NULL)),
         FOREIGN KEY (tenant_id, contractor_id) REFERENCES contractors (tenant_id, id),
         FOREIGN KEY (tenant_id, bundle_id) REFERENCES bundles (tenant_id, id),
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id)",
    ),
    (
        "contractor_contracts",
        "contractor_id UUID NOT NULL, starts_on DATE NOT NULL, ends_on DATE NOT NULL,
         rate_kind VARCHAR(20) NOT NULL, rate_fen BIGINT NOT NULL CHECK (rate_fen > 0),
         CHECK (ends_on >= starts_on),
         FOREIGN KEY (tenant_id, contractor_id) REFERENCES contractors (tenant_id, id)",
    ),
    (
        "work_orders",
        "number BIGINT NOT NULL, compound_id UUID NOT NULL, household_id UUID NULL,
         location_kind VARCHAR(16) NOT NULL, location VARCHAR(200) NOT NULL,
         trade VARCHAR(32) NOT NULL, priority VARCHAR(16) NOT NULL,
         description VARCHAR(2000) NOT NULL, state VARCHAR(16) NOT NULL,
         rejected_as VARCHAR(16) NULL,
         reported_by UUID NOT NULL, reported_at {ts} NOT NULL, resolve_by {ts} NOT NULL,
         bearer VARCHAR(20) NULL, estimate_fen BIGINT NULL CHECK (estimate_fen > 0),
         charge_confirmed_at {ts} NULL,
         contractor_id UUID NULL, dispatched_at {ts} NULL, respond_by {ts} NULL,
         completed_at {ts} NULL, cost_fen BIGINT NULL CHECK (cost_fen > 0),
         rating INTEGER NULL CHECK (rating BETWEEN 1 AND 5), rating_comment VARCHAR(500) NULL,
         reopened INTEGER NOT NULL DEFAULT 0, closed_at {ts} NULL, updated_at {ts} NOT NULL,
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id),
         FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
         FOREIGN KEY (tenant_id, contractor_id) REFERENCES contractors (tenant_id, id)",
    ),
    (
        "work_order_events",
        "order_id UUID NOT NULL, seq INTEGER NOT NULL, action VARCHAR(20) NOT NULL,
         from_state VARCHAR(16) NULL, to_state VARCHAR(16) NOT NULL, at {ts} NOT NULL,
         actor_id UUID NULL, actor_role VARCHAR(16) NOT NULL, contractor_id UUID NULL,
         note VARCHAR(2000) NULL,
         FOREIGN KEY (tenant_id, order_id) REFERENCES work_orders (tenant_id, id)",
    ),
];

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX contractor_trades_pair ON contractor_trades (tenant_id, contractor_id, trade)",
    "CREATE INDEX contractor_areas_by_contractor ON contractor_areas (tenant_id, contractor_id)",
    "CREATE INDEX contractor_contracts_by_contractor
       ON contractor_contracts (tenant_id, contractor_id, ends_on)",
    "CREATE UNIQUE INDEX work_orders_number ON work_orders (tenant_id, number)",
    "CREATE INDEX work_orders_by_compound ON work_orders (tenant_id, compound_id, state)",
    "CREATE INDEX work_orders_by_contractor ON work_orders (tenant_id, contractor_id, state)",
    "CREATE INDEX work_orders_by_reporter ON work_orders (tenant_id, reported_by)",
    "CREATE UNIQUE INDEX work_order_events_seq ON work_order_events (tenant_id, order_id, seq)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_tenant_tables(m, TABLES, INDEXES).await?;
        // One row per firm: the last order number given (taken under the row's lock).
        m.get_connection()
            .execute_unprepared(
                "CREATE TABLE work_order_numbers (
               tenant_id UUID NOT NULL PRIMARY KEY REFERENCES tenants (id),
               last BIGINT NOT NULL)",
            )
            .await?;
        append_only(m, "work_order_events").await?;
        for (table, _) in TABLES {
            enable_rls(m, table).await?;
        }
        enable_rls(m, "work_order_numbers").await?;
        grant_app_role(m).await
    }
}
