//! The `income_close_lines` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "income_close_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub close_id: Uuid,
    pub category: String,
    pub owners_bp: i32,
    pub firm_bp: i32,
    pub gross_fen: i64,
    pub costs_fen: i64,
    pub carried_in_fen: i64,
    pub deducted_fen: i64,
    pub carried_out_fen: i64,
    pub owners_fen: i64,
    pub firm_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
