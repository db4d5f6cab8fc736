//! The plain records and inputs tenancy's use cases, storage and GraphQL share.

use chrono::{DateTime, NaiveDate, Utc};
use domain::late_fee::LateFeeTerms;
use domain::text::LongText;
use domain::{
    Area, AreaSource, ChargingMode, Label, ManagementMode, Money, Name, OnboardingStage, Period,
    SecurityBaseline,
};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// The largest single payment staff may record.
    pub max_payment: Money,
    pub office: Office,
}

/// How residents pay at the firm's office (shown when online payment is off); every part
/// optional, each at most [`LongText::MAX_CHARS`] characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Office {
    pub address: Option<LongText>,
    pub hours: Option<LongText>,
    pub phone: Option<LongText>,
    /// The bank account, or how to pay by transfer.
    pub bank: Option<LongText>,
}

#[derive(Debug, Clone)]
pub struct Bundle {
    pub id: Uuid,
    pub name: String,
    pub street_office: String,
    pub district: String,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// What a bundle is made of, parsed.
#[derive(Debug, Clone)]
pub struct BundleFields {
    pub name: Name,
    pub street_office: Name,
    pub district: Name,
}

#[derive(Debug, Clone)]
pub struct Compound {
    pub id: Uuid,
    pub bundle_id: Uuid,
    pub name: String,
    pub address: String,
    pub management_mode: ManagementMode,
    pub charging_mode: ChargingMode,
    pub onboarding_stage: OnboardingStage,
    pub security: SecurityBaseline,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The contract's late fee; `None` (the default) charges none.
    pub late_fee: Option<LateFeeTerms>,
    /// The owners' committee's Stripe connected account, for payouts of its fund.
    pub committee_stripe_account: Option<String>,
}

/// What a compound is made of, parsed.
#[derive(Debug, Clone)]
pub struct CompoundFields {
    pub bundle_id: Uuid,
    pub name: Name,
    pub address: LongText,
    pub management_mode: ManagementMode,
    pub charging_mode: ChargingMode,
    pub onboarding_stage: OnboardingStage,
    pub security: SecurityBaseline,
}

/// Compound filters for listing.
#[derive(Debug, Clone, Default)]
pub struct CompoundFilter {
    pub bundle_id: Option<Uuid>,
    pub name_contains: Option<String>,
    pub include_archived: bool,
}

#[derive(Debug, Clone)]
pub struct Building {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub id: Uuid,
    pub compound_id: Uuid,
    pub building_id: Uuid,
    pub unit_label: String,
    pub room_label: String,
    pub area: Area,
    pub area_source: AreaSource,
    pub active: Period,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// A new household, parsed.
#[derive(Debug, Clone)]
pub struct NewHousehold {
    pub compound_id: Uuid,
    pub building_id: Uuid,
    /// `None` for buildings without units (stored as an empty label).
    pub unit: Option<Label>,
    pub room: Label,
    pub area: Area,
    pub area_source: AreaSource,
    pub active: Period,
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    pub compound_id: Option<Uuid>,
    pub room_contains: Option<String>,
    pub include_archived: bool,
    pub order: HouseholdOrder,
}

/// The order a list of households is read in, a page at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HouseholdOrder {
    /// As people list them: building, unit, room.
    #[default]
    Place,
    /// Smallest area first (a typo of 0.5 m² stands out), then by id.
    AreaAscending,
    /// Largest area first, then by id.
    AreaDescending,
}

/// Changes to a household's area or active period (its place never changes).
#[derive(Debug, Clone, Default)]
pub struct HouseholdChange {
    pub area: Option<(Area, AreaSource)>,
    pub active_to: Option<Option<NaiveDate>>,
    pub archive: bool,
}
