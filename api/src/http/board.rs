//! The public accounts board, without a session:
//!
//! - `GET /board/{token}`: the board's page (404 for an address that opens nothing, such as
//!   one the firm has rotated away);
//! - `GET /board/{token}/data`: its figures as JSON, from a cache any posting invalidates;
//! - `GET /board/{token}/qr.svg`: the page's address as a QR code, for the printed poster.

use std::path::PathBuf;

use actix_files::NamedFile;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::board::{self, BoardCache};
use crate::platform::db::Db;

/// Where the built board page is.
#[derive(Clone)]
pub struct BoardPage(pub PathBuf);

fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("没有这个公开栏（地址可能已更换）。\nNo such board (its address may have changed).\n")
}

async fn figures(
    db: &Db,
    cache: &BoardCache,
    token: &str,
) -> Result<Option<std::sync::Arc<[u8]>>, HttpResponse> {
    board::board_json(db, cache, token).await.map_err(|e| {
        tracing::error!(error = %e, "board");
        HttpResponse::InternalServerError().finish()
    })
}

pub async fn page(
    req: HttpRequest,
    db: web::Data<Db>,
    cache: web::Data<BoardCache>,
    page: web::Data<BoardPage>,
    token: web::Path<String>,
) -> HttpResponse {
    match figures(&db, &cache, &token).await {
        Ok(Some(_)) => match NamedFile::open_async(&page.0).await {
            // Never from a browser's cache: the address may since have been rotated away.
            Ok(file) => {
                let mut res = file
                    .use_etag(false)
                    .use_last_modified(false)
                    .into_response(&req);
                res.headers_mut().insert(
                    header::CACHE_CONTROL,
                    header::HeaderValue::from_static("no-store"),
                );
                res
            }
            Err(_) => HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("Courtyard's front end is not built; the board's figures are at ./data\n"),
        },
        Ok(None) => not_found(),
        Err(e) => e,
    }
}

pub async fn data(
    db: web::Data<Db>,
    cache: web::Data<BoardCache>,
    token: web::Path<String>,
) -> HttpResponse {
    match figures(&db, &cache, &token).await {
        Ok(Some(json)) => HttpResponse::Ok()
            .content_type("application/json")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(json.to_vec()),
        Ok(None) => not_found(),
        Err(e) => e,
    }
}

pub async fn qr(
    req: HttpRequest,
    db: web::Data<Db>,
    cache: web::Data<BoardCache>,
    token: web::Path<String>,
) -> HttpResponse {
    match figures(&db, &cache, &token).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(),
        Err(e) => return e,
    }
    let info = req.connection_info();
    let url = format!(
        "{}://{}/board/{}",
        info.scheme(),
        info.host(),
        token.as_str()
    );
    match board::poster_qr(&url) {
        Ok(svg) => HttpResponse::Ok().content_type("image/svg+xml").body(svg),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}
