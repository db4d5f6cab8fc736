//! Each compound's saved mapping of its parking system's export.

use domain::takings::Mapping;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::platform::schema::takings_mapping as mapping;

pub async fn mapping_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Option<Mapping>, DbErr> {
    Ok(mapping::Entity::find()
        .filter(mapping::Column::TenantId.eq(tenant))
        .filter(mapping::Column::CompoundId.eq(compound))
        .one(db)
        .await?
        .map(|m| Mapping {
            date: m.date_column,
            amount: m.amount_column,
            reference: m.reference_column,
        }))
}

/// Saves the compound's mapping, replacing the one before.
pub async fn save_mapping(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    m: &Mapping,
    at: chrono::DateTime<chrono::Utc>,
    by: Uuid,
) -> Result<(), DbErr> {
    mapping::Entity::insert(mapping::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(at),
        compound_id: Set(compound),
        date_column: Set(m.date.clone()),
        amount_column: Set(m.amount.clone()),
        reference_column: Set(m.reference.clone()),
        saved_by: Set(by),
    })
    .on_conflict(
        OnConflict::columns([mapping::Column::TenantId, mapping::Column::CompoundId])
            .update_columns([
                mapping::Column::DateColumn,
                mapping::Column::AmountColumn,
                mapping::Column::ReferenceColumn,
                mapping::Column::SavedBy,
                mapping::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}
