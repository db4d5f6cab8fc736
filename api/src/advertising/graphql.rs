//! Advertising's GraphQL: contracts, their instalments and payments.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;

use super::model::{ContractFile, InstalmentStanding, Payment, Placement, Status, Weight};
use super::service as advertising;
use crate::collection::PaymentMethod;
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::context::{ContextExt, parse_id, period};
use crate::platform::graphql::{GqlResult, MoneyAmount, mirror_enum};
use crate::tenancy::compound_name;

mirror_enum!(
    /// Where an advertisement is placed.
    AdPlacementKind,
    domain::advertising::PlacementKind {
        LiftPanel,
        OutdoorBoard,
        LampPoleLightBox,
        GarageDoor,
        Other
    }
);

mirror_enum!(
    /// How a payment is shared among the contract's compounds.
    AdAllocationKey,
    domain::advertising::AllocationKey { Placements, Households }
);

mirror_enum!(
    /// A price per month of the term, or one sum for the whole term.
    AdPricing,
    domain::advertising::Pricing { Monthly, LumpSum }
);

mirror_enum!(
    /// How an instalment stands today.
    AdInstalmentState,
    domain::advertising::InstalmentState { Paid, Open, Overdue }
);

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AdContractStatus {
    Active,
    /// Its last month is past.
    Ended,
    Terminated,
}

impl From<Status> for AdContractStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Active => Self::Active,
            Status::Ended => Self::Ended,
            Status::Terminated => Self::Terminated,
        }
    }
}

/// A placement: where, in which compound, how many.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AdPlacement {
    pub compound_id: ID,
    pub kind: AdPlacementKind,
    pub location: Option<String>,
    pub quantity: u32,
}

#[ComplexObject]
impl AdPlacement {
    async fn compound_name(&self, ctx: &Context<'_>) -> GqlResult<String> {
        compound_name(ctx, parse_id(&self.compound_id, "compoundId")?).await
    }
}

impl From<Placement> for AdPlacement {
    fn from(p: Placement) -> Self {
        Self {
            compound_id: p.compound_id.into(),
            kind: p.kind.into(),
            location: p.location,
            quantity: p.quantity,
        }
    }
}

/// A compound's weight in sharing payments, fixed when the contract was signed.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AdShareWeight {
    pub compound_id: ID,
    pub weight: u64,
}

#[ComplexObject]
impl AdShareWeight {
    async fn compound_name(&self, ctx: &Context<'_>) -> GqlResult<String> {
        compound_name(ctx, parse_id(&self.compound_id, "compoundId")?).await
    }
}

impl From<Weight> for AdShareWeight {
    fn from(w: Weight) -> Self {
        Self {
            compound_id: w.compound_id.into(),
            weight: w.weight,
        }
    }
}

/// An instalment expected from the advertiser, and what of it is paid.
#[derive(SimpleObject)]
pub struct AdInstalment {
    pub seq: u32,
    /// `YYYY-MM`, the month it covers.
    pub period: String,
    pub due_on: NaiveDate,
    pub amount: MoneyAmount,
    pub paid: MoneyAmount,
    pub state: AdInstalmentState,
}

impl From<InstalmentStanding> for AdInstalment {
    fn from(s: InstalmentStanding) -> Self {
        Self {
            seq: s.instalment.seq,
            period: s.instalment.period.to_string(),
            due_on: s.instalment.due_on,
            amount: s.instalment.amount.into(),
            paid: s.paid.into(),
            state: s.state.into(),
        }
    }
}

/// A compound's share of a payment, recorded as its advertising income.
#[derive(SimpleObject)]
pub struct AdPaymentShare {
    pub compound_id: ID,
    pub amount: MoneyAmount,
    pub income_record_id: ID,
}

/// A payment received from the advertiser.
#[derive(SimpleObject)]
pub struct AdPayment {
    pub id: ID,
    pub amount: MoneyAmount,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub recorded_at: DateTime<Utc>,
    pub shares: Vec<AdPaymentShare>,
}

impl From<Payment> for AdPayment {
    fn from(p: Payment) -> Self {
        Self {
            id: p.id.into(),
            amount: p.amount.into(),
            received_on: p.received_on,
            method: p.method.into(),
            recorded_at: p.recorded_at,
            shares: p
                .shares
                .into_iter()
                .map(|s| AdPaymentShare {
                    compound_id: s.compound_id.into(),
                    amount: s.amount.into(),
                    income_record_id: s.income_record_id.into(),
                })
                .collect(),
        }
    }
}

/// An advertising contract on common parts, as it stands today.
pub struct AdvertisingContract(ContractFile);

#[Object]
impl AdvertisingContract {
    async fn id(&self) -> ID {
        self.0.contract.id.into()
    }
    /// The firm's contract number.
    async fn number(&self) -> &str {
        &self.0.contract.number
    }
    async fn advertiser(&self) -> &str {
        &self.0.contract.advertiser.name
    }
    async fn contact(&self) -> Option<&str> {
        self.0.contract.advertiser.contact.as_deref()
    }
    /// The unified social credit code of the advertiser's business licence.
    async fn licence_no(&self) -> Option<&str> {
        self.0.contract.advertiser.licence_no.as_deref()
    }
    async fn pricing(&self) -> AdPricing {
        self.0.contract.pricing.into()
    }
    /// Per month, or the whole sum; a renewal's price for the months it added.
    async fn price(&self) -> MoneyAmount {
        self.0.contract.price.into()
    }
    async fn allocation_key(&self) -> AdAllocationKey {
        self.0.contract.key.into()
    }
    /// `YYYY-MM`, the first and last months of the term.
    async fn from(&self) -> String {
        self.0.contract.term.from().to_string()
    }
    async fn to(&self) -> String {
        self.0.contract.term.to().to_string()
    }
    /// The day of each month instalments fall due.
    async fn due_day(&self) -> u32 {
        self.0.contract.due_day.get()
    }
    async fn status(&self) -> AdContractStatus {
        self.0.status().into()
    }
    async fn terminated_at(&self) -> Option<DateTime<Utc>> {
        self.0.contract.terminated.as_ref().map(|t| t.at)
    }
    async fn termination_reason(&self) -> Option<&str> {
        self.0
            .contract
            .terminated
            .as_ref()
            .map(|t| t.reason.as_str())
    }
    async fn signed_at(&self) -> DateTime<Utc> {
        self.0.contract.signed_at
    }
    async fn placements(&self) -> Vec<AdPlacement> {
        self.0.placements.iter().cloned().map(Into::into).collect()
    }
    /// Each compound's weight in sharing payments.
    async fn weights(&self) -> Vec<AdShareWeight> {
        self.0.weights.iter().copied().map(Into::into).collect()
    }
    /// The instalments still expected (a termination's cancelled ones left out).
    async fn instalments(&self) -> Vec<AdInstalment> {
        self.0.standing.iter().copied().map(Into::into).collect()
    }
    async fn payments(&self) -> Vec<AdPayment> {
        self.0.payments.iter().cloned().map(Into::into).collect()
    }
    async fn paid(&self) -> MoneyAmount {
        self.0.paid().into()
    }
    /// Still owed on the contract.
    async fn outstanding(&self) -> MoneyAmount {
        self.0.outstanding().into()
    }
    /// Owed on instalments past their due date.
    async fn overdue(&self) -> MoneyAmount {
        self.0.overdue().into()
    }
}

#[derive(InputObject)]
pub struct AdPlacementInput {
    pub compound_id: ID,
    pub kind: AdPlacementKind,
    /// Where exactly, e.g. 3栋1单元电梯.
    pub location: Option<String>,
    #[graphql(default = 1)]
    pub quantity: i32,
}

#[derive(InputObject)]
pub struct AdvertisingContractInput {
    /// The firm's contract number, unique in the firm.
    pub number: String,
    pub advertiser: String,
    pub contact: Option<String>,
    pub licence_no: Option<String>,
    pub placements: Vec<AdPlacementInput>,
    /// `YYYY-MM`: the first and last months of the term.
    pub from: String,
    pub to: String,
    pub pricing: AdPricing,
    /// Yuan: per month, or the whole sum.
    pub price: String,
    /// 1–28: the day of each month an instalment falls due.
    #[graphql(default = 1)]
    pub due_day: i32,
    pub allocation_key: AdAllocationKey,
}

#[derive(InputObject)]
pub struct AdPaymentInput {
    pub contract_id: ID,
    /// Yuan, at most what is still owed.
    pub amount: String,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    /// Chosen by the client; the same key again changes nothing.
    pub idempotency_key: String,
}

#[derive(Default)]
pub struct AdvertisingQuery;

#[Object]
impl AdvertisingQuery {
    /// The advertising contracts with a placement in a compound, newest first
    /// (book-keepers and the compound's committee).
    async fn advertising_contracts(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> GqlResult<Vec<AdvertisingContract>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        let files = advertising::contracts_in(ctx.db(), ctx.session()?, compound).await?;
        Ok(files.into_iter().map(AdvertisingContract).collect())
    }

    async fn advertising_contract(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> GqlResult<AdvertisingContract> {
        let id = parse_id(&id, "id")?;
        Ok(AdvertisingContract(
            advertising::contract(ctx.db(), ctx.session()?, id).await?,
        ))
    }
}

#[derive(Default)]
pub struct AdvertisingMutation;

#[Object]
impl AdvertisingMutation {
    /// Signs an advertising contract over one or several compounds (accountant, admin).
    async fn sign_advertising_contract(
        &self,
        ctx: &Context<'_>,
        input: AdvertisingContractInput,
    ) -> GqlResult<AdvertisingContract> {
        let session = ctx.session()?;
        let placements = input
            .placements
            .into_iter()
            .map(|p| {
                Ok(advertising::PlacementInput {
                    compound: parse_id(&p.compound_id, "compoundId")?,
                    kind: p.kind.into(),
                    location: p.location,
                    quantity: p.quantity,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let input = advertising::ContractInput {
            number: input.number,
            advertiser: input.advertiser,
            contact: input.contact,
            licence_no: input.licence_no,
            placements,
            from: period(&input.from, "from")?,
            to: period(&input.to, "to")?,
            pricing: input.pricing.into(),
            price: Money::parse_positive(&input.price).field("price")?,
            due_day: input.due_day,
            key: input.allocation_key.into(),
        };
        Ok(AdvertisingContract(
            advertising::sign(ctx.db(), session, input).await?,
        ))
    }

    /// Records a payment from the advertiser: shared among the contract's compounds and
    /// recorded as each one's advertising income (accountant, admin).
    async fn record_advertising_payment(
        &self,
        ctx: &Context<'_>,
        input: AdPaymentInput,
    ) -> GqlResult<AdvertisingContract> {
        let session = ctx.session()?;
        let input = advertising::PaymentInput {
            contract: parse_id(&input.contract_id, "contractId")?,
            amount: Money::parse_positive(&input.amount).field("amount")?,
            received_on: input.received_on,
            method: input.method.into(),
            idempotency_key: input.idempotency_key,
        };
        Ok(AdvertisingContract(
            advertising::record_payment(ctx.db(), session, input).await?,
        ))
    }

    /// Renews a contract to a later month, at a new price if given (accountant, admin).
    async fn renew_advertising_contract(
        &self,
        ctx: &Context<'_>,
        contract_id: ID,
        to: String,
        price: Option<String>,
    ) -> GqlResult<AdvertisingContract> {
        let session = ctx.session()?;
        let id = parse_id(&contract_id, "contractId")?;
        let to = period(&to, "to")?;
        let price = price
            .map(|p| Money::parse_positive(&p).field("price"))
            .transpose()?;
        Ok(AdvertisingContract(
            advertising::renew(ctx.db(), session, id, to, price).await?,
        ))
    }

    /// Ends a contract after `lastPeriod`, with its reason (accountant, admin).
    async fn terminate_advertising_contract(
        &self,
        ctx: &Context<'_>,
        contract_id: ID,
        last_period: String,
        reason: String,
    ) -> GqlResult<AdvertisingContract> {
        let session = ctx.session()?;
        let id = parse_id(&contract_id, "contractId")?;
        let last = period(&last_period, "lastPeriod")?;
        Ok(AdvertisingContract(
            advertising::terminate(ctx.db(), session, id, last, &reason).await?,
        ))
    }
}
