//! Billing runs and their progress.

use chrono::Utc;
use domain::Money;
use domain::billing::{BillingPeriod, RunStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::billing::model::Run;
use crate::platform::schema::billing_run;
use crate::platform::storage::corrupt;

fn to_run(m: billing_run::Model) -> Result<Run, DbErr> {
    Ok(Run {
        id: m.id,
        period: BillingPeriod::from_code(m.period)
            .map_err(|_| corrupt("period", &m.period.to_string()))?,
        status: RunStatus::of(
            m.finished_at.is_some(),
            m.progressed_at.unwrap_or(m.created_at),
            Utc::now(),
        ),
        total: m.total,
        processed: m.processed,
        invoiced: Money::from_fen(m.invoiced_fen),
        started_at: m.created_at,
        finished_at: m.finished_at,
    })
}

pub async fn insert_run(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    period: BillingPeriod,
    compound: Option<Uuid>,
    bundle: Option<Uuid>,
    total: i32,
    by: Option<Uuid>,
) -> Result<Run, DbErr> {
    to_run(
        billing_run::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(Utc::now()),
            period: Set(period.code()),
            compound_id: Set(compound),
            bundle_id: Set(bundle),
            status: Set("running".into()),
            total: Set(total),
            processed: Set(0),
            invoiced_fen: Set(0),
            started_by: Set(by),
            finished_at: Set(None),
            progressed_at: Set(Some(Utc::now())),
        }
        .insert(db)
        .await?,
    )
}

pub async fn progress_run(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    processed: i32,
    invoiced: Money,
) -> Result<(), DbErr> {
    billing_run::Entity::update_many()
        .col_expr(
            billing_run::Column::Processed,
            Expr::col(billing_run::Column::Processed).add(processed),
        )
        .col_expr(
            billing_run::Column::InvoicedFen,
            Expr::col(billing_run::Column::InvoicedFen).add(invoiced.fen()),
        )
        .col_expr(billing_run::Column::ProgressedAt, Expr::value(Utc::now()))
        .filter(billing_run::Column::TenantId.eq(tenant))
        .filter(billing_run::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn finish_run(db: &impl ConnectionTrait, tenant: Uuid, id: Uuid) -> Result<(), DbErr> {
    billing_run::Entity::update_many()
        .col_expr(billing_run::Column::Status, Expr::value("finished"))
        .col_expr(billing_run::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(billing_run::Column::TenantId.eq(tenant))
        .filter(billing_run::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn find_run(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Run>, DbErr> {
    billing_run::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_run)
        .transpose()
}

pub async fn runs(db: &impl ConnectionTrait, tenant: Uuid, limit: u64) -> Result<Vec<Run>, DbErr> {
    billing_run::Entity::find()
        .filter(billing_run::Column::TenantId.eq(tenant))
        .order_by_desc(billing_run::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_run)
        .collect()
}
