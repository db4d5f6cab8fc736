//! Fee schedules, add-ons, waivers and monthly billing runs.
//!
//! A billing run works through the households in scope in batches (5,000 unless the CLI says
//! otherwise), one transaction each: invoices (numbered without gaps per firm), their ledger
//! entries and any held credit applied, all or nothing. A household already invoiced for the
//! period is skipped, so a second run changes nothing and a run cut short by a crash is
//! finished by running it again.
//!
//! On PostgreSQL two batches are in flight: while one holds the firm's ledger lock (invoice
//! numbers, the hash chain, the writes), the next reads its households and works out its
//! invoices and accounts, so the lock is held only for what needs it.

mod batch;
mod periods;
mod run;
mod schedules;
mod waivers;

pub use run::{
    DEFAULT_BATCH, RunScope, follows_runs, run, run_billing_as, run_billing_for_slug, runs,
};
pub use schedules::{activate_addon, activations_of, schedules_of, set_late_fee, set_schedule};
pub use waivers::{
    HardshipInput, WaiverInput, decide_waiver, hardship_of, propose_waiver, record_hardship,
    waivers_expiring, waivers_of,
};
