//! The demo firm's contractors and two work orders, through dispatch's use cases: a
//! plumber-electrician (the demo contractor's sign-in), a cleaning company and the firm's own
//! repair team; a resident's leak waiting to be filed, and a stairwell light a grid worker
//! reported, filed and dispatched.

use std::collections::HashMap;

use chrono::Duration;
use domain::dispatch::{Bearer, ContractorKind, LocationKind, Priority, RateKind, Trade};
use domain::{Grant, Money, Principal, Role, Scope};
use uuid::Uuid;

use crate::dispatch::{self, ContractInput, ContractorInput, Filing, ReportInput};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;

fn acting(
    tenant: Uuid,
    users: &HashMap<&str, Uuid>,
    who: &str,
    grant: Grant,
) -> AppResult<RequestContext> {
    let user_id = *users
        .get(who)
        .ok_or_else(|| AppError::internal(std::io::Error::other(format!("no demo user {who}"))))?;
    Ok(RequestContext {
        tenant_id: tenant,
        principal: Principal {
            user_id,
            grants: vec![grant],
        },
        reach: Reach::everything(),
        token_hash: String::new(),
    })
}

/// Where the demo's orders are: its firm, first bundle, compound and household.
pub(super) struct Places {
    pub tenant: Uuid,
    pub bundle: Uuid,
    pub compound: Uuid,
    pub household: Uuid,
}

/// Seeds the contractors and orders; returns the demo contractor's id (for their sign-in).
pub(super) async fn seed(db: &Db, ids: &Places, users: &HashMap<&str, Uuid>) -> AppResult<Uuid> {
    let t = ids.tenant;
    let admin = acting(
        t,
        users,
        "admin@demo.test",
        Grant {
            role: Role::FirmAdmin,
            scope: Scope::Tenant,
        },
    )?;
    let today = db.clock().today();
    let year = |rate_kind, fen| ContractInput {
        starts_on: today - Duration::days(180),
        ends_on: today + Duration::days(365),
        rate_kind,
        rate: Money::from_fen(fen),
    };
    let crew = |name: &str, kind, trades: Vec<Trade>, capacity, on_call| ContractorInput {
        name: name.into(),
        kind,
        phone: Some("13800000000".into()),
        trades,
        bundles: vec![ids.bundle],
        compounds: vec![],
        capacity,
        on_call,
        retired: false,
    };
    let chen = dispatch::register_contractor(
        db,
        &admin,
        crew(
            "陈师傅水电维修",
            ContractorKind::Individual,
            vec![Trade::Plumbing, Trade::Electrical, Trade::GeneralRepair],
            3,
            None,
        ),
        year(RateKind::PerJob, 8_000),
    )
    .await?;
    dispatch::register_contractor(
        db,
        &admin,
        crew(
            "洁美保洁服务有限公司",
            ContractorKind::Company,
            vec![Trade::Cleaning, Trade::Greenery, Trade::WasteRemoval],
            10,
            None,
        ),
        year(RateKind::MonthlyRetainer, 600_000),
    )
    .await?;
    dispatch::register_contractor(
        db,
        &admin,
        crew(
            "物业维修班（自有）",
            ContractorKind::InHouse,
            vec![Trade::Electrical, Trade::Locksmith, Trade::GeneralRepair],
            5,
            Some((8 * 60, 18 * 60)),
        ),
        year(RateKind::MonthlyRetainer, 450_000),
    )
    .await?;
    let resident = acting(
        t,
        users,
        "resident@demo.test",
        Grant {
            role: Role::Resident,
            scope: Scope::Household(ids.household),
        },
    )?;
    dispatch::report(
        db,
        &resident,
        ReportInput {
            compound: None,
            household: Some(ids.household),
            location_kind: LocationKind::Household,
            location: None,
            trade: Trade::Plumbing,
            priority: Priority::Urgent,
            description: "卫生间水管漏水，楼下天花板渗水".into(),
        },
    )
    .await?;
    let grid = acting(
        t,
        users,
        "grid@demo.test",
        Grant {
            role: Role::GridWorker,
            scope: Scope::Bundle(ids.bundle),
        },
    )?;
    let light = dispatch::report(
        db,
        &grid,
        ReportInput {
            compound: Some(ids.compound),
            household: None,
            location_kind: LocationKind::Stairwell,
            location: Some("1栋1单元 三楼楼道".into()),
            trade: Trade::Electrical,
            priority: Priority::Normal,
            description: "楼道声控灯不亮，老人夜里上下楼看不见".into(),
        },
    )
    .await?;
    let dispatcher = acting(
        t,
        users,
        "dispatcher@demo.test",
        Grant {
            role: Role::Dispatcher,
            scope: Scope::Tenant,
        },
    )?;
    let filing = Filing {
        trade: Trade::Electrical,
        priority: Priority::Normal,
        bearer: Bearer::CompoundBudget,
        estimate: None,
        note: None,
    };
    dispatch::file(db, &dispatcher, light.id, filing).await?;
    dispatch::dispatch(db, &dispatcher, light.id, Some(chen.id)).await?;
    Ok(chen.id)
}
