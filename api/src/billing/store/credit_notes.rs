//! Credit notes and what they credited on invoices.

use std::collections::HashMap;

use chrono::Utc;
use domain::Money;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::billing::model::{CreditNote, Invoice};
use crate::platform::schema::credit_note;

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
