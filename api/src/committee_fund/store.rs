//! Payouts of a compound's committee fund to the committee's own Stripe account.

use chrono::Utc;
use domain::Money;
use domain::online::{PayoutChannel, PayoutStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::model::{NewPayout, Payout};
use crate::platform::schema::committee_payout;
use crate::platform::storage::corrupt;

fn to_payout(m: committee_payout::Model) -> Result<Payout, DbErr> {
    Ok(Payout {
        status: PayoutStatus::from_code(&m.status)
            .ok_or_else(|| corrupt("payout status", &m.status))?,
        id: m.id,
        compound_id: m.compound_id,
        destination: m.destination,
        amount: Money::from_fen(m.amount_fen),
        stripe_transfer_id: m.stripe_transfer_id,
        failure: m.failure,
        created_at: m.created_at,
        channel: PayoutChannel::from_code(&m.channel)
            .ok_or_else(|| corrupt("payout channel", &m.channel))?,
        purpose: m.purpose,
        requested_by: m.requested_by,
        decided_by: m.decided_by,
        decided_at: m.decided_at,
        decision_note: m.decision_note,
        matter_id: m.matter_id,
    })
}

/// Writes a new payout: pending with Stripe, or proposed for the committee's decision.
pub async fn insert_payout(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    p: NewPayout<'_>,
) -> Result<Payout, DbErr> {
    let now = Utc::now();
    let status = match p.channel {
        PayoutChannel::Stripe => PayoutStatus::Pending,
        PayoutChannel::BankTransfer => PayoutStatus::Proposed,
    };
    to_payout(
        committee_payout::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(now),
            compound_id: Set(p.compound),
            destination: Set(p.destination.to_owned()),
            amount_fen: Set(p.amount.fen()),
            status: Set(status.code().to_owned()),
            stripe_transfer_id: Set(None),
            failure: Set(None),
            requested_by: Set(p.requested_by),
            updated_at: Set(now),
            channel: Set(p.channel.code().to_owned()),
            purpose: Set(p.purpose),
            decided_by: Set(None),
            decided_at: Set(None),
            decision_note: Set(None),
            idempotency_key: Set(p.idempotency_key),
            matter_id: Set(p.matter),
        }
        .insert(db)
        .await?,
    )
}

pub async fn find_payout(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Payout>, DbErr> {
    committee_payout::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_payout)
        .transpose()
}

pub async fn find_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<Payout>, DbErr> {
    committee_payout::Entity::find()
        .filter(committee_payout::Column::TenantId.eq(tenant))
        .filter(committee_payout::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(to_payout)
        .transpose()
}

pub async fn payouts_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Payout>, DbErr> {
    committee_payout::Entity::find()
        .filter(committee_payout::Column::TenantId.eq(tenant))
        .filter(committee_payout::Column::CompoundId.eq(compound))
        .order_by_desc(committee_payout::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_payout)
        .collect()
}

pub async fn save_payout(db: &impl ConnectionTrait, tenant: Uuid, p: &Payout) -> Result<(), DbErr> {
    let Some(m) = committee_payout::Entity::find_by_id((tenant, p.id))
        .one(db)
        .await?
    else {
        return Err(DbErr::RecordNotFound("payout".into()));
    };
    let mut am = m.into_active_model();
    am.status = Set(p.status.code().to_owned());
    am.stripe_transfer_id = Set(p.stripe_transfer_id.clone());
    am.failure = Set(p.failure.clone());
    am.decided_by = Set(p.decided_by);
    am.decided_at = Set(p.decided_at);
    am.decision_note = Set(p.decision_note.clone());
    am.updated_at = Set(Utc::now());
    am.update(db).await?;
    Ok(())
}
