//! The common-income report, per compound or bundle and month: each category's gross, costs
//! deducted, shortfall carried, the owners' and the firm's shares (from the monthly closes),
//! and each compound's committee fund over the span (its statement). The firm's accountant and
//! a compound's committee read the same figures; the workbook holds what the page shows.

use std::collections::HashMap;

use domain::Money;
use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use uuid::Uuid;

use crate::committee_fund::{self, FundStatement};
use crate::income::{self, MonthClose};
use crate::platform::RequestContext;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::sheet::{self, Format};
use crate::tenancy::bundles;
use crate::tenancy::compounds::{self, Compound, CompoundFilter};

/// What a report covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Compound(Uuid),
    Bundle(Uuid),
}

/// One category of one compound's closed month.
#[derive(Debug, Clone)]
pub struct IncomeRow {
    pub compound: String,
    pub period: BillingPeriod,
    pub category: IncomeCategory,
    pub gross: Money,
    pub deducted: Money,
    pub carried_out: Money,
    pub owners: Money,
    pub firm: Money,
}

#[derive(Debug, Clone)]
pub struct IncomeReport {
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub rows: Vec<IncomeRow>,
    /// Each compound's committee fund over the span.
    pub funds: Vec<(String, FundStatement)>,
}

/// The compounds a report covers, if the caller may read it: a compound's own for its
/// committee, anything for the firm's book-keepers.
async fn covered(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &RequestContext,
    scope: Scope,
) -> AppResult<Vec<Compound>> {
    match scope {
        Scope::Compound(id) => {
            if !ctx.principal.reads_accounts_of(id) {
                return Err(AppError::forbidden(
                    "the income report is for the firm's accountant and the owners' committee",
                ));
            }
            let c = compounds::find(tx, ctx.tenant_id, &ctx.reach, id)
                .await?
                .ok_or(AppError::NotFound("compound"))?;
            Ok(vec![c])
        }
        Scope::Bundle(id) => {
            require_books(ctx)?;
            bundles::find(tx, ctx.tenant_id, &ctx.reach, id)
                .await?
                .ok_or(AppError::NotFound("bundle"))?;
            let filter = CompoundFilter {
                bundle_id: Some(id),
                name_contains: None,
                include_archived: true,
            };
            Ok(compounds::all(tx, ctx.tenant_id, &ctx.reach, &filter).await?)
        }
    }
}

#[tracing::instrument(name = "reports.common_income", skip_all)]
pub async fn common_income(
    db: &Db,
    ctx: &RequestContext,
    scope: Scope,
    from: BillingPeriod,
    to: BillingPeriod,
) -> AppResult<IncomeReport> {
    if to < from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let mut report = IncomeReport {
        from,
        to,
        rows: Vec::new(),
        funds: Vec::new(),
    };
    let compounds = covered(&tx, ctx, scope).await?;
    let ids: Vec<Uuid> = compounds.iter().map(|c| c.id).collect();
    // A fixed number of statements however many compounds the bundle has.
    let mut closes: HashMap<Uuid, Vec<MonthClose>> = HashMap::new();
    for close in income::closes_of(&tx, ctx.tenant_id, &ids, from, to).await? {
        closes.entry(close.compound_id).or_default().push(close);
    }
    let mut funds =
        committee_fund::statements_in(&tx, ctx.tenant_id, &ids, from.first_day(), to.last_day())
            .await?;
    for c in compounds {
        for close in closes.remove(&c.id).unwrap_or_default() {
            report.rows.extend(close.lines.iter().map(|l| IncomeRow {
                compound: c.name.clone(),
                period: close.period,
                category: l.category,
                gross: l.close.gross,
                deducted: l.close.deducted,
                carried_out: l.close.carried_out,
                owners: l.close.owners,
                firm: l.close.firm,
            }));
        }
        if let Some(fund) = funds.remove(&c.id) {
            report.funds.push((c.name, fund));
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// 广告, 临时停车 … as the workbook names them.
fn category_name(c: IncomeCategory) -> &'static str {
    match c {
        IncomeCategory::Advertising => "广告",
        IncomeCategory::ParkingPass => "停车月卡",
        IncomeCategory::ParkingTemporary => "临时停车",
        IncomeCategory::Promotion => "商家推广",
        IncomeCategory::PremisesRent => "公共用房租金",
        IncomeCategory::Recyclables => "废品回收",
        IncomeCategory::Other => "其他",
    }
}

/// The report as a workbook: the income table, a blank row, then the funds table.
pub fn to_xlsx(report: &IncomeReport) -> AppResult<Vec<u8>> {
    let yuan = |m: Money| m.to_plain();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "小区",
            "月份",
            "类别",
            "收入（元）",
            "扣除成本（元）",
            "结转下月（元）",
            "业主（业委会，元）",
            "物业公司（元）",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    rows.extend(report.rows.iter().map(|r| {
        vec![
            r.compound.clone(),
            r.period.to_string(),
            category_name(r.category).to_owned(),
            yuan(r.gross),
            yuan(r.deducted),
            yuan(r.carried_out),
            yuan(r.owners),
            yuan(r.firm),
        ]
    }));
    rows.push(Vec::new());
    rows.push(
        [
            "小区",
            "业委会资金期初（元）",
            "分得收益（元）",
            "支出（元）",
            "用于减免（元）",
            "其他调整（元）",
            "期末（元）",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    rows.extend(report.funds.iter().map(|(name, f)| {
        vec![
            name.clone(),
            yuan(f.opening),
            yuan(f.shares),
            yuan(f.payouts),
            yuan(f.waivers),
            yuan(f.other),
            yuan(f.closing),
        ]
    }));
    sheet::write(Format::Xlsx, &rows).map_err(|e| AppError::Internal(e.to_string().into()))
}
