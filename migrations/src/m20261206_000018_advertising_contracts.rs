//! Advertising contracts on common parts: the advertiser and the term, the placements in
//! each compound, each compound's weight in sharing a payment (fixed when the contract is
//! signed), the instalments expected, and the payments received with each compound's share
//! (an income record of the advertising category).
//!
//! Payments and their shares are append-only; an instalment is cancelled (never deleted)
//! when a contract ends early.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::{append_only, enable_rls, grant_app_role, timestamp_type};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each table with its columns and the table its rows belong to.
const TABLES: &[(&str, &str, &str)] = &[
    (
        "ad_contracts",
        "number VARCHAR(50) NOT NULL, advertiser VARCHAR(100) NOT NULL,
         contact VARCHAR(100) NULL, licence_no VARCHAR(18) NULL,
         pricing VARCHAR(16) NOT NULL, price_fen BIGINT NOT NULL CHECK (price_fen > 0),
         allocation_key VARCHAR(16) NOT NULL, from_period INTEGER NOT NULL,
         to_period INTEGER NOT NULL CHECK (to_period >= from_period),
         due_day INTEGER NOT NULL CHECK (due_day BETWEEN 1 AND 28),
         terminated_at {ts} NULL, termination_reason VARCHAR(500) NULL, created_by UUID NOT NULL",
        "",
    ),
    (
        "ad_placements",
        "contract_id UUID NOT NULL, compound_id UUID NOT NULL, kind VARCHAR(32) NOT NULL,
         location VARCHAR(100) NULL, quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id)",
        "ad_contracts",
    ),
    (
        "ad_contract_compounds",
        "contract_id UUID NOT NULL, compound_id UUID NOT NULL,
         weight BIGINT NOT NULL CHECK (weight >= 0),
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id)",
        "ad_contracts",
    ),
    (
        "ad_instalments",
        "contract_id UUID NOT NULL, seq INTEGER NOT NULL, period INTEGER NOT NULL,
         due_on DATE NOT NULL, amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
         cancelled_at {ts} NULL",
        "ad_contracts",
    ),
    (
        "ad_payments",
        "contract_id UUID NOT NULL, amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
         received_on DATE NOT NULL, method VARCHAR(16) NOT NULL,
         idempotency_key VARCHAR(200) NOT NULL, recorded_by UUID NOT NULL",
        "ad_contracts",
    ),
    (
        "ad_payment_shares",
        "payment_id UUID NOT NULL, compound_id UUID NOT NULL,
         amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), income_record_id UUID NOT NULL,
         FOREIGN KEY (tenant_id, income_record_id) REFERENCES income_records (tenant_id, id)",
        "ad_payments",
    ),
];

const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ad_contracts_number ON ad_contracts (tenant_id, number)",
    "CREATE INDEX ad_placements_by_compound ON ad_placements (tenant_id, compound_id)",
    "CREATE INDEX ad_placements_by_contract ON ad_placements (tenant_id, contract_id)",
    "CREATE UNIQUE INDEX ad_contract_compounds_pair
       ON ad_contract_compounds (tenant_id, contract_id, compound_id)",
    "CREATE UNIQUE INDEX ad_instalments_seq ON ad_instalments (tenant_id, contract_id, seq)",
    "CREATE UNIQUE INDEX ad_payments_key ON ad_payments (tenant_id, idempotency_key)",
    "CREATE INDEX ad_payments_by_contract ON ad_payments (tenant_id, contract_id)",
    "CREATE INDEX ad_payment_shares_by_payment ON ad_payment_shares (tenant_id, payment_id)",
];

/// Never updated or deleted.
const APPEND_ONLY: &[&str] = &["ad_payments", "ad_payment_shares"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let ts = timestamp_type(m);
        for (table, columns, parent) in TABLES {
            let columns = columns.replace("{ts}", ts);
            let belongs = if parent.is_empty() {
                String::new()
            } else {
                let key = if *parent == "ad_payments" {
                    "payment_id"
                } else {
                    "contract_id"
                };
                format!(",\n FOREIGN KEY (tenant_id, {key}) REFERENCES {parent} (tenant_id, id)")
            };
            db.execute_unprepared(&format!(
                "CREATE TABLE {table} (
                   tenant_id UUID NOT NULL REFERENCES tenants (id),
                   id UUID NOT NULL,
                   created_at {ts} NOT NULL,
                   {columns},
                   PRIMARY KEY (tenant_id, id){belongs})"
            ))
            .await?;
        }
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        for table in APPEND_ONLY {
            append_only(m, table).await?;
        }
        for (table, _, _) in TABLES {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
