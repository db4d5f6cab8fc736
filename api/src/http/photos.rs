//! A work order's photos, beside GraphQL because files do not fit its JSON body:
//!
//! - `POST /work-orders/{id}/photos` with the JPEG or PNG as the body (told by its content; at
//!   most 10 MB): by the order's reporter, contractor or dispatcher while it is open. Answers
//!   `{ id, path }`.
//! - `GET /work-orders/{id}/photos/{photo}`: the photo, for whoever may read the order;
//!   `?size=thumb` its thumbnail, a small JPEG.
//!
//! Refusals come in GraphQL's error shape (`errors[0].extensions.code`, `.field`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::session::{kept_file, path_id, refusal, session, too_large};
use crate::dispatch;
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
        let order = path_id(&path)?;
        dispatch::attach_photo(&db, &files, &ctx, order, body.to_vec()).await
    };
    match run.await {
        Ok(p) => HttpResponse::Ok().json(json!({
            "id": p.id,
            "path": format!("/work-orders/{}/photos/{}", p.order_id, p.id),
        })),
        Err(e) => refusal(e),
    }
}

#[derive(serde::Deserialize)]
pub struct Size {
    size: Option<String>,
}

pub async fn read(
    db: web::Data<Db>,
    files: web::Data<FileStore>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    size: web::Query<Size>,
) -> HttpResponse {
    let run = async {
        let ctx = session(&db, &req).await?;
        let ids = (path_id(&path.0)?, path_id(&path.1)?);
        let thumb = size.size.as_deref() == Some("thumb");
        dispatch::photo(&db, &files, &ctx, ids, thumb).await
    };
    match run.await {
        Ok((kind, bytes)) => kept_file(kind, bytes, 86400),
        Err(e) => refusal(e),
    }
}
