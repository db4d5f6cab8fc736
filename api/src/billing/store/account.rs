//! A household's invoices as its account shows them — each with its lines and what has been
//! paid and credited on it, newest period first — in one statement, however many there are.

use sea_orm::sea_query::JoinType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::invoices::{settled, to_invoice, to_line, with_settled};
use crate::billing::model::SettledInvoice;
use crate::platform::schema::{invoice, invoice_line};

pub async fn account_invoices(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
) -> Result<Vec<SettledInvoice>, DbErr> {
    let line_of_invoice = invoice_line::Entity::belongs_to(invoice::Entity)
        .from((
            invoice_line::Column::TenantId,
            invoice_line::Column::InvoiceId,
        ))
        .to((invoice::Column::TenantId, invoice::Column::Id))
        .into();
    let q = with_settled(
        invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant))
            .filter(invoice::Column::HouseholdId.eq(household))
            .select_also(invoice_line::Entity)
            .join_rev(JoinType::LeftJoin, line_of_invoice)
            .order_by_desc(invoice::Column::Period)
            .order_by_asc(invoice::Column::Id)
            .order_by_asc(invoice_line::Column::Id),
    )
    .into_query();
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    let mut out: Vec<SettledInvoice> = Vec::new();
    for r in &rows {
        let i = invoice::Model::from_query_result(r, "A_")?;
        if out.last().is_none_or(|last| last.invoice.id != i.id) {
            let (paid, credited) = settled(r)?;
            out.push(SettledInvoice {
                invoice: to_invoice(i)?,
                lines: Vec::new(),
                paid,
                credited,
            });
        }
        if let (Some(line), Some(last)) = (
            invoice_line::Model::from_query_result_optional(r, "B_")?,
            out.last_mut(),
        ) {
            last.lines.push(to_line(line)?);
        }
    }
    Ok(out)
}
