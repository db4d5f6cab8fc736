//! A parking system's export of temporary parking takings, imported beside GraphQL because
//! files do not fit its JSON body:
//!
//! `POST /income/takings/import?compoundId=…[&commit=true][&method=BANK_TRANSFER|CASH|QR_TRANSFER]
//! [&dateColumn=…&amountColumn=…[&referenceColumn=…]]` with the CSV (or XLSX) as the body: every
//! row checked and each day compared with what is recorded; the new days are written only with
//! `commit=true` and no problem. Without the columns, the compound's saved mapping (or a guess
//! from the headings) reads the file. Answers `{ columns, mapping, rows, written, days: [{ date,
//! fen, rows, status }], problems: [{ row, field, code, message }] }`. Needs a book-keeper's session.

use actix_web::{HttpRequest, HttpResponse, web};
use domain::ledger::PaymentMethod;
use domain::takings::Mapping;
use serde::Deserialize;
use serde_json::json;

use super::session::{compound, refusal, session, too_large};
use crate::income::{self, DayStatus, TakingsReport, TakingsTerms};
use crate::platform::db::Db;
use crate::platform::error::AppError;

/// The largest export accepted: a year of single exits from a busy car park is about 5 MB.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportQuery {
    compound_id: String,
    #[serde(default)]
    commit: bool,
    method: Option<String>,
    date_column: Option<String>,
    amount_column: Option<String>,
    reference_column: Option<String>,
}

fn terms(q: &ImportQuery) -> Result<TakingsTerms, AppError> {
    let method = match q.method.as_deref() {
        None => PaymentMethod::BankTransfer,
        Some(m) => PaymentMethod::from_code(&m.to_lowercase())
            .filter(|m| *m != PaymentMethod::Online)
            .ok_or_else(|| {
                AppError::bad_input("method", "must be BANK_TRANSFER, CASH or QR_TRANSFER")
            })?,
    };
    let named = |c: &Option<String>| {
        c.as_ref()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let mapping = match (named(&q.date_column), named(&q.amount_column)) {
        (Some(date), Some(amount)) => Some(Mapping {
            date,
            amount,
            reference: named(&q.reference_column),
        }),
        (None, None) => None,
        (None, _) => {
            return Err(AppError::bad_input(
                "dateColumn",
                "name the date column too",
            ));
        }
        (_, None) => {
            return Err(AppError::bad_input(
                "amountColumn",
                "name the amount column too",
            ));
        }
    };
    Ok(TakingsTerms {
        mapping,
        method,
        commit: q.commit,
    })
}

fn answer(r: &TakingsReport) -> serde_json::Value {
    json!({
        "columns": r.columns,
        "mapping": r.mapping.as_ref().map(|m| json!({
            "dateColumn": m.date, "amountColumn": m.amount, "referenceColumn": m.reference,
        })),
        "rows": r.rows,
        "written": r.written,
        "days": r.days.iter().map(|d| json!({
            "date": d.date,
            "fen": d.amount.fen(),
            "rows": d.rows,
            "status": match d.status {
                DayStatus::New => "NEW",
                DayStatus::Imported => "IMPORTED",
                DayStatus::Differs => "DIFFERS",
            },
        })).collect::<Vec<_>>(),
        "problems": r.problems.iter().map(|p| json!({
            "row": p.row, "field": p.field, "code": p.code, "message": p.message,
        })).collect::<Vec<_>>(),
    })
}

pub async fn import(
    db: web::Data<Db>,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: Result<web::Bytes, actix_web::Error>,
) -> HttpResponse {
    let Ok(body) = body else {
        return too_large(MAX_FILE_BYTES);
    };
    let run = async {
        let ctx = session(&db, &req).await?;
        let compound = compound(&q.compound_id)?;
        let terms = terms(&q)?;
        income::import_takings(&db, &ctx, compound, &body, terms).await
    };
    match run.await {
        Ok(r) => HttpResponse::Ok().json(answer(&r)),
        Err(e) => refusal(e),
    }
}
