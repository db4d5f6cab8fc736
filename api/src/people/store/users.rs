//! Users, their sessions and failed logins: global tables (a user may serve several firms).

use chrono::{DateTime, Utc};
use domain::{Identifier, Name};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use crate::people::model::{Session, User};
use crate::platform::schema::{login_failure, session, user};

impl From<user::Model> for User {
    fn from(m: user::Model) -> Self {
        Self {
            id: m.id,
            identifier: m.identifier,
            display_name: m.display_name,
            password_hash: m.password_hash,
            disabled: m.disabled_at.is_some(),
        }
    }
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    Ok(user::Entity::find_by_id(id).one(db).await?.map(Into::into))
}

/// The name a user is shown by (a receipt's collector, say).
pub async fn display_name(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<String>, DbErr> {
    Ok(find(db, id).await?.map(|u| u.display_name))
}

pub async fn find_many(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<User>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn find_by_identifier(
    db: &impl ConnectionTrait,
    identifier: &Identifier,
) -> Result<Option<User>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Identifier.eq(identifier.as_str()))
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn insert(
    db: &impl ConnectionTrait,
    identifier: &Identifier,
    display_name: &Name,
    password_hash: String,
) -> Result<User, DbErr> {
    Ok(user::ActiveModel {
        id: Set(domain::new_id()),
        identifier: Set(identifier.as_str().to_owned()),
        display_name: Set(display_name.as_str().to_owned()),
        password_hash: Set(password_hash),
        created_at: Set(Utc::now()),
        disabled_at: Set(None),
    }
    .insert(db)
    .await?
    .into())
}

pub async fn insert_session(
    db: &impl ConnectionTrait,
    token_hash: String,
    user_id: Uuid,
    tenant_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    session::ActiveModel {
        token_hash: Set(token_hash),
        user_id: Set(user_id),
        tenant_id: Set(tenant_id),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find_live_session(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, DbErr> {
    Ok(session::Entity::find_by_id(token_hash.to_owned())
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|m| Session {
            user_id: m.user_id,
            tenant_id: m.tenant_id,
            expires_at: m.expires_at,
        }))
}

pub async fn revoke_session(db: &impl ConnectionTrait, token_hash: &str) -> Result<bool, DbErr> {
    let res = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::TokenHash.eq(token_hash))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Records a failed (or not yet checked) attempt on `key`; its id lets it be forgiven.
pub async fn record_login_failure(db: &impl ConnectionTrait, key: &str) -> Result<Uuid, DbErr> {
    let id = domain::new_id();
    login_failure::ActiveModel {
        id: Set(id),
        identifier: Set(key.to_owned()),
        at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

pub async fn delete_login_failure(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    login_failure::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Holds attempts on `key` back until the transaction ends (PostgreSQL's advisory lock on
/// the key's hash; on SQLite the writing transaction holds the whole database already).
pub async fn lock_attempts(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}

pub async fn count_login_failures_since(
    db: &impl ConnectionTrait,
    identifier: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    login_failure::Entity::find()
        .filter(login_failure::Column::Identifier.eq(identifier))
        .filter(login_failure::Column::At.gt(since))
        .count(db)
        .await
}

pub async fn clear_login_failures(
    db: &impl ConnectionTrait,
    identifier: &str,
) -> Result<(), DbErr> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Identifier.eq(identifier))
        .exec(db)
        .await?;
    Ok(())
}
