//! Each compound's board address: a random token, looked up before any firm is known (so in
//! a global table), replaced when the firm rotates it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::platform::schema::public_board;

/// The firm and compound a token opens.
pub async fn find(db: &impl ConnectionTrait, token: &str) -> Result<Option<(Uuid, Uuid)>, DbErr> {
    Ok(public_board::Entity::find_by_id(token.to_owned())
        .one(db)
        .await?
        .map(|b| (b.tenant_id, b.compound_id)))
}

pub async fn token_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Option<String>, DbErr> {
    Ok(public_board::Entity::find()
        .filter(public_board::Column::TenantId.eq(tenant))
        .filter(public_board::Column::CompoundId.eq(compound))
        .one(db)
        .await?
        .map(|b| b.token))
}

/// Replaces the compound's token: the old address stops answering at once.
pub async fn replace(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    token: &str,
) -> Result<(), DbErr> {
    public_board::Entity::delete_many()
        .filter(public_board::Column::TenantId.eq(tenant))
        .filter(public_board::Column::CompoundId.eq(compound))
        .exec(db)
        .await?;
    public_board::ActiveModel {
        token: Set(token.to_owned()),
        tenant_id: Set(tenant),
        compound_id: Set(compound),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
