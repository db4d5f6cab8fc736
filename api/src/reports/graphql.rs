//! Reports' GraphQL: the subsidy claim, with its CSV and XLSX exports.

use async_graphql::{Context, Object, SimpleObject};

use crate::billing::{HardshipCategory, WaiverFunding};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, period};

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
}
