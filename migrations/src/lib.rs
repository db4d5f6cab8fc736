//! The one source of Courtyard's schema, for SQLite and PostgreSQL alike.
//!
//! Every tenant-owned table has `tenant_id`, a primary key of `(tenant_id, id)` and foreign
//! keys that carry `tenant_id` (what Citus needs to distribute by tenant). On PostgreSQL each
//! such table also gets forced row-level security keyed on `app.tenant_id`, and the
//! unprivileged role the server connects as is granted access (see [`postgres`]).

pub use m20261127_000012_archived_accounts_hold_their_balance::ARCHIVED_ACCOUNT;
pub use m20261203_000013_payment_bounds::DEFAULT_MAX_PAYMENT_FEN;
pub use sea_orm_migration;
use sea_orm_migration::prelude::*;

mod m20261127_000001_tenancy;
mod m20261127_000002_ledger;
mod m20261127_000003_billing;
mod m20261127_000004_credit_notes;
mod m20261127_000005_late_fees;
mod m20261127_000006_online_payments;
mod m20261127_000007_committee_payouts;
mod m20261127_000008_ledger_write_path;
mod m20261127_000009_policies_once_per_statement;
mod m20261127_000010_billing_run_progress;
mod m20261127_000011_invoice_write_path;
mod m20261127_000012_archived_accounts_hold_their_balance;
mod m20261203_000013_payment_bounds;
mod m20261204_000014_receipt_and_office;
mod m20261205_000015_common_income;
mod m20261205_000016_bank_payouts;
mod m20261205_000017_parking_passes;
mod m20261206_000018_advertising_contracts;
mod m20261206_000019_takings_mappings;
mod m20261207_000020_resolution_scans;
mod m20261207_000021_pass_cancellation;
mod m20261208_000022_dispatch;
mod m20261208_000023_dispatch_rules;
mod m20261208_000024_work_order_photos;
mod m20261208_000025_repair_charges;
mod m20261208_000026_photo_thumbnails;
mod m20261209_000027_governance;
mod m20261210_000028_budgets;
mod m20261211_000029_arrears_indexes;
mod m20261212_000030_contractor_payments;
pub mod postgres;
mod tenant_table;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_tenancy::Migration),
            Box::new(m20261127_000002_ledger::Migration),
            Box::new(m20261127_000003_billing::Migration),
            Box::new(m20261127_000004_credit_notes::Migration),
            Box::new(m20261127_000005_late_fees::Migration),
            Box::new(m20261127_000006_online_payments::Migration),
            Box::new(m20261127_000007_committee_payouts::Migration),
            Box::new(m20261127_000008_ledger_write_path::Migration),
            Box::new(m20261127_000009_policies_once_per_statement::Migration),
            Box::new(m20261127_000010_billing_run_progress::Migration),
            Box::new(m20261127_000011_invoice_write_path::Migration),
            Box::new(m20261127_000012_archived_accounts_hold_their_balance::Migration),
            Box::new(m20261203_000013_payment_bounds::Migration),
            Box::new(m20261204_000014_receipt_and_office::Migration),
            Box::new(m20261205_000015_common_income::Migration),
            Box::new(m20261205_000016_bank_payouts::Migration),
            Box::new(m20261205_000017_parking_passes::Migration),
            Box::new(m20261206_000018_advertising_contracts::Migration),
            Box::new(m20261206_000019_takings_mappings::Migration),
            Box::new(m20261207_000020_resolution_scans::Migration),
            Box::new(m20261207_000021_pass_cancellation::Migration),
            Box::new(m20261208_000022_dispatch::Migration),
            Box::new(m20261208_000023_dispatch_rules::Migration),
            Box::new(m20261208_000024_work_order_photos::Migration),
            Box::new(m20261208_000025_repair_charges::Migration),
            Box::new(m20261208_000026_photo_thumbnails::Migration),
            Box::new(m20261209_000027_governance::Migration),
            Box::new(m20261210_000028_budgets::Migration),
            Box::new(m20261211_000029_arrears_indexes::Migration),
            Box::new(m20261212_000030_contractor_payments::Migration),
        ]
    }
}

/// Every table that belongs to one tenant and is guarded by row-level security (each
/// migration enables it on the tables it creates).
pub const TENANT_TABLES: &[&str] = &[
    "memberships",
    "bundles",
    "compounds",
    "buildings",
    "households",
    "persons",
    "household_members",
    "invite_codes",
    "audit_log",
    "ledger_accounts",
    "journal_entries",
    "postings",
    "ledger_heads",
    "fee_schedules",
    "fee_schedule_items",
    "addon_activations",
    "hardship_records",
    "waiver_grants",
    "billing_runs",
    "invoices",
    "invoice_lines",
    "payments",
    "payment_allocations",
    "demand_notices",
    "credit_notes",
    "payment_attempts",
    "online_refunds",
    "committee_payouts",
    "business_use_resolutions",
    "income_split_rules",
    "income_records",
    "income_costs",
    "income_closes",
    "income_close_lines",
    "parking_passes",
    "ad_contracts",
    "ad_placements",
    "ad_contract_compounds",
    "ad_instalments",
    "ad_payments",
    "ad_payment_shares",
    "takings_mappings",
    "contractors",
    "contractor_trades",
    "contractor_areas",
    "contractor_contracts",
    "work_orders",
    "work_order_events",
    "work_order_numbers",
    "dispatch_rules",
    "work_order_photos",
    "repair_charges",
    "contractor_costs",
    "contractor_payments",
    "contractor_payment_items",
    "committee_seats",
    "matters",
    "matter_units",
    "matter_voters",
    "ballots",
    "matter_votes",
    "budgets",
    "budget_versions",
    "budget_lines",
    "budget_steps",
    "budget_supervisors",
    "budget_questions",
];

/// Tables whose rows are never updated or deleted (triggers refuse it; the app role is not
/// even granted it).
pub const APPEND_ONLY_TABLES: &[&str] = &[
    "journal_entries",
    "postings",
    "invoices",
    "invoice_lines",
    "payment_allocations",
    "credit_notes",
    "stripe_events",
    "income_records",
    "income_costs",
    "income_closes",
    "income_close_lines",
    "ad_payments",
    "ad_payment_shares",
    "work_order_events",
    "work_order_photos",
    "repair_charges",
    "contractor_costs",
    "contractor_payments",
    "contractor_payment_items",
    "matter_units",
    "matter_voters",
    "ballots",
    "budget_versions",
    "budget_lines",
    "budget_steps",
    "budget_supervisors",
];
