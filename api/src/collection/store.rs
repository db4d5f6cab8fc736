//! Payments collected by staff (cash, bank or QR transfer) and their allocation to invoices.
//! Allocations are append-only: applying held credit or reversing a payment adds rows.

use std::collections::HashMap;

use chrono::Utc;
use domain::ledger::PaymentMethod;
use domain::{Money, Name};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::model::{Allocation, Notice, Payment};
use crate::platform::bulk::ROWS_A_STATEMENT;
use crate::platform::schema::{demand_notice, payment, payment_allocation};
use crate::platform::storage::corrupt;

fn to_payment(m: payment::Model) -> Result<Payment, DbErr> {
    Ok(Payment {
        method: PaymentMethod::from_code(&m.method)
            .ok_or_else(|| corrupt("payment method", &m.method))?,
        id: m.id,
        household_id: m.household_id,
        compound_id: m.compound_id,
        amount: Money::from_fen(m.amount_fen),
        receipt_no: m.receipt_no,
        received_at: m.received_at,
        recorded_by: m.recorded_by,
        idempotency_key: m.idempotency_key,
        reversed_at: m.reversed_at,
        reversal_reason: m.reversal_reason,
        payer: m
            .payer
            .map(|p| Name::parse(&p).map_err(|_| corrupt("payer", &p)))
            .transpose()?,
    })
}

/// Writes new payments (made by [`NewPayment::into_payment`]), a statement per thousand.
pub async fn insert<'a>(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    rows: impl IntoIterator<Item = &'a Payment>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let models: Vec<payment::ActiveModel> = rows
        .into_iter()
        .map(|p| payment::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(p.id),
            created_at: Set(now),
            household_id: Set(p.household_id),
            compound_id: Set(p.compound_id),
            amount_fen: Set(p.amount.fen()),
            method: Set(p.method.code().to_owned()),
            receipt_no: Set(p.receipt_no.clone()),
            received_at: Set(p.received_at),
            recorded_by: Set(p.recorded_by),
            idempotency_key: Set(p.idempotency_key.clone()),
            reversed_at: Set(p.reversed_at),
            reversal_reason: Set(p.reversal_reason.clone()),
            payer: Set(p.payer.as_ref().map(|n| n.as_str().to_owned())),
        })
        .collect();
    for chunk in models.chunks(ROWS_A_STATEMENT) {
        payment::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Payment>, DbErr> {
    payment::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(to_payment)
        .transpose()
}

pub async fn find_by_key(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
) -> Result<Option<Payment>, DbErr> {
    payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(to_payment)
        .transpose()
}

/// Whether the firm has a payment with this receipt number.
pub async fn receipt_used(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    receipt: &str,
) -> Result<bool, DbErr> {
    let found = payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::ReceiptNo.eq(receipt))
        .count(db)
        .await?;
    Ok(found > 0)
}

/// A household's payments, newest first, each with its net allocations, in one statement.
pub async fn of_household_allocated(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
) -> Result<Vec<(Payment, Vec<Allocation>)>, DbErr> {
    use sea_orm::{QuerySelect, sea_query::JoinType};
    let allocation_of_payment = payment_allocation::Entity::belongs_to(payment::Entity)
        .from((
            payment_allocation::Column::TenantId,
            payment_allocation::Column::PaymentId,
        ))
        .to((payment::Column::TenantId, payment::Column::Id))
        .into();
    let rows = payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::HouseholdId.eq(household))
        .select_also(payment_allocation::Entity)
        .join_rev(JoinType::LeftJoin, allocation_of_payment)
        .order_by_desc(payment::Column::ReceivedAt)
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<(Payment, Vec<Allocation>)> = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while let Some((p, first)) = rows.next() {
        let mut parts: Vec<payment_allocation::Model> = first.into_iter().collect();
        while let Some((_, a)) = rows.next_if(|(next, _)| next.id == p.id) {
            parts.extend(a);
        }
        out.push((to_payment(p)?, net_allocations(parts)));
    }
    Ok(out)
}

/// Allocations summed per payment and invoice (a reversal's rows cancel what they reverse),
/// those that came to nothing left out.
fn net_allocations(rows: impl IntoIterator<Item = payment_allocation::Model>) -> Vec<Allocation> {
    let mut net: HashMap<(Uuid, Option<Uuid>), i64> = HashMap::new();
    for m in rows {
        *net.entry((m.payment_id, m.invoice_id)).or_default() += m.amount_fen;
    }
    let mut out: Vec<Allocation> = net
        .into_iter()
        .filter(|(_, fen)| *fen != 0)
        .map(|((payment, invoice), fen)| Allocation {
            payment,
            invoice,
            amount: Money::from_fen(fen),
        })
        .collect();
    out.sort_by_key(|a| (a.payment, a.invoice));
    out
}

/// Live (not reversed) payments of these households.
pub async fn live_of_households(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
) -> Result<Vec<Payment>, DbErr> {
    let mut out = Vec::new();
    for chunk in households.chunks(1_000) {
        for m in payment::Entity::find()
            .filter(payment::Column::TenantId.eq(tenant))
            .filter(payment::Column::HouseholdId.is_in(chunk.iter().copied()))
            .filter(payment::Column::ReversedAt.is_null())
            .order_by_asc(payment::Column::Id)
            .all(db)
            .await?
        {
            out.push(to_payment(m)?);
        }
    }
    Ok(out)
}

pub async fn mark_reversed(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
    reason: &str,
) -> Result<bool, DbErr> {
    let res = payment::Entity::update_many()
        .col_expr(payment::Column::ReversedAt, Expr::value(Utc::now()))
        .col_expr(payment::Column::ReversalReason, Expr::value(reason))
        .filter(payment::Column::TenantId.eq(tenant))
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::ReversedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn allocate(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    rows: &[Allocation],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let models: Vec<payment_allocation::ActiveModel> = rows
        .iter()
        .map(|a| payment_allocation::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(now),
            payment_id: Set(a.payment),
            invoice_id: Set(a.invoice),
            amount_fen: Set(a.amount.fen()),
        })
        .collect();
    for chunk in models.chunks(ROWS_A_STATEMENT) {
        payment_allocation::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Net allocations of these payments, by (payment, invoice).
pub async fn allocations_of_payments(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    payments: &[Uuid],
) -> Result<Vec<Allocation>, DbErr> {
    let rows = payment_allocation::Entity::find()
        .filter(payment_allocation::Column::TenantId.eq(tenant))
        .filter(payment_allocation::Column::PaymentId.is_in(payments.iter().copied()))
        .all(db)
        .await?;
    Ok(net_allocations(rows))
}

/// What has been paid against each of these invoices (net of reversals).
pub async fn paid_on_invoices(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    invoices: &[Uuid],
) -> Result<HashMap<Uuid, Money>, DbErr> {
    use payment_allocation::Column as C;
    crate::platform::storage::sums_by_key(
        db,
        payment_allocation::Entity::find().filter(C::TenantId.eq(tenant)),
        [C::InvoiceId, C::AmountFen],
        invoices,
    )
    .await
}

pub async fn insert_notice(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
    kind: &str,
    note: String,
    by: Uuid,
) -> Result<Notice, DbErr> {
    let m = demand_notice::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        household_id: Set(household),
        kind: Set(kind.to_owned()),
        note: Set(note),
        issued_by: Set(by),
    }
    .insert(db)
    .await?;
    Ok(Notice {
        id: m.id,
        household_id: m.household_id,
        kind: m.kind,
        note: m.note,
        issued_by: m.issued_by,
        issued_at: m.created_at,
    })
}

pub async fn notices_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
) -> Result<Vec<Notice>, DbErr> {
    Ok(demand_notice::Entity::find()
        .filter(demand_notice::Column::TenantId.eq(tenant))
        .filter(demand_notice::Column::HouseholdId.eq(household))
        .order_by_desc(demand_notice::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Notice {
            id: m.id,
            household_id: m.household_id,
            kind: m.kind,
            note: m.note,
            issued_by: m.issued_by,
            issued_at: m.created_at,
        })
        .collect())
}
