//! Compounds (小区): the unit fees, votes and accounts are kept by.

use chrono::Utc;
use domain::late_fee::LateFeeTerms;
use domain::{ChargingMode, ManagementMode, OnboardingStage, SecurityBaseline};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use uuid::Uuid;

use crate::platform::page::{self, Page, PageRequest};
use crate::platform::schema::compound;
use crate::platform::scope::Reach;
use crate::platform::storage::corrupt;
use crate::tenancy::model::{Compound, CompoundFields, CompoundFilter};

impl TryFrom<compound::Model> for Compound {
    type Error = DbErr;
    fn try_from(m: compound::Model) -> Result<Self, DbErr> {
        Ok(Self {
            management_mode: ManagementMode::from_code(&m.management_mode)
                .ok_or_else(|| corrupt("management mode", &m.management_mode))?,
            charging_mode: ChargingMode::from_code(&m.charging_mode)
                .ok_or_else(|| corrupt("charging mode", &m.charging_mode))?,
            onboarding_stage: OnboardingStage::from_code(&m.onboarding_stage)
                .ok_or_else(|| corrupt("onboarding stage", &m.onboarding_stage))?,
            security: SecurityBaseline {
                cctv: m.has_cctv,
                gatehouse: m.has_gatehouse,
                guard: m.has_guard,
                lighting: m.has_lighting,
                gate: m.has_gate,
            },
            late_fee: match (
                m.late_fee_daily_bp,
                m.late_fee_grace_days,
                m.late_fee_cap_bp,
            ) {
                (Some(rate), Some(grace), Some(cap)) => Some(
                    LateFeeTerms::new(rate.into(), grace.into(), cap.into())
                        .map_err(|e| corrupt("late fee terms", &e.to_string()))?,
                ),
                _ => None,
            },
            committee_stripe_account: m.committee_stripe_account,
            id: m.id,
            bundle_id: m.bundle_id,
            name: m.name,
            address: m.address,
            created_at: m.created_at,
            archived_at: m.archived_at,
        })
    }
}

fn scoped(tenant: Uuid, reach: &Reach) -> sea_orm::Select<compound::Entity> {
    let q = compound::Entity::find().filter(compound::Column::TenantId.eq(tenant));
    match reach.compounds() {
        None => q,
        Some(ids) => q.filter(compound::Column::Id.is_in(ids.iter().copied())),
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    id: Uuid,
) -> Result<Option<Compound>, DbErr> {
    scoped(tenant, reach)
        .filter(compound::Column::Id.eq(id))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    filter: &CompoundFilter,
    page: PageRequest,
) -> Result<Page<Compound>, DbErr> {
    let mut q = scoped(tenant, reach);
    if let Some(bundle) = filter.bundle_id {
        q = q.filter(compound::Column::BundleId.eq(bundle));
    }
    if let Some(text) = &filter.name_contains {
        q = q.filter(
            Expr::expr(Func::lower(Expr::col(compound::Column::Name))).like(
                LikeExpr::new(format!("%{}%", escape_like(&text.to_lowercase()))).escape('\\'),
            ),
        );
    }
    if !filter.include_archived {
        q = q.filter(compound::Column::ArchivedAt.is_null());
    }
    page::fetch(db, q, compound::Column::Id, page)
        .await?
        .try_map(TryInto::try_into)
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    ids: &[Uuid],
) -> Result<Vec<Compound>, DbErr> {
    scoped(tenant, reach)
        .filter(compound::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Ids of the live compounds in these bundles (used to widen a bundle-scoped grant).
pub async fn ids_in_bundles(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    bundles: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, DbErr> {
    Ok(compound::Entity::find()
        .filter(compound::Column::TenantId.eq(tenant))
        .filter(compound::Column::BundleId.is_in(bundles.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.bundle_id))
        .collect())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    f: CompoundFields,
) -> Result<Compound, DbErr> {
    compound::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        archived_at: Set(None),
        ..fields_to_active(f)
    }
    .insert(db)
    .await?
    .try_into()
}

fn fields_to_active(f: CompoundFields) -> compound::ActiveModel {
    compound::ActiveModel {
        bundle_id: Set(f.bundle_id),
        name: Set(f.name.into_inner()),
        address: Set(f.address.into_inner()),
        management_mode: Set(f.management_mode.code().to_owned()),
        charging_mode: Set(f.charging_mode.code().to_owned()),
        onboarding_stage: Set(f.onboarding_stage.code().to_owned()),
        has_cctv: Set(f.security.cctv),
        has_gatehouse: Set(f.security.gatehouse),
        has_guard: Set(f.security.guard),
        has_lighting: Set(f.security.lighting),
        has_gate: Set(f.security.gate),
        ..Default::default()
    }
}

pub async fn update(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    fields: Option<CompoundFields>,
    archive: bool,
) -> Result<Option<Compound>, DbErr> {
    let Some(model) = compound::Entity::find_by_id((tenant, id)).one(db).await? else {
        return Ok(None);
    };
    let mut am = model.into_active_model();
    if let Some(f) = fields {
        let new = fields_to_active(f);
        am.bundle_id = new.bundle_id;
        am.name = new.name;
        am.address = new.address;
        am.management_mode = new.management_mode;
        am.charging_mode = new.charging_mode;
        am.onboarding_stage = new.onboarding_stage;
        am.has_cctv = new.has_cctv;
        am.has_gatehouse = new.has_gatehouse;
        am.has_guard = new.has_guard;
        am.has_lighting = new.has_lighting;
        am.has_gate = new.has_gate;
    }
    if archive {
        am.archived_at = Set(Some(Utc::now()));
    }
    am.update(db).await?.try_into().map(Some)
}

/// Every compound matching `filter` that `reach` sees, all pages.
pub async fn all(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    reach: &Reach,
    filter: &CompoundFilter,
) -> Result<Vec<Compound>, DbErr> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = list(db, tenant, reach, filter, PageRequest { after, limit: 100 }).await?;
        after = page.items.last().map(|c| c.id);
        out.extend(page.items);
        if !page.has_next {
            return Ok(out);
        }
    }
}

/// Sets (or with `None` removes) the late-fee terms of a compound's contract.
pub async fn set_late_fee(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    terms: Option<LateFeeTerms>,
) -> Result<Option<Compound>, DbErr> {
    let Some(model) = compound::Entity::find_by_id((tenant, id)).one(db).await? else {
        return Ok(None);
    };
    let mut am = model.into_active_model();
    am.late_fee_daily_bp = Set(terms.map(|t| i32::from(t.daily_rate_bp())));
    am.late_fee_grace_days = Set(terms.map(|t| i32::from(t.grace_days())));
    am.late_fee_cap_bp = Set(terms.map(|t| i32::from(t.cap().get())));
    am.update(db).await?.try_into().map(Some)
}

/// Sets (or with `None` removes) the committee's Stripe connected account.
pub async fn set_committee_account(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    account: Option<String>,
) -> Result<Option<Compound>, DbErr> {
    let Some(model) = compound::Entity::find_by_id((tenant, id)).one(db).await? else {
        return Ok(None);
    };
    let mut am = model.into_active_model();
    am.committee_stripe_account = Set(account);
    am.update(db).await?.try_into().map(Some)
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
