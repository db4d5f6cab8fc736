//! The `ad_contracts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ad_contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub number: String,
    pub advertiser: String,
    pub contact: Option<String>,
    pub licence_no: Option<String>,
    pub pricing: String,
    pub price_fen: i64,
    pub allocation_key: String,
    pub from_period: i32,
    pub to_period: i32,
    pub due_day: i32,
    pub terminated_at: Option<DateTimeUtc>,
    pub termination_reason: Option<String>,
    pub created_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
