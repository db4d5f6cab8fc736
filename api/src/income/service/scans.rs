//! The scan of an owners' resolution (a PDF or a photograph of the signed paper): attached
//! once by a book-keeper, read by the book-keepers and the compound's committee.

use serde_json::json;
use uuid::Uuid;

use super::checks::readable;
use crate::income::model::Resolution;
use crate::income::store;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::files::{FileError, FileKind, FileStore};
use crate::platform::{RequestContext, UnitOfWork};

fn kept(e: FileError) -> AppError {
    match e {
        FileError::Kind => AppError::bad_input("file", e),
        FileError::Io(io) => AppError::internal(io),
    }
}

/// Attaches the scan of a resolution; refused if it has one (a scan is evidence: it is never
/// replaced).
#[tracing::instrument(name = "income.attach_scan", skip_all, fields(bytes = file.len()))]
pub async fn attach_scan(
    db: &Db,
    files: &FileStore,
    ctx: &RequestContext,
    resolution: Uuid,
    file: Vec<u8>,
) -> AppResult<Resolution> {
    require_books(ctx)?;
    if FileKind::sniff(&file).is_none() {
        return Err(kept(FileError::Kind));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut found = store::resolution_by_id(tx, ctx.tenant_id, resolution)
        .await?
        .ok_or(AppError::NotFound("resolution"))?;
    readable(tx, ctx, found.compound_id).await?;
    if found.scan.is_some() {
        return Err(AppError::conflict(
            "file",
            "this resolution already has its scan",
        ));
    }
    let scan = files.put(file).await.map_err(kept)?;
    if !store::set_scan(tx, ctx.tenant_id, resolution, &scan).await? {
        return Err(AppError::conflict(
            "file",
            "this resolution already has its scan",
        ));
    }
    uow.audit(
        "income.attach_scan",
        "compound",
        found.compound_id,
        json!({ "resolution": resolution, "sha256": scan.key }),
    );
    uow.commit().await?;
    found.scan = Some(scan);
    Ok(found)
}

/// A resolution's scan and its kind (book-keepers and the compound's committee).
#[tracing::instrument(name = "income.scan", skip_all)]
pub async fn scan(
    db: &Db,
    files: &FileStore,
    ctx: &RequestContext,
    resolution: Uuid,
) -> AppResult<(FileKind, Vec<u8>)> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = store::resolution_by_id(&tx, ctx.tenant_id, resolution)
        .await?
        .ok_or(AppError::NotFound("resolution"))?;
    readable(&tx, ctx, found.compound_id).await?;
    tx.commit().await?;
    let stored = found.scan.ok_or(AppError::NotFound("scan"))?;
    let bytes = files
        .get(&stored.key)
        .await
        .map_err(kept)?
        .ok_or(AppError::NotFound("scan"))?;
    Ok((stored.kind, bytes))
}
