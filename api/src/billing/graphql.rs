//! Fees, waivers, billing runs, invoices, payments, collection and arrears.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::billing::{
    BillingPeriod, FeeItem as DomainItem, Pricing as DomainPricing, RunStatus, WaiverAmount,
};
use domain::late_fee::LateFeeTerms;
use domain::ledger::{PaymentMethod as DomainMethod, WaiverFunding as DomainFunding};
use domain::{LongText, Money};

use super::service::{self, RunScope};
use crate::billing::model::{
    Activation, Grant, Hardship, Invoice as InvoiceRec, Run, Schedule, ScheduleScope,
};
use crate::collection as pay;
use crate::collection::{Allocation, Notice, Payment as PaymentRec};
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, parse_id, sane_date, sane_time};
use crate::platform::graphql::mirror_enum;

type GqlResult<T> = async_graphql::Result<T>;

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
mirror_enum!(
    PaymentMethod,
    DomainMethod {
        Cash,
        BankTransfer,
        QrTransfer,
        Online
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

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum NoticeKind {
    /// 提醒
    Reminder,
    /// 书面催告
    FormalDemand,
}

fn period(raw: &str, field: &str) -> Result<BillingPeriod, AppError> {
    BillingPeriod::parse(raw).field(field)
}

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
    /// The owners' decision that approved it.
    pub decision_ref: String,
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

/// Where a billing run stands. `INTERRUPTED`: it has committed no batch for ten minutes
/// (its process died); what it billed stands, and running the month again bills the rest.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum BillingRunStatus {
    Running,
    Finished,
    Interrupted,
}

impl From<RunStatus> for BillingRunStatus {
    fn from(s: RunStatus) -> Self {
        match s {
            RunStatus::Running => Self::Running,
            RunStatus::Finished => Self::Finished,
            RunStatus::Interrupted => Self::Interrupted,
        }
    }
}

#[derive(SimpleObject)]
pub struct BillingRun {
    pub id: ID,
    pub period: String,
    pub status: BillingRunStatus,
    /// Households in scope.
    pub total: i32,
    pub processed: i32,
    pub invoiced: MoneyAmount,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Run> for BillingRun {
    fn from(r: Run) -> Self {
        Self {
            id: r.id.into(),
            period: r.period.to_string(),
            status: r.status.into(),
            total: r.total,
            processed: r.processed,
            invoiced: r.invoiced.into(),
            started_at: r.started_at,
            finished_at: r.finished_at,
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

/// What an invoice line is for: a fee item, or a late fee for an earlier invoice.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum InvoiceLineKind {
    GarbageRemoval,
    SecurityPatrol,
    UtilitiesRepair,
    ParkingManagement,
    GreeneryCare,
    /// 滞纳金: simple daily interest on an overdue invoice's open principal, capped.
    LateFee,
}

impl From<domain::billing::LineKind> for InvoiceLineKind {
    fn from(k: domain::billing::LineKind) -> Self {
        use domain::billing::{FeeItemKind as F, LineKind as L};
        match k {
            L::Fee(F::GarbageRemoval) => Self::GarbageRemoval,
            L::Fee(F::SecurityPatrol) => Self::SecurityPatrol,
            L::Fee(F::UtilitiesRepair) => Self::UtilitiesRepair,
            L::Fee(F::ParkingManagement) => Self::ParkingManagement,
            L::Fee(F::GreeneryCare) => Self::GreeneryCare,
            L::LateFee => Self::LateFee,
        }
    }
}

#[derive(SimpleObject)]
pub struct InvoiceLine {
    pub kind: InvoiceLineKind,
    pub amount: MoneyAmount,
    /// For a late fee: the overdue invoice it is charged for.
    pub late_fee_for: Option<ID>,
}

#[derive(SimpleObject)]
pub struct Invoice {
    pub id: ID,
    /// Numbered per firm without gaps.
    pub number: i64,
    pub period: String,
    pub household_id: ID,
    pub compound_id: ID,
    pub days_billed: i32,
    pub gross: MoneyAmount,
    /// Shown on the household's own bill; who pays for it stays private.
    pub waived: MoneyAmount,
    pub due: MoneyAmount,
    pub paid: MoneyAmount,
    /// Corrected away by credit notes.
    pub credited: MoneyAmount,
    pub outstanding: MoneyAmount,
    pub issued_at: DateTime<Utc>,
    pub lines: Vec<InvoiceLine>,
}

fn invoice(view: pay::InvoiceView) -> Invoice {
    let InvoiceRec {
        id,
        number,
        household_id,
        compound_id,
        period,
        days_billed,
        gross,
        waived,
        due,
        issued_at,
        ..
    } = view.invoice;
    Invoice {
        id: id.into(),
        number,
        period: period.to_string(),
        household_id: household_id.into(),
        compound_id: compound_id.into(),
        days_billed,
        gross: gross.into(),
        waived: waived.into(),
        due: due.into(),
        paid: view.paid.into(),
        credited: view.credited.into(),
        outstanding: view.outstanding.into(),
        issued_at,
        lines: view
            .lines
            .into_iter()
            .map(|l| InvoiceLine {
                kind: l.kind.into(),
                amount: l.amount.into(),
                late_fee_for: l.late_fee_for.map(Into::into),
            })
            .collect(),
    }
}

#[derive(SimpleObject)]
pub struct PaymentAllocation {
    /// Null for credit held toward the next invoice.
    pub invoice_id: Option<ID>,
    pub amount: MoneyAmount,
}

#[derive(SimpleObject)]
pub struct Payment {
    pub id: ID,
    pub household_id: ID,
    pub amount: MoneyAmount,
    pub method: PaymentMethod,
    /// 收据号
    pub receipt_no: String,
    pub received_at: DateTime<Utc>,
    pub reversed: bool,
    pub reversal_reason: Option<String>,
    pub allocations: Vec<PaymentAllocation>,
}

fn payment(p: PaymentRec, allocations: Vec<Allocation>) -> Payment {
    Payment {
        id: p.id.into(),
        household_id: p.household_id.into(),
        amount: p.amount.into(),
        method: p.method.into(),
        receipt_no: p.receipt_no,
        received_at: p.received_at,
        reversed: p.reversed_at.is_some(),
        reversal_reason: p.reversal_reason,
        allocations: allocations
            .into_iter()
            .map(|a| PaymentAllocation {
                invoice_id: a.invoice.map(Into::into),
                amount: a.amount.into(),
            })
            .collect(),
    }
}

#[derive(SimpleObject)]
pub struct HouseholdAccount {
    pub household_id: ID,
    /// What the household owes (negative: credit held), from the ledger.
    pub balance: MoneyAmount,
    pub invoices: Vec<Invoice>,
    pub payments: Vec<Payment>,
}

#[derive(SimpleObject)]
pub struct CollectionMonth {
    pub period: String,
    pub billed: MoneyAmount,
    pub waived: MoneyAmount,
    pub due: MoneyAmount,
    pub collected: MoneyAmount,
    pub credited: MoneyAmount,
    pub households_billed: i64,
    pub households_paid: i64,
    /// Collected ÷ due, in basis points (null when nothing was due).
    pub collection_rate_bp: Option<i64>,
}

fn months(list: Vec<pay::CollectionMonth>) -> Vec<CollectionMonth> {
    list.into_iter()
        .map(|m| CollectionMonth {
            period: m.period.map(|p| p.to_string()).unwrap_or_default(),
            collection_rate_bp: (m.due.is_positive()).then(|| {
                i64::try_from(i128::from(m.collected.fen()) * 10_000 / i128::from(m.due.fen()))
                    .unwrap_or(0)
            }),
            billed: m.billed.into(),
            waived: m.waived.into(),
            due: m.due.into(),
            collected: m.collected.into(),
            credited: m.credited.into(),
            households_billed: i64::try_from(m.households_billed).unwrap_or(i64::MAX),
            households_paid: i64::try_from(m.households_paid).unwrap_or(i64::MAX),
        })
        .collect()
}

#[derive(SimpleObject)]
pub struct CompoundCollection {
    pub compound_id: ID,
    pub name: String,
    pub months: Vec<CollectionMonth>,
}

#[derive(SimpleObject)]
pub struct BundleCollection {
    /// The bundle's totals per month.
    pub months: Vec<CollectionMonth>,
    pub compounds: Vec<CompoundCollection>,
}

#[derive(SimpleObject)]
pub struct ArrearsRow {
    pub household_id: ID,
    pub days_0_to_30: MoneyAmount,
    pub days_31_to_90: MoneyAmount,
    pub days_91_to_180: MoneyAmount,
    pub over_180_days: MoneyAmount,
    pub total: MoneyAmount,
    pub oldest_period: Option<String>,
}

#[derive(SimpleObject)]
pub struct SubsidyClaimRow {
    pub period: String,
    pub compound: String,
    /// Building and unit with the room masked.
    pub household: String,
    pub category: HardshipCategory,
    /// Masked but for the last four characters.
    pub certificate: String,
    pub invoice_number: i64,
    pub gross: MoneyAmount,
    pub waived: MoneyAmount,
}

#[derive(SimpleObject)]
pub struct SubsidyClaim {
    pub funding: WaiverFunding,
    pub from: String,
    pub to: String,
    pub rows: Vec<SubsidyClaimRow>,
    pub total: MoneyAmount,
    /// The same claim as CSV (UTF-8).
    pub csv: String,
    /// The same claim as an XLSX workbook, base64.
    pub xlsx_base64: String,
}

#[derive(SimpleObject)]
pub struct CreditNote {
    pub id: ID,
    pub invoice_id: ID,
    pub household_id: ID,
    pub amount: MoneyAmount,
    pub reason: String,
    pub approved_by: ID,
    pub issued_at: DateTime<Utc>,
}

impl From<crate::billing::CreditNote> for CreditNote {
    fn from(n: crate::billing::CreditNote) -> Self {
        Self {
            id: n.id.into(),
            invoice_id: n.invoice_id.into(),
            household_id: n.household_id.into(),
            amount: n.amount.into(),
            reason: n.reason,
            approved_by: n.approved_by.into(),
            issued_at: n.issued_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct DemandNotice {
    pub id: ID,
    pub household_id: ID,
    pub kind: String,
    pub note: String,
    pub issued_at: DateTime<Utc>,
}

impl From<Notice> for DemandNotice {
    fn from(n: Notice) -> Self {
        Self {
            id: n.id.into(),
            household_id: n.household_id.into(),
            kind: n.kind,
            note: n.note,
            issued_at: n.issued_at,
        }
    }
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

    /// A household's bills, payments and balance: the household itself or the firm's staff.
    async fn household_account(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
    ) -> GqlResult<HouseholdAccount> {
        let h = parse_id(&household_id, "householdId")?;
        let a = pay::household_account(ctx.db(), ctx.session()?, h).await?;
        Ok(HouseholdAccount {
            household_id,
            balance: a.balance.into(),
            invoices: a.invoices.into_iter().map(invoice).collect(),
            payments: a
                .payments
                .into_iter()
                .map(|(p, al)| payment(p, al))
                .collect(),
        })
    }

    async fn payment(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Payment> {
        let (p, a) = pay::payment(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?;
        Ok(payment(p, a))
    }

    /// Billed, waived, due and collected per month (staff and the compound's committee).
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn collection(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        from: String,
        to: String,
    ) -> GqlResult<Vec<CollectionMonth>> {
        let c = parse_id(&compound_id, "compoundId")?;
        let (from, to) = (period(&from, "from")?, period(&to, "to")?);
        if to.code() - from.code() > 10_000 {
            return Err(AppError::bad_input("to", "at most a hundred years").into());
        }
        Ok(months(
            pay::collection(ctx.db(), ctx.session()?, c, from, to).await?,
        ))
    }

    /// Each compound's collection in a bundle and the bundle's totals, per month (staff).
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn bundle_collection(
        &self,
        ctx: &Context<'_>,
        bundle_id: ID,
        from: String,
        to: String,
    ) -> GqlResult<BundleCollection> {
        let b = parse_id(&bundle_id, "bundleId")?;
        let (from, to) = (period(&from, "from")?, period(&to, "to")?);
        if to.code() - from.code() > 10_000 {
            return Err(AppError::bad_input("to", "at most a hundred years").into());
        }
        let found = pay::bundle_collection(ctx.db(), ctx.session()?, b, from, to).await?;
        Ok(BundleCollection {
            months: months(found.totals),
            compounds: found
                .compounds
                .into_iter()
                .map(|(c, m)| CompoundCollection {
                    compound_id: c.id.into(),
                    name: c.name,
                    months: months(m),
                })
                .collect(),
        })
    }

    /// Households owing money, aged by days past the end of each invoice's month.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn arrears(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        as_of: Option<NaiveDate>,
    ) -> GqlResult<Vec<ArrearsRow>> {
        let c = parse_id(&compound_id, "compoundId")?;
        let as_of = sane_date(as_of.unwrap_or_else(|| ctx.db().clock().today()), "asOf")?;
        Ok(pay::arrears(ctx.db(), ctx.session()?, c, as_of)
            .await?
            .into_iter()
            .map(|r| ArrearsRow {
                household_id: r.household_id.into(),
                days_0_to_30: r.buckets[0].into(),
                days_31_to_90: r.buckets[1].into(),
                days_91_to_180: r.buckets[2].into(),
                over_180_days: r.buckets[3].into(),
                total: r.total.into(),
                oldest_period: r.oldest.map(|p| p.to_string()),
            })
            .collect())
    }

    /// Waivers a funding body pays for, over `from..=to`, with CSV and XLSX exports. Contains
    /// hardship data: waiver handlers only, every export audit-logged, households masked.
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn subsidy_claim(
        &self,
        ctx: &Context<'_>,
        funding: WaiverFunding,
        from: String,
        to: String,
    ) -> GqlResult<SubsidyClaim> {
        use base64::Engine;
        let (from, to) = (period(&from, "from")?, period(&to, "to")?);
        let claim =
            crate::reports::subsidy_claim(ctx.db(), ctx.session()?, funding.into(), from, to)
                .await?;
        let csv = crate::reports::to_csv(&claim);
        let xlsx = crate::reports::to_xlsx(&claim)?;
        Ok(SubsidyClaim {
            funding,
            from: from.to_string(),
            to: to.to_string(),
            total: claim.total.into(),
            rows: claim
                .rows
                .into_iter()
                .map(|r| SubsidyClaimRow {
                    period: r.period.to_string(),
                    compound: r.compound,
                    household: r.household,
                    category: r.category.map_or(HardshipCategory::Other, Into::into),
                    certificate: r.certificate,
                    invoice_number: r.invoice_number,
                    gross: r.gross.into(),
                    waived: r.waived.into(),
                })
                .collect(),
            csv,
            xlsx_base64: base64::engine::general_purpose::STANDARD.encode(xlsx),
        })
    }

    async fn demand_notices(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
    ) -> GqlResult<Vec<DemandNotice>> {
        let h = parse_id(&household_id, "householdId")?;
        Ok(pay::notices(ctx.db(), ctx.session()?, h)
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
    /// The owners' decision that approved it (e.g. a resolution number).
    pub decision_ref: String,
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

#[derive(InputObject)]
pub struct PaymentInput {
    pub household_id: ID,
    /// Yuan, e.g. "28.00".
    pub amount: String,
    pub method: PaymentMethod,
    pub receipt_no: String,
    pub received_at: DateTime<Utc>,
    /// Chosen by the client; recording the same key again returns the first payment.
    pub idempotency_key: String,
    /// Pay this invoice first (else the oldest open ones).
    pub invoice_id: Option<ID>,
}

#[derive(InputObject)]
pub struct NoticeInput {
    pub household_id: ID,
    pub kind: NoticeKind,
    pub note: String,
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
        let decision = LongText::parse(&input.decision_ref).field("decisionRef")?;
        Ok(service::activate_addon(
            ctx.db(),
            session,
            compound,
            input.kind.into(),
            from,
            to,
            decision,
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

    /// Money collected by staff: cash, bank transfer or QR transfer.
    async fn record_payment(&self, ctx: &Context<'_>, input: PaymentInput) -> GqlResult<Payment> {
        let session = ctx.session()?;
        let p = pay::PaymentInput {
            household: parse_id(&input.household_id, "householdId")?,
            amount: Money::parse_positive(&input.amount).field("amount")?,
            method: input.method.into(),
            receipt_no: input.receipt_no,
            received_at: sane_time(input.received_at, "receivedAt")?,
            idempotency_key: input.idempotency_key,
            invoice: input
                .invoice_id
                .as_ref()
                .map(|i| parse_id(i, "invoiceId"))
                .transpose()?,
        };
        let (p, a) = pay::record(ctx.db(), session, p).await?;
        Ok(payment(p, a))
    }

    /// Reverses a payment recorded by mistake; it stays on record, marked reversed.
    async fn reverse_payment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> GqlResult<Payment> {
        let session = ctx.session()?;
        let id = parse_id(&id, "id")?;
        pay::reverse(ctx.db(), session, id, &reason).await?;
        let (p, a) = pay::payment(ctx.db(), session, id).await?;
        Ok(payment(p, a))
    }

    /// Corrects an issued invoice (which itself never changes) by a credit note; the caller,
    /// an accountant or administrator, is its approver.
    async fn issue_credit_note(
        &self,
        ctx: &Context<'_>,
        invoice_id: ID,
        amount: String,
        reason: String,
    ) -> GqlResult<CreditNote> {
        let session = ctx.session()?;
        let invoice = parse_id(&invoice_id, "invoiceId")?;
        let amount = Money::parse_positive(&amount).field("amount")?;
        Ok(
            pay::issue_credit_note(ctx.db(), session, invoice, amount, &reason)
                .await?
                .into(),
        )
    }

    /// Logs a reminder or formal demand (催告). Services are never cut off for arrears.
    async fn record_demand_notice(
        &self,
        ctx: &Context<'_>,
        input: NoticeInput,
    ) -> GqlResult<DemandNotice> {
        let session = ctx.session()?;
        let kind = match input.kind {
            NoticeKind::Reminder => "reminder",
            NoticeKind::FormalDemand => "formal_demand",
        };
        let h = parse_id(&input.household_id, "householdId")?;
        Ok(pay::record_notice(ctx.db(), session, h, kind, &input.note)
            .await?
            .into())
    }
}
