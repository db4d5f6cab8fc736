//! A compound's household register as a file (XLSX or CSV; building, unit, room, area, owner,
//! phone), beside GraphQL because files do not fit its JSON body:
//!
//! - `POST /households/import?compoundId=…[&commit=true][&areaSource=…][&activeFrom=YYYY-MM-DD]`
//!   with the file as the body: every row checked; written only with `commit=true` and no
//!   problem. Answers `{ rows, households, buildings, written, problems: [{ row, field, code,
//!   message }] }`.
//! - `GET /households/export?compoundId=…&format=xlsx|csv`: the register in the same columns.
//!
//! Both need the administrator's session (`Authorization: Bearer …`); a refusal is answered
//! in GraphQL's error shape (`errors[0].extensions.code`, `.field`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::session::{compound, refusal, session};
use crate::platform::db::Db;
use crate::platform::error::AppError;
use crate::platform::sheet::Format;
use crate::tenancy::{self, ImportTerms};

/// The largest register file accepted: a 100,000-household workbook is about 4 MB.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportQuery {
    compound_id: String,
    #[serde(default)]
    commit: bool,
    area_source: Option<String>,
    active_from: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportQuery {
    compound_id: String,
    format: Option<String>,
}

fn terms(db: &Db, q: &ImportQuery) -> Result<ImportTerms, AppError> {
    let area_source = match q.area_source.as_deref() {
        None => domain::AreaSource::PropertyRegister,
        Some(code) => domain::AreaSource::from_code(&code.to_lowercase())
            .ok_or_else(|| AppError::bad_input("areaSource", "is not a source of areas"))?,
    };
    let active_from = match q.active_from.as_deref() {
        None => db.clock().today(),
        Some(day) => chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map_err(|_| AppError::bad_input("activeFrom", "must be a date written YYYY-MM-DD"))?,
    };
    Ok(ImportTerms {
        area_source,
        active_from,
    })
}

pub async fn import(
    db: web::Data<Db>,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> HttpResponse {
    let run = async {
        let ctx = session(&db, &req).await?;
        let compound = compound(&q.compound_id)?;
        let terms = terms(&db, &q)?;
        tenancy::import_households(&db, &ctx, compound, &body, terms, q.commit).await
    };
    match run.await {
        Ok(r) => HttpResponse::Ok().json(json!({
            "rows": r.rows,
            "households": r.households,
            "buildings": r.buildings,
            "written": r.written,
            "problems": r.problems.iter().map(|p| json!({
                "row": p.row,
                "field": p.column.map(domain::register::Column::field),
                "code": p.kind.code(),
                "message": p.message,
            })).collect::<Vec<_>>(),
        })),
        Err(e) => refusal(e),
    }
}

pub async fn export(
    db: web::Data<Db>,
    req: HttpRequest,
    q: web::Query<ExportQuery>,
) -> HttpResponse {
    let run = async {
        let ctx = session(&db, &req).await?;
        let compound = compound(&q.compound_id)?;
        let format = match q.format.as_deref() {
            None | Some("xlsx") => Format::Xlsx,
            Some("csv") => Format::Csv,
            Some(_) => return Err(AppError::bad_input("format", "must be xlsx or csv")),
        };
        let bytes = tenancy::export_households(&db, &ctx, compound, format).await?;
        Ok((format, bytes))
    };
    match run.await {
        Ok((format, bytes)) => HttpResponse::Ok()
            .content_type(format.content_type())
            .insert_header((
                actix_web::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"households.{}\"", format.extension()),
            ))
            .body(bytes),
        Err(e) => refusal(e),
    }
}
