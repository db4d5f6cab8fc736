//! The synthetic firm `bench`: a city's compounds in bundles and, if asked, months of billing
//! and payments, all written through the paths the product itself uses (the household
//! register, billing runs, payments).

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use domain::billing::{BillingPeriod, FeeItem, FeeItemKind, Pricing};
use domain::ledger::PaymentMethod;
use domain::{
    AreaSource, ChargingMode, Grant, LongText, ManagementMode, Money, Name, OnboardingStage, Role,
    Scope, Slug,
};
use uuid::Uuid;

use super::kit::{Rng, SOME, SeedReport, add_user, name_text, parsed};
use crate::billing::seed as billing;
use crate::billing::{DEFAULT_BATCH, RunScope, run_billing_for_slug};
use crate::collection::seed::{Settlement, settle_all};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::seed::{bundles, compounds, tenants};

const SLUG: &str = "bench";

/// The synthetic firm's shape.
#[derive(Debug, Clone, Copy)]
pub struct Synthetic {
    pub households: u32,
    /// Compounds the households are spread over, evenly.
    pub compounds: u32,
    /// Bundles the compounds are grouped in, evenly.
    pub bundles: u32,
    /// Months billed and paid, ending last month (0: none).
    pub months: u32,
}

impl Synthetic {
    /// A city: compounds of 200 households, 50 compounds a bundle, a year of history
    /// (1,000,000 households: 5,000 compounds in 100 bundles).
    #[must_use]
    pub fn city(households: u32) -> Self {
        Self::in_compounds(households, households.div_ceil(200).max(1))
    }

    /// A city whose households are spread over `compounds` instead.
    #[must_use]
    pub fn in_compounds(households: u32, compounds: u32) -> Self {
        Self {
            households,
            compounds,
            bundles: compounds.div_ceil(50),
            months: 12,
        }
    }
}

/// How a household pays, drawn once per household: most pay every quarter, some once a year,
/// one in ten not at all (the arrears lists have someone to show).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Habit {
    Quarterly,
    Yearly,
    Never,
}

struct Household {
    id: Uuid,
    compound: Uuid,
    habit: Habit,
}

/// Seeds the firm `bench` as `plan` says, unless it exists. An interrupted run leaves the
/// firm part-built: drop the database and run again.
pub async fn seed_synthetic(db: &Db, plan: Synthetic) -> AppResult<SeedReport> {
    if plan.compounds == 0 || plan.bundles == 0 || plan.bundles > plan.compounds {
        return Err(AppError::bad_input(
            "bundles",
            "a firm needs at least one compound a bundle and one bundle",
        ));
    }
    let mut report = SeedReport::default();
    let Some(tenant) = create_firm(db).await? else {
        report.tenants_skipped.push(SLUG.to_owned());
        return Ok(report);
    };
    let bundles = seed_bundles(db, tenant, plan.bundles).await?;
    let mut rng = Rng(42);
    let households = seed_compounds(db, tenant, plan, &bundles, &mut rng).await?;
    report.households = households.len() as u64;
    let accountant = seed_users(db, tenant, &households).await?;
    seed_history(db, tenant, accountant, plan.months, &households, &mut rng).await?;
    report.tenants_created.push(SLUG.to_owned());
    Ok(report)
}

async fn create_firm(db: &Db) -> AppResult<Option<Uuid>> {
    let tx = db.begin_global().await?;
    if tenants::find_by_slug(&tx, SLUG).await?.is_some() {
        return Ok(None);
    }
    let slug = parsed(Slug::parse(SLUG))?;
    let tenant = tenants::insert(
        &tx,
        domain::new_id(),
        &slug,
        &parsed(Name::parse("基准测试物业"))?,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(tenant.id))
}

/// The bundles, each with its fee schedule from January 2024: garbage removal, ¥20 a
/// household a month in the first bundle, up to ¥35 in others.
async fn seed_bundles(db: &Db, tenant: Uuid, count: u32) -> AppResult<Vec<Uuid>> {
    let tx = db.begin_tenant(tenant).await?;
    let from = parsed(BillingPeriod::parse("2024-01"))?;
    let mut ids = Vec::new();
    for b in 0..count {
        let n = b + 1;
        let fields = bundles::BundleFields {
            name: parsed(Name::parse(&format!("基准项目{n:03}")))?,
            street_office: parsed(Name::parse(&format!("基准街道{n:03}")))?,
            district: parsed(Name::parse("基准区"))?,
        };
        let bundle = bundles::insert(&tx, tenant, fields).await?;
        let rate = Money::from_fen(2_000 + i64::from(b % 4) * 500);
        let items = [FeeItem {
            kind: FeeItemKind::GarbageRemoval,
            pricing: parsed(Pricing::per_household(rate))?,
        }];
        let scope = billing::ScheduleScope::Bundle(bundle.id);
        billing::insert_schedule(&tx, tenant, scope, from, "基准".into(), Uuid::nil(), &items)
            .await?;
        ids.push(bundle.id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Households written in one transaction (whole compounds): memory stays flat however large
/// the firm, and commits are few.
const HOUSEHOLDS_A_TRANSACTION: u32 = 5_000;

/// The compounds, spread evenly over the bundles, and their households through the household
/// register's own path (rows checked, then written in bulk).
async fn seed_compounds(
    db: &Db,
    tenant: Uuid,
    plan: Synthetic,
    bundles: &[Uuid],
    rng: &mut Rng,
) -> AppResult<Vec<Household>> {
    let mut out = Vec::with_capacity(plan.households as usize);
    let mut tx = db.begin_tenant(tenant).await?;
    let mut in_tx = 0;
    for k in 0..plan.compounds {
        let size =
            plan.households / plan.compounds + u32::from(k < plan.households % plan.compounds);
        let bundle =
            bundles[(u64::from(k) * bundles.len() as u64 / u64::from(plan.compounds)) as usize];
        if in_tx > 0 && in_tx + size > HOUSEHOLDS_A_TRANSACTION {
            tx.commit().await?;
            tx = db.begin_tenant(tenant).await?;
            in_tx = 0;
        }
        in_tx += size;
        let n = k + 1;
        let fields = compounds::CompoundFields {
            bundle_id: bundle,
            name: parsed(Name::parse(&format!("基准小区{n:04}")))?,
            address: parsed(LongText::parse(&format!("基准路{n}号")))?,
            management_mode: ManagementMode::Professional,
            charging_mode: ChargingMode::LumpSum,
            onboarding_stage: OnboardingStage::Implement,
            security: SOME,
        };
        let compound = compounds::insert(&tx, tenant, fields).await?;
        crate::ledger::open_chart(&tx, tenant, compound.id).await?;
        let register = domain::register::Register::read(register_rows(size, rng).into_iter());
        if let Some(p) = register.problems.first() {
            return Err(AppError::Internal(
                format!("synthetic register: {p:?}").into(),
            ));
        }
        let terms = crate::tenancy::ImportTerms {
            area_source: AreaSource::PropertyRegister,
            active_from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
        };
        let ids =
            crate::tenancy::write_register(&tx, tenant, compound.id, &register.entries, terms)
                .await?;
        out.extend(ids.into_iter().map(|id| Household {
            id,
            compound: compound.id,
            habit: match rng.below(10) {
                0..7 => Habit::Quarterly,
                7..9 => Habit::Yearly,
                _ => Habit::Never,
            },
        }));
    }
    tx.commit().await?;
    Ok(out)
}

/// A synthetic compound's register: buildings of 50 households in two units of six floors,
/// rooms numbered floor × 100 + door, an owner and a phone for each.
fn register_rows(households: u32, rng: &mut Rng) -> Vec<Vec<String>> {
    let heading = ["楼栋", "单元", "房号", "专有面积（㎡）", "业主", "电话"];
    let mut rows = vec![heading.iter().map(|h| (*h).to_owned()).collect()];
    for i in 0..households {
        let (building, j) = (i / 50 + 1, i % 50);
        let doors = 50_u32.div_ceil(12);
        let (unit, floor, door) = (j % 2 + 1, (j / 2) / doors + 1, (j / 2) % doors + 1);
        let area = 4_500 + rng.below(4_750);
        rows.push(vec![
            format!("{building}栋"),
            format!("{unit}单元"),
            format!("{floor}{door:02}"),
            format!("{}.{:02}", area / 100, area % 100),
            name_text(rng),
            format!("139{:08}", rng.below(100_000_000)),
        ]);
    }
    rows
}

/// The firm's accountant (`accountant@bench.test`, who records the payments) and the first
/// household's resident (`resident@bench.test`), with the demo's password, so that the city
/// can be read through the API as the demo firm is.
async fn seed_users(db: &Db, tenant: Uuid, households: &[Household]) -> AppResult<Uuid> {
    let books = Grant {
        role: Role::Accountant,
        scope: Scope::Tenant,
    };
    let accountant = add_user(db, tenant, "accountant@bench.test", "基准会计", books).await?;
    if let Some(first) = households.first() {
        let home = Grant {
            role: Role::Resident,
            scope: Scope::Household(first.id),
        };
        add_user(db, tenant, "resident@bench.test", "基准住户", home).await?;
    }
    Ok(accountant)
}

/// `months` months ending last month, each billed on its first day by the firm's billing
/// run; on the 25th of every third month (the last among them) quarterly payers pay all they
/// owe, and on the last month's yearly payers too. The server's clock is held at each step,
/// so entries, invoices and payments carry the dates they would have had.
async fn seed_history(
    db: &Db,
    tenant: Uuid,
    accountant: Uuid,
    months: u32,
    households: &[Household],
    rng: &mut Rng,
) -> AppResult<()> {
    let this_month = BillingPeriod::containing(db.clock().today()).first_day();
    for i in 0..months {
        let first = this_month
            .checked_sub_months(Months::new(months - i))
            .ok_or_else(|| AppError::bad_input("months", "reaches before the calendar"))?;
        let period = BillingPeriod::containing(first);
        db.clock().hold_at(at(first, 1));
        run_billing_for_slug(db, SLUG, period, RunScope::Tenant, DEFAULT_BATCH, |_, _| {}).await?;
        let last = i + 1 == months;
        if !(months - 1 - i).is_multiple_of(3) {
            continue;
        }
        let payers: Vec<Settlement> = households
            .iter()
            .filter(|h| h.habit == Habit::Quarterly || (last && h.habit == Habit::Yearly))
            .map(|h| Settlement {
                household: h.id,
                compound: h.compound,
                method: *rng.pick(&[
                    PaymentMethod::QrTransfer,
                    PaymentMethod::QrTransfer,
                    PaymentMethod::Cash,
                    PaymentMethod::BankTransfer,
                ]),
            })
            .collect();
        let paid_on = first.with_day0(24).unwrap_or(first);
        db.clock().hold_at(at(paid_on, 2));
        let receipts = format!("B{period}");
        settle_all(db, tenant, accountant, &payers, at(paid_on, 2), &receipts).await?;
    }
    Ok(())
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
}
