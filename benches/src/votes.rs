//! Owners' vote benchmark on PostgreSQL: one compound of N units (default 100,000) — one
//! owner a unit, but every fiftieth owner holding two and one unit in a hundred unsold — and a
//! matter put to them through the use cases: opening it freezes the roll from the register
//! (aim: under 5 s), B ballots (default 80,000) are written in bulk, and closing it counts
//! them by the matter's rule (aim: under 1 s). The count is checked against a recount of the
//! ballots unit by unit in plain SQL.
//!
//! `cargo run --release -p courtyard-benches --bin vote-bench -- [UNITS] [BALLOTS]`. Needs
//! PostgreSQL at `COURTYARD_BENCH_POSTGRES` (default: the local Unix socket); it creates and
//! drops its own database.

#![expect(
    clippy::print_stdout,
    reason = "the report on stdout is the benchmark's output"
)]

use std::time::Instant;

use api::governance::{DraftInput, close, draft, open};
use api::platform::RequestContext;
use api::platform::db::Db;
use api::platform::scope::Reach;
use api::tenancy::seed::{buildings, bundles, compounds, tenants};
use chrono::{Duration, Utc};
use courtyard_benches::{BenchDb, BoxError, with_database};
use domain::governance::MatterKind;
use domain::{
    ChargingMode, Grant, Label, LongText, ManagementMode, Name, OnboardingStage, Principal, Role,
    Scope, SecurityBaseline, Slug,
};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let units: i64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let ballots: i64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(80_000);
    with_database("cy_bench_votes", |dbs| run(dbs, units, ballots)).await
}

fn parsed<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, BoxError> {
    r.map_err(|e| e.to_string().into())
}

async fn run(dbs: BenchDb, units: i64, ballots: i64) -> Result<(), BoxError> {
    let BenchDb { owner, app } = dbs;
    let started = Instant::now();
    let (tenant, compound) = seed(&app, &owner, units).await?;
    let seeded = started.elapsed();
    let admin = RequestContext {
        tenant_id: tenant,
        principal: Principal {
            user_id: Uuid::nil(),
            grants: vec![Grant {
                role: Role::FirmAdmin,
                scope: Scope::Tenant,
            }],
        },
        reach: Reach::everything(),
        token_hash: String::new(),
    };
    let now = Utc::now();
    app.clock().hold_at(now);
    let input = DraftInput {
        compound,
        kind: MatterKind::CommonPartsUse,
        title: "利用共有部分经营".into(),
        body: "基准测试".into(),
        secret: true,
        closes_at: now + Duration::hours(1),
        publicity_days: 7,
    };
    let matter = draft(&app, &admin, input).await?;
    let started = Instant::now();
    let opened = open(&app, &admin, matter.id).await?;
    let freeze = started.elapsed();
    let roll = opened.roll.ok_or("no roll")?;
    cast_in_bulk(&owner, tenant, matter.id, ballots).await?;
    owner.connection().execute_unprepared("ANALYZE").await?;
    app.clock().hold_at(now + Duration::hours(1));
    let started = Instant::now();
    let closed = close(&app, &admin, matter.id).await?;
    let count = started.elapsed();
    let tally = closed.tally.ok_or("no tally")?;
    let recount = recount(&owner, matter.id).await?;
    let counted = [tally.yes, tally.no, tally.abstain].map(|c| (c.owners, c.area));
    if counted != recount {
        return Err(format!("the count {counted:?} is not the recount {recount:?}").into());
    }
    println!(
        "| units | owners on the roll | ballots | seed (s) | open: freeze the roll (s) | close: count (s) | outcome |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---|");
    println!(
        "| {units} | {} | {} | {:.1} | {:.2} | {:.2} | {:?} |",
        roll.owners,
        tally.participating().owners,
        seeded.as_secs_f64(),
        freeze.as_secs_f64(),
        count.as_secs_f64(),
        closed.outcome.ok_or("no outcome")?,
    );
    Ok(())
}

/// The firm, its compound and building, written through the seed path; the units, owners and
/// memberships by the database (`generate_series`), as a register import would leave them.
async fn seed(app: &Db, owner: &Db, units: i64) -> Result<(Uuid, Uuid), BoxError> {
    let tx = app.begin_global().await?;
    let slug = parsed(Slug::parse("votebench"))?;
    let tenant = tenants::insert(
        &tx,
        domain::new_id(),
        &slug,
        &parsed(Name::parse("表决基准物业"))?,
    )
    .await?
    .id;
    tx.commit().await?;
    let tx = app.begin_tenant(tenant).await?;
    let fields = bundles::BundleFields {
        name: parsed(Name::parse("表决基准项目"))?,
        street_office: parsed(Name::parse("基准街道"))?,
        district: parsed(Name::parse("基准区"))?,
    };
    let bundle = bundles::insert(&tx, tenant, fields).await?.id;
    let fields = compounds::CompoundFields {
        bundle_id: bundle,
        name: parsed(Name::parse("表决基准小区"))?,
        address: parsed(LongText::parse("基准路1号"))?,
        management_mode: ManagementMode::Professional,
        charging_mode: ChargingMode::LumpSum,
        onboarding_stage: OnboardingStage::Implement,
        security: SecurityBaseline::default(),
    };
    let compound = compounds::insert(&tx, tenant, fields).await?.id;
    let building = buildings::insert(&tx, tenant, compound, &parsed(Label::parse("1栋"))?)
        .await?
        .id;
    tx.commit().await?;
    // Unit g is owned by person g, except that every fiftieth owner also holds the next unit
    // and one unit in a hundred is unsold.
    let sql = format!(
        "INSERT INTO households (tenant_id, id, created_at, compound_id, building_id, unit_label,
           room_label, area_centi, area_source, active_from)
         SELECT '{tenant}', md5('h' || g)::uuid, now(), '{compound}', '{building}', '1单元',
           g::text, 4500 + (g * 37) % 4750, 'property_register', DATE '2024-01-01'
         FROM generate_series(1, {units}) g;
         INSERT INTO persons (tenant_id, id, created_at, name)
         SELECT '{tenant}', md5('p' || g)::uuid, now(), '业主' || g
         FROM generate_series(1, {units}) g;
         INSERT INTO household_members (tenant_id, id, created_at, household_id, person_id, role,
           designated_voter)
         SELECT '{tenant}', gen_random_uuid(), now(), md5('h' || g)::uuid,
           md5('p' || CASE WHEN g % 50 = 2 THEN g - 1 ELSE g END)::uuid, 'owner', true
         FROM generate_series(1, {units}) g WHERE g % 100 <> 0;
         ANALYZE;"
    );
    owner.connection().execute_unprepared(&sql).await?;
    Ok((tenant, compound))
}

/// The first `n` voters on the roll cast a ballot: three in four yes, the rest no.
async fn cast_in_bulk(owner: &Db, tenant: Uuid, matter: Uuid, n: i64) -> Result<(), BoxError> {
    let sql = format!(
        "INSERT INTO ballots (tenant_id, id, created_at, matter_id, voter_no, choice, channel,
           cast_by, receipt)
         SELECT tenant_id, gen_random_uuid(), now(), matter_id, voter_no,
           CASE WHEN voter_no % 4 = 0 THEN 'no' ELSE 'yes' END, 'paper',
           '00000000-0000-0000-0000-000000000000', md5(random()::text || voter_no)
         FROM matter_voters WHERE tenant_id = '{tenant}' AND matter_id = '{matter}'
           AND voter_no <= {n};
         INSERT INTO matter_votes (tenant_id, matter_id, voter_no, ballot_id, choice)
         SELECT tenant_id, matter_id, voter_no, id, choice FROM ballots
         WHERE tenant_id = '{tenant}' AND matter_id = '{matter}';"
    );
    owner.connection().execute_unprepared(&sql).await?;
    Ok(())
}

/// The developer's holder key in the recount's join (a hash join, where `IS NOT DISTINCT FROM`
/// would compare every unit with every voter).
const NIL: &str = "00000000-0000-0000-0000-000000000000";

/// Yes, no and abstain by head and by area, recounted from each unit's owner and ballot.
async fn recount(owner: &Db, matter: Uuid) -> Result<[(u64, u64); 3], BoxError> {
    let mut out = [(0, 0); 3];
    for (i, choice) in ["yes", "no", "abstain"].iter().enumerate() {
        let sql = format!(
            "SELECT COUNT(DISTINCT v.voter_no) AS owners, COALESCE(SUM(u.area_centi), 0)::bigint AS area
             FROM matter_votes v
             JOIN matter_voters r ON r.matter_id = v.matter_id AND r.voter_no = v.voter_no
             JOIN matter_units u ON u.matter_id = r.matter_id
               AND COALESCE(u.person_id, '{NIL}') = COALESCE(r.person_id, '{NIL}')
             WHERE v.matter_id = '{matter}' AND v.choice = '{choice}'"
        );
        let row = owner
            .connection()
            .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await?
            .ok_or("no recount")?;
        let owners: i64 = row.try_get("", "owners")?;
        let area: i64 = row.try_get("", "area")?;
        out[i] = (u64::try_from(owners)?, u64::try_from(area)?);
    }
    Ok(out)
}
