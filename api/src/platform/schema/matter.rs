//! The `matters` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "matters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub compound_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub secret: bool,
    pub state: String,
    pub closes_at: DateTimeUtc,
    pub publicity_days: i32,
    pub drafted_by: Uuid,
    pub opened_at: Option<DateTimeUtc>,
    pub opened_by: Option<Uuid>,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<Uuid>,
    pub roll_owners: Option<i64>,
    pub roll_area: Option<i64>,
    pub yes_owners: Option<i64>,
    pub yes_area: Option<i64>,
    pub no_owners: Option<i64>,
    pub no_area: Option<i64>,
    pub abstain_owners: Option<i64>,
    pub abstain_area: Option<i64>,
    pub outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
