//! One-time household invite codes. Only a hash of each code is stored.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::people::model::Invite;
use crate::platform::schema::invite_code;

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
    code_hash: String,
    created_by: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<Invite, DbErr> {
    let m = invite_code::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        household_id: Set(household),
        code_hash: Set(code_hash),
        created_by: Set(created_by),
        expires_at: Set(expires_at),
        redeemed_at: Set(None),
        redeemed_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(Invite {
        id: m.id,
        household_id: m.household_id,
    })
}

/// Marks an unredeemed, unexpired code as redeemed by `user`, returning it; `None` if no such
/// code is open. The conditional update makes two concurrent redemptions yield one winner.
pub async fn redeem(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    code_hash: &str,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Invite>, DbErr> {
    let Some(m) = invite_code::Entity::find()
        .filter(invite_code::Column::TenantId.eq(tenant))
        .filter(invite_code::Column::CodeHash.eq(code_hash))
        .filter(invite_code::Column::RedeemedAt.is_null())
        .filter(invite_code::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let res = invite_code::Entity::update_many()
        .col_expr(invite_code::Column::RedeemedAt, Expr::value(now))
        .col_expr(invite_code::Column::RedeemedBy, Expr::value(user))
        .filter(invite_code::Column::TenantId.eq(tenant))
        .filter(invite_code::Column::Id.eq(m.id))
        .filter(invite_code::Column::RedeemedAt.is_null())
        .exec(db)
        .await?;
    Ok((res.rows_affected == 1).then_some(Invite {
        id: m.id,
        household_id: m.household_id,
    }))
}
