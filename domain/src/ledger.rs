//! The double-entry ledger's rules: accounts, balanced journal entries, one named posting rule
//! per business event, and the hash chain that makes tampering evident.
//!
//! Sign convention: a positive posting is a debit, a negative one a credit; every entry's
//! postings sum to zero. An entry can only be built balanced ([`EntryBuilder::build`]).

use uuid::Uuid;

use crate::allocation::AllocationError;
use crate::code::code_enum;
use crate::compound::ChargingMode;
use crate::income::CategoryClose;
use crate::money::{Money, MoneyError};

mod chain;
pub use chain::{ChainRecord, ChainVerifier, GENESIS_HASH, Verification, chain_hash};

code_enum!(
    /// What an account holds. Every account belongs to one compound; household receivables
    /// are kept per household.
    AccountKind {
        /// 应收 — what a household owes (per household).
        HouseholdReceivable = "household_receivable",
        /// 物业费收入 — fee income of a lump-sum (包干制) compound: the firm's revenue.
        FeeIncome = "fee_income",
        /// Fees of a commission (酬金制) compound: the owners' money, held for them.
        OwnersFeeFund = "owners_fee_fund",
        /// 减免支出 — waivers the firm absorbs.
        WaiverExpense = "waiver_expense",
        /// 应收补贴 — waivers a government subsidy will pay for.
        SubsidyReceivable = "subsidy_receivable",
        /// 库存现金 — cash collected by staff.
        CashOnHand = "cash_on_hand",
        /// 银行存款 — bank transfers and QR transfers.
        Bank = "bank",
        /// Card and wallet payments not yet settled by the processor.
        ProcessorClearing = "processor_clearing",
        /// 业委会公共收益 — the owners' 70% of common-part income.
        CommitteeFund = "committee_fund",
        /// The firm's 30% of common-part income (its reasonable cost).
        FirmCommonIncome = "firm_common_income",
        /// 待分配公共收益 — common-part income received, held until its month is closed.
        CommonIncomePending = "common_income_pending",
        /// 公共收益成本 — direct costs of earning common-part income (an attendant's wage, a
        /// light box's electricity) not yet deducted from it: the shortfall carried forward.
        CommonPartCost = "common_part_cost",
        /// 应付承包商 — what is owed to contractors.
        ContractorPayable = "contractor_payable",
        /// 维修支出 — repairs borne by the compound's budget.
        RepairExpense = "repair_expense",
        /// 专项维修资金 — the maintenance fund.
        MaintenanceFund = "maintenance_fund",
    }
);

/// Which side an account's balance normally sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormalSide {
    Debit,
    Credit,
}

impl AccountKind {
    #[must_use]
    pub fn normal_side(self) -> NormalSide {
        match self {
            Self::HouseholdReceivable
            | Self::WaiverExpense
            | Self::SubsidyReceivable
            | Self::CashOnHand
            | Self::Bank
            | Self::ProcessorClearing
            | Self::CommonPartCost
            | Self::RepairExpense => NormalSide::Debit,
            Self::FeeIncome
            | Self::OwnersFeeFund
            | Self::CommitteeFund
            | Self::FirmCommonIncome
            | Self::CommonIncomePending
            | Self::ContractorPayable
            | Self::MaintenanceFund => NormalSide::Credit,
        }
    }

    /// Whether accounts of this kind are kept per household.
    #[must_use]
    pub fn per_household(self) -> bool {
        matches!(self, Self::HouseholdReceivable)
    }
}

/// Identifies an account by what it is, before it has a stored id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountKey {
    pub compound: Uuid,
    pub kind: AccountKind,
    pub household: Option<Uuid>,
}

impl PartialOrd for AccountKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AccountKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl AccountKey {
    #[must_use]
    pub fn compound(compound: Uuid, kind: AccountKind) -> Self {
        Self {
            compound,
            kind,
            household: None,
        }
    }

    #[must_use]
    pub fn household(compound: Uuid, household: Uuid) -> Self {
        Self {
            compound,
            kind: AccountKind::HouseholdReceivable,
            household: Some(household),
        }
    }
}

code_enum!(
    /// Why an entry was made.
    EntryKind {
        InvoiceIssued = "invoice_issued",
        WaiverGranted = "waiver_granted",
        PaymentReceived = "payment_received",
        Refund = "refund",
        CommonIncome = "common_income",
        CommonPartCost = "common_part_cost",
        CommonIncomeSplit = "common_income_split",
        CommitteePayout = "committee_payout",
        ContractorCost = "contractor_cost",
        ContractorPaid = "contractor_paid",
        SubsidyReceived = "subsidy_received",
        CreditNote = "credit_note",
        Adjustment = "adjustment",
        Reversal = "reversal",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("debits ({debits}) and credits ({credits}) must be equal")]
    Unbalanced { debits: Money, credits: Money },
    #[error("an entry needs at least two postings")]
    TooFewPostings,
    #[error("a posting of zero changes nothing")]
    ZeroPosting,
    #[error("the amount must be greater than zero")]
    NotPositive,
    #[error("every posting of an entry must be to the entry's compound")]
    OtherCompound,
    #[error("a household receivable needs its household")]
    MissingHousehold,
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error(transparent)]
    Allocation(#[from] AllocationError),
}

/// One line of an entry: positive debits, negative credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub account: AccountKey,
    pub amount: Money,
}

/// A balanced journal entry. It cannot be built unbalanced, empty, or across compounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    kind: EntryKind,
    compound: Uuid,
    postings: Vec<Posting>,
}

impl JournalEntry {
    #[must_use]
    pub fn kind(&self) -> EntryKind {
        self.kind
    }

    #[must_use]
    pub fn compound(&self) -> Uuid {
        self.compound
    }

    #[must_use]
    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    /// The entry that undoes this one: every posting negated.
    pub fn reversal(&self) -> Result<Self, LedgerError> {
        let mut b = EntryBuilder::new(EntryKind::Reversal, self.compound);
        for p in &self.postings {
            b = b.post(p.account, p.amount.checked_neg()?);
        }
        b.build()
    }

    /// Rebuilds an entry from stored postings, checking it is still balanced.
    pub fn from_postings(
        kind: EntryKind,
        compound: Uuid,
        postings: Vec<Posting>,
    ) -> Result<Self, LedgerError> {
        postings
            .into_iter()
            .fold(EntryBuilder::new(kind, compound), |b, p| {
                b.post(p.account, p.amount)
            })
            .build()
    }
}

/// Collects postings; [`build`](Self::build) checks the entry balances.
#[derive(Debug, Clone)]
pub struct EntryBuilder {
    kind: EntryKind,
    compound: Uuid,
    postings: Vec<Posting>,
}

impl EntryBuilder {
    #[must_use]
    pub fn new(kind: EntryKind, compound: Uuid) -> Self {
        Self {
            kind,
            compound,
            postings: Vec::new(),
        }
    }

    #[must_use]
    pub fn post(mut self, account: AccountKey, amount: Money) -> Self {
        self.postings.push(Posting { account, amount });
        self
    }

    #[must_use]
    pub fn debit(self, account: AccountKey, amount: Money) -> Self {
        self.post(account, amount)
    }

    /// A credit of `amount` (given positive).
    pub fn credit(self, account: AccountKey, amount: Money) -> Result<Self, LedgerError> {
        Ok(self.post(account, amount.checked_neg()?))
    }

    pub fn build(self) -> Result<JournalEntry, LedgerError> {
        if self.postings.len() < 2 {
            return Err(LedgerError::TooFewPostings);
        }
        let (mut debits, mut credits) = (Money::ZERO, Money::ZERO);
        for p in &self.postings {
            if p.amount.is_zero() {
                return Err(LedgerError::ZeroPosting);
            }
            if p.account.compound != self.compound {
                return Err(LedgerError::OtherCompound);
            }
            if p.account.kind.per_household() != p.account.household.is_some() {
                return Err(LedgerError::MissingHousehold);
            }
            if p.amount.is_positive() {
                debits = debits.checked_add(p.amount)?;
            } else {
                credits = credits.checked_sub(p.amount)?;
            }
        }
        if debits != credits {
            return Err(LedgerError::Unbalanced { debits, credits });
        }
        Ok(JournalEntry {
            kind: self.kind,
            compound: self.compound,
            postings: self.postings,
        })
    }
}

fn nonzero(amount: Money) -> Result<Money, LedgerError> {
    if amount.is_zero() {
        Err(LedgerError::ZeroPosting)
    } else {
        Ok(amount)
    }
}

fn positive(amount: Money) -> Result<Money, LedgerError> {
    if amount.is_positive() {
        Ok(amount)
    } else {
        Err(LedgerError::NotPositive)
    }
}

code_enum!(
    /// How a payment reached the firm.
    PaymentMethod {
        Cash = "cash",
        BankTransfer = "bank_transfer",
        QrTransfer = "qr_transfer",
        Online = "online",
    }
);

impl PaymentMethod {
    #[must_use]
    pub fn account(self) -> AccountKind {
        match self {
            Self::Cash => AccountKind::CashOnHand,
            Self::BankTransfer | Self::QrTransfer => AccountKind::Bank,
            Self::Online => AccountKind::ProcessorClearing,
        }
    }
}

code_enum!(
    /// How staff pay money out by hand: from the cash box or by bank transfer.
    PaidFrom {
        Cash = "cash",
        BankTransfer = "bank_transfer",
    }
);

impl PaidFrom {
    #[must_use]
    pub fn account(self) -> AccountKind {
        match self {
            Self::Cash => AccountKind::CashOnHand,
            Self::BankTransfer => AccountKind::Bank,
        }
    }
}

code_enum!(
    /// Who pays for a waiver.
    WaiverFunding {
        GovernmentSubsidy = "government_subsidy",
        CommitteeFund = "committee_fund",
        FirmAbsorbs = "firm_absorbs",
    }
);

/// Who bears a contractor's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostBearer {
    CompoundBudget,
    MaintenanceFund,
    Household(Uuid),
}

/// The posting rules: one function per business event.
pub mod rules {
    use super::{
        AccountKey, AccountKind, CategoryClose, ChargingMode, CostBearer, EntryBuilder, EntryKind,
        JournalEntry, LedgerError, Money, PaidFrom, PaymentMethod, Uuid, WaiverFunding, nonzero,
        positive,
    };

    /// Where fees are income: the firm's (包干制) or, held for the owners, theirs (酬金制).
    fn fee_income(mode: ChargingMode) -> AccountKind {
        match mode {
            ChargingMode::LumpSum => AccountKind::FeeIncome,
            ChargingMode::Commission => AccountKind::OwnersFeeFund,
        }
    }

    /// A fee invoice: the household owes; the income is the firm's (包干制) or the owners' (酬金制).
    pub fn invoice_issued(
        compound: Uuid,
        household: Uuid,
        mode: ChargingMode,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        let income = fee_income(mode);
        EntryBuilder::new(EntryKind::InvoiceIssued, compound)
            .debit(
                AccountKey::household(compound, household),
                positive(amount)?,
            )
            .credit(AccountKey::compound(compound, income), amount)?
            .build()
    }

    /// A credit note corrects an issued invoice: the household owes less, and so does the
    /// income the invoice recorded.
    pub fn credit_note(
        compound: Uuid,
        household: Uuid,
        mode: ChargingMode,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        let income = fee_income(mode);
        EntryBuilder::new(EntryKind::CreditNote, compound)
            .debit(AccountKey::compound(compound, income), positive(amount)?)
            .credit(AccountKey::household(compound, household), amount)?
            .build()
    }

    /// A waiver reduces what the household owes; its funder bears it.
    pub fn waiver_granted(
        compound: Uuid,
        household: Uuid,
        funding: WaiverFunding,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        let funder = match funding {
            WaiverFunding::GovernmentSubsidy => AccountKind::SubsidyReceivable,
            WaiverFunding::CommitteeFund => AccountKind::CommitteeFund,
            WaiverFunding::FirmAbsorbs => AccountKind::WaiverExpense,
        };
        EntryBuilder::new(EntryKind::WaiverGranted, compound)
            .debit(AccountKey::compound(compound, funder), positive(amount)?)
            .credit(AccountKey::household(compound, household), amount)?
            .build()
    }

    /// A household pays: money in, receivable down.
    pub fn payment_received(
        compound: Uuid,
        household: Uuid,
        method: PaymentMethod,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::PaymentReceived, compound)
            .debit(
                AccountKey::compound(compound, method.account()),
                positive(amount)?,
            )
            .credit(AccountKey::household(compound, household), amount)?
            .build()
    }

    /// Money returned to a household: the receivable goes back up.
    pub fn refund(
        compound: Uuid,
        household: Uuid,
        method: PaymentMethod,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::Refund, compound)
            .debit(
                AccountKey::household(compound, household),
                positive(amount)?,
            )
            .credit(AccountKey::compound(compound, method.account()), amount)?
            .build()
    }

    /// Common-part income (ads, parking) received, held until its month is closed; a
    /// correction below zero is money handed back.
    pub fn common_income(
        compound: Uuid,
        received_by: PaymentMethod,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::CommonIncome, compound)
            .post(
                AccountKey::compound(compound, received_by.account()),
                nonzero(amount)?,
            )
            .post(
                AccountKey::compound(compound, AccountKind::CommonIncomePending),
                amount.checked_neg()?,
            )
            .build()
    }

    /// A direct cost of earning common-part income, paid by the firm, to be deducted from that
    /// income when its month is closed.
    pub fn common_part_cost(
        compound: Uuid,
        paid_by: PaymentMethod,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::CommonPartCost, compound)
            .debit(
                AccountKey::compound(compound, AccountKind::CommonPartCost),
                positive(amount)?,
            )
            .credit(AccountKey::compound(compound, paid_by.account()), amount)?
            .build()
    }

    /// A compound's month of common-part income closed: what was held is released, costs
    /// are recovered up to it, a negative gross joins the shortfall, and the rest is split
    /// between the committee fund and the firm as each category's close says.
    pub fn common_income_split(
        compound: Uuid,
        closes: &[CategoryClose],
    ) -> Result<Option<JournalEntry>, LedgerError> {
        let total = |f: fn(&CategoryClose) -> Money| Money::sum(closes.iter().map(f));
        let gross = total(|c| c.gross)?;
        let deficit = total(|c| c.gross.min(Money::ZERO))?.checked_neg()?;
        let recovered = total(|c| c.deducted)?.checked_sub(deficit)?;
        let owners = total(|c| c.owners)?;
        let firm = total(|c| c.firm)?;
        let key = |kind| AccountKey::compound(compound, kind);
        let postings = [
            (key(AccountKind::CommonIncomePending), gross),
            (key(AccountKind::CommonPartCost), recovered.checked_neg()?),
            (key(AccountKind::CommitteeFund), owners.checked_neg()?),
            (key(AccountKind::FirmCommonIncome), firm.checked_neg()?),
        ];
        if postings.iter().all(|(_, amount)| amount.is_zero()) {
            return Ok(None);
        }
        let mut b = EntryBuilder::new(EntryKind::CommonIncomeSplit, compound);
        for (account, amount) in postings.into_iter().filter(|(_, a)| !a.is_zero()) {
            b = b.post(account, amount);
        }
        b.build().map(Some)
    }

    /// Paying out of the committee fund, by bank transfer or (`Online`) a Stripe transfer
    /// to the committee's connected account.
    pub fn committee_payout(
        compound: Uuid,
        via: PaymentMethod,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::CommitteePayout, compound)
            .debit(
                AccountKey::compound(compound, AccountKind::CommitteeFund),
                positive(amount)?,
            )
            .credit(AccountKey::compound(compound, via.account()), amount)?
            .build()
    }

    /// A contractor's cost, owed to them and charged to whoever bears it.
    pub fn contractor_cost(
        compound: Uuid,
        bearer: CostBearer,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        let charged = match bearer {
            CostBearer::CompoundBudget => {
                AccountKey::compound(compound, AccountKind::RepairExpense)
            }
            CostBearer::MaintenanceFund => {
                AccountKey::compound(compound, AccountKind::MaintenanceFund)
            }
            CostBearer::Household(h) => AccountKey::household(compound, h),
        };
        EntryBuilder::new(EntryKind::ContractorCost, compound)
            .debit(charged, positive(amount)?)
            .credit(
                AccountKey::compound(compound, AccountKind::ContractorPayable),
                amount,
            )?
            .build()
    }

    /// Paying a contractor what the compound owes them, from its cash or its bank.
    pub fn contractor_paid(
        compound: Uuid,
        via: PaidFrom,
        amount: Money,
    ) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::ContractorPaid, compound)
            .debit(
                AccountKey::compound(compound, AccountKind::ContractorPayable),
                positive(amount)?,
            )
            .credit(AccountKey::compound(compound, via.account()), amount)?
            .build()
    }

    /// A government subsidy arrives for waivers granted earlier.
    pub fn subsidy_received(compound: Uuid, amount: Money) -> Result<JournalEntry, LedgerError> {
        EntryBuilder::new(EntryKind::SubsidyReceived, compound)
            .debit(
                AccountKey::compound(compound, AccountKind::Bank),
                positive(amount)?,
            )
            .credit(
                AccountKey::compound(compound, AccountKind::SubsidyReceivable),
                amount,
            )?
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::rules::*;
    use super::*;
    use crate::income::{SplitRule, close_category};
    use proptest::prelude::*;

    const C: Uuid = Uuid::from_u128(1);
    const H: Uuid = Uuid::from_u128(2);

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    #[test]
    fn unbalanced_empty_zero_and_foreign_entries_cannot_be_built() {
        let cash = AccountKey::compound(C, AccountKind::CashOnHand);
        let income = AccountKey::compound(C, AccountKind::FeeIncome);
        assert_eq!(
            EntryBuilder::new(EntryKind::Adjustment, C)
                .debit(cash, fen(100))
                .post(income, fen(-99))
                .build(),
            Err(LedgerError::Unbalanced {
                debits: fen(100),
                credits: fen(99)
            })
        );
        assert_eq!(
            EntryBuilder::new(EntryKind::Adjustment, C)
                .debit(cash, fen(1))
                .build(),
            Err(LedgerError::TooFewPostings)
        );
        assert_eq!(
            EntryBuilder::new(EntryKind::Adjustment, C)
                .debit(cash, fen(0))
                .post(income, fen(0))
                .build(),
            Err(LedgerError::ZeroPosting)
        );
        let elsewhere = AccountKey::compound(Uuid::from_u128(9), AccountKind::FeeIncome);
        assert_eq!(
            EntryBuilder::new(EntryKind::Adjustment, C)
                .debit(cash, fen(1))
                .post(elsewhere, fen(-1))
                .build(),
            Err(LedgerError::OtherCompound)
        );
        let no_household = AccountKey::compound(C, AccountKind::HouseholdReceivable);
        assert_eq!(
            EntryBuilder::new(EntryKind::Adjustment, C)
                .debit(no_household, fen(1))
                .post(income, fen(-1))
                .build(),
            Err(LedgerError::MissingHousehold)
        );
        assert!(matches!(
            EntryBuilder::new(EntryKind::Adjustment, C)
                .debit(cash, fen(i64::MAX))
                .debit(cash, fen(1))
                .post(income, fen(-1))
                .build(),
            Err(LedgerError::Money(MoneyError::Overflow))
        ));
    }

    #[test]
    fn invoices_credit_income_by_charging_mode() {
        let lump = invoice_issued(C, H, ChargingMode::LumpSum, fen(2000))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lump.postings()[1].account.kind, AccountKind::FeeIncome);
        let commission = invoice_issued(C, H, ChargingMode::Commission, fen(2000))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            commission.postings()[1].account.kind,
            AccountKind::OwnersFeeFund
        );
        assert_eq!(
            invoice_issued(C, H, ChargingMode::LumpSum, fen(0)),
            Err(LedgerError::NotPositive)
        );
        assert_eq!(
            payment_received(C, H, PaymentMethod::Cash, fen(-1)),
            Err(LedgerError::NotPositive)
        );
    }

    #[test]
    fn a_closed_month_releases_what_was_held_and_splits_it_seventy_thirty() {
        let ads = close_category(fen(1101), fen(100), fen(0), SplitRule::DEFAULT)
            .unwrap_or_else(|e| panic!("{e}"));
        let refunds = close_category(fen(-40), fen(0), fen(0), SplitRule::DEFAULT)
            .unwrap_or_else(|e| panic!("{e}"));
        let e = common_income_split(C, &[ads, refunds])
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("an entry"));
        let by_kind = |k| {
            e.postings()
                .iter()
                .find(|p| p.account.kind == k)
                .map(|p| p.amount.fen())
        };
        assert_eq!(by_kind(AccountKind::CommonIncomePending), Some(1061));
        // 100 of cost recovered, 40 of refunds left as a shortfall.
        assert_eq!(by_kind(AccountKind::CommonPartCost), Some(-60));
        assert_eq!(by_kind(AccountKind::CommitteeFund), Some(-701));
        assert_eq!(by_kind(AccountKind::FirmCommonIncome), Some(-300));
    }

    #[test]
    fn a_month_with_nothing_to_move_posts_nothing() {
        let empty = close_category(fen(0), fen(0), fen(700), SplitRule::DEFAULT)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(common_income_split(C, &[empty]), Ok(None));
    }

    #[test]
    fn a_reversal_negates_every_posting() {
        let e = waiver_granted(C, H, WaiverFunding::GovernmentSubsidy, fen(2000))
            .unwrap_or_else(|e| panic!("{e}"));
        let r = e.reversal().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.kind(), EntryKind::Reversal);
        for (a, b) in e.postings().iter().zip(r.postings()) {
            assert_eq!(a.account, b.account);
            assert_eq!(a.amount.fen(), -b.amount.fen());
        }
    }

    #[test]
    fn paying_a_contractor_settles_the_payable_from_the_bank_or_the_cash_box() {
        let e = contractor_paid(C, PaidFrom::BankTransfer, fen(12_000))
            .unwrap_or_else(|e| panic!("{e}"));
        let posted: Vec<(AccountKind, i64)> = e
            .postings()
            .iter()
            .map(|p| (p.account.kind, p.amount.fen()))
            .collect();
        assert_eq!(
            posted,
            vec![
                (AccountKind::ContractorPayable, 12_000),
                (AccountKind::Bank, -12_000)
            ]
        );
        assert_eq!(
            contractor_paid(C, PaidFrom::Cash, fen(0)).err(),
            Some(LedgerError::NotPositive)
        );
    }

    proptest! {
        #[test]
        fn every_rule_balances(amount in 1i64..1_000_000_000_000) {
            let m = fen(amount);
            let entries = [
                invoice_issued(C, H, ChargingMode::LumpSum, m),
                waiver_granted(C, H, WaiverFunding::CommitteeFund, m),
                payment_received(C, H, PaymentMethod::QrTransfer, m),
                refund(C, H, PaymentMethod::Online, m),
                common_income(C, PaymentMethod::Cash, m),
                common_income(C, PaymentMethod::Cash, fen(-amount)),
                common_part_cost(C, PaymentMethod::BankTransfer, m),
                committee_payout(C, PaymentMethod::BankTransfer, m),
                contractor_cost(C, CostBearer::Household(H), m),
                contractor_paid(C, PaidFrom::Cash, m),
                subsidy_received(C, m),
                credit_note(C, H, ChargingMode::Commission, m),
            ];
            for e in entries {
                let e = e.map_err(|e| TestCaseError::fail(e.to_string()))?;
                let sum: i128 = e.postings().iter().map(|p| i128::from(p.amount.fen())).sum();
                prop_assert_eq!(sum, 0);
                let r = e.reversal().map_err(|e| TestCaseError::fail(e.to_string()))?;
                let rsum: i128 = r.postings().iter().map(|p| i128::from(p.amount.fen())).sum();
                prop_assert_eq!(rsum, 0);
            }
        }
    }
}
