//! Photographs of work orders, by the file store's key.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::codes;
use crate::dispatch::model::Photo;
use crate::platform::files::FileKind;
use crate::platform::schema::work_order_photo as photo;
use crate::platform::storage::corrupt;

fn to_photo(m: photo::Model) -> Result<Photo, DbErr> {
    Ok(Photo {
        id: m.id,
        order_id: m.order_id,
        kind: FileKind::from_content_type(&m.kind).ok_or_else(|| corrupt("photo kind", &m.kind))?,
        stage: codes::state(&m.stage)?,
        added_at: m.created_at,
        file_key: m.file_key,
        thumb_key: m.thumb_key,
    })
}

pub async fn insert_photo(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    p: &Photo,
    by: Uuid,
) -> Result<(), DbErr> {
    photo::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(p.id),
        created_at: Set(p.added_at),
        order_id: Set(p.order_id),
        file_key: Set(p.file_key.clone()),
        kind: Set(p.kind.content_type().to_owned()),
        stage: Set(p.stage.code().to_owned()),
        added_by: Set(by),
        thumb_key: Set(p.thumb_key.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An order's photos, first added first.
pub async fn photos_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    order: Uuid,
) -> Result<Vec<Photo>, DbErr> {
    photo::Entity::find()
        .filter(photo::Column::TenantId.eq(tenant))
        .filter(photo::Column::OrderId.eq(order))
        .order_by_asc(photo::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_photo)
        .collect()
}

pub async fn count_photos(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    order: Uuid,
) -> Result<u64, DbErr> {
    photo::Entity::find()
        .filter(photo::Column::TenantId.eq(tenant))
        .filter(photo::Column::OrderId.eq(order))
        .count(db)
        .await
}
