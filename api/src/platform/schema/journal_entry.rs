//! The `journal_entries` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// When it was recorded.
    pub created_at: DateTimeUtc,
    pub seq: i64,
    pub compound_id: Uuid,
    pub kind: String,
    pub occurred_at: DateTimeUtc,
    pub idempotency_key: String,
    pub actor_user_id: Option<Uuid>,
    pub reverses_entry_id: Option<Uuid>,
    pub memo: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
