//! Memberships: a user's role over a scope within one tenant.

use chrono::Utc;
use domain::{Grant, Role, Scope};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::people::model::Membership;
use crate::platform::schema::membership;
use crate::platform::storage::corrupt;

fn to_grant(m: &membership::Model) -> Result<Grant, DbErr> {
    let role = Role::from_code(&m.role).ok_or_else(|| corrupt("role", &m.role))?;
    let scope = Scope::from_parts(&m.scope_kind, m.scope_id)
        .ok_or_else(|| corrupt("scope", &m.scope_kind))?;
    Ok(Grant { role, scope })
}

/// The live grants a user holds in one tenant.
pub async fn grants_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
) -> Result<Vec<Grant>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::TenantId.eq(tenant))
        .filter(membership::Column::UserId.eq(user))
        .filter(membership::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .iter()
        .map(to_grant)
        .collect()
}

/// Every tenant in which a user holds a live grant. Needs a transaction opened for the user.
pub async fn tenants_of_user(db: &impl ConnectionTrait, user: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let mut tenants: Vec<Uuid> = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user))
        .filter(membership::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.tenant_id)
        .collect();
    tenants.sort_unstable();
    tenants.dedup();
    Ok(tenants)
}

/// Grants `role` over `scope`, unless the user already holds exactly that.
pub async fn grant(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
    grant: Grant,
) -> Result<(), DbErr> {
    let existing = grants_of(db, tenant, user).await?;
    if existing.contains(&grant) {
        return Ok(());
    }
    membership::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        user_id: Set(user),
        role: Set(grant.role.code().to_owned()),
        scope_kind: Set(grant.scope.kind().to_owned()),
        scope_id: Set(grant.scope.id()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait, tenant: Uuid) -> Result<Vec<Membership>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::TenantId.eq(tenant))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|m| {
            Ok(Membership {
                id: m.id,
                user_id: m.user_id,
                grant: to_grant(m)?,
                revoked: m.revoked_at.is_some(),
            })
        })
        .collect()
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Membership>, DbErr> {
    membership::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(|m| {
            Ok(Membership {
                id: m.id,
                user_id: m.user_id,
                grant: to_grant(&m)?,
                revoked: m.revoked_at.is_some(),
            })
        })
        .transpose()
}

pub async fn revoke(db: &impl ConnectionTrait, tenant: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let res = membership::Entity::update_many()
        .col_expr(
            membership::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(membership::Column::TenantId.eq(tenant))
        .filter(membership::Column::Id.eq(id))
        .filter(membership::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
