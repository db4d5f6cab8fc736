//! Buildings (栋) of a compound.

use chrono::Utc;
use domain::Label;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::platform::schema::building;
use crate::tenancy::model::Building;

impl From<building::Model> for Building {
    fn from(m: building::Model) -> Self {
        Self {
            id: m.id,
            compound_id: m.compound_id,
            label: m.label,
        }
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Building>, DbErr> {
    Ok(building::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Building>, DbErr> {
    Ok(building::Entity::find()
        .filter(building::Column::TenantId.eq(tenant))
        .filter(building::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn of_compound(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Building>, DbErr> {
    Ok(building::Entity::find()
        .filter(building::Column::TenantId.eq(tenant))
        .filter(building::Column::CompoundId.eq(compound))
        .filter(building::Column::ArchivedAt.is_null())
        .order_by_asc(building::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    label: &Label,
) -> Result<Building, DbErr> {
    Ok(building::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        compound_id: Set(compound),
        label: Set(label.as_str().to_owned()),
        archived_at: Set(None),
    }
    .insert(db)
    .await?
    .into())
}

/// Adds buildings to a compound in one statement; their ids, in the order given.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    labels: &[Label],
) -> Result<Vec<Uuid>, DbErr> {
    let now = Utc::now();
    let ids: Vec<Uuid> = labels.iter().map(|_| domain::new_id()).collect();
    let rows: Vec<building::ActiveModel> = labels
        .iter()
        .zip(&ids)
        .map(|(l, id)| building::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(*id),
            created_at: Set(now),
            compound_id: Set(compound),
            label: Set(l.as_str().to_owned()),
            archived_at: Set(None),
        })
        .collect();
    if !rows.is_empty() {
        building::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(ids)
}
