//! A business-use resolution's scan, beside GraphQL because files do not fit its JSON body:
//!
//! - `POST /income/resolutions/{id}/scan` with the PDF, JPEG or PNG as the body (told by its
//!   content; at most 10 MB): attached once, by a book-keeper. Answers `{ id, scanType }`.
//! - `GET /income/resolutions/{id}/scan`: the file, for the book-keepers and the compound's
//!   committee.
//!
//! Refusals come in GraphQL's error shape (`errors[0].extensions.code`, `.field`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::session::{kept_file, path_id, refusal, session, too_large};
use crate::income;
use crate::platform::db::Db;
use crate::platform::files::FileStore;

pub async fn attach(
    db: web::Data<Db>,
    files: web::Data<FileStore>,
    req: HttpRequest,
    path: web::Path<String>,
    body: Result<web::Bytes, actix_web::Error>,
) -> HttpResponse {
    let Ok(body) = body else {
        return too_large(FileStore::MAX_BYTES);
    };
    let run = async {
        let ctx = session(&db, &req).await?;
        let id = path_id(&path)?;
        income::attach_scan(&db, &files, &ctx, id, body.to_vec()).await
    };
    match run.await {
        Ok(r) => HttpResponse::Ok().json(json!({
            "id": r.id,
            "scanType": r.scan.map(|s| s.kind.content_type()),
        })),
        Err(e) => refusal(e),
    }
}

pub async fn read(
    db: web::Data<Db>,
    files: web::Data<FileStore>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let run = async {
        let ctx = session(&db, &req).await?;
        let id = path_id(&path)?;
        income::scan(&db, &files, &ctx, id).await
    };
    match run.await {
        Ok((kind, bytes)) => kept_file(kind, bytes, 3600),
        Err(e) => refusal(e),
    }
}
