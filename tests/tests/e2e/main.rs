//! End-to-end tests: the real server and a real database (SQLite, or PostgreSQL when
//! `COURTYARD_TEST_POSTGRES` is set). One binary; one module per area of the API.

mod advertising;
mod arrears;
mod auth;
mod bad_input;
mod billing;
mod board;
mod budgets;
mod city;
mod contractor_payments;
mod dispatch;
mod events;
mod fund;
mod governance;
mod income;
mod isolation;
mod ledger;
mod limits;
mod online;
mod ops;
mod reads;
mod receipts;
mod register;
mod repair_billing;
mod scans;
mod schema;
mod takings;
mod tenancy;
