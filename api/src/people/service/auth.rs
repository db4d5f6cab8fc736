//! Passwords, sessions and logins.
//!
//! Tokens are 32 random bytes (base64url, prefixed `cyt_`), shown once and stored only as a
//! SHA-256 hash, so a leaked database holds no usable token. Passwords are argon2id with
//! 19 MiB, t=2, p=1. Five failed logins for one identifier within 15 minutes lock it for the
//! rest of that window.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use domain::{Identifier, Principal};
use rand::RngCore;
use sea_orm::TransactionTrait;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::attempts;
use crate::people::model::User;
use crate::people::store::{memberships, users};
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::tenancy;
use crate::tenancy::tenants;

pub const SESSION_DAYS: i64 = 30;
pub const MAX_FAILURES: u64 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
const MIN_PASSWORD: usize = 8;
const MAX_PASSWORD: usize = 128;

/// A password that meets the length rules.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> AppResult<Self> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD {
            return Err(AppError::bad_input(
                "password",
                format!("must be at least {MIN_PASSWORD} characters"),
            ));
        }
        if n > MAX_PASSWORD {
            return Err(AppError::bad_input(
                "password",
                format!("must be at most {MAX_PASSWORD} characters"),
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

/// Hashes off the async runtime: argon2 is deliberately slow.
#[tracing::instrument(name = "auth.hash_password", skip_all)]
pub async fn hash_password(password: Password) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string().into()))
    })
    .await
    .map_err(AppError::internal)?
}

async fn verify_password(hash: String, candidate: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| AppError::Internal(e.to_string().into()))?;
        Ok(Argon2::default()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of nothing in particular, verified against when the user does not exist so that
/// unknown and known identifiers take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$dGuVfyJLE4dVy6G8V7NnaSeAhEyY7+YbJmhAYWR0cUM";

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "cyt_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub tenant: tenants::Tenant,
}

/// Checks the password and opens a session in one tenant: the one named, or the only one the
/// user belongs to.
#[tracing::instrument(name = "auth.login", skip_all)]
pub async fn login(
    db: &Db,
    identifier: &str,
    password: &str,
    tenant_slug: Option<&str>,
) -> AppResult<LoginOutcome> {
    let user = verify_credentials(db, identifier, password).await?;
    let tenant = choose_tenant(db, user.id, tenant_slug).await?;
    let outcome = open_session(db, user.id, tenant).await?;
    tracing::info!(outcome = "success", user.id = %user.id, tenant.id = %outcome.tenant.id, "signed in");
    Ok(outcome)
}

/// The user these credentials belong to. Failed attempts are counted per identifier, and
/// counted before the password is checked ([`attempts`]), so no number of attempts at once
/// gets more than [`MAX_FAILURES`] checked.
#[tracing::instrument(name = "auth.verify_credentials", skip_all)]
pub async fn verify_credentials(db: &Db, identifier: &str, password: &str) -> AppResult<User> {
    let identifier = Identifier::parse(identifier).field("identifier")?;
    let key = identifier.as_str();
    let throttle = attempts::Throttle {
        max: MAX_FAILURES,
        window: Duration::minutes(LOCKOUT_MINUTES),
    };
    let locked = format!("too many failed sign-ins; try again in {LOCKOUT_MINUTES} minutes");
    attempts::begin(db, key, throttle, &locked).await?;
    let user = {
        let tx = db.begin_global().await?;
        let user = users::find_by_identifier(&tx, &identifier).await?;
        tx.commit().await?;
        user
    };
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_owned(), |u| u.password_hash.clone());
    let ok = verify_password(hash, password.to_owned()).await?;
    match user {
        Some(u) if ok && !u.disabled => {
            attempts::forgive_all(db, key).await?;
            Ok(u)
        }
        _ => {
            tracing::info!(outcome = "failure", "sign-in refused");
            Err(AppError::Unauthenticated)
        }
    }
}

async fn choose_tenant(db: &Db, user: Uuid, slug: Option<&str>) -> AppResult<tenants::Tenant> {
    let tx = db.begin_user(user).await?;
    let ids = memberships::tenants_of_user(&tx, user).await?;
    let mut candidates = tenants::find_many(&tx, &ids).await?;
    tx.commit().await?;
    if let Some(slug) = slug {
        return candidates
            .into_iter()
            .find(|t| t.slug == slug)
            .ok_or_else(|| AppError::refused("NO_ROLE", "you have no role in that firm"));
    }
    match candidates.len() {
        0 => Err(AppError::refused(
            "NO_ROLE",
            "your account has no role in any firm yet",
        )),
        1 => Ok(candidates.remove(0)),
        _ => {
            candidates.sort_by(|a, b| a.slug.cmp(&b.slug));
            Err(AppError::Choose {
                field: "tenant".into(),
                choices: candidates.into_iter().map(|t| (t.slug, t.name)).collect(),
            })
        }
    }
}

pub(crate) async fn open_session(
    db: &Db,
    user: Uuid,
    tenant: tenants::Tenant,
) -> AppResult<LoginOutcome> {
    let token = new_token();
    let expires_at = Utc::now() + Duration::days(SESSION_DAYS);
    let tx = db.begin_global().await?;
    users::insert_session(&tx, hash_token(&token), user, tenant.id, expires_at).await?;
    tx.commit().await?;
    Ok(LoginOutcome {
        token,
        expires_at,
        tenant,
    })
}

/// Resolves a bearer token to the acting principal, or `UNAUTHENTICATED`: from the sessions
/// this server verified lately when it holds this one (`platform::session_cache`), else
/// from the database.
#[tracing::instrument(name = "auth.authenticate", skip_all, fields(cached))]
pub async fn authenticate(db: &Db, token: &str) -> AppResult<RequestContext> {
    let token_hash = hash_token(token);
    let now = db.clock().now();
    let cached = db.sessions().get(&token_hash, now);
    tracing::Span::current().record("cached", cached.is_some());
    if let Some(ctx) = cached {
        return Ok(ctx);
    }
    let ticket = db.sessions().ticket();
    let (ctx, expires_at) = load_session(db, token_hash).await?;
    db.sessions().keep(ticket, &ctx, expires_at, now);
    Ok(ctx)
}

/// The session's principal, grants and reach, and when the session ends.
async fn load_session(db: &Db, token_hash: String) -> AppResult<(RequestContext, DateTime<Utc>)> {
    let session = {
        let tx = db.begin_global().await?;
        let s = users::find_live_session(&tx, &token_hash, Utc::now()).await?;
        tx.commit().await?;
        s.ok_or(AppError::Unauthenticated)?
    };
    let tx = db.begin_tenant_read(session.tenant_id).await?;
    let grants =
        memberships::grants_of(&tx, session.tenant_id, session.user_id, db.clock().today()).await?;
    if grants.is_empty() {
        return Err(AppError::Unauthenticated);
    }
    let principal = Principal {
        user_id: session.user_id,
        grants,
    };
    let reach = tenancy::reach_of(&tx, session.tenant_id, &principal).await?;
    tx.commit().await?;
    let ctx = RequestContext {
        tenant_id: session.tenant_id,
        principal,
        reach,
        token_hash,
    };
    Ok((ctx, session.expires_at))
}

#[tracing::instrument(name = "auth.logout", skip_all)]
pub async fn logout(db: &Db, ctx: &RequestContext) -> AppResult<bool> {
    let tx = db.begin_global().await?;
    let revoked = users::revoke_session(&tx, &ctx.token_hash).await?;
    tx.commit().await?;
    db.access_changed(ctx.tenant_id);
    Ok(revoked)
}

/// The signed-in user with their firm.
pub struct Me {
    pub user: User,
    pub tenant: tenants::Tenant,
}

#[tracing::instrument(name = "auth.me", skip_all)]
pub async fn me(db: &Db, ctx: &RequestContext) -> AppResult<Me> {
    let tx = db.connection().begin().await?;
    let user = users::find(&tx, ctx.user_id())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let tenant = tenants::find(&tx, ctx.tenant_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    tx.commit().await?;
    Ok(Me { user, tenant })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_well_formed() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn tokens_are_unique_and_hashed_to_hex() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with("cyt_") && a.len() == 47);
        assert_eq!(hash_token(&a).len(), 64);
        assert_eq!(hash_token(&a), hash_token(&a));
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough").is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
    }

    #[tokio::test]
    async fn argon2_round_trips_with_the_required_parameters() {
        let hash = hash_password(Password("correct horse".into()))
            .await
            .unwrap_or_default();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password(hash.clone(), "correct horse".into())
                .await
                .unwrap_or(false)
        );
        assert!(
            !verify_password(hash, "wrong horse".into())
                .await
                .unwrap_or(true)
        );
    }
}
