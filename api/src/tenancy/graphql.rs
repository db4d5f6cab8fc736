//! Bundles, compounds, buildings and households.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{Area, Label, LongText, Name, Period};

use super::loaders::Loaders;
use super::service as tenancy;
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id, sane_date};
use crate::platform::graphql::mirror_enum;
use crate::platform::graphql::pagination::{connection, page_request};
use crate::tenancy::model::Building as BuildingRec;
use crate::tenancy::model::{Bundle as BundleRec, BundleFields};
use crate::tenancy::model::{Compound as CompoundRec, CompoundFields, CompoundFilter};
use crate::tenancy::model::{
    Household as HouseholdRec, HouseholdChange, HouseholdFilter, NewHousehold,
};

mirror_enum!(
    /// The order households are listed in, a page at a time.
    HouseholdOrder,
    crate::tenancy::model::HouseholdOrder {
        /// As people list them: building, unit, room.
        Place,
        /// Smallest area first.
        AreaAscending,
        /// Largest area first.
        AreaDescending,
    }
);
mirror_enum!(
    ManagementMode,
    domain::ManagementMode {
        Professional,
        SelfGoverned,
        WorkUnit,
        Community
    }
);
mirror_enum!(
    ChargingMode,
    domain::ChargingMode {
        LumpSum,
        Commission
    }
);
mirror_enum!(
    OnboardingStage,
    domain::OnboardingStage {
        Survey,
        Publicise,
        SelfManagementTeam,
        Mobilise,
        RaiseFunds,
        Implement,
        Standardise
    }
);
mirror_enum!(
    AreaSource,
    domain::AreaSource {
        PropertyRegister,
        Survey,
        SaleContract
    }
);

// ---- output types ----

pub struct Bundle(pub BundleRec);

#[Object]
impl Bundle {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 街道办事处 that reviews this bundle's budgets.
    async fn street_office(&self) -> &str {
        &self.0.street_office
    }
    async fn district(&self) -> &str {
        &self.0.district
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The bundle's compounds within your reach.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn compounds(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Compound>> {
        let had_after = after.is_some();
        let page = page_request(first, after)?;
        let filter = CompoundFilter {
            bundle_id: Some(self.0.id),
            ..Default::default()
        };
        let found = tenancy::list_compounds(ctx.db(), ctx.session()?, filter, page).await?;
        Ok(connection(found, had_after, |c| c.id, Compound))
    }
}

#[derive(SimpleObject)]
pub struct SecurityBaseline {
    pub cctv: bool,
    pub gatehouse: bool,
    pub guard: bool,
    pub lighting: bool,
    pub gate: bool,
    /// How many of the five (五有) are in place.
    pub met: i32,
}

pub struct Compound(pub CompoundRec);

/// A compound contract's late fee: simple daily interest on an overdue invoice's open
/// principal from the day after month end plus grace days, rounded down, never compounding,
/// all late fees for one invoice capped at a share of its principal.
#[derive(SimpleObject)]
pub struct LateFee {
    /// Basis points of the open principal per day (5 = 万分之五 a day).
    pub daily_rate_bp: i32,
    /// Days after the end of the billed month before an invoice is overdue.
    pub grace_days: i32,
    /// The most all late fees for one invoice may add up to, in basis points of its principal.
    pub cap_bp: i32,
}

#[Object]
impl Compound {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn management_mode(&self) -> ManagementMode {
        self.0.management_mode.into()
    }
    async fn charging_mode(&self) -> ChargingMode {
        self.0.charging_mode.into()
    }
    async fn onboarding_stage(&self) -> OnboardingStage {
        self.0.onboarding_stage.into()
    }
    /// The contract's late fee (滞纳金); null when it has none (the default).
    async fn late_fee(&self) -> Option<LateFee> {
        self.0.late_fee.map(|t| LateFee {
            daily_rate_bp: i32::from(t.daily_rate_bp()),
            grace_days: i32::from(t.grace_days()),
            cap_bp: i32::from(t.cap().get()),
        })
    }
    /// The owners' committee's Stripe connected account, for payouts of its fund.
    async fn committee_stripe_account(&self) -> Option<&str> {
        self.0.committee_stripe_account.as_deref()
    }
    /// 1–7: the step of the seven-step onboarding method.
    async fn onboarding_step(&self) -> i32 {
        i32::from(self.0.onboarding_stage.step())
    }
    async fn security(&self) -> SecurityBaseline {
        let s = self.0.security;
        SecurityBaseline {
            cctv: s.cctv,
            gatehouse: s.gatehouse,
            guard: s.guard,
            lighting: s.lighting,
            gate: s.gate,
            met: i32::from(s.met()),
        }
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    async fn bundle(&self, ctx: &Context<'_>) -> GqlResult<Option<Bundle>> {
        Ok(loaders(ctx)?
            .bundles
            .load_one(self.0.bundle_id)
            .await?
            .map(Bundle))
    }
    /// Live households you can see in this compound.
    async fn household_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        Ok(loaders(ctx)?
            .household_counts
            .load_one(self.0.id)
            .await?
            .unwrap_or(0))
    }
    async fn buildings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Building>> {
        Ok(tenancy::buildings_of(ctx.db(), ctx.session()?, self.0.id)
            .await?
            .into_iter()
            .map(Building)
            .collect())
    }
    /// Households, optionally only rooms containing `room`, in `orderBy`'s order.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn households(
        &self,
        ctx: &Context<'_>,
        room: Option<String>,
        #[graphql(default_with = "HouseholdOrder::Place")] order_by: HouseholdOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Household>> {
        let listed = Listing {
            compound_id: Some(self.0.id),
            room,
            order_by,
        };
        list_households(ctx, listed, first, after).await
    }
}

pub struct Building(pub BuildingRec);

#[Object]
impl Building {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn compound_id(&self) -> ID {
        self.0.compound_id.into()
    }
}

pub struct Household(pub HouseholdRec);

#[Object]
impl Household {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn compound_id(&self) -> ID {
        self.0.compound_id.into()
    }
    async fn compound(&self, ctx: &Context<'_>) -> GqlResult<Option<Compound>> {
        Ok(loaders(ctx)?
            .compounds
            .load_one(self.0.compound_id)
            .await?
            .map(Compound))
    }
    async fn building(&self, ctx: &Context<'_>) -> GqlResult<Option<Building>> {
        Ok(loaders(ctx)?
            .buildings
            .load_one(self.0.building_id)
            .await?
            .map(Building))
    }
    /// 单元, empty for buildings without units.
    async fn unit(&self) -> &str {
        &self.0.unit_label
    }
    async fn room(&self) -> &str {
        &self.0.room_label
    }
    /// Exclusive area in m², exactly two decimals, e.g. "89.50".
    async fn area(&self) -> String {
        self.0.area.to_string()
    }
    /// Exclusive area in 0.01 m².
    async fn area_centi(&self) -> i64 {
        self.0.area.centi()
    }
    async fn area_source(&self) -> AreaSource {
        self.0.area_source.into()
    }
    async fn active_from(&self) -> NaiveDate {
        self.0.active.from()
    }
    async fn active_to(&self) -> Option<NaiveDate> {
        self.0.active.to()
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    async fn members(&self, ctx: &Context<'_>) -> GqlResult<Vec<crate::people::HouseholdMember>> {
        crate::people::household_members(ctx, self.0.id).await
    }
}

fn loaders<'a>(ctx: &'a Context<'_>) -> Result<&'a Loaders, AppError> {
    ctx.session()?;
    ctx.data::<Loaders>().map_err(|_| AppError::Unauthenticated)
}

/// Which households a list shows, and in what order.
struct Listing {
    compound_id: Option<uuid::Uuid>,
    room: Option<String>,
    order_by: HouseholdOrder,
}

async fn list_households(
    ctx: &Context<'_>,
    listed: Listing,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<Connection<String, Household>> {
    let had_after = after.is_some();
    let page = page_request(first, after)?;
    let room_contains = listed
        .room
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if room_contains
        .as_ref()
        .is_some_and(|r| r.chars().count() > Label::MAX_CHARS)
    {
        return Err(AppError::bad_input(
            "room",
            format!("must be at most {} characters", Label::MAX_CHARS),
        )
        .into());
    }
    let filter = HouseholdFilter {
        compound_id: listed.compound_id,
        room_contains,
        include_archived: false,
        order: listed.order_by.into(),
    };
    let found = tenancy::list_households(ctx.db(), ctx.session()?, filter, page).await?;
    // The page's buildings in one read with it, rather than by the loader's batch window
    // (which a busy server can split in two).
    if ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("building")
        .exists()
    {
        let ids: Vec<uuid::Uuid> = found.items.iter().map(|h| h.building_id).collect();
        let buildings = tenancy::buildings_by_id(ctx.db(), ctx.session()?, &ids).await?;
        loaders(ctx)?.buildings.feed_many(buildings).await;
    }
    Ok(connection(found, had_after, |h| h.id, Household))
}

// ---- queries ----

#[derive(Default)]
pub struct TenancyQuery;

#[Object]
impl TenancyQuery {
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn bundles(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_archived: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Bundle>> {
        let had_after = after.is_some();
        let page = page_request(first, after)?;
        let found = tenancy::list_bundles(ctx.db(), ctx.session()?, include_archived, page).await?;
        Ok(connection(found, had_after, |b| b.id, Bundle))
    }

    async fn bundle(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Bundle> {
        Ok(Bundle(
            tenancy::bundle(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?,
        ))
    }

    /// Compounds within your reach, optionally of one bundle or matching a name.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn compounds(
        &self,
        ctx: &Context<'_>,
        bundle_id: Option<ID>,
        search: Option<String>,
        #[graphql(default = false)] include_archived: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Compound>> {
        let had_after = after.is_some();
        let page = page_request(first, after)?;
        let bundle_id = bundle_id.map(|b| parse_id(&b, "bundleId")).transpose()?;
        let name_contains = search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if name_contains
            .as_ref()
            .is_some_and(|s| s.chars().count() > Name::MAX_CHARS)
        {
            return Err(AppError::bad_input("search", "must be at most 100 characters").into());
        }
        let filter = CompoundFilter {
            bundle_id,
            name_contains,
            include_archived,
        };
        let found = tenancy::list_compounds(ctx.db(), ctx.session()?, filter, page).await?;
        Ok(connection(found, had_after, |c| c.id, Compound))
    }

    async fn compound(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Compound> {
        Ok(Compound(
            tenancy::compound(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?,
        ))
    }

    /// Households within your reach: a resident sees only their own.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn households(
        &self,
        ctx: &Context<'_>,
        compound_id: Option<ID>,
        room: Option<String>,
        #[graphql(default_with = "HouseholdOrder::Place")] order_by: HouseholdOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Household>> {
        let compound_id = compound_id
            .map(|c| parse_id(&c, "compoundId"))
            .transpose()?;
        let listed = Listing {
            compound_id,
            room,
            order_by,
        };
        list_households(ctx, listed, first, after).await
    }

    async fn household(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Household> {
        Ok(Household(
            tenancy::household(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?,
        ))
    }
}

// ---- inputs ----

#[derive(InputObject)]
pub struct BundleInput {
    pub name: String,
    pub street_office: String,
    pub district: String,
}

impl BundleInput {
    fn parse(self) -> Result<BundleFields, AppError> {
        Ok(BundleFields {
            name: Name::parse(&self.name).field("name")?,
            street_office: Name::parse(&self.street_office).field("streetOffice")?,
            district: Name::parse(&self.district).field("district")?,
        })
    }
}

#[derive(InputObject)]
pub struct SecurityBaselineInput {
    #[graphql(default)]
    pub cctv: bool,
    #[graphql(default)]
    pub gatehouse: bool,
    #[graphql(default)]
    pub guard: bool,
    #[graphql(default)]
    pub lighting: bool,
    #[graphql(default)]
    pub gate: bool,
}

#[derive(InputObject)]
pub struct CompoundInput {
    pub bundle_id: ID,
    pub name: String,
    pub address: String,
    pub management_mode: ManagementMode,
    pub charging_mode: ChargingMode,
    #[graphql(default_with = "OnboardingStage::Survey")]
    pub onboarding_stage: OnboardingStage,
    pub security: Option<SecurityBaselineInput>,
}

impl CompoundInput {
    fn parse(self) -> Result<CompoundFields, AppError> {
        let s = self.security.unwrap_or(SecurityBaselineInput {
            cctv: false,
            gatehouse: false,
            guard: false,
            lighting: false,
            gate: false,
        });
        Ok(CompoundFields {
            bundle_id: parse_id(&self.bundle_id, "bundleId")?,
            name: Name::parse(&self.name).field("name")?,
            address: LongText::parse(&self.address).field("address")?,
            management_mode: self.management_mode.into(),
            charging_mode: self.charging_mode.into(),
            onboarding_stage: self.onboarding_stage.into(),
            security: domain::SecurityBaseline {
                cctv: s.cctv,
                gatehouse: s.gatehouse,
                guard: s.guard,
                lighting: s.lighting,
                gate: s.gate,
            },
        })
    }
}

#[derive(InputObject)]
pub struct BuildingInput {
    pub compound_id: ID,
    pub label: String,
}

#[derive(InputObject)]
pub struct HouseholdInput {
    pub compound_id: ID,
    pub building_id: ID,
    /// 单元; leave empty for buildings without units.
    pub unit: Option<String>,
    pub room: String,
    /// Exclusive area in m², at most two decimals, e.g. "89.5".
    pub area: String,
    pub area_source: AreaSource,
    pub active_from: NaiveDate,
    pub active_to: Option<NaiveDate>,
}

impl HouseholdInput {
    fn parse(self) -> Result<NewHousehold, AppError> {
        let unit = self
            .unit
            .filter(|u| !u.trim().is_empty())
            .map(|u| Label::parse(&u).field("unit"))
            .transpose()?;
        Ok(NewHousehold {
            compound_id: parse_id(&self.compound_id, "compoundId")?,
            building_id: parse_id(&self.building_id, "buildingId")?,
            unit,
            room: Label::parse(&self.room).field("room")?,
            area: Area::parse(&self.area).field("area")?,
            area_source: self.area_source.into(),
            active: Period::new(
                sane_date(self.active_from, "activeFrom")?,
                self.active_to
                    .map(|d| sane_date(d, "activeTo"))
                    .transpose()?,
            )
            .field("activeTo")?,
        })
    }
}

#[derive(InputObject)]
pub struct HouseholdUpdateInput {
    /// New exclusive area in m², with its source.
    pub area: Option<String>,
    pub area_source: Option<AreaSource>,
    /// When the household stops being billed (moved out, merged); null keeps it open.
    pub active_to: Option<NaiveDate>,
}

// ---- mutations ----

#[derive(Default)]
pub struct TenancyMutation;

#[Object]
impl TenancyMutation {
    async fn create_bundle(&self, ctx: &Context<'_>, input: BundleInput) -> GqlResult<Bundle> {
        let session = ctx.session()?;
        Ok(Bundle(
            tenancy::create_bundle(ctx.db(), session, input.parse()?).await?,
        ))
    }

    async fn update_bundle(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: BundleInput,
    ) -> GqlResult<Bundle> {
        let session = ctx.session()?;
        let id = parse_id(&id, "id")?;
        Ok(Bundle(
            tenancy::update_bundle(ctx.db(), session, id, input.parse()?).await?,
        ))
    }

    /// Archives an empty bundle (it stays in history; nothing is deleted).
    async fn archive_bundle(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Bundle> {
        let session = ctx.session()?;
        Ok(Bundle(
            tenancy::archive_bundle(ctx.db(), session, parse_id(&id, "id")?).await?,
        ))
    }

    async fn create_compound(
        &self,
        ctx: &Context<'_>,
        input: CompoundInput,
    ) -> GqlResult<Compound> {
        let session = ctx.session()?;
        Ok(Compound(
            tenancy::create_compound(ctx.db(), session, input.parse()?).await?,
        ))
    }

    async fn update_compound(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: CompoundInput,
    ) -> GqlResult<Compound> {
        let session = ctx.session()?;
        let id = parse_id(&id, "id")?;
        Ok(Compound(
            tenancy::update_compound(ctx.db(), session, id, input.parse()?).await?,
        ))
    }

    async fn archive_compound(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Compound> {
        let session = ctx.session()?;
        Ok(Compound(
            tenancy::archive_compound(ctx.db(), session, parse_id(&id, "id")?).await?,
        ))
    }

    async fn create_building(
        &self,
        ctx: &Context<'_>,
        input: BuildingInput,
    ) -> GqlResult<Building> {
        let session = ctx.session()?;
        let compound = parse_id(&input.compound_id, "compoundId")?;
        let label = Label::parse(&input.label).field("label")?;
        Ok(Building(
            tenancy::create_building(ctx.db(), session, compound, label).await?,
        ))
    }

    async fn create_household(
        &self,
        ctx: &Context<'_>,
        input: HouseholdInput,
    ) -> GqlResult<Household> {
        let session = ctx.session()?;
        Ok(Household(
            tenancy::create_household(ctx.db(), session, input.parse()?).await?,
        ))
    }

    async fn update_household(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: HouseholdUpdateInput,
    ) -> GqlResult<Household> {
        let session = ctx.session()?;
        let id = parse_id(&id, "id")?;
        let area = match (input.area, input.area_source) {
            (Some(a), Some(s)) => Some((Area::parse(&a).field("area")?, s.into())),
            (None, None) => None,
            _ => {
                return Err(AppError::bad_input(
                    "areaSource",
                    "give the area and its source together",
                )
                .into());
            }
        };
        let change = HouseholdChange {
            area,
            active_to: input
                .active_to
                .map(|d| sane_date(d, "activeTo").map(Some))
                .transpose()?,
            archive: false,
        };
        Ok(Household(
            tenancy::update_household(ctx.db(), session, id, change).await?,
        ))
    }

    /// Archives a household that no longer exists (merged, demolished); its history stays.
    async fn archive_household(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Household> {
        let session = ctx.session()?;
        let change = HouseholdChange {
            archive: true,
            ..Default::default()
        };
        Ok(Household(
            tenancy::update_household(ctx.db(), session, parse_id(&id, "id")?, change).await?,
        ))
    }
}

/// A compound's name for another area's object, through the request's loader (one statement
/// for every compound named in a response).
pub async fn compound_name(ctx: &Context<'_>, id: uuid::Uuid) -> GqlResult<String> {
    let loaders = ctx
        .data::<Loaders>()
        .map_err(|_| AppError::Unauthenticated)?;
    Ok(loaders
        .compounds
        .load_one(id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default())
}
