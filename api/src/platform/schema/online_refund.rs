//! The `online_refunds` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "online_refunds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub attempt_id: Uuid,
    pub payment_id: Uuid,
    pub amount_fen: i64,
    pub reason: String,
    pub status: String,
    pub stripe_refund_id: Option<String>,
    /// `None` for a refund made in Stripe's dashboard rather than through Courtyard.
    pub requested_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
