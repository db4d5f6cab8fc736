//! Ledger benchmark on PostgreSQL: appends batched entries through the real repository (as
//! the unprivileged application role, row-level security on), then runs `ledger verify`
//! twice: on the ledger just appended, and again after `VACUUM ANALYZE`.
//!
//! `cargo run --release -p courtyard-benches --bin ledger-bench -- [POSTINGS] [BATCH]`
//! (defaults 1,000,000 and 1,000 entries per transaction). Needs PostgreSQL at
//! `COURTYARD_BENCH_POSTGRES` (default: the local Unix socket); it creates and drops its own
//! database.

#![expect(
    clippy::print_stdout,
    reason = "the report on stdout is the benchmark's output"
)]

use std::time::Instant;

use api::ledger::journal::{NewEntry, append};
use courtyard_benches::{BenchDb, BoxError, verify_books, with_database};
use domain::ChargingMode;
use domain::Money;
use domain::ledger::rules;
use sea_orm::{ConnectionTrait, Statement};

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let postings: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let batch: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000);
    with_database("cy_bench", |dbs| run(dbs, postings, batch)).await
}

async fn run(dbs: BenchDb, postings: u64, batch: u64) -> Result<(), BoxError> {
    let BenchDb { owner, app: db } = dbs;
    api::demo::seed(&db).await?;
    let row = owner
        .connection()
        .query_one_raw(Statement::from_string(
            owner.backend(),
            "SELECT c.tenant_id, c.id FROM compounds c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'demo' AND c.name = '国泰花园'",
        ))
        .await?
        .ok_or("demo compound missing")?;
    let tenant: uuid::Uuid = row.try_get("", "tenant_id")?;
    let compound: uuid::Uuid = row.try_get("", "id")?;
    let households: Vec<uuid::Uuid> = owner
        .connection()
        .query_all_raw(Statement::from_sql_and_values(
            owner.backend(),
            "SELECT id FROM households WHERE tenant_id = $1 AND compound_id = $2 ORDER BY id",
            [tenant.into(), compound.into()],
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<uuid::Uuid>("", "id"))
        .collect::<Result<_, _>>()?;

    // Each entry is an invoice: two postings, one to a per-household receivable (418 of them).
    let entries = postings / 2;
    let rss_start = rss_mib();
    let mut rss_peak = rss_start;
    let (stmts0, micros0) = db.statement_stats();
    let started = Instant::now();
    let mut written = 0u64;
    let mut n = 0u64;
    while written < entries {
        let size = batch.min(entries - written);
        let mut new = Vec::with_capacity(usize::try_from(size)?);
        for _ in 0..size {
            let h = households[usize::try_from(n)? % households.len()];
            new.push(NewEntry {
                entry: rules::invoice_issued(
                    compound,
                    h,
                    ChargingMode::LumpSum,
                    Money::from_fen(2_000 + i64::try_from(n % 997)?),
                )?,
                occurred_at: chrono::Utc::now(),
                idempotency_key: format!("bench:{n}"),
                memo: "bench invoice".into(),
                actor: None,
                reverses: None,
            });
            n += 1;
        }
        let tx = db.begin_tenant(tenant).await?;
        append(&tx, tenant, new).await?;
        tx.commit().await?;
        written += size;
        rss_peak = rss_peak.max(rss_mib());
    }
    let append_secs = started.elapsed().as_secs_f64();
    let (stmts, micros) = db.statement_stats();
    eprintln!(
        "statements: {}, {:.1} s in the database",
        stmts - stmts0,
        (micros - micros0) as f64 / 1e6
    );
    let posted = written * 2;

    let (verify_time, v) = verify_books(&db, "demo").await?;
    // Then as a database in service would be: autovacuum visits a table once a fifth of it
    // is new, setting its visibility map and hint bits and taking statistics (untimed).
    owner
        .connection()
        .execute_unprepared("VACUUM ANALYZE")
        .await?;
    let (settled_time, settled) = verify_books(&db, "demo").await?;
    println!("| measure | value |");
    println!("|---|---|");
    println!("| entries appended | {written} in transactions of {batch} |");
    println!("| postings appended | {posted} |");
    println!("| append time | {append_secs:.1} s |");
    println!(
        "| append throughput | {:.0} postings/s |",
        posted as f64 / append_secs
    );
    for (when, took, v) in [
        ("just appended", verify_time, &v),
        ("after VACUUM ANALYZE", settled_time, &settled),
    ] {
        let secs = took.as_secs_f64();
        println!(
            "| verify time, {when} ({} postings) | {secs:.2} s |",
            v.postings
        );
        println!(
            "| verify throughput, {when} | {:.0} postings/s |",
            v.postings as f64 / secs
        );
    }
    println!(
        "| resident memory | {rss_start:.0} MiB at start, {rss_peak:.0} MiB peak while appending, {:.0} MiB after verify |",
        rss_mib()
    );
    Ok(())
}
