//! Committee seats, one row per member's term.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::codes;
use crate::governance::model::Seat;
use crate::platform::schema::committee_seat as seat;

fn to_seat(m: seat::Model) -> Result<Seat, DbErr> {
    Ok(Seat {
        id: m.id,
        compound_id: m.compound_id,
        body: codes::body(&m.body)?,
        name: m.name,
        post: codes::post(&m.post)?,
        phone: m.phone,
        user_id: m.user_id,
        term_from: m.term_from,
        term_to: m.term_to,
        ended_on: m.ended_on,
    })
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    s: &Seat,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    seat::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(s.id),
        created_at: Set(at),
        compound_id: Set(s.compound_id),
        body: Set(s.body.code().to_owned()),
        name: Set(s.name.clone()),
        post: Set(s.post.code().to_owned()),
        phone: Set(s.phone.clone()),
        user_id: Set(s.user_id),
        term_from: Set(s.term_from),
        term_to: Set(s.term_to),
        ended_on: Set(None),
        appointed_by: Set(by),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Seat>, DbErr> {
    seat::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_seat)
        .transpose()
}

/// Every seat of the compound, current and past, by term and post.
pub async fn of_compound(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<Vec<Seat>, DbErr> {
    seat::Entity::find()
        .filter(seat::Column::TenantId.eq(tenant))
        .filter(seat::Column::CompoundId.eq(compound))
        .order_by_desc(seat::Column::TermFrom)
        .order_by_asc(seat::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_seat)
        .collect()
}

/// Ends a seat's term on `on`; false if it had already ended.
pub async fn end(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    on: NaiveDate,
) -> Result<bool, DbErr> {
    let res = seat::Entity::update_many()
        .col_expr(seat::Column::EndedOn, Expr::value(on))
        .filter(seat::Column::TenantId.eq(tenant))
        .filter(seat::Column::Id.eq(id))
        .filter(seat::Column::EndedOn.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
