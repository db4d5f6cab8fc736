//! Collection's GraphQL: payments and their receipts, a household's account, the collection
//! and arrears reports, credit notes and demand notices.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;
use domain::ledger::PaymentMethod as DomainMethod;

use super::model::{Allocation, Notice, Payment as PaymentRec};
use super::service as pay;
use crate::billing::Invoice as InvoiceRec;
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::MoneyAmount;
use crate::platform::graphql::context::{ContextExt, parse_id, period, sane_date, sane_time};
use crate::platform::graphql::mirror_enum;
use crate::platform::graphql::pagination::{decode_ranked, page_size, ranked_cursor};

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
pub enum NoticeKind {
    /// 提醒
    Reminder,
    /// 书面催告
    FormalDemand,
}

/// What an invoice line is for: a fee item, a late fee for an earlier invoice, or a repair the
/// household bore.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum InvoiceLineKind {
    GarbageRemoval,
    SecurityPatrol,
    UtilitiesRepair,
    ParkingManagement,
    GreeneryCare,
    /// 滞纳金: simple daily interest on an overdue invoice's open principal, capped.
    LateFee,
    /// 维修费: a work order's cost the household agreed to bear.
    Repair,
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
            L::Repair => Self::Repair,
        }
    }
}

#[derive(SimpleObject)]
pub struct InvoiceLine {
    pub kind: InvoiceLineKind,
    pub amount: MoneyAmount,
    /// For a late fee: the overdue invoice it is charged for.
    pub late_fee_for: Option<ID>,
    /// For a repair: its work order.
    pub work_order_id: Option<ID>,
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
                work_order_id: l.repair.map(|r| r.order.into()),
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
    /// Who paid, as the office wrote it down.
    pub payer: Option<String>,
    pub allocations: Vec<PaymentAllocation>,
}

/// A payment's receipt (收据): what it paid, month by month, and who took the money.
#[derive(SimpleObject)]
pub struct Receipt {
    pub payment: Payment,
    pub months: Vec<ReceiptMonth>,
    /// The staff member who recorded it; null for an online payment.
    pub collector: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReceiptMonth {
    /// The bill's month, YYYY-MM; null for money held as credit toward the next bill.
    pub period: Option<String>,
    pub amount: MoneyAmount,
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
        payer: p.payer.map(domain::Name::into_inner),
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

impl From<pay::ArrearsRow> for ArrearsRow {
    fn from(r: pay::ArrearsRow) -> Self {
        Self {
            household_id: r.household_id.into(),
            days_0_to_30: r.buckets[0].into(),
            days_31_to_90: r.buckets[1].into(),
            days_91_to_180: r.buckets[2].into(),
            over_180_days: r.buckets[3].into(),
            total: r.total.into(),
            oldest_period: r.oldest.map(|p| p.to_string()),
        }
    }
}

/// A household on the arrears list.
#[derive(SimpleObject)]
pub struct OwingHousehold {
    pub household_id: ID,
    pub compound_id: ID,
    pub compound_name: String,
    /// 楼栋, 单元 and 房号, as the register has them.
    pub building: String,
    pub unit: String,
    pub room: String,
    /// What the household owes, net of any credit held (its receivable in the ledger).
    pub owed: MoneyAmount,
    /// Its unpaid invoices, aged by days past the end of each invoice's month.
    pub aged: ArrearsRow,
}

impl From<pay::Owing> for OwingHousehold {
    fn from(o: pay::Owing) -> Self {
        Self {
            household_id: o.household.id.into(),
            compound_id: o.household.compound_id.into(),
            compound_name: o.compound_name,
            building: o.building,
            unit: o.household.unit_label,
            room: o.household.room_label,
            owed: o.owed.into(),
            aged: o.aged.into(),
        }
    }
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
    /// Who paid (printed on the receipt), if the office notes it.
    pub payer: Option<String>,
}

#[derive(InputObject)]
pub struct NoticeInput {
    pub household_id: ID,
    pub kind: NoticeKind,
    pub note: String,
}

#[derive(Default)]
pub struct CollectionQuery;

#[Object]
impl CollectionQuery {
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

    /// A payment's receipt: the household itself or the book-keepers.
    async fn receipt(&self, ctx: &Context<'_>, payment_id: ID) -> GqlResult<Receipt> {
        let id = parse_id(&payment_id, "paymentId")?;
        let r = pay::receipt(ctx.db(), ctx.session()?, id).await?;
        let months = r
            .allocations
            .iter()
            .zip(r.periods)
            .map(|(a, period)| ReceiptMonth {
                period: period.map(|p| p.to_string()),
                amount: a.amount.into(),
            })
            .collect();
        Ok(Receipt {
            payment: payment(r.payment, r.allocations),
            months,
            collector: r.collector,
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
            .map(ArrearsRow::from)
            .collect())
    }

    /// Households owing money, most owed first: the firm's, a bundle's or a compound's (give
    /// one of `bundleId` and `compoundId`, or neither), a page at a time.
    #[graphql(complexity = "crate::platform::graphql::limits::page(first, child_complexity)")]
    async fn arrears_list(
        &self,
        ctx: &Context<'_>,
        bundle_id: Option<ID>,
        compound_id: Option<ID>,
        as_of: Option<NaiveDate>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, OwingHousehold>> {
        let scope = match (bundle_id, compound_id) {
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input(
                    "compoundId",
                    "give a bundle or a compound, not both",
                )
                .into());
            }
            (Some(b), None) => pay::ArrearsScope::Bundle(parse_id(&b, "bundleId")?),
            (None, Some(c)) => pay::ArrearsScope::Compound(parse_id(&c, "compoundId")?),
            (None, None) => pay::ArrearsScope::Firm,
        };
        let as_of = sane_date(as_of.unwrap_or_else(|| ctx.db().clock().today()), "asOf")?;
        let limit = page_size(first)?;
        let had_after = after.is_some();
        let after = after
            .map(|c| decode_ranked(&c).map(|(fen, id)| (Money::from_fen(fen), id)))
            .transpose()?;
        let page = pay::arrears_list(ctx.db(), ctx.session()?, scope, as_of, after, limit).await?;
        let mut conn = Connection::new(had_after, page.has_next);
        conn.edges.extend(page.rows.into_iter().map(|o| {
            let cursor = ranked_cursor(o.owed.fen(), o.household.id);
            Edge::new(cursor, OwingHousehold::from(o))
        }));
        Ok(conn)
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

#[derive(Default)]
pub struct CollectionMutation;

#[Object]
impl CollectionMutation {
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
            payer: match input.payer.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(name) => Some(domain::Name::parse(name).field("payer")?),
            },
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
