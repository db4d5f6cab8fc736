//! Owners' governance: each compound's committee seats, the matters owners vote on, the roll
//! each vote froze when it opened, and its ballots.
//!
//! A ballot is never changed: an owner who changes their mind casts another, and the vote's
//! standing ballot for them (`matter_votes`, one row per voter) points at the newest until the
//! vote closes. A committee member's role (a membership) now lasts until their term's last day. Ballots and tallies are kept because an owner may contest a decision in court
//! within a year. Decisions recorded before votes existed (add-on activations, business-use
//! resolutions, bank payouts) keep their text; new ones link the matter that decided them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::postgres::{append_only, enable_rls, grant_app_role};
use crate::tenant_table::create_tenant_tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[(&str, &str)] = &[
    (
        "committee_seats",
        "compound_id UUID NOT NULL, body VARCHAR(32) NOT NULL, name VARCHAR(100) NOT NULL,
         post VARCHAR(16) NOT NULL, phone VARCHAR(24) NULL, user_id UUID NULL,
         term_from DATE NOT NULL, term_to DATE NOT NULL, ended_on DATE NULL,
         appointed_by UUID NOT NULL,
         CHECK (term_from <= term_to),
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id)",
    ),
    (
        "matters",
        "compound_id UUID NOT NULL, kind VARCHAR(32) NOT NULL, title VARCHAR(200) NOT NULL,
         body VARCHAR(4000) NOT NULL, secret BOOLEAN NOT NULL, state VARCHAR(16) NOT NULL,
         closes_at {ts} NOT NULL, publicity_days INTEGER NOT NULL, drafted_by UUID NOT NULL,
         opened_at {ts} NULL, opened_by UUID NULL, closed_at {ts} NULL, closed_by UUID NULL,
         roll_owners BIGINT NULL, roll_area BIGINT NULL,
         yes_owners BIGINT NULL, yes_area BIGINT NULL, no_owners BIGINT NULL,
         no_area BIGINT NULL, abstain_owners BIGINT NULL, abstain_area BIGINT NULL,
         outcome VARCHAR(16) NULL,
         FOREIGN KEY (tenant_id, compound_id) REFERENCES compounds (tenant_id, id)",
    ),
    (
        "ballots",
        "matter_id UUID NOT NULL, voter_no INTEGER NOT NULL, choice VARCHAR(16) NOT NULL,
         channel VARCHAR(16) NOT NULL, cast_by UUID NOT NULL, scan_key VARCHAR(64) NULL,
         scan_type VARCHAR(32) NULL, receipt VARCHAR(64) NOT NULL,
         FOREIGN KEY (tenant_id, matter_id, voter_no)
           REFERENCES matter_voters (tenant_id, matter_id, voter_no)",
    ),
];

const INDEXES: &[&str] = &[
    "CREATE INDEX committee_seats_by_compound ON committee_seats (tenant_id, compound_id)",
    "CREATE INDEX committee_seats_by_user ON committee_seats (tenant_id, user_id)",
    "CREATE INDEX matters_by_compound ON matters (tenant_id, compound_id, created_at)",
    "CREATE UNIQUE INDEX matter_voters_person ON matter_voters (tenant_id, matter_id, person_id)",
    "CREATE INDEX ballots_by_voter ON ballots (tenant_id, matter_id, voter_no)",
    "CREATE UNIQUE INDEX ballots_receipt ON ballots (tenant_id, receipt)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // The roll: one row per voter, numbered within the vote; a voter with no person is
        // the developer, holding every unit no one has bought.
        db.execute_unprepared(
            "CREATE TABLE matter_voters (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               matter_id UUID NOT NULL,
               voter_no INTEGER NOT NULL,
               person_id UUID NULL,
               units INTEGER NOT NULL CHECK (units > 0),
               area_centi BIGINT NOT NULL CHECK (area_centi > 0),
               PRIMARY KEY (tenant_id, matter_id, voter_no))",
        )
        .await?;
        // The units the roll was taken from, each under the person who votes for it (none:
        // the developer), so that an owner signed in for their home finds their place.
        db.execute_unprepared(
            "CREATE TABLE matter_units (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               matter_id UUID NOT NULL,
               household_id UUID NOT NULL,
               person_id UUID NULL,
               area_centi BIGINT NOT NULL,
               PRIMARY KEY (tenant_id, matter_id, household_id))",
        )
        .await?;
        create_tenant_tables(m, TABLES, INDEXES).await?;
        // Each voter's standing ballot, replaced by a later one until the vote closes.
        db.execute_unprepared(
            "CREATE TABLE matter_votes (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               matter_id UUID NOT NULL,
               voter_no INTEGER NOT NULL,
               ballot_id UUID NOT NULL,
               choice VARCHAR(16) NOT NULL,
               PRIMARY KEY (tenant_id, matter_id, voter_no),
               FOREIGN KEY (tenant_id, ballot_id) REFERENCES ballots (tenant_id, id))",
        )
        .await?;
        for table in ["addon_activations", "committee_payouts"] {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN matter_id UUID NULL"
            ))
            .await?;
        }
        // A committee member's role lasts until the last day of their term.
        db.execute_unprepared("ALTER TABLE memberships ADD COLUMN expires_on DATE NULL")
            .await?;
        append_only(m, "ballots").await?;
        append_only(m, "matter_voters").await?;
        append_only(m, "matter_units").await?;
        for table in [
            "committee_seats",
            "matters",
            "matter_units",
            "matter_voters",
            "ballots",
            "matter_votes",
        ] {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
