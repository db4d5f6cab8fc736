//! Exports: the subsidy claim a firm sends to the body that funds its waivers, as CSV and
//! XLSX. It carries hardship data, so only waiver handlers may produce it, each export is
//! audit-logged, and households appear masked.

use std::collections::HashMap;

use domain::Money;
use domain::billing::{BillingPeriod, HardshipCategory};
use domain::ledger::WaiverFunding;
use serde_json::json;
use uuid::Uuid;

use crate::billing;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{buildings, compounds, households};

#[derive(Debug, Clone)]
pub struct ClaimRow {
    pub period: BillingPeriod,
    pub compound: String,
    /// Building and unit, with the room masked: `3栋2单元 5*1`.
    pub household: String,
    /// None for a waiver granted without a hardship record.
    pub category: Option<HardshipCategory>,
    /// Last four characters only.
    pub certificate: String,
    pub invoice_number: i64,
    pub gross: Money,
    pub waived: Money,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub funding: WaiverFunding,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub rows: Vec<ClaimRow>,
    pub total: Money,
}

fn mask_room(room: &str) -> String {
    let chars: Vec<char> = room.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 | 2 => "*".repeat(chars.len()),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

fn mask_certificate(cert: &str) -> String {
    let chars: Vec<char> = cert.chars().collect();
    let keep = chars.len().min(4);
    format!(
        "{}{}",
        "*".repeat(chars.len() - keep),
        chars[chars.len() - keep..].iter().collect::<String>()
    )
}

#[tracing::instrument(name = "reports.subsidy_claim", skip_all)]
pub async fn subsidy_claim(
    db: &Db,
    ctx: &RequestContext,
    funding: WaiverFunding,
    from: BillingPeriod,
    to: BillingPeriod,
) -> AppResult<Claim> {
    if !ctx.principal.handles_waivers() {
        return Err(AppError::forbidden(
            "subsidy claims are prepared by the staff who handle waivers",
        ));
    }
    if to < from {
        return Err(AppError::bad_input("to", "must not be before `from`"));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let invoices = billing::waived_invoices(tx, ctx.tenant_id, funding, from, to).await?;
    let grant_ids: Vec<Uuid> = invoices.iter().filter_map(|i| i.waiver_grant_id).collect();
    let grants = billing::grants_by_id(tx, ctx.tenant_id, &grant_ids).await?;
    let hardship_ids: Vec<Uuid> = grants.values().filter_map(|g| g.hardship_id).collect();
    let hardship = billing::hardship_by_id(tx, ctx.tenant_id, &hardship_ids).await?;
    let household_ids: Vec<Uuid> = invoices.iter().map(|i| i.household_id).collect();
    let homes: HashMap<Uuid, households::Household> =
        households::find_many(tx, ctx.tenant_id, &household_ids)
            .await?
            .into_iter()
            .map(|h| (h.id, h))
            .collect();
    let building_ids: Vec<Uuid> = homes.values().map(|h| h.building_id).collect();
    let blocks = buildings::find_many(tx, ctx.tenant_id, &building_ids).await?;
    let block_label: HashMap<Uuid, String> = blocks.into_iter().map(|b| (b.id, b.label)).collect();
    let compound_ids: Vec<Uuid> = homes.values().map(|h| h.compound_id).collect();
    let names: HashMap<Uuid, String> =
        compounds::find_many(tx, ctx.tenant_id, &ctx.reach, &compound_ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
    let mut rows = Vec::new();
    let mut total = Money::ZERO;
    for i in invoices {
        // Within reach only: a grid worker claims for their own bundle's compounds.
        let (Some(home), Some(compound)) = (homes.get(&i.household_id), names.get(&i.compound_id))
        else {
            continue;
        };
        let rec = i
            .waiver_grant_id
            .and_then(|g| grants.get(&g))
            .and_then(|g| g.hardship_id)
            .and_then(|h| hardship.get(&h));
        total = total.checked_add(i.waived).field("from")?;
        rows.push(ClaimRow {
            period: i.period,
            compound: compound.clone(),
            household: format!(
                "{}{} {}",
                block_label
                    .get(&home.building_id)
                    .map_or("", String::as_str),
                home.unit_label,
                mask_room(&home.room_label)
            ),
            category: rec.map(|r| r.category),
            certificate: rec.map_or_else(String::new, |r| mask_certificate(&r.certificate_no)),
            invoice_number: i.number,
            gross: i.gross,
            waived: i.waived,
        });
    }
    uow.audit("report.subsidy_claim", "tenant", None, json!({ "funding": funding.code(), "from": from.to_string(), "to": to.to_string(), "rows": rows.len() }));
    uow.commit().await?;
    Ok(Claim {
        funding,
        from,
        to,
        rows,
        total,
    })
}

const HEADERS: [&str; 8] = [
    "账期",
    "小区",
    "住户",
    "类别",
    "证件号",
    "账单号",
    "应收（元）",
    "减免（元）",
];

/// The claim as CSV (UTF-8 with a byte-order mark, so Excel opens the Chinese correctly).
#[must_use]
pub fn to_csv(claim: &Claim) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push('\n');
    for r in &claim.rows {
        let cells = [
            r.period.to_string(),
            r.compound.clone(),
            r.household.clone(),
            r.category.map_or("—", HardshipCategory::code).to_owned(),
            r.certificate.clone(),
            r.invoice_number.to_string(),
            r.gross.to_plain(),
            r.waived.to_plain(),
        ];
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out.push_str(&format!(",,,,,,合计,{}\n", claim.total.to_plain()));
    out
}

/// The claim as an XLSX workbook, amounts as numbers with two decimals.
pub fn to_xlsx(claim: &Claim) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string().into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let yuan = Format::new().set_num_format("0.00");
    for (c, h) in HEADERS.iter().enumerate() {
        sheet
            .write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)
            .map_err(internal)?;
    }
    // Amounts go in as fen ÷ 100 only at this edge, for the spreadsheet's own arithmetic.
    // (Any fen amount below 2^53 is exact in f64.)
    let as_yuan = |m: Money| m.fen() as f64 / 100.0;
    let mut row = 1u32;
    for r in &claim.rows {
        sheet
            .write_string(row, 0, r.period.to_string())
            .map_err(internal)?;
        sheet.write_string(row, 1, &r.compound).map_err(internal)?;
        sheet.write_string(row, 2, &r.household).map_err(internal)?;
        sheet
            .write_string(row, 3, r.category.map_or("—", HardshipCategory::code))
            .map_err(internal)?;
        sheet
            .write_string(row, 4, &r.certificate)
            .map_err(internal)?;
        sheet
            .write_number(row, 5, r.invoice_number as f64)
            .map_err(internal)?;
        sheet
            .write_number_with_format(row, 6, as_yuan(r.gross), &yuan)
            .map_err(internal)?;
        sheet
            .write_number_with_format(row, 7, as_yuan(r.waived), &yuan)
            .map_err(internal)?;
        row += 1;
    }
    sheet
        .write_string_with_format(row, 6, "合计", &bold)
        .map_err(internal)?;
    sheet
        .write_number_with_format(row, 7, as_yuan(claim.total), &yuan)
        .map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_just_enough() {
        assert_eq!(mask_room("501"), "5*1");
        assert_eq!(mask_room("12"), "**");
        assert_eq!(
            mask_certificate("柳民低保字2026第0001号"),
            format!("{}001号", "*".repeat(11))
        );
        assert_eq!(mask_certificate("AB"), "AB");
    }
}
