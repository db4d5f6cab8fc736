//! Temporary parking takings imported from a parking system's export: every row checked and
//! each day compared with what is recorded, then — only when nothing is wrong — each new day
//! recorded as that day's temporary-parking income. Importing the same rows again changes
//! nothing; the mapping that read the file is saved for the compound's next import.

use chrono::NaiveDate;
use domain::billing::BillingPeriod;
use domain::income::IncomeCategory;
use domain::ledger::PaymentMethod;
use domain::takings::{self, Mapping, Problem};
use serde_json::json;
use uuid::Uuid;

use super::checks::live_compound;
use super::records::{IncomeInput, record_all_in};
use crate::income::model::{DayStatus, TakingsDay, TakingsReport};
use crate::income::store;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::sheet;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::tenants;

/// How an import is to be read and booked.
pub struct TakingsTerms {
    /// The columns to read; `None` uses the compound's saved mapping, or a guess.
    pub mapping: Option<Mapping>,
    /// How the takings reached the firm.
    pub method: PaymentMethod,
    pub commit: bool,
}

fn key(compound: Uuid, day: NaiveDate) -> String {
    format!("takings:{compound}:{day}")
}

/// Checks a parking export for `compound` and, when `commit` and nothing is wrong, records
/// its new days.
#[tracing::instrument(name = "income.import_takings", skip_all, fields(bytes = file.len()))]
pub async fn import_takings(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    file: &[u8],
    terms: TakingsTerms,
) -> AppResult<TakingsReport> {
    require_books(ctx)?;
    let rows = sheet::read(file).map_err(|e| AppError::bad_input("file", e))?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, compound).await?;
    let headings = rows.first().cloned().unwrap_or_default();
    let mapping = match terms.mapping {
        Some(m) => Some(m),
        None => store::mapping_of(tx, ctx.tenant_id, compound)
            .await?
            .or_else(|| Mapping::guess(&headings)),
    };
    let Some(mapping) = mapping else {
        return Ok(TakingsReport {
            columns: headings,
            mapping: None,
            rows: rows.len().saturating_sub(1),
            days: Vec::new(),
            problems: vec![Problem {
                row: 1,
                field: "dateColumn",
                code: "NO_MAPPING",
                message: "choose the columns that hold the date and the amount".into(),
            }],
            written: false,
        });
    };
    let read = takings::read(rows, &mapping);
    let mut report = TakingsReport {
        columns: read.columns,
        mapping: Some(mapping),
        rows: read.rows,
        days: Vec::with_capacity(read.days.len()),
        problems: read.problems,
        written: false,
    };
    let keys: Vec<String> = read.days.keys().map(|d| key(compound, *d)).collect();
    let recorded = store::records_by_keys(tx, ctx.tenant_id, &keys).await?;
    let closed = store::closed_through(tx, ctx.tenant_id, compound).await?;
    let firm = tenants::find(tx, ctx.tenant_id)
        .await?
        .ok_or(AppError::NotFound("firm"))?;
    let today = db.clock().today();
    for (date, day) in &read.days {
        let first = day.rows.first().copied().unwrap_or(0);
        let mut problem = |field: &'static str, code: &'static str, message: String| {
            report.problems.push(Problem {
                row: first,
                field,
                code,
                message,
            });
        };
        let status = match recorded.get(&key(compound, *date)) {
            Some(r) if r.amount == day.amount => DayStatus::Imported,
            Some(r) => {
                problem(
                    "amount",
                    "DIFFERS",
                    format!(
                        "{date} was imported before with {}: correct the difference by hand, with its reason",
                        r.amount
                    ),
                );
                DayStatus::Differs
            }
            None => {
                if *date > today || domain::sane_date(*date).is_err() {
                    problem(
                        "date",
                        "FUTURE",
                        format!("{date} is in the future or out of range"),
                    );
                } else if closed.is_some_and(|c| c >= BillingPeriod::containing(*date)) {
                    problem(
                        "date",
                        "CLOSED",
                        format!(
                            "{date} is in a month already closed: record a correction in an open month"
                        ),
                    );
                } else if day.amount > firm.max_payment {
                    problem(
                        "amount",
                        "ABOVE_MAX",
                        format!(
                            "{date}'s takings are above the firm's largest single payment, {}",
                            firm.max_payment
                        ),
                    );
                }
                DayStatus::New
            }
        };
        report.days.push(TakingsDay {
            date: *date,
            amount: day.amount,
            rows: day.rows.len(),
            status,
        });
    }
    report.problems.sort_by_key(|p| p.row);
    if !terms.commit || !report.problems.is_empty() {
        return Ok(report);
    }
    write(&uow, db, ctx, compound, &report, terms.method).await?;
    report.written = true;
    uow.commit().await?;
    Ok(report)
}

/// Records the report's new days and saves its mapping, in the import's unit of work.
async fn write(
    uow: &UnitOfWork,
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    report: &TakingsReport,
    method: PaymentMethod,
) -> AppResult<()> {
    let fresh: Vec<&TakingsDay> = report
        .days
        .iter()
        .filter(|d| d.status == DayStatus::New)
        .collect();
    let inputs = fresh
        .iter()
        .map(|day| IncomeInput {
            compound,
            category: IncomeCategory::ParkingTemporary,
            amount: day.amount,
            received_on: day.date,
            method,
            payer: None,
            reference: Some(format!("停车系统导入 {} 笔", day.rows)),
            correction_reason: None,
            idempotency_key: key(compound, day.date),
        })
        .collect();
    record_all_in(uow, db, ctx, inputs).await?;
    if let Some(m) = &report.mapping {
        store::save_mapping(
            uow.tx(),
            ctx.tenant_id,
            compound,
            m,
            db.clock().now(),
            ctx.user_id(),
        )
        .await?;
    }
    uow.audit(
        "income.import_takings",
        "compound",
        compound,
        json!({ "days": fresh.len(), "rows": report.rows }),
    );
    Ok(())
}
