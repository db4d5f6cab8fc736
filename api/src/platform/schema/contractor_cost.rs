//! The `contractor_costs` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contractor_costs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// When the round was verified and the cost became owed.
    pub created_at: DateTimeUtc,
    pub order_id: Uuid,
    /// The order's number within the firm, as people name it.
    pub order_number: i64,
    pub round: i32,
    pub contractor_id: Uuid,
    pub compound_id: Uuid,
    pub amount_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
