//! Tenants (property firms): a global table, read by slug at login.

use chrono::Utc;
use domain::{Name, Slug};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::entity::tenant;

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

impl From<tenant::Model> for Tenant {
    fn from(m: tenant::Model) -> Self {
        Self {
            id: m.id,
            slug: m.slug,
            name: m.name,
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
