//! The `income_records` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "income_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub compound_id: Uuid,
    pub category: String,
    pub period: i32,
    pub received_on: Date,
    pub amount_fen: i64,
    pub method: String,
    pub payer: Option<String>,
    pub reference: Option<String>,
    pub correction_reason: Option<String>,
    pub idempotency_key: String,
    pub entry_id: Uuid,
    pub recorded_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
