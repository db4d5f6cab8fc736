//! The `compounds` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub bundle_id: Uuid,
    pub name: String,
    pub address: String,
    pub management_mode: String,
    pub charging_mode: String,
    pub onboarding_stage: String,
    pub has_cctv: bool,
    pub has_gatehouse: bool,
    pub has_guard: bool,
    pub has_lighting: bool,
    pub has_gate: bool,
    pub archived_at: Option<DateTimeUtc>,
    pub late_fee_daily_bp: Option<i32>,
    pub late_fee_grace_days: Option<i32>,
    pub late_fee_cap_bp: Option<i32>,
    pub committee_stripe_account: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
