//! Matters: drafted, opened on a frozen roll, closed with their count.

use chrono::{DateTime, Utc};
use domain::governance::{Count, MatterState, Outcome, Tally};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::codes;
use crate::governance::model::Matter;
use crate::platform::schema::matter;

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn count(owners: Option<i64>, area: Option<i64>) -> Result<Option<Count>, DbErr> {
    match (owners, area) {
        (Some(o), Some(a)) => Ok(Some(Count {
            owners: codes::count(o, "owners")?,
            area: codes::count(a, "area")?,
        })),
        _ => Ok(None),
    }
}

fn to_matter(m: matter::Model) -> Result<Matter, DbErr> {
    let roll = count(m.roll_owners, m.roll_area)?;
    let yes = count(m.yes_owners, m.yes_area)?;
    let no = count(m.no_owners, m.no_area)?;
    let abstain = count(m.abstain_owners, m.abstain_area)?;
    let tally = match (roll, yes, no, abstain) {
        (Some(roll), Some(yes), Some(no), Some(abstain)) => Some(Tally {
            roll,
            yes,
            no,
            abstain,
        }),
        _ => None,
    };
    Ok(Matter {
        id: m.id,
        compound_id: m.compound_id,
        kind: codes::kind(&m.kind)?,
        title: m.title,
        body: m.body,
        secret: m.secret,
        state: codes::state(&m.state)?,
        closes_at: m.closes_at,
        publicity_days: u16::try_from(m.publicity_days).unwrap_or(u16::MAX),
        drafted_at: m.created_at,
        opened_at: m.opened_at,
        closed_at: m.closed_at,
        roll,
        tally,
        outcome: m.outcome.as_deref().map(codes::outcome).transpose()?,
    })
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    m: &Matter,
    by: Uuid,
) -> Result<(), DbErr> {
    matter::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(m.id),
        created_at: Set(m.drafted_at),
        compound_id: Set(m.compound_id),
        kind: Set(m.kind.code().to_owned()),
        title: Set(m.title.clone()),
        body: Set(m.body.clone()),
        secret: Set(m.secret),
        state: Set(MatterState::Draft.code().to_owned()),
        closes_at: Set(m.closes_at),
        publicity_days: Set(i32::from(m.publicity_days)),
        drafted_by: Set(by),
        opened_at: Set(None),
        opened_by: Set(None),
        closed_at: Set(None),
        closed_by: Set(None),
        roll_owners: Set(None),
        roll_area: Set(None),
        yes_owners: Set(None),
        yes_area: Set(None),
        no_owners: Set(None),
        no_area: Set(None),
        abstain_owners: Set(None),
        abstain_area: Set(None),
        outcome: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Matter>, DbErr> {
    matter::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_matter)
        .transpose()
}

/// The matters of these compounds, newest first.
pub async fn of_compounds(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
) -> Result<Vec<Matter>, DbErr> {
    matter::Entity::find()
        .filter(matter::Column::TenantId.eq(tenant))
        .filter(matter::Column::CompoundId.is_in(compounds.iter().copied()))
        .order_by_desc(matter::Column::CreatedAt)
        .order_by_desc(matter::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_matter)
        .collect()
}

/// Moves a draft to open with its roll's totals; false if it was no longer a draft.
pub async fn set_open(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    at: DateTime<Utc>,
    by: Uuid,
    roll: Count,
) -> Result<bool, DbErr> {
    let res = matter::Entity::update_many()
        .col_expr(matter::Column::State, Expr::value(MatterState::Open.code()))
        .col_expr(matter::Column::OpenedAt, Expr::value(at))
        .col_expr(matter::Column::OpenedBy, Expr::value(by))
        .col_expr(matter::Column::RollOwners, Expr::value(signed(roll.owners)))
        .col_expr(matter::Column::RollArea, Expr::value(signed(roll.area)))
        .filter(matter::Column::TenantId.eq(tenant))
        .filter(matter::Column::Id.eq(id))
        .filter(matter::Column::State.eq(MatterState::Draft.code()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Closes an open vote with its count and outcome; false if it was not open.
pub async fn set_closed(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    at: DateTime<Utc>,
    by: Uuid,
    tally: &Tally,
    outcome: Outcome,
) -> Result<bool, DbErr> {
    let res = matter::Entity::update_many()
        .col_expr(
            matter::Column::State,
            Expr::value(MatterState::Closed.code()),
        )
        .col_expr(matter::Column::ClosedAt, Expr::value(at))
        .col_expr(matter::Column::ClosedBy, Expr::value(by))
        .col_expr(
            matter::Column::YesOwners,
            Expr::value(signed(tally.yes.owners)),
        )
        .col_expr(matter::Column::YesArea, Expr::value(signed(tally.yes.area)))
        .col_expr(
            matter::Column::NoOwners,
            Expr::value(signed(tally.no.owners)),
        )
        .col_expr(matter::Column::NoArea, Expr::value(signed(tally.no.area)))
        .col_expr(
            matter::Column::AbstainOwners,
            Expr::value(signed(tally.abstain.owners)),
        )
        .col_expr(
            matter::Column::AbstainArea,
            Expr::value(signed(tally.abstain.area)),
        )
        .col_expr(matter::Column::Outcome, Expr::value(outcome.code()))
        .filter(matter::Column::TenantId.eq(tenant))
        .filter(matter::Column::Id.eq(id))
        .filter(matter::Column::State.eq(MatterState::Open.code()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
