//! The `payments` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub amount_fen: i64,
    pub method: String,
    pub receipt_no: String,
    pub received_at: DateTimeUtc,
    pub recorded_by: Uuid,
    pub idempotency_key: String,
    pub reversed_at: Option<DateTimeUtc>,
    pub reversal_reason: Option<String>,
    pub payer: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
