//! Webhook ingestion benchmark on PostgreSQL: signed `payment_intent.succeeded` events sent
//! over HTTP to the real server, each verified, recorded and applied (payment, allocation,
//! ledger entry, receipt) — end to end, as the unprivileged application role.
//!
//! `cargo run --release -p courtyard-benches --bin webhook-bench -- [EVENTS] [IN_FLIGHT]`
//! (defaults 5,000 and 16). Needs PostgreSQL at `COURTYARD_BENCH_POSTGRES` (default: the
//! local Unix socket); it creates and drops its own database.

#![expect(
    clippy::print_stdout,
    reason = "the report on stdout is the benchmark's output"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use api::online::seed::{self as online, NewAttempt};
use api::platform::configuration::{Secret, StripeSettings};
use api::startup::Application;
use courtyard_benches::{BenchDb, BoxError, verify_books, with_database};
use domain::Money;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use uuid::Uuid;

const SECRET: &str = "whsec_bench";

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5_000);
    let in_flight: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(16);
    with_database("cy_bench_hooks", |dbs| run(dbs, events, in_flight)).await
}

async fn run(dbs: BenchDb, events: usize, in_flight: usize) -> Result<(), BoxError> {
    let BenchDb { owner, app: db } = dbs;

    // One open invoice per household, and an online payment attempt for each, its
    // PaymentIntent linked to the firm as `online::start` links it.
    let households = u32::try_from(events)?;
    let plan = api::demo::Synthetic {
        bundles: 1,
        months: 0,
        ..api::demo::Synthetic::in_compounds(households, households.div_ceil(500))
    };
    api::demo::seed_synthetic(&db, plan).await?;
    owner.connection().execute_unprepared("ANALYZE").await?;
    let period = domain::billing::BillingPeriod::parse("2026-11")?;
    api::billing::run_billing_for_slug(
        &db,
        "bench",
        period,
        api::billing::RunScope::Tenant,
        api::billing::DEFAULT_BATCH,
        |_, _| {},
    )
    .await?;
    let tenant: Uuid = scalar(&owner, "SELECT id FROM tenants WHERE slug = 'bench'").await?;
    let rows = owner
        .connection()
        .query_all_raw(Statement::from_string(
            owner.backend(),
            "SELECT id, household_id, compound_id, due_fen FROM invoices
              WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'bench')",
        ))
        .await?;
    if rows.is_empty() {
        return Err("billing produced no invoices".into());
    }
    // Whoever started the payments (a resident, in life); only recorded, never checked here.
    let payer = domain::new_id();
    let mut bodies = Vec::with_capacity(rows.len());
    let tx = db.begin_tenant(tenant).await?;
    for (n, r) in rows.iter().enumerate() {
        let invoice: Uuid = r.try_get_by_index(0)?;
        let mut a = online::insert_attempt(
            &tx,
            tenant,
            NewAttempt {
                household: r.try_get_by_index(1)?,
                compound: r.try_get_by_index(2)?,
                amount: Money::from_fen(r.try_get_by_index(3)?),
                invoices: vec![invoice],
                started_by: payer,
            },
        )
        .await?;
        let intent = format!("pi_bench_{n}");
        a.intent_id = Some(intent.clone());
        a.status = domain::online::AttemptStatus::Pending;
        online::save_attempt(&tx, tenant, &a).await?;
        // As starting a payment does: the PaymentIntent is linked to its firm.
        online::link(&tx, &intent, tenant).await?;
        bodies.push(
            json!({ "id": format!("evt_bench_{n}"), "type": "payment_intent.succeeded", "created": 1,
                    "data": { "object": { "id": intent, "amount": a.amount.fen(), "amount_received": a.amount.fen(),
                                          "currency": "cny", "metadata": { "tenant_id": tenant.to_string(), "attempt_id": a.id.to_string() } } } })
            .to_string(),
        );
    }
    tx.commit().await?;
    // Statistics for the invoices and attempts just written, as a database in service has:
    // without them PostgreSQL scans every attempt to update one.
    owner.connection().execute_unprepared("ANALYZE").await?;

    let stripe = api::online::stripe::Stripe::from_settings(&StripeSettings {
        stripe_secret_key: Some(Secret::new("sk_bench".into())),
        stripe_webhook_secret: Some(Secret::new(SECRET.into())),
        stripe_api_base: Some("http://127.0.0.1:9".into()),
        stripe_publishable_key: None,
    })?
    .map(Arc::new);
    let app = Application::build(
        db.clone(),
        "127.0.0.1:0".parse()?,
        "/nonexistent".into(),
        api::platform::files::FileStore::local(std::env::temp_dir().join("courtyard-bench-files")),
        stripe,
        api::platform::graphql::limits::RequestLimits::with_time(std::time::Duration::from_secs(
            30,
        )),
    )?;
    let url = format!("http://127.0.0.1:{}/webhooks/stripe", app.port());
    tokio::spawn(app.run_until_stopped());

    let client = reqwest::Client::new();
    let queue = Arc::new(tokio::sync::Mutex::new(bodies.into_iter()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..in_flight {
        let (client, queue, url) = (client.clone(), queue.clone(), url.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut applied = 0usize;
            loop {
                let Some(body) = queue.lock().await.next() else {
                    return Ok::<_, reqwest::Error>((latencies, applied));
                };
                let t = chrono::Utc::now().timestamp();
                let signature = api::online::stripe::signature::sign(body.as_bytes(), SECRET, t);
                let sent = Instant::now();
                let res = client
                    .post(&url)
                    .header("Stripe-Signature", signature)
                    .body(body)
                    .send()
                    .await?;
                let ok = res.status().is_success();
                let text = res.text().await?;
                latencies.push(sent.elapsed());
                if ok && text.contains("\"applied\"") {
                    applied += 1;
                }
            }
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    let mut applied = 0;
    for w in workers {
        let (l, a) = w.await??;
        latencies.extend(l);
        applied += a;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    let payments: i64 = scalar(
        &owner,
        "SELECT count(*) FROM payments WHERE method = 'online'",
    )
    .await?;
    // The firm's ledger is verified (untimed).
    let (_, books) = verify_books(&db, "bench").await?;
    println!("| measure | value |\n|---|---|");
    println!(
        "| events sent ({in_flight} in flight) | {} |",
        latencies.len()
    );
    println!("| applied / payments booked | {applied} / {payments} |");
    println!(
        "| ledger verify after the run | ok: {} entries, {} postings |",
        books.entries, books.postings
    );
    println!("| wall time | {elapsed:.1} s |");
    println!(
        "| throughput | **{:.0} events/s** |",
        latencies.len() as f64 / elapsed
    );
    println!(
        "| latency p50 / p99 / max | {:.1} / **{:.1}** / {:.1} ms |",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    Ok(())
}

/// The one value `sql` selects, read as the database's owner.
async fn scalar<T: sea_orm::TryGetable>(
    owner: &api::platform::db::Db,
    sql: &str,
) -> Result<T, BoxError> {
    Ok(owner
        .connection()
        .query_one_raw(Statement::from_string(owner.backend(), sql))
        .await?
        .ok_or_else(|| format!("no row for {sql}"))?
        .try_get_by_index(0)?)
}
