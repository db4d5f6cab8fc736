//! Each compound's dispatch rules (the defaults where a compound has set none).

use chrono::{DateTime, Utc};
use domain::Money;
use domain::dispatch::{Deadlines, Rules, Window};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::platform::schema::dispatch_rule as rule;
use crate::platform::storage::corrupt;

fn window(respond: i32, resolve: i32) -> Result<Window, DbErr> {
    u32::try_from(respond)
        .ok()
        .zip(u32::try_from(resolve).ok())
        .and_then(|(a, b)| Window::new(a, b).ok())
        .ok_or_else(|| corrupt("time limit", &format!("{respond}/{resolve}")))
}

fn minutes(m: u32) -> i32 {
    i32::try_from(m).unwrap_or(i32::MAX)
}

pub async fn rules_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Rules, DbErr> {
    let Some(m) = rule::Entity::find()
        .filter(rule::Column::TenantId.eq(tenant))
        .filter(rule::Column::CompoundId.eq(compound))
        .one(db)
        .await?
    else {
        return Ok(Rules::default());
    };
    Ok(Rules {
        deadlines: Deadlines {
            emergency: window(m.emergency_respond, m.emergency_resolve)?,
            urgent: window(m.urgent_respond, m.urgent_resolve)?,
            normal: window(m.normal_respond, m.normal_resolve)?,
        },
        confirm_above: Money::from_fen(m.confirm_above_fen),
    })
}

/// Sets a compound's rules, replacing any it had.
pub async fn set_rules(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    r: &Rules,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let existing = rule::Entity::find()
        .filter(rule::Column::TenantId.eq(tenant))
        .filter(rule::Column::CompoundId.eq(compound))
        .one(db)
        .await?;
    let d = &r.deadlines;
    let mut m = rule::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(existing.as_ref().map_or_else(domain::new_id, |e| e.id)),
        created_at: Set(existing.as_ref().map_or(at, |e| e.created_at)),
        compound_id: Set(compound),
        emergency_respond: Set(minutes(d.emergency.respond_minutes)),
        emergency_resolve: Set(minutes(d.emergency.resolve_minutes)),
        urgent_respond: Set(minutes(d.urgent.respond_minutes)),
        urgent_resolve: Set(minutes(d.urgent.resolve_minutes)),
        normal_respond: Set(minutes(d.normal.respond_minutes)),
        normal_resolve: Set(minutes(d.normal.resolve_minutes)),
        confirm_above_fen: Set(r.confirm_above.fen()),
        updated_at: Set(at),
    };
    if existing.is_some() {
        m.tenant_id = sea_orm::ActiveValue::Unchanged(tenant);
        m.update(db).await?;
    } else {
        m.insert(db).await?;
    }
    Ok(())
}
