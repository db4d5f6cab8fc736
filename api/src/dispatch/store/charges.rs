//! What households owe for repairs they bore, a row per verified round of an order.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::dispatch::model::RepairCharge;
use crate::platform::schema::repair_charge as charge;

pub async fn insert_charge(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    c: &RepairCharge,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    charge::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(c.id),
        created_at: Set(at),
        order_id: Set(c.order_id),
        round: Set(c.round),
        household_id: Set(c.household_id),
        amount_fen: Set(c.amount.fen()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The charges of these households, oldest first.
pub async fn charges_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
) -> Result<Vec<RepairCharge>, DbErr> {
    Ok(charge::Entity::find()
        .filter(charge::Column::TenantId.eq(tenant))
        .filter(charge::Column::HouseholdId.is_in(households.iter().copied()))
        .order_by_asc(charge::Column::CreatedAt)
        .order_by_asc(charge::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| RepairCharge {
            id: m.id,
            order_id: m.order_id,
            round: m.round,
            household_id: m.household_id,
            amount: domain::Money::from_fen(m.amount_fen),
        })
        .collect())
}
