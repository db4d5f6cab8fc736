//! `courtyard demo`: seeds two firms drawn from the source documents, one user per role, and
//! optionally a large synthetic firm for benchmarks. Running it again changes nothing.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Money;
use domain::{
    Area, AreaSource, ChargingMode, Grant, Label, LongText, ManagementMode, MemberRole, Name,
    OnboardingStage, Period, Phone, Principal, Role, Scope, SecurityBaseline, Slug,
};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

mod budget;
mod city;
mod dispatch;
mod kit;
mod votes;

use crate::advertising;
use crate::billing::seed as billing;
use crate::income;
use crate::ledger::NewEntry;
use crate::people::seed::people;
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;
use crate::tenancy::seed::{buildings, bundles, compounds, households, tenants};

pub use city::{Synthetic, seed_synthetic};
pub use kit::{DEMO_PASSWORD, SeedReport};
use kit::{Rng, SOME, add_user, name, parsed};

/// What one compound looks like in the seed: name, address, modes, and households per building.
struct CompoundSeed {
    name: &'static str,
    address: &'static str,
    mode: ManagementMode,
    charging: ChargingMode,
    stage: OnboardingStage,
    security: SecurityBaseline,
    /// Households per building (buildings are labelled 1栋, 2栋, …).
    buildings: &'static [u32],
}

struct BundleSeed {
    name: &'static str,
    street_office: &'static str,
    district: &'static str,
    compounds: &'static [CompoundSeed],
}

const NONE: SecurityBaseline = SecurityBaseline {
    cctv: false,
    gatehouse: false,
    guard: false,
    lighting: false,
    gate: false,
};
const ALL: SecurityBaseline = SecurityBaseline {
    cctv: true,
    gatehouse: true,
    guard: true,
    lighting: true,
    gate: true,
};

const DEMO_BUNDLES: &[BundleSeed] = &[
    BundleSeed {
        name: "柳州城中区老旧小区打包项目",
        street_office: "驾鹤街道办事处",
        district: "广西柳州市城中区",
        compounds: &[
            CompoundSeed {
                name: "国泰花园",
                address: "柳州市城中区驾鹤路国泰花园",
                mode: ManagementMode::Professional,
                charging: ChargingMode::LumpSum,
                stage: OnboardingStage::Standardise,
                security: ALL,
                // 9 buildings, 418 households, as in the 2010 report.
                buildings: &[46, 46, 46, 46, 46, 46, 46, 46, 50],
            },
            CompoundSeed {
                name: "燎原新村",
                address: "柳州市城中区燎原路燎原新村",
                mode: ManagementMode::Professional,
                charging: ChargingMode::LumpSum,
                stage: OnboardingStage::Implement,
                security: SOME,
                buildings: &[18, 18, 18, 18, 18],
            },
            CompoundSeed {
                name: "鸡喇社区粮站宿舍",
                address: "柳州市城中区鸡喇路粮站宿舍",
                mode: ManagementMode::Community,
                charging: ChargingMode::Commission,
                stage: OnboardingStage::RaiseFunds,
                security: SOME,
                buildings: &[12, 12, 12],
            },
            CompoundSeed {
                name: "驾鹤路机械厂宿舍",
                address: "柳州市城中区驾鹤路机械厂宿舍",
                mode: ManagementMode::WorkUnit,
                charging: ChargingMode::LumpSum,
                stage: OnboardingStage::Mobilise,
                security: NONE,
                buildings: &[12, 12],
            },
            CompoundSeed {
                name: "文惠路供销社家属院",
                address: "柳州市城中区文惠路供销社家属院",
                mode: ManagementMode::SelfGoverned,
                charging: ChargingMode::Commission,
                stage: OnboardingStage::SelfManagementTeam,
                security: NONE,
                buildings: &[10, 10],
            },
        ],
    },
    BundleSeed {
        name: "齐齐哈尔城南老旧小区打包项目",
        street_office: "龙沙乡城南办事处",
        district: "黑龙江齐齐哈尔市龙沙区",
        compounds: &[
            CompoundSeed {
                name: "龙沙乡家属楼",
                address: "齐齐哈尔市城区南郊龙沙乡政府院内",
                mode: ManagementMode::WorkUnit,
                charging: ChargingMode::Commission,
                stage: OnboardingStage::Publicise,
                security: NONE,
                buildings: &[60, 60],
            },
            CompoundSeed {
                name: "城南糖厂职工楼",
                address: "齐齐哈尔市龙沙区城南糖厂路",
                mode: ManagementMode::Professional,
                charging: ChargingMode::LumpSum,
                stage: OnboardingStage::Implement,
                security: SOME,
                buildings: &[15, 15],
            },
            CompoundSeed {
                name: "南苑电厂家属院",
                address: "齐齐哈尔市龙沙区南苑路",
                mode: ManagementMode::Professional,
                charging: ChargingMode::LumpSum,
                stage: OnboardingStage::Standardise,
                security: ALL,
                buildings: &[16, 16, 16],
            },
            CompoundSeed {
                name: "铁锋路老干部楼",
                address: "齐齐哈尔市龙沙区铁锋路",
                mode: ManagementMode::Community,
                charging: ChargingMode::Commission,
                stage: OnboardingStage::Survey,
                security: NONE,
                buildings: &[18],
            },
            CompoundSeed {
                name: "城南供销社宿舍",
                address: "齐齐哈尔市龙沙区城南供销社院内",
                mode: ManagementMode::SelfGoverned,
                charging: ChargingMode::Commission,
                stage: OnboardingStage::Mobilise,
                security: SOME,
                buildings: &[16, 16],
            },
        ],
    },
];

const RIVAL_BUNDLES: &[BundleSeed] = &[BundleSeed {
    name: "对手公司城东项目",
    street_office: "城东街道办事处",
    district: "某市城东区",
    compounds: &[
        CompoundSeed {
            name: "对手小区甲",
            address: "城东区甲路1号",
            mode: ManagementMode::Professional,
            charging: ChargingMode::LumpSum,
            stage: OnboardingStage::Implement,
            security: SOME,
            buildings: &[12, 12],
        },
        CompoundSeed {
            name: "对手小区乙",
            address: "城东区乙路2号",
            mode: ManagementMode::Professional,
            charging: ChargingMode::LumpSum,
            stage: OnboardingStage::Survey,
            security: NONE,
            buildings: &[8],
        },
    ],
}];

/// Seeds `demo` and `rival` unless they exist.
pub async fn seed(db: &Db) -> AppResult<SeedReport> {
    let mut report = SeedReport::default();
    let demo = seed_tenant(
        db,
        "demo",
        "安居物业服务有限公司（演示）",
        DEMO_BUNDLES,
        &mut report,
    )
    .await?;
    if let Some(demo) = demo {
        let ids = demo;
        let staff = [
            ("admin@demo.test", "王经理", Role::FirmAdmin, Scope::Tenant),
            (
                "accountant@demo.test",
                "李会计",
                Role::Accountant,
                Scope::Tenant,
            ),
            (
                "dispatcher@demo.test",
                "张调度",
                Role::Dispatcher,
                Scope::Tenant,
            ),
            (
                "grid@demo.test",
                "赵网格员",
                Role::GridWorker,
                Scope::Bundle(ids.first_bundle),
            ),
            (
                "committee@demo.test",
                "黄主任",
                Role::CommitteeMember,
                Scope::Compound(ids.first_compound),
            ),
            (
                "resident@demo.test",
                "黄俊强",
                Role::Resident,
                Scope::Household(ids.first_household),
            ),
        ];
        let mut users = HashMap::new();
        for (ident, display, role, scope) in staff {
            users.insert(
                ident,
                add_user(db, ids.tenant, ident, display, Grant { role, scope }).await?,
            );
        }
        let (grid, accountant, chair) = (
            users.get("grid@demo.test").copied(),
            users.get("accountant@demo.test").copied(),
            users.get("committee@demo.test").copied(),
        );
        let resident = users.get("resident@demo.test").copied();
        if let (Some(grid), Some(accountant), Some(chair)) = (grid, accountant, chair) {
            let tx = db.begin_tenant(ids.tenant).await?;
            let business_use = votes::seed(&tx, ids.tenant, ids.first_compound, chair).await?;
            let asker = resident.unwrap_or(chair);
            budget::seed(&tx, ids.tenant, ids.first_compound, chair, asker).await?;
            tx.commit().await?;
            seed_common_income(db, ids.tenant, accountant, ids.first_compound, business_use)
                .await?;
            seed_fees(db, ids.tenant, grid, accountant, ids.first_household).await?;
        }
        let places = dispatch::Places {
            tenant: ids.tenant,
            bundle: ids.first_bundle,
            compound: ids.first_compound,
            household: ids.first_household,
        };
        let contractor = dispatch::seed(db, &places, &users).await?;
        add_user(
            db,
            ids.tenant,
            "contractor@demo.test",
            "陈师傅",
            Grant {
                role: Role::Contractor,
                scope: Scope::Contractor(contractor),
            },
        )
        .await?;
    }
    if let Some(rival) = seed_tenant(
        db,
        "rival",
        "对手物业有限公司（演示）",
        RIVAL_BUNDLES,
        &mut report,
    )
    .await?
    {
        add_user(
            db,
            rival.tenant,
            "admin@rival.test",
            "对手管理员",
            Grant {
                role: Role::FirmAdmin,
                scope: Scope::Tenant,
            },
        )
        .await?;
    }
    Ok(report)
}

/// Six months of parking income and of payments under an advertising contract for one
/// compound, recorded, closed and split 70/30 under the owners' resolution through the use
/// cases, and one payout from the committee fund: enough for the accounts pages to show
/// something real.
async fn seed_common_income(
    db: &Db,
    tenant: Uuid,
    accountant: Uuid,
    compound: Uuid,
    business_use: Uuid,
) -> AppResult<()> {
    use domain::billing::BillingPeriod;
    use domain::income::IncomeCategory;
    use domain::ledger::{PaymentMethod, rules};
    let ctx = RequestContext {
        tenant_id: tenant,
        principal: Principal {
            user_id: accountant,
            grants: vec![Grant {
                role: Role::Accountant,
                scope: Scope::Tenant,
            }],
        },
        reach: Reach::everything(),
        token_hash: String::new(),
    };
    // The demo's year, like its fee schedules: May to October 2026.
    let months = (5..=10)
        .map(|m| parsed(BillingPeriod::new(2026, m)))
        .collect::<AppResult<Vec<_>>>()?;
    // The resolution that records the owners' vote on business use.
    let tx = db.begin_tenant(tenant).await?;
    let resolution = income::seed::NewResolution {
        compound,
        matter: Some(business_use),
        document_no: "业主大会决议〔演示〕1号".into(),
        decided_on: months[0].first_day(),
        note: Some("同意利用共有部分经营停车和电梯广告，收益七成归业委会、三成归物业".into()),
        recorded_by: accountant,
        recorded_at: db.clock().now(),
    };
    income::seed::insert_resolution(&tx, tenant, resolution).await?;
    tx.commit().await?;
    // The lift panels are let for a year at 1,200 yuan a month, paid at each month's end:
    // the months since are owed, and the console shows them overdue.
    let contract = advertising::sign(
        db,
        &ctx,
        advertising::ContractInput {
            number: "GG-演示-001".into(),
            advertiser: "桂林演示传媒有限公司".into(),
            contact: Some("0773-2800000".into()),
            licence_no: Some("91450300MA5DEMO001".into()),
            placements: vec![advertising::PlacementInput {
                compound,
                kind: domain::advertising::PlacementKind::LiftPanel,
                location: Some("各单元电梯轿厢".into()),
                quantity: 6,
            }],
            from: months[0],
            to: parsed(BillingPeriod::new(2027, 4))?,
            pricing: domain::advertising::Pricing::Monthly,
            price: Money::from_fen(120_000),
            due_day: 5,
            key: domain::advertising::AllocationKey::Placements,
        },
    )
    .await?;
    for (i, m) in months.iter().enumerate() {
        let parking = income::IncomeInput {
            compound,
            category: IncomeCategory::ParkingTemporary,
            amount: Money::from_fen(321_050 + i64::try_from(i).unwrap_or(0) * 1_733),
            received_on: m.last_day(),
            method: PaymentMethod::BankTransfer,
            payer: Some("停车费（演示）".into()),
            reference: None,
            correction_reason: None,
            idempotency_key: format!("demo:common-income:{m}:停车费"),
        };
        income::record_income(db, &ctx, parking).await?;
        let paid = advertising::PaymentInput {
            contract: contract.contract.id,
            amount: Money::from_fen(120_000),
            received_on: m.last_day(),
            method: PaymentMethod::BankTransfer,
            idempotency_key: format!("demo:advertising:{m}"),
        };
        advertising::record_payment(db, &ctx, paid).await?;
        income::close_month(db, &ctx, compound, *m).await?;
    }
    let payout = NewEntry {
        entry: parsed(rules::committee_payout(
            compound,
            PaymentMethod::BankTransfer,
            Money::from_fen(500_000),
        ))?,
        occurred_at: months[5]
            .last_day()
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default()
            .and_utc(),
        idempotency_key: format!("demo:payout:{}", months[5]),
        memo: "业委会决议：补充专项维修资金".into(),
        actor: None,
        reverses: None,
    };
    let tx = db.begin_tenant(tenant).await?;
    crate::ledger::append_in(&tx, tenant, vec![payout]).await?;
    tx.commit().await?;
    Ok(())
}

struct Seeded {
    tenant: Uuid,
    first_bundle: Uuid,
    first_compound: Uuid,
    first_household: Uuid,
}

async fn seed_tenant(
    db: &Db,
    slug: &str,
    firm: &str,
    seeds: &[BundleSeed],
    report: &mut SeedReport,
) -> AppResult<Option<Seeded>> {
    let tx = db.begin_global().await?;
    if tenants::find_by_slug(&tx, slug).await?.is_some() {
        report.tenants_skipped.push(slug.to_owned());
        return Ok(None);
    }
    let tenant = tenants::insert(
        &tx,
        domain::new_id(),
        &parsed(Slug::parse(slug))?,
        &parsed(Name::parse(firm))?,
    )
    .await?;
    tx.commit().await?;

    let tx = db.begin_tenant(tenant.id).await?;
    let mut rng = Rng(slug.bytes().fold(7, |a, b| a * 31 + u64::from(b)));
    let mut first: Option<(Uuid, Uuid, Uuid)> = None;
    for b in seeds {
        let bundle = bundles::insert(
            &tx,
            tenant.id,
            bundles::BundleFields {
                name: parsed(Name::parse(b.name))?,
                street_office: parsed(Name::parse(b.street_office))?,
                district: parsed(Name::parse(b.district))?,
            },
        )
        .await?;
        for c in b.compounds {
            let compound = compounds::insert(
                &tx,
                tenant.id,
                compounds::CompoundFields {
                    bundle_id: bundle.id,
                    name: parsed(Name::parse(c.name))?,
                    address: parsed(LongText::parse(c.address))?,
                    management_mode: c.mode,
                    charging_mode: c.charging,
                    onboarding_stage: c.stage,
                    security: c.security,
                },
            )
            .await?;
            crate::ledger::open_chart(&tx, tenant.id, compound.id).await?;
            let households =
                seed_households(&tx, tenant.id, compound.id, c.buildings, &mut rng).await?;
            report.households += households.len() as u64;
            if first.is_none() {
                first = households.first().map(|h| (bundle.id, compound.id, *h));
            }
        }
    }
    tx.commit().await?;
    report.tenants_created.push(slug.to_owned());
    let (first_bundle, first_compound, first_household) =
        first.ok_or_else(|| AppError::Internal("demo seed has no households".into()))?;
    Ok(Some(Seeded {
        tenant: tenant.id,
        first_bundle,
        first_compound,
        first_household,
    }))
}

/// Households of one compound with owners, some co-owners and tenants, their receivable
/// accounts open; returns their ids.
async fn seed_households(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    compound: Uuid,
    per_building: &[u32],
    rng: &mut Rng,
) -> AppResult<Vec<Uuid>> {
    let since = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut ids = Vec::new();
    for (b, &count) in per_building.iter().enumerate() {
        let building = buildings::insert(
            tx,
            tenant,
            compound,
            &parsed(Label::parse(&format!("{}栋", b + 1)))?,
        )
        .await?;
        // Two units per building, six floors, rooms numbered floor × 100 + door.
        let doors = count.div_ceil(12).max(1);
        for i in 0..count {
            let unit = i % 2 + 1;
            let floor = (i / 2) / doors + 1;
            let door = (i / 2) % doors + 1;
            let area = Area::from_centi(i64::try_from(4_500 + rng.below(4_750)).unwrap_or(6_000));
            let household = households::insert(
                tx,
                tenant,
                households::NewHousehold {
                    compound_id: compound,
                    building_id: building.id,
                    unit: Some(parsed(Label::parse(&format!("{unit}单元")))?),
                    room: parsed(Label::parse(&format!("{floor}{door:02}")))?,
                    area: parsed(area)?,
                    area_source: if rng.below(10) == 0 {
                        AreaSource::SaleContract
                    } else {
                        AreaSource::PropertyRegister
                    },
                    active: parsed(Period::new(since, None))?,
                },
            )
            .await?;
            seed_members(tx, tenant, household.id, rng).await?;
            ids.push(household.id);
        }
    }
    crate::ledger::open_household_accounts(tx, tenant, compound, &ids).await?;
    Ok(ids)
}

async fn seed_members(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    household: Uuid,
    rng: &mut Rng,
) -> AppResult<()> {
    let phone = |rng: &mut Rng| Phone::parse(&format!("13{:09}", rng.below(1_000_000_000))).ok();
    let owner = people::insert(
        tx,
        tenant,
        people::NewPerson {
            name: name(rng)?,
            phone: phone(rng),
            id_number: None,
        },
    )
    .await?;
    people::add_member(tx, tenant, household, owner.id, MemberRole::Owner, true).await?;
    match rng.below(10) {
        0..=2 => {
            let spouse = people::insert(
                tx,
                tenant,
                people::NewPerson {
                    name: name(rng)?,
                    phone: phone(rng),
                    id_number: None,
                },
            )
            .await?;
            people::add_member(tx, tenant, household, spouse.id, MemberRole::CoOwner, false)
                .await?;
        }
        3 => {
            let renter = people::insert(
                tx,
                tenant,
                people::NewPerson {
                    name: name(rng)?,
                    phone: phone(rng),
                    id_number: None,
                },
            )
            .await?;
            people::add_member(tx, tenant, household, renter.id, MemberRole::Tenant, false).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Fee schedules (¥20 per household by default, as in Hefei; ¥28 in 国泰花园, as in the 2010
/// report), an approved parking add-on in 燎原新村, and 低保 waivers for the first households
/// of 国泰花园 — the demo resident's among them — proposed by the grid worker and approved by
/// the accountant. Nothing is billed: run `courtyard bill` or use the console for that.
async fn seed_fees(
    db: &Db,
    tenant: Uuid,
    grid: Uuid,
    accountant: Uuid,
    first_household: Uuid,
) -> AppResult<()> {
    use billing::{NewGrant, ScheduleScope};
    use domain::billing::{BillingPeriod, FeeItem, FeeItemKind as K, Pricing, WaiverAmount};
    use domain::ledger::WaiverFunding;
    let from = parsed(BillingPeriod::parse("2026-01"))?;
    let per_household = |kind, fen| -> AppResult<FeeItem> {
        Ok(FeeItem {
            kind,
            pricing: parsed(Pricing::per_household(Money::from_fen(fen)))?,
        })
    };
    let tx = db.begin_tenant(tenant).await?;
    let all = Reach::everything();
    let page = crate::platform::page::PageRequest {
        after: None,
        limit: 100,
    };
    let hefei = [
        per_household(K::GarbageRemoval, 500)?,
        per_household(K::SecurityPatrol, 1_000)?,
        per_household(K::UtilitiesRepair, 500)?,
    ];
    for b in bundles::list(&tx, tenant, &all, false, page).await?.items {
        billing::insert_schedule(
            &tx,
            tenant,
            ScheduleScope::Bundle(b.id),
            from,
            "打包项目统一标准：每户每月20元".into(),
            accountant,
            &hefei,
        )
        .await?;
    }
    let compounds = compounds::list(
        &tx,
        tenant,
        &all,
        &compounds::CompoundFilter::default(),
        page,
    )
    .await?
    .items;
    let named = |name: &str| compounds.iter().find(|c| c.name == name).map(|c| c.id);
    if let Some(guotai) = named("国泰花园") {
        let items = [
            per_household(K::GarbageRemoval, 800)?,
            per_household(K::SecurityPatrol, 1_500)?,
            per_household(K::UtilitiesRepair, 500)?,
        ];
        billing::insert_schedule(
            &tx,
            tenant,
            ScheduleScope::Compound(guotai),
            from,
            "国泰花园：每户每月28元".into(),
            accountant,
            &items,
        )
        .await?;
    }
    if let Some(liaoyuan) = named("燎原新村") {
        let items = [
            per_household(K::GarbageRemoval, 500)?,
            FeeItem {
                kind: K::SecurityPatrol,
                pricing: parsed(Pricing::per_square_metre(Money::from_fen(15)))?,
            },
            per_household(K::ParkingManagement, 1_000)?,
        ];
        billing::insert_schedule(
            &tx,
            tenant,
            ScheduleScope::Compound(liaoyuan),
            from,
            "燎原新村：治安按面积，每平方米0.15元".into(),
            accountant,
            &items,
        )
        .await?;
        // Decided before votes existed in Courtyard: the paper's reference, with no matter.
        let activation = billing::NewActivation {
            compound: liaoyuan,
            kind: K::ParkingManagement,
            from,
            to: None,
            decision_ref: "2026年第1次业主大会决议（停车管理）".into(),
            matter: None,
            by: accountant,
        };
        billing::insert_activation(&tx, tenant, activation).await?;
    }
    // 低保 households: the demo resident's and the next two of 国泰花园.
    let mut targets = vec![first_household];
    let compound = households::find(&tx, tenant, &all, first_household)
        .await?
        .map(|h| h.compound_id);
    let filter = households::HouseholdFilter {
        compound_id: compound,
        ..Default::default()
    };
    let next = crate::platform::page::PageRequest {
        after: Some(first_household),
        limit: 2,
    };
    targets.extend(
        households::list(&tx, tenant, &all, &filter, next)
            .await?
            .items
            .iter()
            .map(|h| h.id),
    );
    let valid_to = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap_or_default();
    for (i, h) in targets.into_iter().enumerate() {
        let cert = format!("柳民低保字2026第{:04}号", i + 1);
        let rec = billing::insert_hardship(
            &tx,
            tenant,
            h,
            domain::billing::HardshipCategory::Dibao,
            cert,
            "民政局低保证复印件已存档".into(),
            from.first_day(),
            valid_to,
            grid,
        )
        .await?;
        let amount = if i == 1 {
            WaiverAmount::Full
        } else {
            parsed(WaiverAmount::percent(5_000))?
        };
        let grant = NewGrant {
            household: h,
            hardship: Some(rec.id),
            amount,
            from,
            to: parsed(BillingPeriod::parse("2027-06"))?,
            funding: WaiverFunding::GovernmentSubsidy,
            proposed_by: grid,
        };
        let g = billing::insert_grant(&tx, tenant, grant).await?;
        let approve = (g.status, domain::billing::GrantStatus::Approved);
        billing::decide_grant(&tx, tenant, g.id, approve, accountant).await?;
    }
    tx.commit().await?;
    Ok(())
}
