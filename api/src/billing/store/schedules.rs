//! Fee schedule versions with their items, and add-on activations.

use std::collections::HashMap;

use chrono::Utc;
use domain::Money;
use domain::billing::ScheduleScope;
use domain::billing::{BillingPeriod, FeeItem, FeeItemKind, Pricing};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::billing::model::{Activation, NewActivation, Schedule};
use crate::platform::schema::{addon_activation, fee_schedule, fee_schedule_item};
use crate::platform::storage::corrupt;

fn pricing_code(p: Pricing) -> (&'static str, i64) {
    match p {
        Pricing::PerHousehold(m) => ("per_household", m.fen()),
        Pricing::PerSquareMetre(m) => ("per_square_metre", m.fen()),
    }
}

fn to_item(m: &fee_schedule_item::Model) -> Result<FeeItem, DbErr> {
    let kind = FeeItemKind::from_code(&m.kind).ok_or_else(|| corrupt("fee item", &m.kind))?;
    let rate = Money::from_fen(m.rate_fen);
    let pricing = match m.pricing.as_str() {
        "per_household" => Pricing::PerHousehold(rate),
        "per_square_metre" => Pricing::PerSquareMetre(rate),
        other => return Err(corrupt("pricing", other)),
    };
    Ok(FeeItem { kind, pricing })
}

/// Every schedule version of the tenant (a few per compound), with items.
pub async fn schedules(db: &impl ConnectionTrait, tenant: Uuid) -> Result<Vec<Schedule>, DbErr> {
    let heads = fee_schedule::Entity::find()
        .filter(fee_schedule::Column::TenantId.eq(tenant))
        .order_by_asc(fee_schedule::Column::EffectiveFrom)
        .all(db)
        .await?;
    let items = fee_schedule_item::Entity::find()
        .filter(fee_schedule_item::Column::TenantId.eq(tenant))
        .order_by_asc(fee_schedule_item::Column::Id)
        .all(db)
        .await?;
    let mut by_schedule: HashMap<Uuid, Vec<FeeItem>> = HashMap::new();
    for i in &items {
        by_schedule
            .entry(i.schedule_id)
            .or_default()
            .push(to_item(i)?);
    }
    heads
        .into_iter()
        .map(|h| {
            let scope = match (h.compound_id, h.bundle_id) {
                (Some(c), _) => ScheduleScope::Compound(c),
                (None, Some(b)) => ScheduleScope::Bundle(b),
                (None, None) => return Err(corrupt("schedule scope", &h.scope_key)),
            };
            Ok(Schedule {
                id: h.id,
                scope,
                effective_from: BillingPeriod::from_code(h.effective_from)
                    .map_err(|_| corrupt("period", &h.effective_from.to_string()))?,
                note: h.note,
                items: by_schedule.remove(&h.id).unwrap_or_default(),
                created_at: h.created_at,
            })
        })
        .collect()
}

pub async fn insert_schedule(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    scope: ScheduleScope,
    effective_from: BillingPeriod,
    note: String,
    created_by: Uuid,
    items: &[FeeItem],
) -> Result<Schedule, DbErr> {
    let id = domain::new_id();
    let now = Utc::now();
    let (compound_id, bundle_id) = match scope {
        ScheduleScope::Compound(c) => (Some(c), None),
        ScheduleScope::Bundle(b) => (None, Some(b)),
    };
    fee_schedule::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        created_at: Set(now),
        compound_id: Set(compound_id),
        bundle_id: Set(bundle_id),
        scope_key: Set(scope.key()),
        effective_from: Set(effective_from.code()),
        note: Set(note.clone()),
        created_by: Set(created_by),
    }
    .insert(db)
    .await?;
    for item in items {
        let (pricing, rate) = pricing_code(item.pricing);
        fee_schedule_item::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(now),
            schedule_id: Set(id),
            kind: Set(item.kind.code().to_owned()),
            pricing: Set(pricing.to_owned()),
            rate_fen: Set(rate),
        }
        .insert(db)
        .await?;
    }
    Ok(Schedule {
        id,
        scope,
        effective_from,
        note,
        items: items.to_vec(),
        created_at: now,
    })
}

pub async fn activations(
    db: &impl ConnectionTrait,
    tenant: Uuid,
) -> Result<Vec<Activation>, DbErr> {
    addon_activation::Entity::find()
        .filter(addon_activation::Column::TenantId.eq(tenant))
        .order_by_asc(addon_activation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(Activation {
                id: m.id,
                compound_id: m.compound_id,
                kind: FeeItemKind::from_code(&m.kind)
                    .ok_or_else(|| corrupt("fee item", &m.kind))?,
                from: BillingPeriod::from_code(m.from_period)
                    .map_err(|_| corrupt("period", &m.from_period.to_string()))?,
                to: m
                    .to_period
                    .map(BillingPeriod::from_code)
                    .transpose()
                    .map_err(|_| corrupt("period", "to"))?,
                decision_ref: m.decision_ref,
                matter_id: m.matter_id,
            })
        })
        .collect()
}

pub async fn insert_activation(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    a: NewActivation,
) -> Result<Activation, DbErr> {
    let m = addon_activation::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        compound_id: Set(a.compound),
        kind: Set(a.kind.code().to_owned()),
        from_period: Set(a.from.code()),
        to_period: Set(a.to.map(BillingPeriod::code)),
        decision_ref: Set(a.decision_ref.clone()),
        activated_by: Set(a.by),
        matter_id: Set(a.matter),
    }
    .insert(db)
    .await?;
    Ok(Activation {
        id: m.id,
        compound_id: a.compound,
        kind: a.kind,
        from: a.from,
        to: a.to,
        decision_ref: a.decision_ref,
        matter_id: a.matter,
    })
}
