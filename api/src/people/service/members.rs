//! The firm's people: who holds which role over what. Administered by the firm's admin.

use std::collections::HashMap;

use domain::{Grant, Identifier, Name, Role, Scope};
use serde_json::json;
use uuid::Uuid;

use super::auth::{Password, hash_password};
use crate::people::model::Membership;
use crate::people::store::memberships;
use crate::people::store::users;
use crate::platform::access::require_admin;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{bundles, compounds, households};

/// A membership with the user it belongs to.
pub struct Member {
    pub membership: Membership,
    pub display_name: String,
    pub identifier: String,
}

#[tracing::instrument(name = "members.list", skip_all)]
pub async fn list(db: &Db, ctx: &RequestContext) -> AppResult<Vec<Member>> {
    require_admin(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let rows = memberships::list(&tx, ctx.tenant_id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.user_id).collect();
    let names: HashMap<Uuid, (String, String)> = users::find_many(&tx, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.display_name, u.identifier)))
        .collect();
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let (display_name, identifier) = names.get(&m.user_id).cloned().unwrap_or_default();
            Member {
                membership: m,
                display_name,
                identifier,
            }
        })
        .collect())
}

/// Which scopes a role may be held over.
fn scope_fits(role: Role, scope: Scope) -> bool {
    match role {
        Role::FirmAdmin => scope == Scope::Tenant,
        Role::Accountant | Role::Dispatcher | Role::GridWorker => {
            matches!(scope, Scope::Tenant | Scope::Bundle(_) | Scope::Compound(_))
        }
        Role::CommitteeMember => matches!(scope, Scope::Compound(_)),
        Role::Resident => matches!(scope, Scope::Household(_)),
        Role::Contractor => matches!(scope, Scope::Contractor(_)),
    }
}

pub struct NewMember {
    pub identifier: String,
    pub display_name: String,
    /// Needed only when the account does not exist yet.
    pub initial_password: Option<String>,
    pub grant: Grant,
}

/// Grants a role to a person, creating their account if it does not exist.
#[tracing::instrument(name = "members.add", skip_all)]
pub async fn add(db: &Db, ctx: &RequestContext, m: NewMember) -> AppResult<Member> {
    require_admin(ctx)?;
    let identifier = Identifier::parse(&m.identifier).field("identifier")?;
    if !scope_fits(m.grant.role, m.grant.scope) {
        return Err(AppError::bad_input(
            "scopeKind",
            format!(
                "a {} cannot be granted over a {}",
                m.grant.role,
                m.grant.scope.kind()
            ),
        ));
    }
    {
        let uow = UnitOfWork::begin(db, ctx).await?;
        let tx = uow.tx();
        let all = Reach::everything();
        let exists = match m.grant.scope {
            Scope::Tenant => true,
            Scope::Bundle(id) => bundles::find(tx, ctx.tenant_id, &all, id).await?.is_some(),
            Scope::Compound(id) => compounds::find(tx, ctx.tenant_id, &all, id)
                .await?
                .is_some(),
            Scope::Household(id) => households::find(tx, ctx.tenant_id, &all, id)
                .await?
                .is_some(),
            Scope::Contractor(id) => {
                crate::dispatch::contractor_exists(tx, ctx.tenant_id, id).await?
            }
        };
        uow.commit().await?;
        if !exists {
            return Err(AppError::NotFound("scope"));
        }
    }
    let existing = {
        let tx = db.begin_global().await?;
        let u = users::find_by_identifier(&tx, &identifier).await?;
        tx.commit().await?;
        u
    };
    let user = match existing {
        Some(u) => u,
        None => {
            let name = Name::parse(&m.display_name).field("displayName")?;
            let raw = m.initial_password.as_deref().ok_or_else(|| {
                AppError::bad_input("initialPassword", "a new account needs an initial password")
            })?;
            let hash = hash_password(Password::parse(raw).map_err(|_| {
                AppError::bad_input("initialPassword", "must be 8 to 128 characters")
            })?)
            .await?;
            let tx = db.begin_global().await?;
            let u = users::insert(&tx, &identifier, &name, hash)
                .await
                .map_err(|e| {
                    AppError::unique_or_internal(e, "identifier", "this account already exists")
                })?;
            tx.commit().await?;
            u
        }
    };
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    memberships::grant(tx, ctx.tenant_id, user.id, m.grant, db.clock().now()).await?;
    let row = memberships::list(tx, ctx.tenant_id)
        .await?
        .into_iter()
        .find(|r| r.user_id == user.id && r.grant == m.grant && !r.revoked)
        .ok_or_else(|| AppError::Internal("the new membership is missing".into()))?;
    uow.audit(
        "member.add",
        "membership",
        row.id,
        json!({ "role": m.grant.role.code(), "scope": m.grant.scope.kind() }),
    );
    uow.publish(Event::AccessChanged);
    uow.commit().await?;
    Ok(Member {
        membership: row,
        display_name: user.display_name,
        identifier: user.identifier,
    })
}

/// Ends a membership; the person's next request no longer carries the role.
#[tracing::instrument(name = "members.revoke", skip_all)]
pub async fn revoke(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<()> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let m = memberships::find(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("membership"))?;
    if m.grant.role == Role::FirmAdmin {
        let admins = memberships::list(tx, ctx.tenant_id)
            .await?
            .into_iter()
            .filter(|r| r.grant.role == Role::FirmAdmin && !r.revoked)
            .count();
        if admins <= 1 {
            return Err(AppError::conflict(
                "id",
                "the firm's last administrator cannot be removed",
            ));
        }
    }
    if !memberships::revoke(tx, ctx.tenant_id, id).await? {
        return Err(AppError::conflict(
            "id",
            "this membership has already ended",
        ));
    }
    uow.audit("member.revoke", "membership", id, json!({}));
    uow.publish(Event::AccessChanged);
    uow.commit().await?;
    Ok(())
}
