//! Fees, waivers, billing runs, invoices, payments, collection and arrears.

mod live;
mod runs;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use domain::billing::{FeeItem as DomainItem, Pricing as DomainPricing, WaiverAmount};
use domain::late_fee::LateFeeTerms;
use domain::ledger::WaiverFunding as DomainFunding;
use domain::{LongText, Money};

use super::service::{self, RunScope};
use crate::billing::model::{Activation, Grant, Hardship, Schedule};
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, parse_id, period, sane_date};
use crate::platform::graphql::mirror_enum;
use domain::billing::ScheduleScope;
pub use live::BillingSubscription;
use runs::BillingRun;

mirror_enum!(
    FeeItemKind,
    domain::billing::FeeItemKind {
        GarbageRemoval,
        SecurityPatrol,
        UtilitiesRepair,
        ParkingManagement,
        GreeneryCare
    }
);
mirror_enum!(
    WaiverFunding,
    DomainFunding {
        GovernmentSubsidy,
        CommitteeFund,
        FirmAbsorbs
    }
);
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum PricingKind {
    /// Fixed fen per household per month.
    PerHousehold,
    /// Fen per m² of exclusive area per month; area × rate is rounded half up once per line.
    PerSquareMetre,
}

mirror_enum!(
    HardshipCategory,
    domain::billing::HardshipCategory {
        /// 低保
        Dibao,
        /// 特困 / 五保
        Tekun,
        /// 孤寡老人
        ElderlyAlone,
        /// 残疾
        Disability,
        Other,
    }
);

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum WaiverKind {
    Full,
    Percent,
    FixedPerMonth,
}

mirror_enum!(
    WaiverStatus,
    domain::billing::GrantStatus {
        Proposed,
        Approved,
        Rejected
    }
);

// ---- outputs ----

#[derive(SimpleObject)]
pub struct FeeItem {
    pub kind: FeeItemKind,
    pub pricing: PricingKind,
    pub rate: MoneyAmount,
    pub addon: bool,
}

impl From<DomainItem> for FeeItem {
    fn from(i: DomainItem) -> Self {
        let (pricing, rate) = match i.pricing {
            DomainPricing::PerHousehold(m) => (PricingKind::PerHousehold, m),
            DomainPricing::PerSquareMetre(m) => (PricingKind::PerSquareMetre, m),
        };
        Self {
            kind: i.kind.into(),
            pricing,
            rate: rate.into(),
            addon: i.kind.is_addon(),
        }
    }
}

#[derive(SimpleObject)]
pub struct FeeSchedule {
    pub id: ID,
    pub compound_id: Option<ID>,
    pub bundle_id: Option<ID>,
    /// First month this version bills, YYYY-MM.
    pub effective_from: String,
    pub note: String,
    pub items: Vec<FeeItem>,
}

impl From<Schedule> for FeeSchedule {
    fn from(s: Schedule) -> Self {
        let (compound_id, bundle_id) = match s.scope {
            ScheduleScope::Compound(c) => (Some(c.into()), None),
            ScheduleScope::Bundle(b) => (None, Some(b.into())),
        };
        Self {
            id: s.id.into(),
            compound_id,
            bundle_id,
            effective_from: s.effective_from.to_string(),
            note: s.note,
            items: s.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(SimpleObject)]
pub struct AddonActivation {
    pub id: ID,
    pub compound_id: ID,
    pub kind: FeeItemKind,
    pub from_period: String,
    pub to_period: Option<String>,
    /// The owners' decision as recorded: the passed matter's title, or the text recorded
    /// before votes existed.
    pub decision_ref: String,
    /// The passed matter that approved it; none when recorded before votes existed.
    pub matter_id: Option<ID>,
}

impl From<Activation> for AddonActivation {
    fn from(a: Activation) -> Self {
        Self {
            id: a.id.into(),
            compound_id: a.compound_id.into(),
            kind: a.kind.into(),
            from_period: a.from.to_string(),
            to_period: a.to.map(|t| t.to_string()),
            decision_ref: a.decision_ref,
            matter_id: a.matter_id.map(Into::into),
        }
    }
}

#[derive(SimpleObject)]
pub struct HardshipRecord {
    pub id: ID,
    pub household_id: ID,
    pub category: HardshipCategory,
    pub certificate_no: String,
    pub evidence: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

impl From<Hardship> for HardshipRecord {
    fn from(h: Hardship) -> Self {
        Self {
            id: h.id.into(),
            household_id: h.household_id.into(),
            category: h.category.into(),
            certificate_no: h.certificate_no,
            evidence: h.evidence,
            valid_from: h.valid_from,
            valid_to: h.valid_to,
        }
    }
}

#[derive(SimpleObject)]
pub struct WaiverGrant {
    pub id: ID,
    pub household_id: ID,
    pub hardship_id: Option<ID>,
    pub kind: WaiverKind,
    /// For PERCENT: basis points (5000 = 50%).
    pub percent_bp: Option<i32>,
    /// For FIXED_PER_MONTH.
    pub fixed_per_month: Option<MoneyAmount>,
    pub from_period: String,
    pub to_period: String,
    pub funding: WaiverFunding,
    pub status: WaiverStatus,
}

impl From<Grant> for WaiverGrant {
    fn from(g: Grant) -> Self {
        let (kind, percent_bp, fixed) = match g.amount {
            WaiverAmount::Full => (WaiverKind::Full, None, None),
            WaiverAmount::Percent(bp) => (WaiverKind::Percent, Some(i32::from(bp.get())), None),
            WaiverAmount::FixedPerMonth(m) => (WaiverKind::FixedPerMonth, None, Some(m.into())),
        };
        Self {
            id: g.id.into(),
            household_id: g.household_id.into(),
            hardship_id: g.hardship_id.map(Into::into),
            kind,
            percent_bp,
            fixed_per_month: fixed,
            from_period: g.from.to_string(),
            to_period: g.to.to_string(),
            funding: g.funding.into(),
            status: g.status.into(),
        }
    }
}

#[derive(SimpleObject)]
pub struct RunBillingPayload {
    pub run_id: ID,
    pub households: i64,
    pub invoiced: i64,
    pub skipped_already_invoiced: i64,
    pub skipped_no_schedule: i64,
    pub total_due: MoneyAmount,
}

// ---- queries ----

#[derive(Default)]
pub struct BillingQuery;

#[Object]
impl BillingQuery {
    /// Fee schedule versions that apply to a compound: its own and its bundle's.
    async fn fee_schedules(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<FeeSchedule>> {
        let c = parse_id(&compound_id, "compoundId")?;
        Ok(service::schedules_of(ctx.db(), ctx.session()?, c)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn addon_activations(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<AddonActivation>> {
        let c = parse_id(&compound_id, "compoundId")?;
        Ok(service::activations_of(ctx.db(), ctx.session()?, c)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Sensitive: waiver handlers only; every read is audit-logged.
    async fn hardship_records(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
    ) -> GqlResult<Vec<HardshipRecord>> {
        let h = parse_id(&household_id, "householdId")?;
        Ok(service::hardship_of(ctx.db(), ctx.session()?, h)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn waiver_grants(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
    ) -> GqlResult<Vec<WaiverGrant>> {
        let h = parse_id(&household_id, "householdId")?;
        Ok(service::waivers_of(ctx.db(), ctx.session()?, h)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Approved waivers ending within 30 days: re-verify the certificate.
    async fn expiring_waivers(&self, ctx: &Context<'_>) -> GqlResult<Vec<WaiverGrant>> {
        Ok(service::waivers_expiring(ctx.db(), ctx.session()?)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn billing_run(&self, ctx: &Context<'_>, id: ID) -> GqlResult<BillingRun> {
        Ok(service::run(ctx.db(), ctx.session()?, parse_id(&id, "id")?)
            .await?
            .into())
    }

    /// The 50 most recent runs.
    async fn billing_runs(&self, ctx: &Context<'_>) -> GqlResult<Vec<BillingRun>> {
        Ok(service::runs(ctx.db(), ctx.session()?)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

// ---- inputs ----

#[derive(InputObject)]
pub struct FeeItemInput {
    pub kind: FeeItemKind,
    pub pricing: PricingKind,
    /// Yuan: per household per month, or per m² per month.
    pub rate: String,
}

#[derive(InputObject)]
pub struct FeeScheduleInput {
    /// Exactly one of compoundId (an override) or bundleId (the default).
    pub compound_id: Option<ID>,
    pub bundle_id: Option<ID>,
    /// YYYY-MM
    pub effective_from: String,
    pub note: String,
    pub items: Vec<FeeItemInput>,
}

#[derive(InputObject)]
pub struct LateFeeInput {
    /// Basis points per day, 1–10 (5 = 万分之五 a day).
    pub daily_rate_bp: i32,
    /// 0–365 days after the end of the billed month.
    pub grace_days: i32,
    /// 1–10000 basis points of the invoice's principal.
    pub cap_bp: i32,
}

#[derive(InputObject)]
pub struct AddonInput {
    pub compound_id: ID,
    pub kind: FeeItemKind,
    pub from_period: String,
    pub to_period: Option<String>,
    /// The owners' passed matter that approved it: of the firm's service (PROPERTY_FIRM) or
    /// another major matter (OTHER), in this compound.
    pub matter_id: ID,
}

#[derive(InputObject)]
pub struct HardshipInput {
    pub household_id: ID,
    pub category: HardshipCategory,
    pub certificate_no: String,
    pub evidence: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

#[derive(InputObject)]
pub struct WaiverInput {
    pub household_id: ID,
    pub hardship_id: Option<ID>,
    pub kind: WaiverKind,
    /// For PERCENT: basis points, 1–10000.
    pub percent_bp: Option<i32>,
    /// For FIXED_PER_MONTH: yuan.
    pub fixed_per_month: Option<String>,
    pub from_period: String,
    pub to_period: String,
    pub funding: WaiverFunding,
}

#[derive(InputObject)]
pub struct RunBillingInput {
    /// YYYY-MM
    pub period: String,
    pub bundle_id: Option<ID>,
    pub compound_id: Option<ID>,
}

const MAX_ITEMS: usize = 20;

#[derive(Default)]
pub struct BillingMutation;

#[Object]
impl BillingMutation {
    /// A new version of a fee schedule, billing from `effectiveFrom` on. Earlier months keep
    /// the version that was in force for them.
    async fn set_fee_schedule(
        &self,
        ctx: &Context<'_>,
        input: FeeScheduleInput,
    ) -> GqlResult<FeeSchedule> {
        let session = ctx.session()?;
        let scope = match (&input.compound_id, &input.bundle_id) {
            (Some(c), None) => ScheduleScope::Compound(parse_id(c, "compoundId")?),
            (None, Some(b)) => ScheduleScope::Bundle(parse_id(b, "bundleId")?),
            _ => {
                return Err(AppError::bad_input(
                    "compoundId",
                    "give exactly one of compoundId or bundleId",
                )
                .into());
            }
        };
        if input.items.len() > MAX_ITEMS {
            return Err(AppError::bad_input("items", format!("at most {MAX_ITEMS} items")).into());
        }
        let items = input
            .items
            .iter()
            .map(|i| {
                let rate = Money::parse(&i.rate).field("items.rate")?;
                let pricing = match i.pricing {
                    PricingKind::PerHousehold => DomainPricing::per_household(rate),
                    PricingKind::PerSquareMetre => DomainPricing::per_square_metre(rate),
                }
                .field("items.rate")?;
                Ok(DomainItem {
                    kind: i.kind.into(),
                    pricing,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let from = period(&input.effective_from, "effectiveFrom")?;
        let note = if input.note.trim().is_empty() {
            LongText::parse("—").field("note")?
        } else {
            LongText::parse(&input.note).field("note")?
        };
        Ok(
            service::set_schedule(ctx.db(), session, scope, from, note, items)
                .await?
                .into(),
        )
    }

    /// Sets the late fee of a compound's contract, or removes it (`terms: null`). Applies from
    /// the next billing run.
    async fn set_late_fee(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        terms: Option<LateFeeInput>,
    ) -> GqlResult<crate::tenancy::CompoundObject> {
        let session = ctx.session()?;
        let compound = parse_id(&compound_id, "compoundId")?;
        let terms = terms
            .map(|t| {
                LateFeeTerms::new(t.daily_rate_bp.into(), t.grace_days.into(), t.cap_bp.into())
                    .map_err(|e| AppError::bad_input(e.field(), e.to_string()))
            })
            .transpose()?;
        Ok(crate::tenancy::CompoundObject(
            service::set_late_fee(ctx.db(), session, compound, terms).await?,
        ))
    }

    /// Activates an add-on service for a compound, citing the owners' decision.
    async fn activate_addon(
        &self,
        ctx: &Context<'_>,
        input: AddonInput,
    ) -> GqlResult<AddonActivation> {
        let session = ctx.session()?;
        let compound = parse_id(&input.compound_id, "compoundId")?;
        let from = period(&input.from_period, "fromPeriod")?;
        let to = input
            .to_period
            .as_deref()
            .map(|t| period(t, "toPeriod"))
            .transpose()?;
        let matter = parse_id(&input.matter_id, "matterId")?;
        Ok(service::activate_addon(
            ctx.db(),
            session,
            compound,
            input.kind.into(),
            from,
            to,
            matter,
        )
        .await?
        .into())
    }

    async fn record_hardship(
        &self,
        ctx: &Context<'_>,
        input: HardshipInput,
    ) -> GqlResult<HardshipRecord> {
        let session = ctx.session()?;
        let h = service::HardshipInput {
            household: parse_id(&input.household_id, "householdId")?,
            category: input.category.into(),
            certificate_no: input.certificate_no,
            evidence: LongText::parse(&input.evidence).field("evidence")?,
            valid_from: sane_date(input.valid_from, "validFrom")?,
            valid_to: sane_date(input.valid_to, "validTo")?,
        };
        Ok(service::record_hardship(ctx.db(), session, h).await?.into())
    }

    async fn propose_waiver(
        &self,
        ctx: &Context<'_>,
        input: WaiverInput,
    ) -> GqlResult<WaiverGrant> {
        let session = ctx.session()?;
        let amount = match input.kind {
            WaiverKind::Full => WaiverAmount::Full,
            WaiverKind::Percent => {
                let bp = input
                    .percent_bp
                    .ok_or_else(|| AppError::bad_input("percentBp", "is required for PERCENT"))?;
                WaiverAmount::percent(
                    u32::try_from(bp)
                        .map_err(|_| AppError::bad_input("percentBp", "must be positive"))?,
                )
                .field("percentBp")?
            }
            WaiverKind::FixedPerMonth => {
                let raw = input.fixed_per_month.as_deref().ok_or_else(|| {
                    AppError::bad_input("fixedPerMonth", "is required for FIXED_PER_MONTH")
                })?;
                WaiverAmount::fixed(Money::parse(raw).field("fixedPerMonth")?)
                    .field("fixedPerMonth")?
            }
        };
        let w = service::WaiverInput {
            household: parse_id(&input.household_id, "householdId")?,
            hardship: input
                .hardship_id
                .as_ref()
                .map(|h| parse_id(h, "hardshipId"))
                .transpose()?,
            amount,
            from: period(&input.from_period, "fromPeriod")?,
            to: period(&input.to_period, "toPeriod")?,
            funding: input.funding.into(),
        };
        Ok(service::propose_waiver(ctx.db(), session, w).await?.into())
    }

    /// Approves or rejects a proposed waiver; the approver must not be the proposer.
    async fn decide_waiver(
        &self,
        ctx: &Context<'_>,
        id: ID,
        approve: bool,
    ) -> GqlResult<WaiverGrant> {
        let session = ctx.session()?;
        Ok(
            service::decide_waiver(ctx.db(), session, parse_id(&id, "id")?, approve)
                .await?
                .into(),
        )
    }

    /// Bills every active household in scope for the month, once.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn run_billing(
        &self,
        ctx: &Context<'_>,
        input: RunBillingInput,
    ) -> GqlResult<RunBillingPayload> {
        let session = ctx.session()?;
        let p = period(&input.period, "period")?;
        let scope = match (&input.compound_id, &input.bundle_id) {
            (Some(c), None) => RunScope::Compound(parse_id(c, "compoundId")?),
            (None, Some(b)) => RunScope::Bundle(parse_id(b, "bundleId")?),
            (None, None) => RunScope::Tenant,
            _ => {
                return Err(AppError::bad_input(
                    "compoundId",
                    "give at most one of compoundId or bundleId",
                )
                .into());
            }
        };
        let r = service::run_billing_as(ctx.db(), session, p, scope).await?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Ok(RunBillingPayload {
            run_id: r.run_id.into(),
            households: n(r.households),
            invoiced: n(r.invoiced),
            skipped_already_invoiced: n(r.skipped_already_invoiced),
            skipped_no_schedule: n(r.skipped_no_schedule),
            total_due: r.total_due.into(),
        })
    }
}
