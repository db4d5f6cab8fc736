//! Online payment attempts and refunds (tenant data), and the platform's log of Stripe
//! webhook events and of which tenant each Stripe object belongs to.

use std::collections::HashSet;

use chrono::Utc;
use domain::Money;
use domain::online::{AttemptStatus, RefundStatus};
use sea_orm::sea_query::{CaseStatement, Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use uuid::Uuid;

use super::model::{Attempt, EventRecord, NewAttempt, NewEvent, NewRefund, Refund};
use crate::platform::schema::{online_refund, payment_attempt, stripe_event, stripe_link};
use crate::platform::storage::corrupt;

fn to_attempt(m: payment_attempt::Model) -> Result<Attempt, DbErr> {
    Ok(Attempt {
        status: AttemptStatus::from_code(&m.status)
            .ok_or_else(|| corrupt("attempt status", &m.status))?,
        invoices: m
            .invoice_ids
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Uuid::parse_str(s).map_err(|_| corrupt("invoice id", s)))
            .collect::<Result<_, _>>()?,
        id: m.id,
        household_id: m.household_id,
        compound_id: m.compound_id,
        amount: Money::from_fen(m.amount_fen),
        intent_id: m.intent_id,
        payment_id: m.payment_id,
        failure: m.failure,
        started_by: m.started_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub async fn insert_attempt(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    a: NewAttempt,
) -> Result<Attempt, DbErr> {
    let now = Utc::now();
    let ids: Vec<String> = a.invoices.iter().map(Uuid::to_string).collect();
    let m = payment_attempt::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(now),
        household_id: Set(a.household),
        compound_id: Set(a.compound),
        amount_fen: Set(a.amount.fen()),
        invoice_ids: Set(ids.join(",")),
        status: Set(AttemptStatus::Created.code().to_owned()),
        intent_id: Set(None),
        payment_id: Set(None),
        failure: Set(None),
        started_by: Set(a.started_by),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    to_attempt(m)
}

pub async fn find_attempt(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Attempt>, DbErr> {
    payment_attempt::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_attempt)
        .transpose()
}

/// Locks the attempt's row for the rest of the transaction (PostgreSQL), so concurrent
/// deliveries of events about it apply one after the other.
pub async fn lock_attempt(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Attempt>, DbErr> {
    Ok(lock_attempts(db, tenant, &[id]).await?.pop())
}

/// Locks these attempts (in id order, as every path locks them) and returns those found.
pub async fn lock_attempts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Attempt>, DbErr> {
    let mut q = payment_attempt::Entity::find()
        .filter(payment_attempt::Column::TenantId.eq(tenant))
        .filter(payment_attempt::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(payment_attempt::Column::Id);
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.all(db).await?.into_iter().map(to_attempt).collect()
}

pub async fn find_attempt_by_intent(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    intent: &str,
) -> Result<Option<Attempt>, DbErr> {
    payment_attempt::Entity::find()
        .filter(payment_attempt::Column::TenantId.eq(tenant))
        .filter(payment_attempt::Column::IntentId.eq(intent))
        .one(db)
        .await?
        .map(to_attempt)
        .transpose()
}

pub async fn find_attempt_by_payment(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    payment: Uuid,
) -> Result<Option<Attempt>, DbErr> {
    payment_attempt::Entity::find()
        .filter(payment_attempt::Column::TenantId.eq(tenant))
        .filter(payment_attempt::Column::PaymentId.eq(payment))
        .one(db)
        .await?
        .map(to_attempt)
        .transpose()
}

/// The firm's latest attempts, newest first.
pub async fn recent_attempts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: Option<&[Uuid]>,
    limit: u64,
) -> Result<Vec<Attempt>, DbErr> {
    let mut q = payment_attempt::Entity::find()
        .filter(payment_attempt::Column::TenantId.eq(tenant))
        .order_by_desc(payment_attempt::Column::Id)
        .limit(limit);
    if let Some(ids) = compounds {
        q = q.filter(payment_attempt::Column::CompoundId.is_in(ids.iter().copied()));
    }
    q.all(db).await?.into_iter().map(to_attempt).collect()
}

/// Writes what changed of an attempt: status, intent, payment, failure.
pub async fn save_attempt(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    a: &Attempt,
) -> Result<(), DbErr> {
    save_attempts(db, tenant, std::slice::from_ref(a)).await
}

/// [`save_attempt`] for many attempts in one statement (each column set by a `CASE` on the
/// attempt's id).
pub async fn save_attempts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    attempts: &[Attempt],
) -> Result<(), DbErr> {
    use payment_attempt::Column as C;
    if attempts.is_empty() {
        return Ok(());
    }
    let by_id = |value: fn(&Attempt) -> sea_orm::Value| -> Expr {
        let case = attempts.iter().fold(CaseStatement::new(), |case, a| {
            case.case(C::Id.eq(a.id), value(a))
        });
        case.into()
    };
    let done = payment_attempt::Entity::update_many()
        .col_expr(C::Status, by_id(|a| a.status.code().into()))
        .col_expr(C::IntentId, by_id(|a| a.intent_id.clone().into()))
        .col_expr(C::PaymentId, by_id(|a| a.payment_id.into()))
        .col_expr(C::Failure, by_id(|a| a.failure.clone().into()))
        .col_expr(C::UpdatedAt, Expr::value(Utc::now()))
        .filter(C::TenantId.eq(tenant))
        .filter(C::Id.is_in(attempts.iter().map(|a| a.id)))
        .exec(db)
        .await?;
    if done.rows_affected == attempts.len() as u64 {
        Ok(())
    } else {
        Err(DbErr::RecordNotFound("payment attempt".into()))
    }
}

// ---- refunds ----

fn to_refund(m: online_refund::Model) -> Result<Refund, DbErr> {
    Ok(Refund {
        status: RefundStatus::from_code(&m.status)
            .ok_or_else(|| corrupt("refund status", &m.status))?,
        id: m.id,
        attempt_id: m.attempt_id,
        payment_id: m.payment_id,
        amount: Money::from_fen(m.amount_fen),
        reason: m.reason,
        stripe_refund_id: m.stripe_refund_id,
        requested_by: m.requested_by,
        created_at: m.created_at,
    })
}

pub async fn insert_refund(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    attempt: &Attempt,
    r: NewRefund,
) -> Result<Refund, DbErr> {
    let now = Utc::now();
    let m = online_refund::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(now),
        attempt_id: Set(attempt.id),
        payment_id: Set(r.payment),
        amount_fen: Set(r.amount.fen()),
        reason: Set(r.reason),
        status: Set(RefundStatus::Pending.code().to_owned()),
        stripe_refund_id: Set(r.stripe_refund_id),
        requested_by: Set(r.requested_by),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    to_refund(m)
}

pub async fn lock_refund(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Refund>, DbErr> {
    let mut q = online_refund::Entity::find_by_id((tenant, id));
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(db).await?.map(to_refund).transpose()
}

pub async fn find_refund_by_stripe_id(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    stripe_id: &str,
) -> Result<Option<Refund>, DbErr> {
    online_refund::Entity::find()
        .filter(online_refund::Column::TenantId.eq(tenant))
        .filter(online_refund::Column::StripeRefundId.eq(stripe_id))
        .one(db)
        .await?
        .map(to_refund)
        .transpose()
}

pub async fn refunds_of_attempts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    attempts: &[Uuid],
) -> Result<Vec<Refund>, DbErr> {
    online_refund::Entity::find()
        .filter(online_refund::Column::TenantId.eq(tenant))
        .filter(online_refund::Column::AttemptId.is_in(attempts.iter().copied()))
        .order_by_asc(online_refund::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_refund)
        .collect()
}

pub async fn save_refund(db: &impl ConnectionTrait, tenant: Uuid, r: &Refund) -> Result<(), DbErr> {
    let Some(m) = online_refund::Entity::find_by_id((tenant, r.id))
        .one(db)
        .await?
    else {
        return Err(DbErr::RecordNotFound("refund".into()));
    };
    let mut am = m.into_active_model();
    am.status = Set(r.status.code().to_owned());
    am.payment_id = Set(r.payment_id);
    am.stripe_refund_id = Set(r.stripe_refund_id.clone());
    am.updated_at = Set(Utc::now());
    am.update(db).await?;
    Ok(())
}

// ---- platform: events and links ----

/// Records an event by Stripe's id. `false` when it was already recorded (a repeated
/// delivery): on PostgreSQL a concurrent delivery of the same event waits here until the
/// first one's transaction ends, then sees it.
pub async fn record_event(db: &impl ConnectionTrait, e: NewEvent<'_>) -> Result<bool, DbErr> {
    Ok(!record_events(db, [e]).await?.is_empty())
}

/// [`record_event`] for many events in one statement: the ids of those not recorded before.
pub async fn record_events<'a>(
    db: &impl ConnectionTrait,
    events: impl IntoIterator<Item = NewEvent<'a>>,
) -> Result<HashSet<String>, DbErr> {
    let now = Utc::now();
    let rows: Vec<stripe_event::ActiveModel> = events
        .into_iter()
        .map(|e| stripe_event::ActiveModel {
            id: Set(e.id.to_owned()),
            event_type: Set(e.event_type.chars().take(100).collect()),
            object_id: Set(e.object_id.map(str::to_owned)),
            tenant_id: Set(e.tenant),
            outcome: Set(e.outcome.to_owned()),
            detail: Set(e.detail.map(|d| d.chars().take(500).collect())),
            stripe_created: Set(e.stripe_created),
            received_at: Set(now),
        })
        .collect();
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    // Built here rather than by sea-orm's returning insert, which it offers on SQLite only
    // behind a feature that would change every other insert too.
    let insert = stripe_event::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(stripe_event::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .into_query()
        .returning_col(stripe_event::Column::Id)
        .to_owned();
    db.query_all_raw(db.get_database_backend().build(&insert))
        .await?
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect()
}

/// The events recorded for a tenant, newest first.
pub async fn events_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    limit: u64,
) -> Result<Vec<EventRecord>, DbErr> {
    Ok(stripe_event::Entity::find()
        .filter(stripe_event::Column::TenantId.eq(tenant))
        .order_by_desc(stripe_event::Column::ReceivedAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| EventRecord {
            id: m.id,
            event_type: m.event_type,
            object_id: m.object_id,
            outcome: m.outcome,
            detail: m.detail,
            received_at: m.received_at,
        })
        .collect())
}

pub async fn link(db: &impl ConnectionTrait, object: &str, tenant: Uuid) -> Result<(), DbErr> {
    stripe_link::Entity::insert(stripe_link::ActiveModel {
        object_id: Set(object.to_owned()),
        tenant_id: Set(tenant),
    })
    .on_conflict(
        OnConflict::column(stripe_link::Column::ObjectId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn tenant_of(db: &impl ConnectionTrait, object: &str) -> Result<Option<Uuid>, DbErr> {
    Ok(stripe_link::Entity::find_by_id(object.to_owned())
        .one(db)
        .await?
        .map(|l| l.tenant_id))
}
