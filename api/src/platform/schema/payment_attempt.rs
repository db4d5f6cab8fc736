//! The `payment_attempts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub amount_fen: i64,
    /// Comma-separated invoice ids, in the order they are paid.
    pub invoice_ids: String,
    pub status: String,
    pub intent_id: Option<String>,
    pub payment_id: Option<Uuid>,
    pub failure: Option<String>,
    pub started_by: Uuid,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
