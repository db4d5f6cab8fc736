//! Bundles: the packages of compounds a firm manages under one contract.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use uuid::Uuid;

use crate::platform::page::{self, Page, PageRequest};
use crate::platform::schema::bundle;
use crate::platform::scope::Reach;
use crate::tenancy::model::{Bundle, BundleFields};

impl From<bundle::Model> for Bundle {
    fn from(m: bundle::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            street_office: m.street_office,
            district: m.district,
            created_at: m.created_at,
            archived_at: m.archived_at,
        }
    }
}

fn scoped(tenant: Uuid, reach: &Reach) -> sea_orm::Select<bundle::Entity> {
    let q = bundle::Entity::find().filter(bundle::Column::TenantId.eq(tenant));
    match reach.bundles() {
        None => q,
        Some(ids) => q.filter(bundle::Column::Id.is_in(ids.iter().copied())),
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    id: Uuid,
) -> Result<Option<Bundle>, DbErr> {
    Ok(scoped(tenant, reach)
        .filter(bundle::Column::Id.eq(id))
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    ids: &[Uuid],
) -> Result<Vec<Bundle>, DbErr> {
    Ok(scoped(tenant, reach)
        .filter(bundle::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    include_archived: bool,
    page: PageRequest,
) -> Result<Page<Bundle>, DbErr> {
    let mut q = scoped(tenant, reach);
    if !include_archived {
        q = q.filter(bundle::Column::ArchivedAt.is_null());
    }
    Ok(page::fetch(db, q, bundle::Column::Id, page)
        .await?
        .map(Into::into))
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    fields: BundleFields,
) -> Result<Bundle, DbErr> {
    Ok(bundle::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        name: Set(fields.name.into_inner()),
        street_office: Set(fields.street_office.into_inner()),
        district: Set(fields.district.into_inner()),
        archived_at: Set(None),
    }
    .insert(db)
    .await?
    .into())
}

pub async fn update(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    fields: Option<BundleFields>,
    archive: bool,
) -> Result<Option<Bundle>, DbErr> {
    let Some(model) = bundle::Entity::find_by_id((tenant, id)).one(db).await? else {
        return Ok(None);
    };
    let mut am = model.into_active_model();
    if let Some(f) = fields {
        am.name = Set(f.name.into_inner());
        am.street_office = Set(f.street_office.into_inner());
        am.district = Set(f.district.into_inner());
    }
    if archive {
        am.archived_at = Set(Some(Utc::now()));
    }
    Ok(Some(am.update(db).await?.into()))
}
