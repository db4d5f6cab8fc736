//! The `billing_runs` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub period: i32,
    pub compound_id: Option<Uuid>,
    pub bundle_id: Option<Uuid>,
    pub status: String,
    pub total: i32,
    pub processed: i32,
    pub invoiced_fen: i64,
    pub started_by: Option<Uuid>,
    pub finished_at: Option<DateTimeUtc>,
    /// When the run last committed a batch (`None`: runs from before this was kept).
    pub progressed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
