//! Photographs of a work order: added by anyone who plays a part on it (the reporter shows the
//! problem, the contractor the finished work, the dispatcher what they saw) while it is open,
//! JPEG or PNG told by content and read whole, each with a thumbnail; read by whoever may
//! read the order.

use serde_json::json;
use uuid::Uuid;

use super::parts::readable;
use super::step::changed;
use crate::dispatch::model::Photo;
use crate::dispatch::store;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::files::{FileError, FileKind, FileStore};
use crate::platform::thumbnails;
use crate::platform::{RequestContext, UnitOfWork};

/// At most this many photos on one order.
const MAX_PHOTOS: u64 = 12;

/// `file` with its thumbnail, made off the request's thread; a file that does not decode as
/// the photograph it claims to be is refused.
async fn with_thumbnail(file: Vec<u8>) -> AppResult<(Vec<u8>, Vec<u8>)> {
    let (file, thumb) = tokio::task::spawn_blocking(move || {
        let thumb = thumbnails::thumbnail(&file);
        (file, thumb)
    })
    .await
    .map_err(AppError::internal)?;
    let thumb = thumb.map_err(|e| {
        tracing::info!(error = %e, "a photo was refused");
        AppError::bad_input(
            "file",
            "this photograph cannot be read: take or choose it again",
        )
    })?;
    Ok((file, thumb))
}

fn refused(e: FileError) -> AppError {
    match e {
        FileError::Kind => AppError::bad_input("file", "must be a JPEG or PNG photograph"),
        FileError::Io(io) => AppError::internal(io),
    }
}

#[tracing::instrument(name = "dispatch.attach_photo", skip_all, fields(bytes = file.len()))]
pub async fn attach_photo(
    db: &Db,
    files: &FileStore,
    ctx: &RequestContext,
    order: Uuid,
    file: Vec<u8>,
) -> AppResult<Photo> {
    let kind = FileKind::sniff(&file)
        .filter(|k| matches!(k, FileKind::Jpeg | FileKind::Png))
        .ok_or_else(|| refused(FileError::Kind))?;
    let (file, thumb) = with_thumbnail(file).await?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let (o, parts) = readable(uow.tx(), ctx, order).await?;
    if parts.is_empty() {
        return Err(AppError::forbidden(
            "only the order's reporter, contractor or dispatcher adds photos",
        ));
    }
    if o.state.is_final() {
        return Err(AppError::conflict("state", "this work order is finished"));
    }
    if store::count_photos(uow.tx(), ctx.tenant_id, order).await? >= MAX_PHOTOS {
        return Err(AppError::bad_input(
            "file",
            format!("at most {MAX_PHOTOS} photos on one order"),
        ));
    }
    let stored = files.put(file).await.map_err(refused)?;
    let thumb = files.put(thumb).await.map_err(refused)?;
    let photo = Photo {
        id: domain::new_id(),
        order_id: order,
        file_key: stored.key,
        thumb_key: Some(thumb.key),
        kind,
        stage: o.state,
        added_at: db.clock().now(),
    };
    store::insert_photo(uow.tx(), ctx.tenant_id, &photo, ctx.user_id()).await?;
    uow.audit(
        "work_order.photo",
        "work_order",
        order,
        json!({ "sha256": photo.file_key, "stage": photo.stage.code() }),
    );
    uow.publish(changed(&o, None, None));
    uow.commit().await?;
    Ok(photo)
}

/// One photo of an order, or its thumbnail (the photo itself when it has none), for whoever
/// may read the order.
pub async fn photo(
    db: &Db,
    files: &FileStore,
    ctx: &RequestContext,
    (order, id): (Uuid, Uuid),
    thumbnail: bool,
) -> AppResult<(FileKind, Vec<u8>)> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    readable(&tx, ctx, order).await?;
    let found = store::photos_of(&tx, ctx.tenant_id, order)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound("photo"))?;
    tx.commit().await?;
    let (kind, key) = match (thumbnail, found.thumb_key) {
        (true, Some(thumb)) => (FileKind::Jpeg, thumb),
        _ => (found.kind, found.file_key),
    };
    let bytes = files
        .get(&key)
        .await
        .map_err(refused)?
        .ok_or(AppError::NotFound("photo"))?;
    Ok((kind, bytes))
}
