//! The `invoices` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub number: i64,
    pub household_id: Uuid,
    pub compound_id: Uuid,
    pub period: i32,
    pub run_id: Uuid,
    pub days_billed: i32,
    pub gross_fen: i64,
    pub waived_fen: i64,
    pub due_fen: i64,
    pub waiver_grant_id: Option<Uuid>,
    pub waiver_funding: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
