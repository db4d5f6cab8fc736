//! The owners' terms for a compound's common-part income: the resolutions that allowed its
//! business use and the split rules they adopted.

use domain::income::IncomeCategory;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::codes::{category, period, rule};
use crate::income::model::{NewResolution, Resolution, RuleVersion};
use crate::platform::files::{FileKind, StoredFile};
use crate::platform::schema::{business_use_resolution as res, income_split_rule as split};

fn to_resolution(m: res::Model) -> Resolution {
    let scan = match (
        m.scan_key,
        m.scan_type.as_deref().and_then(FileKind::from_content_type),
    ) {
        (Some(key), Some(kind)) => Some(StoredFile { key, kind }),
        _ => None,
    };
    Resolution {
        id: m.id,
        compound_id: m.compound_id,
        matter_id: m.matter_id,
        document_no: m.document_no,
        decided_on: m.decided_on,
        note: m.note,
        scan,
        recorded_at: m.created_at,
    }
}

fn to_rule(m: split::Model) -> Result<RuleVersion, DbErr> {
    Ok(RuleVersion {
        id: m.id,
        compound_id: m.compound_id,
        category: category(&m.category)?,
        effective_from: period(m.effective_from)?,
        rule: rule(m.owners_bp, m.firm_bp)?,
        resolution_id: m.resolution_id,
        recorded_at: m.created_at,
    })
}

pub async fn insert_resolution(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    r: NewResolution,
) -> Result<Resolution, DbErr> {
    let m = res::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(r.recorded_at),
        compound_id: Set(r.compound),
        document_no: Set(r.document_no),
        decided_on: Set(r.decided_on),
        note: Set(r.note),
        matter_id: Set(r.matter),
        scan_key: Set(None),
        scan_type: Set(None),
        recorded_by: Set(r.recorded_by),
    }
    .insert(db)
    .await?;
    Ok(to_resolution(m))
}

/// A compound's resolutions, the latest decided first.
pub async fn resolutions_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Resolution>, DbErr> {
    Ok(res::Entity::find()
        .filter(res::Column::TenantId.eq(tenant))
        .filter(res::Column::CompoundId.eq(compound))
        .order_by_desc(res::Column::DecidedOn)
        .order_by_desc(res::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_resolution)
        .collect())
}

pub async fn resolution_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    id: Uuid,
) -> Result<Option<Resolution>, DbErr> {
    Ok(res::Entity::find_by_id((tenant, id))
        .filter(res::Column::CompoundId.eq(compound))
        .one(db)
        .await?
        .map(to_resolution))
}

/// A resolution by its id alone (its compound is checked by the caller).
pub async fn resolution_by_id(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Resolution>, DbErr> {
    Ok(res::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_resolution))
}

/// Attaches a resolution's scan, once: `false` when it already has one.
pub async fn set_scan(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    scan: &StoredFile,
) -> Result<bool, DbErr> {
    let done = res::Entity::update_many()
        .col_expr(res::Column::ScanKey, Expr::value(scan.key.clone()))
        .col_expr(res::Column::ScanType, Expr::value(scan.kind.content_type()))
        .filter(res::Column::TenantId.eq(tenant))
        .filter(res::Column::Id.eq(id))
        .filter(res::Column::ScanKey.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

pub async fn insert_rule(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    version: &RuleVersion,
    recorded_by: Uuid,
) -> Result<(), DbErr> {
    split::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(version.id),
        created_at: Set(version.recorded_at),
        compound_id: Set(version.compound_id),
        category: Set(version.category.code().to_owned()),
        effective_from: Set(version.effective_from.code()),
        owners_bp: Set(i32::from(version.rule.owners().get())),
        firm_bp: Set(i32::from(version.rule.firm().get())),
        resolution_id: Set(version.resolution_id),
        recorded_by: Set(recorded_by),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Whether `category` already has a version from `from`.
pub async fn rule_exists(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    category: IncomeCategory,
    from: domain::billing::BillingPeriod,
) -> Result<bool, DbErr> {
    Ok(split::Entity::find()
        .filter(split::Column::TenantId.eq(tenant))
        .filter(split::Column::CompoundId.eq(compound))
        .filter(split::Column::Category.eq(category.code()))
        .filter(split::Column::EffectiveFrom.eq(from.code()))
        .count(db)
        .await?
        > 0)
}

/// A compound's split rule versions, by category and then the latest first.
pub async fn rules_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<RuleVersion>, DbErr> {
    split::Entity::find()
        .filter(split::Column::TenantId.eq(tenant))
        .filter(split::Column::CompoundId.eq(compound))
        .order_by_asc(split::Column::Category)
        .order_by_desc(split::Column::EffectiveFrom)
        .all(db)
        .await?
        .into_iter()
        .map(to_rule)
        .collect()
}

/// The split rule versions of several compounds.
pub async fn rules_of_compounds(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
) -> Result<Vec<RuleVersion>, DbErr> {
    split::Entity::find()
        .filter(split::Column::TenantId.eq(tenant))
        .filter(split::Column::CompoundId.is_in(compounds.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(to_rule)
        .collect()
}
