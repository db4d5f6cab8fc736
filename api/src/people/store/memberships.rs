//! Memberships: a user's role over a scope within one tenant.

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Grant, Role, Scope};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
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

/// The live grants a user holds in one tenant on `today` (a committee member's lasts until
/// their term's last day).
pub async fn grants_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
    today: NaiveDate,
) -> Result<Vec<Grant>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::TenantId.eq(tenant))
        .filter(membership::Column::UserId.eq(user))
        .filter(membership::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(membership::Column::ExpiresOn.is_null())
                .add(membership::Column::ExpiresOn.gte(today)),
        )
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

/// Grants `role` over `scope` at `at`, unless the user already holds exactly that.
pub async fn grant(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
    grant: Grant,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let existing = grants_of(db, tenant, user, at.date_naive()).await?;
    if existing.contains(&grant) {
        return Ok(());
    }
    insert(db, tenant, user, grant, None, at).await
}

async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
    grant: Grant,
    expires_on: Option<NaiveDate>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    membership::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(at),
        user_id: Set(user),
        role: Set(grant.role.code().to_owned()),
        scope_kind: Set(grant.scope.kind().to_owned()),
        scope_id: Set(grant.scope.id()),
        revoked_at: Set(None),
        expires_on: Set(expires_on),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Makes the user's committee role over `compound` last until `until` (the last day of the
/// terms they hold there), or with `None` takes it away.
pub async fn committee_until(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
    compound: Uuid,
    until: Option<NaiveDate>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let grant = Grant {
        role: Role::CommitteeMember,
        scope: Scope::Compound(compound),
    };
    membership::Entity::update_many()
        .col_expr(membership::Column::RevokedAt, Expr::value(at))
        .filter(membership::Column::TenantId.eq(tenant))
        .filter(membership::Column::UserId.eq(user))
        .filter(membership::Column::Role.eq(grant.role.code()))
        .filter(membership::Column::ScopeKind.eq(grant.scope.kind()))
        .filter(membership::Column::ScopeId.eq(compound))
        .filter(membership::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    match until {
        Some(day) => insert(db, tenant, user, grant, Some(day), at).await,
        None => Ok(()),
    }
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

/// Whether the user holds any grant in the firm live on `today`.
pub async fn in_firm(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user: Uuid,
    today: NaiveDate,
) -> Result<bool, DbErr> {
    Ok(!grants_of(db, tenant, user, today).await?.is_empty())
}
