//! Invoices and their lines: numbered, written in bulk, read for accounts, collection and
//! late fees.

use std::collections::{HashMap, HashSet};

use domain::Money;
use domain::billing::{BillingPeriod, LineKind};
use domain::ledger::WaiverFunding;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::waivers::parse_funding;
use crate::billing::model::{Invoice, InvoiceHead, Line, NewInvoice, RepairRef};
use crate::platform::schema::{credit_note, invoice, invoice_line};
use crate::platform::storage::corrupt;

pub(super) fn to_invoice(m: invoice::Model) -> Result<Invoice, DbErr> {
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
                repair_charge_id: l.repair.map(|r| r.charge),
                work_order_id: l.repair.map(|r| r.order),
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
                Column::opt_uuid("repair_charge_id", l, |m| m.repair_charge_id),
                Column::opt_uuid("work_order_id", l, |m| m.work_order_id),
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
    use sea_orm::QueryTrait;
    let q = with_settled(
        invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant))
            .filter(invoice::Column::HouseholdId.is_in(households.iter().copied())),
    )
    .into_query();
    read_settled(db, &q).await
}

/// The invoices `q` ([`with_settled`]) selects, each with what was paid and credited on it.
async fn read_settled(
    db: &impl ConnectionTrait,
    q: &sea_orm::sea_query::SelectStatement,
) -> Result<Vec<(Invoice, Money, Money)>, DbErr> {
    use sea_orm::FromQueryResult;
    let rows = db.query_all_raw(db.get_database_backend().build(q)).await?;
    rows.iter()
        .map(|r| {
            let (paid, credited) = settled(r)?;
            Ok((
                to_invoice(invoice::Model::from_query_result(r, "")?)?,
                paid,
                credited,
            ))
        })
        .collect()
}

/// The sum of a table's amounts on the invoice of the row being selected.
fn sum_on_invoice<E: EntityTrait>(
    table: E,
    [tenant_col, invoice_col, amount_col]: [E::Column; 3],
) -> Expr {
    use sea_orm::sea_query::{Alias, Query, SubQueryStatement};
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
        .and_where(Expr::col((table, invoice_col)).equals((invoice::Entity, invoice::Column::Id)))
        .to_owned();
    Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(sub)))
}

/// `select` with what has been paid (`settled_paid`) and credited (`settled_credited`) on
/// each invoice it selects.
pub(super) fn with_settled<S: QuerySelect>(select: S) -> S {
    use crate::platform::schema::payment_allocation::{Column as P, Entity as Allocations};
    use credit_note::{Column as C, Entity as Credits};
    select
        .expr_as(
            sum_on_invoice(Allocations, [P::TenantId, P::InvoiceId, P::AmountFen]),
            "settled_paid",
        )
        .expr_as(
            sum_on_invoice(Credits, [C::TenantId, C::InvoiceId, C::AmountFen]),
            "settled_credited",
        )
}

/// What [`with_settled`] selected of one row: paid and credited.
pub(super) fn settled(r: &sea_orm::QueryResult) -> Result<(Money, Money), DbErr> {
    let paid: Option<i64> = r.try_get("", "settled_paid")?;
    let credited: Option<i64> = r.try_get("", "settled_credited")?;
    Ok((
        Money::from_fen(paid.unwrap_or(0)),
        Money::from_fen(credited.unwrap_or(0)),
    ))
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

/// What each of these invoices bills in lines of these kinds.
pub async fn billed_as(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[Uuid],
    kinds: &[LineKind],
) -> Result<HashMap<Uuid, Money>, DbErr> {
    use invoice_line::Column as C;
    crate::platform::storage::sums_by_key(
        db,
        invoice_line::Entity::find()
            .filter(C::TenantId.eq(tenant))
            .filter(C::Kind.is_in(kinds.iter().map(|k| k.code()))),
        [C::InvoiceId, C::AmountFen],
        invoices,
    )
    .await
}

/// Which of these repair charges a line bills already.
pub async fn billed_repairs(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    charges: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    use invoice_line::Column as C;
    if charges.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(invoice_line::Entity::find()
        .select_only()
        .column(C::RepairChargeId)
        .filter(C::TenantId.eq(tenant))
        .filter(C::RepairChargeId.is_in(charges.iter().copied()))
        .into_tuple::<Option<Uuid>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect())
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

/// These compounds' invoices of `from..=to`, each with what was paid and credited on it, in
/// one statement whatever their number (the collection reports).
pub async fn invoices_of_compounds(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: &[Uuid],
    from: BillingPeriod,
    to: BillingPeriod,
) -> Result<Vec<(Invoice, Money, Money)>, DbErr> {
    use sea_orm::QueryTrait;
    let q = with_settled(
        invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant))
            .filter(invoice::Column::CompoundId.is_in(compounds.iter().copied()))
            .filter(invoice::Column::Period.gte(from.code()))
            .filter(invoice::Column::Period.lte(to.code())),
    )
    .into_query();
    read_settled(db, &q).await
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
        out.entry(m.invoice_id).or_default().push(to_line(m)?);
    }
    Ok(out)
}

pub(super) fn to_line(m: invoice_line::Model) -> Result<Line, DbErr> {
    let kind = LineKind::from_code(&m.kind).ok_or_else(|| corrupt("invoice line", &m.kind))?;
    Ok(Line {
        kind,
        amount: Money::from_fen(m.amount_fen),
        late_fee_for: m.late_fee_for,
        repair: m
            .repair_charge_id
            .zip(m.work_order_id)
            .map(|(charge, order)| RepairRef { charge, order }),
    })
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
