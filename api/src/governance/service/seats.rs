//! The compound's committee: a seat per member's term, recorded by the firm's administrator
//! from the election's result. A member with a sign-in holds the committee role over the
//! compound until their term's last day; ending a term early takes it away that day.

use chrono::{Duration, NaiveDate};
use domain::governance::{Body, Post};
use domain::{Name, Phone};
use serde_json::json;
use uuid::Uuid;

use super::checks::seen_compound;
use crate::governance::model::Seat;
use crate::governance::store::seats;
use crate::people;
use crate::platform::access::require_admin;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::{RequestContext, UnitOfWork};

/// A committee's term is at most five years.
const LONGEST_TERM_DAYS: i64 = 5 * 366;

pub struct SeatInput {
    pub compound: Uuid,
    pub body: Body,
    pub name: String,
    pub post: Post,
    pub phone: Option<String>,
    pub user: Option<Uuid>,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
}

#[tracing::instrument(name = "governance.seat", skip_all)]
pub async fn appoint(db: &Db, ctx: &RequestContext, input: SeatInput) -> AppResult<Seat> {
    require_admin(ctx)?;
    let name = Name::parse(&input.name).field("name")?;
    let phone = input
        .phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(Phone::parse)
        .transpose()
        .field("phone")?;
    if input.term_to < input.term_from
        || input.term_to > input.term_from + Duration::days(LONGEST_TERM_DAYS)
    {
        return Err(AppError::bad_input(
            "termTo",
            "must be on or after the term's first day, and within five years of it",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let c = seen_compound(tx, ctx, input.compound).await?;
    if let Some(user) = input.user
        && !people::committee::in_firm(tx, ctx.tenant_id, user, db.clock().today()).await?
    {
        return Err(AppError::bad_input("userId", "is not a user of this firm"));
    }
    let seat = Seat {
        id: domain::new_id(),
        compound_id: c.id,
        body: input.body,
        name: name.into_inner(),
        post: input.post,
        phone: phone.map(|p| p.as_str().to_owned()),
        user_id: input.user,
        term_from: input.term_from,
        term_to: input.term_to,
        ended_on: None,
    };
    seats::insert(tx, ctx.tenant_id, &seat, ctx.user_id(), db.clock().now()).await?;
    hold_role(&uow, &seat, db.clock().now()).await?;
    uow.audit(
        "governance.seat",
        "compound",
        c.id,
        json!({ "seat": seat.id, "post": seat.post.code(), "to": seat.term_to }),
    );
    uow.commit().await?;
    Ok(seat)
}

/// Ends a term early (a resignation, a recall): the seat's last day is `on`.
#[tracing::instrument(name = "governance.end_term", skip_all)]
pub async fn end_term(db: &Db, ctx: &RequestContext, id: Uuid, on: NaiveDate) -> AppResult<Seat> {
    require_admin(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let mut seat = seats::find(tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("seat"))?;
    seen_compound(tx, ctx, seat.compound_id).await?;
    if on < seat.term_from || on > seat.term_to {
        return Err(AppError::bad_input(
            "on",
            "must fall within the seat's term",
        ));
    }
    if !seats::end(tx, ctx.tenant_id, id, on).await? {
        return Err(AppError::conflict("id", "this term has already ended"));
    }
    seat.ended_on = Some(on);
    hold_role(&uow, &seat, db.clock().now()).await?;
    uow.audit(
        "governance.end_term",
        "compound",
        seat.compound_id,
        json!({ "seat": id, "on": on }),
    );
    uow.commit().await?;
    Ok(seat)
}

/// The member's committee role over the compound lasts until the last day of the seats they
/// hold there.
async fn hold_role(
    uow: &UnitOfWork,
    seat: &Seat,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let Some(user) = seat.user_id else {
        return Ok(());
    };
    let (tx, tenant) = (uow.tx(), uow.tenant());
    let until = seats::of_compound(tx, tenant, seat.compound_id)
        .await?
        .iter()
        .filter(|s| s.user_id == Some(user))
        .map(Seat::last_day)
        .max();
    people::committee::committee_until(tx, tenant, user, seat.compound_id, until, at).await?;
    uow.publish(Event::AccessChanged);
    Ok(())
}

/// The compound's committee, current and past (anyone who sees the compound: the members'
/// names, posts and numbers are posted publicly).
pub async fn of_compound(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Vec<Seat>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    seen_compound(&tx, ctx, compound).await?;
    let found = seats::of_compound(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(found)
}
