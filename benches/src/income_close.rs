//! Month-end close benchmark on PostgreSQL: a firm of N compounds (default 10,000), each
//! with its owners' resolution, its chart of accounts and R income records (default 10) of
//! one month, already posted to the ledger as the record use case posts them; then
//! `close_firm` — the path of `courtyard close` and of a bundle's close — closes the month
//! for every compound: sums, splits, postings, locks. Prints income records closed per
//! second, then runs the close again (it must close nothing) and `ledger verify`.
//!
//! `cargo run --release -p courtyard-benches --bin income-close-bench -- [COMPOUNDS] [RECORDS]`.
//! Needs PostgreSQL at `COURTYARD_BENCH_POSTGRES` (default: the local Unix socket); it
//! creates and drops its own database.

#![expect(
    clippy::print_stdout,
    reason = "the report on stdout is the benchmark's output"
)]

use std::time::Instant;

use api::income::seed::{IncomeRecord, NewResolution, insert_records, insert_resolution};
use api::ledger::journal::{NewEntry, append};
use api::platform::db::Db;
use api::tenancy::seed::{bundles, compounds, tenants};
use chrono::{NaiveDate, Utc};
use courtyard_benches::{BenchDb, BoxError, verify_books, with_database};
use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use domain::ledger::{PaymentMethod, rules};
use domain::{
    ChargingMode, LongText, ManagementMode, Money, Name, OnboardingStage, SecurityBaseline, Slug,
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

const SLUG: &str = "closebench";
/// Compounds written per transaction while seeding.
const SEED_CHUNK: usize = 500;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let compounds: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let records: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(10);
    with_database("cy_bench_close", |dbs| run(dbs, compounds, records)).await
}

async fn run(dbs: BenchDb, n: usize, per: usize) -> Result<(), BoxError> {
    let BenchDb { owner, app: db } = dbs;
    let month = BillingPeriod::parse("2026-11")?;
    let started = Instant::now();
    let (tenant, ids) = seed_compounds(&db, n).await?;
    for chunk in ids.chunks(SEED_CHUNK) {
        seed_records(&db, tenant, chunk, per, month).await?;
    }
    owner.connection().execute_unprepared("ANALYZE").await?;
    let seeded = started.elapsed();

    let started = Instant::now();
    let report = api::income::close_firm(&db, tenant, month).await?;
    let took = started.elapsed();
    if report.closed != n || !report.refused.is_empty() {
        return Err(format!(
            "closed {} of {n}; refused {:?}",
            report.closed,
            report
                .refused
                .first()
                .map(|(c, e)| (c.name.clone(), e.to_string()))
        )
        .into());
    }
    let started = Instant::now();
    let again = api::income::close_firm(&db, tenant, month).await?;
    let rerun = started.elapsed();
    if again.closed != 0 || again.already_closed != n {
        return Err(format!("the rerun closed {} again", again.closed).into());
    }
    let (verify, books) = verify_books(&db, SLUG).await?;
    let records = n * per;
    let secs = took.as_secs_f64();
    println!(
        "| compounds | income records | seed (s) | close (s) | records/s | compounds/s | rerun (s) | verify (s) | entries verified |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {n} | {records} | {:.1} | {secs:.2} | {:.0} | {:.0} | {:.2} | {:.1} | {} |",
        seeded.as_secs_f64(),
        records as f64 / secs,
        n as f64 / secs,
        rerun.as_secs_f64(),
        verify.as_secs_f64(),
        books.entries
    );
    Ok(())
}

fn parsed<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, BoxError> {
    r.map_err(|e| e.to_string().into())
}

/// The firm, one bundle, and `n` compounds with their charts of accounts and resolutions.
async fn seed_compounds(db: &Db, n: usize) -> Result<(Uuid, Vec<Uuid>), BoxError> {
    let tx = db.begin_global().await?;
    let tenant = tenants::insert(
        &tx,
        domain::new_id(),
        &parsed(Slug::parse(SLUG))?,
        &parsed(Name::parse("结账基准物业"))?,
    )
    .await?
    .id;
    tx.commit().await?;
    let tx = db.begin_tenant(tenant).await?;
    let fields = bundles::BundleFields {
        name: parsed(Name::parse("结账基准项目"))?,
        street_office: parsed(Name::parse("基准街道"))?,
        district: parsed(Name::parse("基准区"))?,
    };
    let bundle = bundles::insert(&tx, tenant, fields).await?.id;
    tx.commit().await?;
    let decided = NaiveDate::from_ymd_opt(2026, 1, 10).ok_or("date")?;
    let mut ids = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(SEED_CHUNK) {
        let tx = db.begin_tenant(tenant).await?;
        for i in chunk {
            let fields = compounds::CompoundFields {
                bundle_id: bundle,
                name: parsed(Name::parse(&format!("结账小区{i:05}")))?,
                address: parsed(LongText::parse(&format!("基准路{i}号")))?,
                management_mode: ManagementMode::Professional,
                charging_mode: ChargingMode::LumpSum,
                onboarding_stage: OnboardingStage::Implement,
                security: SecurityBaseline::default(),
            };
            let c = compounds::insert(&tx, tenant, fields).await?.id;
            api::ledger::open_chart(&tx, tenant, c).await?;
            let resolution = NewResolution {
                compound: c,
                matter: None,
                document_no: format!("决议{i}"),
                decided_on: decided,
                note: None,
                recorded_by: Uuid::nil(),
                recorded_at: db.clock().now(),
            };
            insert_resolution(&tx, tenant, resolution).await?;
            ids.push(c);
        }
        tx.commit().await?;
    }
    Ok((tenant, ids))
}

const CATEGORIES: [IncomeCategory; 4] = [
    IncomeCategory::ParkingTemporary,
    IncomeCategory::Advertising,
    IncomeCategory::ParkingPass,
    IncomeCategory::Recyclables,
];

/// `per` records of `month` for each compound, posted as the record use case posts them.
async fn seed_records(
    db: &Db,
    tenant: Uuid,
    compounds: &[Uuid],
    per: usize,
    month: BillingPeriod,
) -> Result<(), BoxError> {
    let mut records = Vec::with_capacity(compounds.len() * per);
    let mut entries = Vec::with_capacity(compounds.len() * per);
    for (ci, &c) in compounds.iter().enumerate() {
        for j in 0..per {
            let fen = 5_000 + i64::try_from((ci * 7919 + j * 104_729) % 200_000)?;
            let amount = Money::from_fen(fen);
            let received_on = month.first_day() + chrono::Days::new(u64::try_from(j % 28)?);
            let key = format!("bench-{c}-{j}");
            entries.push(NewEntry {
                entry: parsed(rules::common_income(c, PaymentMethod::BankTransfer, amount))?,
                occurred_at: received_on.and_hms_opt(12, 0, 0).ok_or("time")?.and_utc(),
                idempotency_key: format!("income:{key}"),
                memo: "公共收益".into(),
                actor: None,
                reverses: None,
            });
            records.push(IncomeRecord {
                id: domain::new_id(),
                compound_id: c,
                category: CATEGORIES[j % CATEGORIES.len()],
                period: month,
                received_on,
                amount,
                method: PaymentMethod::BankTransfer,
                payer: None,
                reference: None,
                correction_reason: None,
                idempotency_key: key,
                entry_id: Uuid::nil(),
                recorded_at: Utc::now(),
            });
        }
    }
    let tx = db.begin_tenant(tenant).await?;
    let stored = append(&tx, tenant, entries)
        .await
        .map_err(|e| format!("{e:?}"))?;
    for (r, e) in records.iter_mut().zip(&stored) {
        r.entry_id = e.id;
    }
    insert_records(&tx, tenant, &records, Uuid::nil()).await?;
    tx.commit().await?;
    Ok(())
}
