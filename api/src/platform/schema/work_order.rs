//! The `work_orders` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub number: i64,
    pub compound_id: Uuid,
    pub household_id: Option<Uuid>,
    pub location_kind: String,
    pub location: String,
    pub trade: String,
    pub priority: String,
    pub description: String,
    pub state: String,
    pub rejected_as: Option<String>,
    pub reported_by: Uuid,
    pub reported_at: DateTimeUtc,
    pub resolve_by: DateTimeUtc,
    pub bearer: Option<String>,
    pub estimate_fen: Option<i64>,
    pub confirm_required: bool,
    pub charge_confirmed_at: Option<DateTimeUtc>,
    pub contractor_id: Option<Uuid>,
    pub dispatched_at: Option<DateTimeUtc>,
    pub respond_by: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub cost_fen: Option<i64>,
    pub rating: Option<i32>,
    pub rating_comment: Option<String>,
    pub reopened: i32,
    pub closed_at: Option<DateTimeUtc>,
    pub overdue_noted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
