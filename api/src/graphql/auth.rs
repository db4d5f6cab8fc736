//! Signing in and out, and who you are.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::context::ContextExt;
use crate::services::auth::{self, LoginOutcome};
use crate::services::invites::{self, Redemption};
use crate::store::tenants::Tenant as TenantRec;

type GqlResult<T> = async_graphql::Result<T>;

#[derive(SimpleObject)]
pub struct Tenant {
    pub id: ID,
    pub slug: String,
    pub name: String,
}

impl From<TenantRec> for Tenant {
    fn from(t: TenantRec) -> Self {
        Self {
            id: t.id.into(),
            slug: t.slug,
            name: t.name,
        }
    }
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub tenant: Tenant,
}

impl From<LoginOutcome> for LoginPayload {
    fn from(o: LoginOutcome) -> Self {
        Self {
            token: o.token,
            expires_at: o.expires_at,
            tenant: o.tenant.into(),
        }
    }
}

#[derive(SimpleObject)]
pub struct Membership {
    /// firm_admin, accountant, dispatcher, grid_worker, committee_member, resident, contractor
    pub role: String,
    /// tenant, bundle, compound, household or contractor
    pub scope_kind: String,
    pub scope_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct Me {
    pub user_id: ID,
    pub display_name: String,
    /// The e-mail address or phone number used to sign in.
    pub identifier: String,
    pub tenant: Tenant,
    pub memberships: Vec<Membership>,
}

#[derive(InputObject)]
pub struct LoginInput {
    /// E-mail address or phone number.
    pub identifier: String,
    pub password: String,
    /// The firm's slug; needed only when the account belongs to several firms.
    pub tenant: Option<String>,
}

#[derive(InputObject)]
pub struct RedeemInviteInput {
    /// The firm's slug, printed on the bill beside the code.
    pub tenant: String,
    pub code: String,
    pub identifier: String,
    pub password: String,
    pub display_name: String,
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<Me> {
        let session = ctx.session()?;
        let me = auth::me(ctx.db(), session).await?;
        Ok(Me {
            user_id: me.user.id.into(),
            display_name: me.user.display_name,
            identifier: me.user.identifier,
            tenant: me.tenant.into(),
            memberships: session
                .principal
                .grants
                .iter()
                .map(|g| Membership {
                    role: g.role.code().to_owned(),
                    scope_kind: g.scope.kind().to_owned(),
                    scope_id: g.scope.id().map(Into::into),
                })
                .collect(),
        })
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> GqlResult<LoginPayload> {
        let outcome = auth::login(
            ctx.db(),
            &input.identifier,
            &input.password,
            input.tenant.as_deref(),
        )
        .await?;
        Ok(outcome.into())
    }

    /// Revokes the session this request was made with.
    async fn logout(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(auth::logout(ctx.db(), ctx.session()?).await?)
    }

    /// Creates a resident account from the invite code on a paper bill (or adds the household to
    /// an existing account), and signs in.
    async fn redeem_invite_code(
        &self,
        ctx: &Context<'_>,
        input: RedeemInviteInput,
    ) -> GqlResult<LoginPayload> {
        let outcome = invites::redeem(
            ctx.db(),
            Redemption {
                tenant_slug: &input.tenant,
                code: &input.code,
                identifier: &input.identifier,
                password: &input.password,
                display_name: &input.display_name,
            },
        )
        .await?;
        Ok(outcome.into())
    }
}
