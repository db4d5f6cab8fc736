//! Signing in and out, and who you are.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::people::service::auth::{self, LoginOutcome};
use crate::people::service::invites::{self, Redemption};
use crate::platform::error::AppError;
use crate::platform::error::FieldExt;
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::ContextExt;
use crate::tenancy::tenants::{Office as OfficeRec, Tenant as TenantRec};
use domain::text::LongText;

#[derive(SimpleObject)]
pub struct Tenant {
    pub id: ID,
    pub slug: String,
    pub name: String,
    /// The largest single payment the firm's staff may record.
    pub max_payment: MoneyAmount,
    /// How to pay at the office, for residents who cannot or do not pay online.
    pub office: Office,
}

/// The firm's office as residents need it to pay there; any part may be unset.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "OfficeInput")]
pub struct Office {
    pub address: Option<String>,
    /// Opening hours, as the firm writes them (e.g. "周一至周六 8:30–17:30").
    pub hours: Option<String>,
    pub phone: Option<String>,
    /// The bank account to transfer to, or how to pay by transfer.
    pub bank: Option<String>,
}

impl From<OfficeRec> for Office {
    fn from(o: OfficeRec) -> Self {
        let text = |t: Option<LongText>| t.map(LongText::into_inner);
        Self {
            address: text(o.address),
            hours: text(o.hours),
            phone: text(o.phone),
            bank: text(o.bank),
        }
    }
}

impl Office {
    /// Each part trimmed; an empty part is unset.
    fn parse(self) -> Result<OfficeRec, AppError> {
        let text = |v: Option<String>, field: &str| -> Result<Option<LongText>, AppError> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(t) => LongText::parse(t).map(Some).field(field),
            }
        };
        Ok(OfficeRec {
            address: text(self.address, "address")?,
            hours: text(self.hours, "hours")?,
            phone: text(self.phone, "phone")?,
            bank: text(self.bank, "bank")?,
        })
    }
}

impl From<TenantRec> for Tenant {
    fn from(t: TenantRec) -> Self {
        Self {
            id: t.id.into(),
            slug: t.slug,
            name: t.name,
            max_payment: t.max_payment.into(),
            office: t.office.into(),
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
    /// What this person may do, so that a client offers only that (the server still checks).
    pub can: Capabilities,
}

/// The principal's permissions, read from the same rules every use case asks.
#[derive(SimpleObject)]
pub struct Capabilities {
    /// Changes the firm: bundles, compounds, buildings, households, people, staff, fee rules.
    pub administer: bool,
    /// Keeps the books: bills, payments, credit notes, refunds, payouts, every account.
    pub keep_books: bool,
    /// Records hardship and proposes or decides waivers.
    pub handle_waivers: bool,
    /// Issues households' invite codes.
    pub issue_invites: bool,
    /// Reads people's names and masked phone numbers (staff).
    pub read_people: bool,
    /// Files and dispatches work orders (a dispatcher or the administrator).
    pub dispatch: bool,
    /// Registers and keeps the firm's contractors.
    pub manage_contractors: bool,
}

impl From<&domain::access::Principal> for Capabilities {
    fn from(p: &domain::access::Principal) -> Self {
        Self {
            administer: p.can_administer(),
            keep_books: p.can_keep_books(),
            handle_waivers: p.handles_waivers(),
            issue_invites: p.can_issue_invites(),
            read_people: p.can_read_people(),
            dispatch: p.dispatches(),
            manage_contractors: p.manages_contractors(),
        }
    }
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
            can: (&session.principal).into(),
        })
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
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
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
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
                client: ctx.client_addr(),
            },
        )
        .await?;
        Ok(outcome.into())
    }
}

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RoleKind {
    FirmAdmin,
    Accountant,
    Dispatcher,
    GridWorker,
    CommitteeMember,
    Resident,
    Contractor,
}

impl From<RoleKind> for domain::Role {
    fn from(r: RoleKind) -> Self {
        match r {
            RoleKind::FirmAdmin => Self::FirmAdmin,
            RoleKind::Accountant => Self::Accountant,
            RoleKind::Dispatcher => Self::Dispatcher,
            RoleKind::GridWorker => Self::GridWorker,
            RoleKind::CommitteeMember => Self::CommitteeMember,
            RoleKind::Resident => Self::Resident,
            RoleKind::Contractor => Self::Contractor,
        }
    }
}

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ScopeKind {
    Tenant,
    Bundle,
    Compound,
    Household,
    Contractor,
}

#[derive(SimpleObject)]
pub struct Member {
    pub id: ID,
    pub user_id: ID,
    pub display_name: String,
    pub identifier: String,
    pub role: String,
    pub scope_kind: String,
    pub scope_id: Option<ID>,
    pub revoked: bool,
}

impl From<crate::people::service::members::Member> for Member {
    fn from(m: crate::people::service::members::Member) -> Self {
        let g = m.membership.grant;
        Self {
            id: m.membership.id.into(),
            user_id: m.membership.user_id.into(),
            display_name: m.display_name,
            identifier: m.identifier,
            role: g.role.code().to_owned(),
            scope_kind: g.scope.kind().to_owned(),
            scope_id: g.scope.id().map(Into::into),
            revoked: m.membership.revoked,
        }
    }
}

#[derive(InputObject)]
pub struct MemberInput {
    /// E-mail address or phone number of the person.
    pub identifier: String,
    pub display_name: String,
    /// For a new account only; the person should change it.
    pub initial_password: Option<String>,
    pub role: RoleKind,
    pub scope_kind: ScopeKind,
    /// The bundle, compound or household; omitted for the whole firm.
    pub scope_id: Option<ID>,
}

#[derive(Default)]
pub struct MembersQuery;

#[Object]
impl MembersQuery {
    /// Everyone holding a role in the firm (administrator only).
    async fn members(&self, ctx: &Context<'_>) -> GqlResult<Vec<Member>> {
        Ok(
            crate::people::service::members::list(ctx.db(), ctx.session()?)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct MembersMutation;

#[Object]
impl MembersMutation {
    /// Sets the largest single payment (yuan, e.g. "50000.00") the firm's staff may record
    /// (administrator only).
    async fn set_max_payment(&self, ctx: &Context<'_>, amount: String) -> GqlResult<Tenant> {
        let max = domain::Money::parse(&amount).field("amount")?;
        let firm = crate::tenancy::set_max_payment(ctx.db(), ctx.session()?, max).await?;
        Ok(firm.into())
    }

    /// Sets how residents pay at the office (administrator only); an empty part is unset.
    async fn set_office_info(&self, ctx: &Context<'_>, input: Office) -> GqlResult<Tenant> {
        let office = input.parse()?;
        let firm = crate::tenancy::set_office(ctx.db(), ctx.session()?, office).await?;
        Ok(firm.into())
    }

    /// Grants a role, creating the person's account if needed (administrator only).
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn add_member(&self, ctx: &Context<'_>, input: MemberInput) -> GqlResult<Member> {
        use crate::platform::graphql::context::parse_id;
        let session = ctx.session()?;
        let id = input
            .scope_id
            .as_ref()
            .map(|i| parse_id(i, "scopeId"))
            .transpose()?;
        let kind = match input.scope_kind {
            ScopeKind::Tenant => "tenant",
            ScopeKind::Bundle => "bundle",
            ScopeKind::Compound => "compound",
            ScopeKind::Household => "household",
            ScopeKind::Contractor => "contractor",
        };
        let scope = domain::Scope::from_parts(kind, id).ok_or_else(|| {
            crate::platform::error::AppError::bad_input(
                "scopeId",
                "give an id for every scope but the whole firm, and none for it",
            )
        })?;
        let m = crate::people::service::members::NewMember {
            identifier: input.identifier,
            display_name: input.display_name,
            initial_password: input.initial_password,
            grant: domain::Grant {
                role: input.role.into(),
                scope,
            },
        };
        Ok(crate::people::service::members::add(ctx.db(), session, m)
            .await?
            .into())
    }

    /// Ends a membership (administrator only; never the last administrator).
    async fn revoke_member(&self, ctx: &Context<'_>, id: ID) -> GqlResult<bool> {
        let session = ctx.session()?;
        let id = crate::platform::graphql::context::parse_id(&id, "id")?;
        crate::people::service::members::revoke(ctx.db(), session, id).await?;
        Ok(true)
    }
}
