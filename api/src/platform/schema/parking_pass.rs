//! The `parking_passes` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parking_passes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub compound_id: Uuid,
    pub plate: String,
    pub space: Option<String>,
    pub from_period: i32,
    pub to_period: i32,
    pub monthly_fen: i64,
    pub income_record_id: Uuid,
    pub issued_by: Uuid,
    pub cancelled_from: Option<i32>,
    pub cancel_reason: Option<String>,
    pub refund_record_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
