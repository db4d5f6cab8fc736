//! Serves the built front end; unknown paths get `index.html` so client-side routes work.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    let index: PathBuf = static_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(dir = %static_dir.display(), "front end not built; serving a notice instead");
        cfg.default_service(web::to(|| async {
            HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body(
                    "Courtyard's front end is not built. Run `npm --prefix frontend run build`.\n",
                )
        }));
        return;
    }
    cfg.service(
        Files::new("/", static_dir)
            .index_file("index.html")
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index.clone();
                async move {
                    let (req, _) = req.into_parts();
                    let file = NamedFile::open_async(&index).await?;
                    let res = file.into_response(&req);
                    Ok(ServiceResponse::new(req, res))
                }
            })),
    );
}
