//! Fee schedules, add-on activations, hardship records and waiver grants, billing runs and
//! invoices.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::billing::ScheduleScope;
use domain::billing::{
    BillingPeriod, FeeItem, FeeItemKind, GrantStatus, HardshipCategory, LineKind, Pricing,
    RunStatus, WaiverAmount,
};
use domain::ledger::WaiverFunding;
use domain::{BasisPoints, Money};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{
    Activation, CreditNote, Grant, Hardship, Invoice, InvoiceHead, Line, NewGrant, NewInvoice, Run,
    Schedule,
};
use crate::platform::schema::{
    addon_activation, billing_run, credit_note, fee_schedule, fee_schedule_item, hardship_record,
    household, invoice, invoice_line, waiver_grant,
};
use crate::platform::storage::corrupt;

// ---- fee schedules ----

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

// ---- add-ons ----

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
            })
        })
        .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one column each; called from two places"
)]
pub async fn insert_activation(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    kind: FeeItemKind,
    from: BillingPeriod,
    to: Option<BillingPeriod>,
    decision_ref: String,
    by: Uuid,
) -> Result<Activation, DbErr> {
    let m = addon_activation::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        compound_id: Set(compound),
        kind: Set(kind.code().to_owned()),
        from_period: Set(from.code()),
        to_period: Set(to.map(BillingPeriod::code)),
        decision_ref: Set(decision_ref.clone()),
        activated_by: Set(by),
    }
    .insert(db)
    .await?;
    Ok(Activation {
        id: m.id,
        compound_id: compound,
        kind,
        from,
        to,
        decision_ref,
    })
}

// ---- hardship and waivers ----

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

fn parse_funding(s: &str) -> Result<WaiverFunding, DbErr> {
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

// ---- billing runs ----

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

pub async fn count_billable(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    period: BillingPeriod,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    household::Entity::find()
        .filter(household::Column::TenantId.eq(tenant))
        .filter(household::Column::CompoundId.is_in(compounds.iter().copied()))
        .filter(household::Column::ArchivedAt.is_null())
        .filter(household::Column::ActiveFrom.lte(period.last_day()))
        .filter(
            Condition::any()
                .add(household::Column::ActiveTo.is_null())
                .add(household::Column::ActiveTo.gte(period.first_day())),
        )
        .count(db)
        .await
}

// ---- invoices ----

pub(crate) fn to_invoice(m: invoice::Model) -> Result<Invoice, DbErr> {
    Ok(Invoice {
        id: m.id,
        number: m.number,
        household_id: m.household_id,
        compound_id: m.compound_id,
        period: BillingPeriod::from_code(m.period)
            .map_err(|_| corrupt("period", &m.period.to_string()))?,
        days_billed: m.days_billed,
        gross: Money::from_fen(m.gross_fen),
        waived: Money::from_fen(m.waived_fen),
        due: Money::from_fen(m.due_fen),
        waiver_funding: m.waiver_funding.as_deref().map(parse_funding).transpose()?,
        waiver_grant_id: m.waiver_grant_id,
        issued_at: m.created_at,
    })
}

pub async fn max_invoice_number(db: &impl ConnectionTrait, tenant: Uuid) -> Result<i64, DbErr> {
    let n: Option<Option<i64>> = invoice::Entity::find()
        .select_only()
        .column_as(invoice::Column::Number.max(), "n")
        .filter(invoice::Column::TenantId.eq(tenant))
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.flatten().unwrap_or(0))
}

/// Households among these that already have an invoice for `period`.
pub async fn invoiced_households(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
    period: BillingPeriod,
) -> Result<Vec<Uuid>, DbErr> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Joined with the keys as one array: cheap whatever the table's statistics say (an
        // IN list was planned as a filter over every invoice while they were stale).
        let keys = sea_orm::Value::Array(
            sea_orm::sea_query::ArrayType::Uuid,
            Some(Box::new(households.iter().map(|h| (*h).into()).collect())),
        );
        let rows = db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT i.household_id FROM invoices i JOIN UNNEST($3::uuid[]) AS k(id) ON i.household_id = k.id
                 WHERE i.tenant_id = $1 AND i.period = $2",
                [tenant.into(), period.code().into(), keys],
            ))
            .await?;
        return rows.iter().map(|r| r.try_get_by_index::<Uuid>(0)).collect();
    }
    invoice::Entity::find()
        .select_only()
        .column(invoice::Column::HouseholdId)
        .filter(invoice::Column::TenantId.eq(tenant))
        .filter(invoice::Column::Period.eq(period.code()))
        .filter(invoice::Column::HouseholdId.is_in(households.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

fn invoice_row(tenant: Uuid, h: &InvoiceHead) -> invoice::Model {
    invoice::Model {
        tenant_id: tenant,
        id: h.id,
        created_at: h.created_at,
        number: h.number,
        household_id: h.household_id,
        compound_id: h.compound_id,
        period: h.period.code(),
        run_id: h.run_id,
        days_billed: i32::try_from(h.days_billed).unwrap_or(i32::MAX),
        gross_fen: h.gross.fen(),
        waived_fen: h.waived.fen(),
        due_fen: h.due.fen(),
        waiver_grant_id: h.waiver.map(|(id, _)| id),
        waiver_funding: h.waiver.map(|(_, f)| f.code().to_owned()),
    }
}

/// Inserts issued invoices with their lines, inside a savepoint: if another run invoiced
/// one of these households for the period first, nothing is written and the answer is
/// `false` (the caller, holding the firm's lock, looks again and numbers what is left).
pub async fn insert_invoices(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[NewInvoice],
) -> Result<bool, DbErr> {
    crate::platform::storage::unless_unique_clash(
        db,
        write_invoices(db, tenant, invoices),
        |what| what.contains("invoices_one_per_period"),
    )
    .await
}

async fn write_invoices(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[NewInvoice],
) -> Result<(), DbErr> {
    let mut lines = Vec::new();
    let mut heads = Vec::with_capacity(invoices.len());
    for inv in invoices {
        for l in &inv.lines {
            lines.push(invoice_line::Model {
                tenant_id: tenant,
                id: domain::new_id(),
                created_at: inv.invoice.created_at,
                invoice_id: inv.invoice.id,
                kind: l.kind.code().to_owned(),
                amount_fen: l.amount.fen(),
                late_fee_for: l.late_fee_for,
            });
        }
        heads.push(invoice_row(tenant, &inv.invoice));
    }
    if heads.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        use crate::platform::bulk::{Column, insert};
        let h = &heads;
        insert(
            db,
            "invoices",
            vec![
                Column::uuid("tenant_id", h, |m| m.tenant_id),
                Column::uuid("id", h, |m| m.id),
                Column::timestamp("created_at", h, |m| m.created_at),
                Column::bigint("number", h, |m| m.number),
                Column::uuid("household_id", h, |m| m.household_id),
                Column::uuid("compound_id", h, |m| m.compound_id),
                Column::int("period", h, |m| m.period),
                Column::uuid("run_id", h, |m| m.run_id),
                Column::int("days_billed", h, |m| m.days_billed),
                Column::bigint("gross_fen", h, |m| m.gross_fen),
                Column::bigint("waived_fen", h, |m| m.waived_fen),
                Column::bigint("due_fen", h, |m| m.due_fen),
                Column::opt_uuid("waiver_grant_id", h, |m| m.waiver_grant_id),
                Column::opt_text("waiver_funding", h, |m| m.waiver_funding.clone()),
            ],
            "",
        )
        .await?;
        let l = &lines;
        return insert(
            db,
            "invoice_lines",
            vec![
                Column::uuid("tenant_id", l, |m| m.tenant_id),
                Column::uuid("id", l, |m| m.id),
                Column::timestamp("created_at", l, |m| m.created_at),
                Column::uuid("invoice_id", l, |m| m.invoice_id),
                Column::text("kind", l, |m| m.kind.clone()),
                Column::bigint("amount_fen", l, |m| m.amount_fen),
                Column::opt_uuid("late_fee_for", l, |m| m.late_fee_for),
            ],
            "",
        )
        .await
        .map(drop);
    }
    for chunk in heads.chunks(500) {
        let rows = chunk.iter().map(|m| invoice::ActiveModel::from(m.clone()));
        invoice::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in lines.chunks(1_000) {
        let rows = chunk.iter().cloned().map(invoice_line::ActiveModel::from);
        invoice_line::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn find_invoice(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Invoice>, DbErr> {
    invoice::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_invoice)
        .transpose()
}

pub async fn invoices_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
) -> Result<Vec<Invoice>, DbErr> {
    invoice::Entity::find()
        .filter(invoice::Column::TenantId.eq(tenant))
        .filter(invoice::Column::HouseholdId.eq(household))
        .order_by_desc(invoice::Column::Period)
        .all(db)
        .await?
        .into_iter()
        .map(to_invoice)
        .collect()
}

/// These households' invoices, each with what has been paid on it and credited on it, in
/// one statement (the payment path reads this under the households' locks).
pub async fn invoices_with_settled(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
) -> Result<Vec<(Invoice, Money, Money)>, DbErr> {
    use crate::platform::schema::payment_allocation;
    use sea_orm::sea_query::{Alias, Query, SubQueryStatement};
    use sea_orm::{FromQueryResult, QueryTrait};
    fn sum_of<E: EntityTrait>(
        table: E,
        [tenant_col, invoice_col, amount_col]: [E::Column; 3],
    ) -> Expr {
        let sub = Query::select()
            .expr(
                Expr::col((table, amount_col))
                    .sum()
                    .cast_as(Alias::new("BIGINT")),
            )
            .from(table)
            .and_where(
                Expr::col((table, tenant_col)).equals((invoice::Entity, invoice::Column::TenantId)),
            )
            .and_where(
                Expr::col((table, invoice_col)).equals((invoice::Entity, invoice::Column::Id)),
            )
            .to_owned();
        Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(sub)))
    }
    let q = invoice::Entity::find()
        .filter(invoice::Column::TenantId.eq(tenant))
        .filter(invoice::Column::HouseholdId.is_in(households.iter().copied()))
        .expr_as(
            sum_of(
                payment_allocation::Entity,
                [
                    payment_allocation::Column::TenantId,
                    payment_allocation::Column::InvoiceId,
                    payment_allocation::Column::AmountFen,
                ],
            ),
            "settled_paid",
        )
        .expr_as(
            sum_of(
                credit_note::Entity,
                [
                    credit_note::Column::TenantId,
                    credit_note::Column::InvoiceId,
                    credit_note::Column::AmountFen,
                ],
            ),
            "settled_credited",
        )
        .into_query();
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    rows.iter()
        .map(|r| {
            let paid: Option<i64> = r.try_get("", "settled_paid")?;
            let credited: Option<i64> = r.try_get("", "settled_credited")?;
            Ok((
                to_invoice(invoice::Model::from_query_result(r, "")?)?,
                Money::from_fen(paid.unwrap_or(0)),
                Money::from_fen(credited.unwrap_or(0)),
            ))
        })
        .collect()
}

/// Invoices of these households billed before `period`, oldest first.
pub async fn invoices_before(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
    period: BillingPeriod,
) -> Result<Vec<Invoice>, DbErr> {
    let mut out = Vec::new();
    for chunk in households.chunks(1_000) {
        for m in invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant))
            .filter(invoice::Column::HouseholdId.is_in(chunk.iter().copied()))
            .filter(invoice::Column::Period.lt(period.code()))
            .order_by_asc(invoice::Column::Period)
            .all(db)
            .await?
        {
            out.push(to_invoice(m)?);
        }
    }
    Ok(out)
}

/// The late-fee lines on each of these invoices (charged on them for older invoices).
pub async fn late_fees_on(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[Uuid],
) -> Result<HashMap<Uuid, Money>, DbErr> {
    use invoice_line::Column as C;
    crate::platform::storage::sums_by_key(
        db,
        invoice_line::Entity::find()
            .filter(C::TenantId.eq(tenant))
            .filter(C::Kind.eq(LineKind::LATE_FEE_CODE)),
        [C::InvoiceId, C::AmountFen],
        invoices,
    )
    .await
}

/// Late fees charged so far for each of these invoices.
pub async fn late_fees_for(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[Uuid],
) -> Result<HashMap<Uuid, Money>, DbErr> {
    use invoice_line::Column as C;
    crate::platform::storage::sums_by_key(
        db,
        invoice_line::Entity::find().filter(C::TenantId.eq(tenant)),
        [C::LateFeeFor, C::AmountFen],
        invoices,
    )
    .await
}

pub async fn invoices_of_compounds(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<Vec<Invoice>, DbErr> {
    invoice::Entity::find()
        .filter(invoice::Column::TenantId.eq(tenant))
        .filter(invoice::Column::CompoundId.is_in(compounds.iter().copied()))
        .filter(invoice::Column::Period.gte(from.code()))
        .filter(invoice::Column::Period.lte(to.code()))
        .all(db)
        .await?
        .into_iter()
        .map(to_invoice)
        .collect()
}

pub async fn lines_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Line>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<Line>> = HashMap::new();
    for m in invoice_line::Entity::find()
        .filter(invoice_line::Column::TenantId.eq(tenant))
        .filter(invoice_line::Column::InvoiceId.is_in(invoices.iter().copied()))
        .order_by_asc(invoice_line::Column::Id)
        .all(db)
        .await?
    {
        let kind = LineKind::from_code(&m.kind).ok_or_else(|| corrupt("invoice line", &m.kind))?;
        out.entry(m.invoice_id).or_default().push(Line {
            kind,
            amount: Money::from_fen(m.amount_fen),
            late_fee_for: m.late_fee_for,
        });
    }
    Ok(out)
}

// ---- credit notes ----

impl From<credit_note::Model> for CreditNote {
    fn from(m: credit_note::Model) -> Self {
        Self {
            id: m.id,
            invoice_id: m.invoice_id,
            household_id: m.household_id,
            amount: Money::from_fen(m.amount_fen),
            reason: m.reason,
            approved_by: m.approved_by,
            issued_at: m.created_at,
        }
    }
}

pub async fn insert_credit_note(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoice: &Invoice,
    amount: Money,
    reason: String,
    by: Uuid,
) -> Result<CreditNote, DbErr> {
    Ok(credit_note::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        invoice_id: Set(invoice.id),
        household_id: Set(invoice.household_id),
        compound_id: Set(invoice.compound_id),
        amount_fen: Set(amount.fen()),
        reason: Set(reason),
        approved_by: Set(by),
    }
    .insert(db)
    .await?
    .into())
}

/// What has been credited against each of these invoices.
pub async fn credited_on_invoices(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[Uuid],
) -> Result<HashMap<Uuid, Money>, DbErr> {
    use credit_note::Column as C;
    crate::platform::storage::sums_by_key(
        db,
        credit_note::Entity::find().filter(C::TenantId.eq(tenant)),
        [C::InvoiceId, C::AmountFen],
        invoices,
    )
    .await
}

/// Invoices of `from..=to` whose waiver `funding` pays for.
pub async fn waived_invoices(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    funding: WaiverFunding,
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<Vec<Invoice>, DbErr> {
    invoice::Entity::find()
        .filter(invoice::Column::TenantId.eq(tenant))
        .filter(invoice::Column::WaiverFunding.eq(funding.code()))
        .filter(invoice::Column::Period.gte(from.code()))
        .filter(invoice::Column::Period.lte(to.code()))
        .order_by_asc(invoice::Column::Period)
        .order_by_asc(invoice::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(to_invoice)
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
