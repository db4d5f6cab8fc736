//! Tenants (property firms): a global table, read by slug at login.

use chrono::Utc;
use domain::{Money, Name, Slug};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::platform::schema::tenant;
use crate::tenancy::model::Tenant;

impl From<tenant::Model> for Tenant {
    fn from(m: tenant::Model) -> Self {
        Self {
            id: m.id,
            slug: m.slug,
            name: m.name,
            max_payment: Money::from_fen(m.max_payment_fen),
        }
    }
}

pub async fn find_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Tenant>, DbErr> {
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Tenant>, DbErr> {
    Ok(tenant::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn find_many(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Tenant>, DbErr> {
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    id: Uuid,
    slug: &Slug,
    name: &Name,
) -> Result<Tenant, DbErr> {
    Ok(tenant::ActiveModel {
        id: Set(id),
        slug: Set(slug.as_str().to_owned()),
        name: Set(name.as_str().to_owned()),
        created_at: Set(Utc::now()),
        max_payment_fen: Set(migrations::DEFAULT_MAX_PAYMENT_FEN),
    }
    .insert(db)
    .await?
    .into())
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Tenant>, DbErr> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Slug)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Sets the largest single payment the firm's staff may record.
pub async fn set_max_payment(db: &impl ConnectionTrait, id: Uuid, max: Money) -> Result<(), DbErr> {
    tenant::ActiveModel {
        id: Set(id),
        max_payment_fen: Set(max.fen()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
