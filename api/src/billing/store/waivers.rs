//! Hardship records and waiver grants, and the waived invoices a subsidy claim lists.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::billing::{BillingPeriod, GrantStatus, HardshipCategory, WaiverAmount};
use domain::ledger::WaiverFunding;
use domain::{BasisPoints, Money};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::billing::model::{Grant, Hardship, NewGrant};
use crate::platform::schema::{hardship_record, waiver_grant};
use crate::platform::storage::corrupt;

impl TryFrom<hardship_record::Model> for Hardship {
    type Error = DbErr;

    fn try_from(m: hardship_record::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            household_id: m.household_id,
            category: HardshipCategory::from_code(&m.category)
                .ok_or_else(|| corrupt("hardship category", &m.category))?,
            certificate_no: m.certificate_no,
            evidence: m.evidence,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
        })
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one column each; called from two places"
)]
pub async fn insert_hardship(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
    category: HardshipCategory,
    certificate_no: String,
    evidence: String,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    by: Uuid,
) -> Result<Hardship, DbErr> {
    hardship_record::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        household_id: Set(household),
        category: Set(category.code().to_owned()),
        certificate_no: Set(certificate_no),
        evidence: Set(evidence),
        valid_from: Set(valid_from),
        valid_to: Set(valid_to),
        recorded_by: Set(by),
    }
    .insert(db)
    .await?
    .try_into()
}

pub async fn hardship_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
) -> Result<Vec<Hardship>, DbErr> {
    hardship_record::Entity::find()
        .filter(hardship_record::Column::TenantId.eq(tenant))
        .filter(hardship_record::Column::HouseholdId.eq(household))
        .order_by_asc(hardship_record::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

pub async fn find_hardship(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Hardship>, DbErr> {
    hardship_record::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub(super) fn parse_funding(s: &str) -> Result<WaiverFunding, DbErr> {
    WaiverFunding::from_code(s).ok_or_else(|| corrupt("waiver funding", s))
}

fn to_grant(m: waiver_grant::Model) -> Result<Grant, DbErr> {
    let amount = match m.kind.as_str() {
        "full" => WaiverAmount::Full,
        "percent" => WaiverAmount::Percent(
            BasisPoints::new(
                u16::try_from(m.value).map_err(|_| corrupt("bp", &m.value.to_string()))?,
            )
            .map_err(|_| corrupt("bp", &m.value.to_string()))?,
        ),
        "fixed" => WaiverAmount::FixedPerMonth(Money::from_fen(m.value)),
        other => return Err(corrupt("waiver kind", other)),
    };
    Ok(Grant {
        id: m.id,
        household_id: m.household_id,
        hardship_id: m.hardship_id,
        amount,
        from: BillingPeriod::from_code(m.from_period).map_err(|_| corrupt("period", "from"))?,
        to: BillingPeriod::from_code(m.to_period).map_err(|_| corrupt("period", "to"))?,
        funding: parse_funding(&m.funding)?,
        proposed_by: m.proposed_by,
        decided_by: m.decided_by,
        status: GrantStatus::from_code(&m.status)
            .ok_or_else(|| corrupt("grant status", &m.status))?,
    })
}

pub async fn insert_grant(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    g: NewGrant,
) -> Result<Grant, DbErr> {
    let (kind, value) = match g.amount {
        WaiverAmount::Full => ("full", 0),
        WaiverAmount::Percent(bp) => ("percent", i64::from(bp.get())),
        WaiverAmount::FixedPerMonth(m) => ("fixed", m.fen()),
    };
    to_grant(
        waiver_grant::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(Utc::now()),
            household_id: Set(g.household),
            hardship_id: Set(g.hardship),
            kind: Set(kind.to_owned()),
            value: Set(value),
            from_period: Set(g.from.code()),
            to_period: Set(g.to.code()),
            funding: Set(g.funding.code().to_owned()),
            proposed_by: Set(g.proposed_by),
            decided_by: Set(None),
            decided_at: Set(None),
            status: Set(GrantStatus::Proposed.code().to_owned()),
        }
        .insert(db)
        .await?,
    )
}

pub async fn find_grant(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Grant>, DbErr> {
    waiver_grant::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_grant)
        .transpose()
}

/// Moves a grant from `from` to `to` (a transition `GrantStatus::decided` allows); `None` if
/// it was no longer `from`.
pub async fn decide_grant(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    (from, to): (GrantStatus, GrantStatus),
    by: Uuid,
) -> Result<Option<Grant>, DbErr> {
    let res = waiver_grant::Entity::update_many()
        .col_expr(waiver_grant::Column::Status, Expr::value(to.code()))
        .col_expr(waiver_grant::Column::DecidedBy, Expr::value(by))
        .col_expr(waiver_grant::Column::DecidedAt, Expr::value(Utc::now()))
        .filter(waiver_grant::Column::TenantId.eq(tenant))
        .filter(waiver_grant::Column::Id.eq(id))
        .filter(waiver_grant::Column::Status.eq(from.code()))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    find_grant(db, tenant, id).await
}

pub async fn grants_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
) -> Result<Vec<Grant>, DbErr> {
    waiver_grant::Entity::find()
        .filter(waiver_grant::Column::TenantId.eq(tenant))
        .filter(waiver_grant::Column::HouseholdId.eq(household))
        .order_by_asc(waiver_grant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_grant)
        .collect()
}

/// Approved grants covering `period` for these households (the latest approved wins).
pub async fn approved_grants(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
    period: BillingPeriod,
) -> Result<HashMap<Uuid, Grant>, DbErr> {
    let rows = waiver_grant::Entity::find()
        .filter(waiver_grant::Column::TenantId.eq(tenant))
        .filter(waiver_grant::Column::HouseholdId.is_in(households.iter().copied()))
        .filter(waiver_grant::Column::Status.eq(GrantStatus::Approved.code()))
        .filter(waiver_grant::Column::FromPeriod.lte(period.code()))
        .filter(waiver_grant::Column::ToPeriod.gte(period.code()))
        .order_by_asc(waiver_grant::Column::Id)
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for r in rows {
        let g = to_grant(r)?;
        out.insert(g.household_id, g);
    }
    Ok(out)
}

/// Approved grants whose last period is `through` or earlier but still this side of `since`.
pub async fn grants_expiring(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    from: BillingPeriod,
    through: BillingPeriod,
) -> Result<Vec<Grant>, DbErr> {
    waiver_grant::Entity::find()
        .filter(waiver_grant::Column::TenantId.eq(tenant))
        .filter(waiver_grant::Column::Status.eq(GrantStatus::Approved.code()))
        .filter(waiver_grant::Column::ToPeriod.gte(from.code()))
        .filter(waiver_grant::Column::ToPeriod.lte(through.code()))
        .order_by_asc(waiver_grant::Column::ToPeriod)
        .all(db)
        .await?
        .into_iter()
        .map(to_grant)
        .collect()
}

pub async fn grants_by_id(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Grant>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1_000) {
        for m in waiver_grant::Entity::find()
            .filter(waiver_grant::Column::TenantId.eq(tenant))
            .filter(waiver_grant::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            let g = to_grant(m)?;
            out.insert(g.id, g);
        }
    }
    Ok(out)
}

pub async fn hardship_by_id(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Hardship>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1_000) {
        for m in hardship_record::Entity::find()
            .filter(hardship_record::Column::TenantId.eq(tenant))
            .filter(hardship_record::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(m.id, Hardship::try_from(m)?);
        }
    }
    Ok(out)
}
