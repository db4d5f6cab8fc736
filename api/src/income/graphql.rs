//! Income's GraphQL: the owners' terms, income and costs, and the monthly close.

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;

use super::model::{
    CloseLine, IncomeCost, IncomeRecord, Month, MonthClose, ParkingPass as PassRec, Resolution,
    RuleVersion,
};
use super::service as income;
use crate::collection::PaymentMethod;
use crate::platform::error::FieldExt;
use crate::platform::graphql::context::{ContextExt, parse_id, period, sane_date};
use crate::platform::graphql::{GqlResult, MoneyAmount, mirror_enum};

mirror_enum!(
    IncomeCategory,
    domain::income::IncomeCategory {
        Advertising,
        ParkingPass,
        ParkingTemporary,
        Promotion,
        PremisesRent,
        Recyclables,
        Other
    }
);

/// The owners' resolution allowing business use of a compound's common parts (Civil Code
/// Art. 278 (8)), as recorded: its document number and date.
#[derive(SimpleObject)]
pub struct BusinessUseResolution {
    pub id: ID,
    pub compound_id: ID,
    /// The passed matter that decided it; none for a resolution recorded before votes existed.
    pub matter_id: Option<ID>,
    pub document_no: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    /// The content type of the signed resolution's scan (`application/pdf`, `image/jpeg`,
    /// `image/png`), once attached; read at `GET /income/resolutions/{id}/scan`.
    pub scan_type: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<Resolution> for BusinessUseResolution {
    fn from(r: Resolution) -> Self {
        Self {
            id: r.id.into(),
            compound_id: r.compound_id.into(),
            matter_id: r.matter_id.map(Into::into),
            document_no: r.document_no,
            decided_on: r.decided_on,
            note: r.note,
            scan_type: r.scan.map(|s| s.kind.content_type().to_owned()),
            recorded_at: r.recorded_at,
        }
    }
}

/// A version of a category's split rule: in force from its month until the next version's.
#[derive(SimpleObject)]
pub struct IncomeSplitRule {
    pub id: ID,
    pub compound_id: ID,
    pub category: IncomeCategory,
    /// `YYYY-MM`.
    pub effective_from: String,
    /// To the committee fund.
    pub owners_bp: i32,
    /// To the firm, rounded down.
    pub firm_bp: i32,
    pub resolution_id: ID,
    pub recorded_at: DateTime<Utc>,
}

impl From<RuleVersion> for IncomeSplitRule {
    fn from(v: RuleVersion) -> Self {
        Self {
            id: v.id.into(),
            compound_id: v.compound_id.into(),
            category: v.category.into(),
            effective_from: v.effective_from.to_string(),
            owners_bp: i32::from(v.rule.owners().get()),
            firm_bp: i32::from(v.rule.firm().get()),
            resolution_id: v.resolution_id.into(),
            recorded_at: v.recorded_at,
        }
    }
}

/// Income received from common parts, or a correction of it (with its reason).
#[derive(SimpleObject)]
pub struct CommonIncomeRecord {
    pub id: ID,
    pub compound_id: ID,
    pub category: IncomeCategory,
    pub period: String,
    pub received_on: NaiveDate,
    pub amount: MoneyAmount,
    pub method: PaymentMethod,
    pub payer: Option<String>,
    pub reference: Option<String>,
    pub correction_reason: Option<String>,
    pub entry_id: ID,
    pub recorded_at: DateTime<Utc>,
}

impl From<IncomeRecord> for CommonIncomeRecord {
    fn from(r: IncomeRecord) -> Self {
        Self {
            id: r.id.into(),
            compound_id: r.compound_id.into(),
            category: r.category.into(),
            period: r.period.to_string(),
            received_on: r.received_on,
            amount: r.amount.into(),
            method: r.method.into(),
            payer: r.payer,
            reference: r.reference,
            correction_reason: r.correction_reason,
            entry_id: r.entry_id.into(),
            recorded_at: r.recorded_at,
        }
    }
}

/// A documented direct cost of earning a category's income in a month.
#[derive(SimpleObject)]
pub struct CommonPartCost {
    pub id: ID,
    pub compound_id: ID,
    pub category: IncomeCategory,
    pub period: String,
    pub amount: MoneyAmount,
    pub description: String,
    /// The invoice, receipt or payslip that proves it.
    pub evidence: String,
    pub method: PaymentMethod,
    pub entry_id: ID,
    pub recorded_at: DateTime<Utc>,
}

impl From<IncomeCost> for CommonPartCost {
    fn from(c: IncomeCost) -> Self {
        Self {
            id: c.id.into(),
            compound_id: c.compound_id.into(),
            category: c.category.into(),
            period: c.period.to_string(),
            amount: c.amount.into(),
            description: c.description,
            evidence: c.evidence,
            method: c.method.into(),
            entry_id: c.entry_id.into(),
            recorded_at: c.recorded_at,
        }
    }
}

/// One category's month: gross less costs (never more than the gross; the rest carried
/// forward), split between the committee fund and the firm.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct CommonIncomeLine {
    pub category: IncomeCategory,
    pub owners_bp: i32,
    pub firm_bp: i32,
    pub gross: MoneyAmount,
    pub costs: MoneyAmount,
    pub carried_in: MoneyAmount,
    pub deducted: MoneyAmount,
    pub carried_out: MoneyAmount,
    /// To the committee fund: every fen not the firm's.
    pub owners: MoneyAmount,
    /// To the firm, rounded down.
    pub firm: MoneyAmount,
}

#[ComplexObject]
impl CommonIncomeLine {
    /// What was split: the gross less what was deducted.
    async fn net(&self) -> MoneyAmount {
        MoneyAmount {
            fen: self.owners.fen + self.firm.fen,
        }
    }
}

impl From<CloseLine> for CommonIncomeLine {
    fn from(l: CloseLine) -> Self {
        Self {
            category: l.category.into(),
            owners_bp: i32::from(l.rule.owners().get()),
            firm_bp: i32::from(l.rule.firm().get()),
            gross: l.close.gross.into(),
            costs: l.close.costs.into(),
            carried_in: l.close.carried_in.into(),
            deducted: l.close.deducted.into(),
            carried_out: l.close.carried_out.into(),
            owners: l.close.owners.into(),
            firm: l.close.firm.into(),
        }
    }
}

/// A compound's month, closed and locked.
#[derive(SimpleObject)]
pub struct CommonIncomeClose {
    pub id: ID,
    pub compound_id: ID,
    pub period: String,
    /// The ledger entry that posted the split (none when there was nothing to move).
    pub entry_id: Option<ID>,
    pub closed_at: DateTime<Utc>,
    pub lines: Vec<CommonIncomeLine>,
}

impl From<MonthClose> for CommonIncomeClose {
    fn from(c: MonthClose) -> Self {
        Self {
            id: c.id.into(),
            compound_id: c.compound_id.into(),
            period: c.period.to_string(),
            entry_id: c.entry_id.map(Into::into),
            closed_at: c.closed_at,
            lines: c.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// A compound's month of common-part income.
pub struct CommonIncomeMonth(Month);

#[Object]
impl CommonIncomeMonth {
    async fn compound_id(&self) -> ID {
        self.0.compound_id.into()
    }
    async fn period(&self) -> String {
        self.0.period.to_string()
    }
    /// Set once the month is closed.
    async fn close(&self) -> Option<CommonIncomeClose> {
        self.0.close.clone().map(Into::into)
    }
    /// Whether the month is locked: closed, or before the last month closed.
    async fn locked(&self) -> bool {
        self.0.closed_through.is_some_and(|t| t >= self.0.period)
    }
    /// The last month closed (`YYYY-MM`).
    async fn closed_through(&self) -> Option<String> {
        self.0.closed_through.map(|p| p.to_string())
    }
    /// By category: as closed, or as closing the month now would post it.
    async fn lines(&self) -> Vec<CommonIncomeLine> {
        self.0.lines.iter().copied().map(Into::into).collect()
    }
    /// The month's totals over every category.
    async fn total(&self) -> GqlResult<CommonIncomeTotal> {
        let sum = |f: fn(&CloseLine) -> Money| {
            Money::sum(self.0.lines.iter().map(f)).map(MoneyAmount::from)
        };
        Ok(CommonIncomeTotal {
            gross: sum(|l| l.close.gross).field("amount")?,
            deducted: sum(|l| l.close.deducted).field("amount")?,
            carried_out: sum(|l| l.close.carried_out).field("amount")?,
            owners: sum(|l| l.close.owners).field("amount")?,
            firm: sum(|l| l.close.firm).field("amount")?,
        })
    }
    async fn records(&self) -> Vec<CommonIncomeRecord> {
        self.0.records.iter().cloned().map(Into::into).collect()
    }
    async fn costs(&self) -> Vec<CommonPartCost> {
        self.0.costs.iter().cloned().map(Into::into).collect()
    }
}

#[derive(SimpleObject)]
pub struct CommonIncomeTotal {
    pub gross: MoneyAmount,
    pub deducted: MoneyAmount,
    pub carried_out: MoneyAmount,
    pub owners: MoneyAmount,
    pub firm: MoneyAmount,
}

/// A compound a bundle's close did not close, and why (mend it and close the bundle again).
#[derive(SimpleObject)]
pub struct CloseRefusal {
    pub compound_id: ID,
    pub compound_name: String,
    /// `CONFLICT` (an earlier month open, no owners' resolution) or another error code.
    pub code: String,
    pub message: String,
}

/// A bundle's close of a month: compounds closed now, closed before, and refused.
#[derive(SimpleObject)]
pub struct BundleIncomeClose {
    pub closed: u64,
    pub already_closed: u64,
    pub refused: Vec<CloseRefusal>,
}

/// A monthly parking pass (停车月卡) and the income record of its payment.
#[derive(SimpleObject)]
pub struct ParkingPass {
    pub id: ID,
    pub compound_id: ID,
    pub plate: String,
    /// The space number or the zone.
    pub space: Option<String>,
    /// `YYYY-MM`, the first and last months it covers.
    pub from: String,
    pub to: String,
    pub monthly: MoneyAmount,
    pub income_record_id: ID,
    pub issued_at: DateTime<Utc>,
    /// `YYYY-MM`: for a pass ended early, the first month it no longer covers.
    pub cancelled_from: Option<String>,
    pub cancel_reason: Option<String>,
    /// The refund of the months not used: a correction of parking-pass income.
    pub refund_record_id: Option<ID>,
}

impl From<PassRec> for ParkingPass {
    fn from(p: PassRec) -> Self {
        Self {
            id: p.id.into(),
            compound_id: p.compound_id.into(),
            plate: p.plate,
            space: p.space,
            from: p.from.to_string(),
            to: p.to.to_string(),
            monthly: p.monthly.into(),
            income_record_id: p.income_record_id.into(),
            issued_at: p.issued_at,
            cancelled_from: p.cancelled.as_ref().map(|c| c.from.to_string()),
            cancel_reason: p.cancelled.as_ref().map(|c| c.reason.clone()),
            refund_record_id: p.cancelled.map(|c| c.refund_record_id.into()),
        }
    }
}

#[derive(InputObject)]
pub struct ParkingPassInput {
    pub compound_id: ID,
    /// e.g. 桂B12345.
    pub plate: String,
    pub space: Option<String>,
    /// `YYYY-MM`.
    pub from: String,
    /// `YYYY-MM`, not before `from`.
    pub to: String,
    /// Yuan per month.
    pub monthly: String,
    pub method: PaymentMethod,
    /// When it was paid: the income is that month's.
    pub paid_on: NaiveDate,
    /// Chosen by the client; issuing again with the same key returns the first pass.
    pub idempotency_key: String,
}

#[derive(InputObject)]
pub struct BusinessUseResolutionInput {
    pub compound_id: ID,
    /// The passed matter of business use of common parts (three quarters) it records.
    pub matter_id: ID,
    /// The resolution's document number, e.g. 业主大会决议〔2026〕3号.
    pub document_no: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct IncomeSplitRuleInput {
    pub compound_id: ID,
    pub category: IncomeCategory,
    /// `YYYY-MM`: the first month the rule applies to; it must still be open.
    pub effective_from: String,
    pub owners_bp: i32,
    pub firm_bp: i32,
    pub resolution_id: ID,
}

#[derive(InputObject)]
pub struct CommonIncomeInput {
    pub compound_id: ID,
    pub category: IncomeCategory,
    /// Yuan, e.g. "1200.00"; below zero only for a correction, with its reason.
    pub amount: String,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    /// Who paid: the advertiser, the parking operator.
    pub payer: Option<String>,
    /// Contract, invoice or transfer reference.
    pub reference: Option<String>,
    /// Required for a correction of a closed month's income.
    pub correction_reason: Option<String>,
    /// Chosen by the client; recording the same key again returns the first record.
    pub idempotency_key: String,
}

#[derive(InputObject)]
pub struct CommonPartCostInput {
    pub compound_id: ID,
    pub category: IncomeCategory,
    /// `YYYY-MM`: the month whose income the cost was incurred for.
    pub period: String,
    /// Yuan, greater than zero.
    pub amount: String,
    pub description: String,
    pub evidence: String,
    /// How the firm paid it.
    pub method: PaymentMethod,
    pub idempotency_key: String,
}

#[derive(Default)]
pub struct IncomeQuery;

#[Object]
impl IncomeQuery {
    /// A compound's month of common-part income (book-keepers and its committee).
    async fn common_income_month(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        period: String,
    ) -> GqlResult<CommonIncomeMonth> {
        let compound = parse_id(&compound_id, "compoundId")?;
        let month = self::period(&period, "period")?;
        Ok(CommonIncomeMonth(
            income::month(ctx.db(), ctx.session()?, compound, month).await?,
        ))
    }

    /// A compound's recorded resolutions allowing business use of its common parts.
    async fn business_use_resolutions(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<BusinessUseResolution>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(income::resolutions(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// A compound's monthly parking passes (book-keepers and its committee).
    async fn parking_passes(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<ParkingPass>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(income::passes(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// A compound's split rule versions (without any, a category splits 70/30).
    async fn income_split_rules(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<IncomeSplitRule>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(income::rules(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[derive(Default)]
pub struct IncomeMutation;

#[Object]
impl IncomeMutation {
    /// Records the owners' resolution allowing business use of a compound's common parts
    /// (accountant, admin).
    async fn record_business_use_resolution(
        &self,
        ctx: &Context<'_>,
        input: BusinessUseResolutionInput,
    ) -> GqlResult<BusinessUseResolution> {
        let session = ctx.session()?;
        let input = income::ResolutionInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            matter: parse_id(&input.matter_id, "matterId")?,
            document_no: input.document_no,
            decided_on: sane_date(input.decided_on, "decidedOn")?,
            note: input.note,
        };
        Ok(income::record_resolution(ctx.db(), session, input)
            .await?
            .into())
    }

    /// Adds a version of a category's split rule from an open month (accountant, admin).
    async fn set_income_split_rule(
        &self,
        ctx: &Context<'_>,
        input: IncomeSplitRuleInput,
    ) -> GqlResult<IncomeSplitRule> {
        let session = ctx.session()?;
        let input = income::RuleInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            category: input.category.into(),
            effective_from: period(&input.effective_from, "effectiveFrom")?,
            owners_bp: input.owners_bp,
            firm_bp: input.firm_bp,
            resolution: parse_id(&input.resolution_id, "resolutionId")?,
        };
        Ok(income::set_rule(ctx.db(), session, input).await?.into())
    }

    /// Records common-part income received, or a correction with its reason (accountant,
    /// admin).
    async fn record_common_income(
        &self,
        ctx: &Context<'_>,
        input: CommonIncomeInput,
    ) -> GqlResult<CommonIncomeRecord> {
        let session = ctx.session()?;
        let input = income::IncomeInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            category: input.category.into(),
            amount: Money::parse(&input.amount).field("amount")?,
            received_on: input.received_on,
            method: input.method.into(),
            payer: input.payer,
            reference: input.reference,
            correction_reason: input.correction_reason,
            idempotency_key: input.idempotency_key,
        };
        Ok(income::record_income(ctx.db(), session, input)
            .await?
            .into())
    }

    /// Issues a monthly parking pass and records its payment as parking-pass income
    /// (accountant, admin). A plate has one pass at a time in a compound.
    async fn issue_parking_pass(
        &self,
        ctx: &Context<'_>,
        input: ParkingPassInput,
    ) -> GqlResult<ParkingPass> {
        let session = ctx.session()?;
        let input = income::PassInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            plate: input.plate,
            space: input.space,
            from: period(&input.from, "from")?,
            to: period(&input.to, "to")?,
            monthly: Money::parse_positive(&input.monthly).field("monthly")?,
            method: input.method.into(),
            paid_on: input.paid_on,
            idempotency_key: input.idempotency_key,
        };
        Ok(income::issue_pass(ctx.db(), session, input).await?.into())
    }

    /// Ends a pass early from this month or a later one, refunding the months from then on as a
    /// correction of parking-pass income with its reason (accountant, admin).
    async fn cancel_parking_pass(
        &self,
        ctx: &Context<'_>,
        pass_id: ID,
        from_period: String,
        method: PaymentMethod,
        reason: String,
    ) -> GqlResult<ParkingPass> {
        let session = ctx.session()?;
        let input = income::CancelInput {
            pass: parse_id(&pass_id, "passId")?,
            from: period(&from_period, "fromPeriod")?,
            method: method.into(),
            reason,
        };
        Ok(income::cancel_pass(ctx.db(), session, input).await?.into())
    }

    /// Records a documented direct cost of a category's income (accountant, admin).
    async fn record_common_part_cost(
        &self,
        ctx: &Context<'_>,
        input: CommonPartCostInput,
    ) -> GqlResult<CommonPartCost> {
        let session = ctx.session()?;
        let input = income::CostInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            category: input.category.into(),
            period: period(&input.period, "period")?,
            amount: Money::parse_positive(&input.amount).field("amount")?,
            description: input.description,
            evidence: input.evidence,
            method: input.method.into(),
            idempotency_key: input.idempotency_key,
        };
        Ok(income::record_cost(ctx.db(), session, input).await?.into())
    }

    /// Closes a compound's ended month: costs deducted, the net split and posted to the
    /// committee fund and the firm, the month locked. Closing it again returns the close.
    async fn close_common_income_month(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        period: String,
    ) -> GqlResult<CommonIncomeClose> {
        let compound = parse_id(&compound_id, "compoundId")?;
        let month = self::period(&period, "period")?;
        Ok(
            income::close_month(ctx.db(), ctx.session()?, compound, month)
                .await?
                .into(),
        )
    }

    /// Closes an ended month for every compound of a bundle, in chunks; closing it again
    /// finishes what stopped and closes nothing twice (accountant, admin).
    #[graphql(complexity = "crate::platform::graphql::limits::EXPENSIVE + child_complexity")]
    async fn close_bundle_common_income_month(
        &self,
        ctx: &Context<'_>,
        bundle_id: ID,
        period: String,
    ) -> GqlResult<BundleIncomeClose> {
        let bundle = parse_id(&bundle_id, "bundleId")?;
        let month = self::period(&period, "period")?;
        let r = income::close_bundle(ctx.db(), ctx.session()?, bundle, month).await?;
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        Ok(BundleIncomeClose {
            closed: count(r.closed),
            already_closed: count(r.already_closed),
            refused: r
                .refused
                .into_iter()
                .map(|(c, e)| CloseRefusal {
                    compound_id: c.id.into(),
                    compound_name: c.name,
                    code: e.code().to_owned(),
                    message: e.to_string(),
                })
                .collect(),
        })
    }
}
