//! Reports' GraphQL: the subsidy claim, with its CSV and XLSX exports.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::income;
use crate::billing::{HardshipCategory, WaiverFunding};
use crate::income::IncomeCategory;
use crate::platform::error::AppError;
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, parse_id, period};

#[derive(SimpleObject)]
pub struct SubsidyClaimRow {
    pub period: String,
    pub compound: String,
    /// Building and unit with the room masked.
    pub household: String,
    pub category: HardshipCategory,
    /// Masked but for the last four characters.
    pub certificate: String,
    pub invoice_number: i64,
    pub gross: MoneyAmount,
    pub waived: MoneyAmount,
}

#[derive(SimpleObject)]
pub struct SubsidyClaim {
    pub funding: WaiverFunding,
    pub from: String,
    pub to: String,
    pub rows: Vec<SubsidyClaimRow>,
    pub total: MoneyAmount,
    /// The same claim as CSV (UTF-8).
    pub csv: String,
    /// The same claim as an XLSX workbook, base64.
    pub xlsx_base64: String,
}

/// One category of one compound's closed month in the common-income report.
#[derive(SimpleObject)]
pub struct CommonIncomeReportRow {
    pub compound: String,
    pub period: String,
    pub category: IncomeCategory,
    pub gross: MoneyAmount,
    pub deducted: MoneyAmount,
    pub carried_out: MoneyAmount,
    pub owners: MoneyAmount,
    pub firm: MoneyAmount,
}

/// A compound's committee fund over the report's span.
#[derive(SimpleObject)]
pub struct CommonIncomeReportFund {
    pub compound: String,
    pub opening: MoneyAmount,
    pub shares: MoneyAmount,
    pub payouts: MoneyAmount,
    pub waivers: MoneyAmount,
    pub other: MoneyAmount,
    pub closing: MoneyAmount,
}

pub struct CommonIncomeReport(income::IncomeReport);

#[Object]
impl CommonIncomeReport {
    async fn from(&self) -> String {
        self.0.from.to_string()
    }
    async fn to(&self) -> String {
        self.0.to.to_string()
    }
    async fn rows(&self) -> Vec<CommonIncomeReportRow> {
        self.0
            .rows
            .iter()
            .map(|r| CommonIncomeReportRow {
                compound: r.compound.clone(),
                period: r.period.to_string(),
                category: r.category.into(),
                gross: r.gross.into(),
                deducted: r.deducted.into(),
                carried_out: r.carried_out.into(),
                owners: r.owners.into(),
                firm: r.firm.into(),
            })
            .collect()
    }
    async fn funds(&self) -> Vec<CommonIncomeReportFund> {
        self.0
            .funds
            .iter()
            .map(|(compound, f)| CommonIncomeReportFund {
                compound: compound.clone(),
                opening: f.opening.into(),
                shares: f.shares.into(),
                payouts: f.payouts.into(),
                waivers: f.waivers.into(),
                other: f.other.into(),
                closing: f.closing.into(),
            })
            .collect()
    }
    /// The same report as an XLSX workbook, base64.
    async fn xlsx_base64(&self) -> GqlResult<String> {
        use base64::Engine;
        Ok(base64::engine::general_purpose::STANDARD.encode(income::to_xlsx(&self.0)?))
    }
}

#[derive(Default)]
pub struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// Waivers a funding body pays for, over `from..=to`, with CSV and XLSX exports. Contains
    /// hardship data: waiver handlers only, every export audit-logged, households masked.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn subsidy_claim(
        &self,
        ctx: &Context<'_>,
        funding: WaiverFunding,
        from: String,
        to: String,
    ) -> GqlResult<SubsidyClaim> {
        use base64::Engine;
        let (from, to) = (period(&from, "from")?, period(&to, "to")?);
        let claim =
            super::service::subsidy_claim(ctx.db(), ctx.session()?, funding.into(), from, to)
                .await?;
        let csv = super::service::to_csv(&claim);
        let xlsx = super::service::to_xlsx(&claim)?;
        Ok(SubsidyClaim {
            funding: claim.funding.into(),
            from: claim.from.to_string(),
            to: claim.to.to_string(),
            total: claim.total.into(),
            rows: claim
                .rows
                .into_iter()
                .map(|r| SubsidyClaimRow {
                    period: r.period.to_string(),
                    compound: r.compound,
                    household: r.household,
                    category: r.category.map_or(HardshipCategory::Other, Into::into),
                    certificate: r.certificate,
                    invoice_number: r.invoice_number,
                    gross: r.gross.into(),
                    waived: r.waived.into(),
                })
                .collect(),
            csv,
            xlsx_base64: base64::engine::general_purpose::STANDARD.encode(xlsx),
        })
    }

    /// Common-part income of closed months `from..=to`, by compound, month and category, with
    /// each compound's committee fund over the span and an XLSX export: for a compound (its
    /// committee too) or a bundle (book-keepers). Give exactly one of `compoundId`, `bundleId`.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn common_income_report(
        &self,
        ctx: &Context<'_>,
        compound_id: Option<ID>,
        bundle_id: Option<ID>,
        from: String,
        to: String,
    ) -> GqlResult<CommonIncomeReport> {
        let scope = match (compound_id, bundle_id) {
            (Some(c), None) => income::Scope::Compound(parse_id(&c, "compoundId")?),
            (None, Some(b)) => income::Scope::Bundle(parse_id(&b, "bundleId")?),
            _ => {
                return Err(AppError::bad_input(
                    "compoundId",
                    "give a compound or a bundle, not both",
                )
                .into());
            }
        };
        let (from, to) = (period(&from, "from")?, period(&to, "to")?);
        Ok(CommonIncomeReport(
            income::common_income(ctx.db(), ctx.session()?, scope, from, to).await?,
        ))
    }
}
