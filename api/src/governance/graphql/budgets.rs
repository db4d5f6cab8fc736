//! Budgets through the seven steps: versions with their diffs, the dated record of each step,
//! the supervision group, residents' questions and the final accounts against the ledger.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::Money;
use domain::governance::budget::Lines;

use super::enums::{BudgetLineCategory, BudgetStep};
use crate::governance::model::{Actual, Budget as Record, Question, StepTaken, Version};
use crate::governance::service::{self, AdvanceInput, BudgetDetail, StartInput};
use crate::platform::error::AppError;
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::{GqlResult, MoneyAmount};

/// A compound's budget for one year.
#[derive(SimpleObject)]
pub struct Budget {
    pub id: ID,
    pub compound_id: ID,
    pub year: i32,
    pub title: String,
    pub step: BudgetStep,
    /// 1–7, as the method numbers the steps.
    pub step_number: u8,
    /// The owners' vote that approved it (from implementation on).
    pub matter_id: Option<ID>,
    /// When collecting residents' opinions began.
    pub started_at: DateTime<Utc>,
}

impl From<Record> for Budget {
    fn from(b: Record) -> Self {
        Self {
            id: b.id.into(),
            compound_id: b.compound_id.into(),
            year: b.year,
            title: b.title,
            step: b.step.into(),
            step_number: b.step.number(),
            matter_id: b.matter_id.map(Into::into),
            started_at: b.created_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct BudgetLine {
    pub category: BudgetLineCategory,
    /// Income (fees, the owners' share, subsidies); otherwise an expense.
    pub income: bool,
    pub amount: MoneyAmount,
}

/// A line that changed from the version before.
#[derive(SimpleObject)]
pub struct BudgetChange {
    pub category: BudgetLineCategory,
    /// None: the line is new.
    pub before: Option<MoneyAmount>,
    /// None: the line was removed.
    pub after: Option<MoneyAmount>,
}

/// One version of the lines, with its totals and what changed from the one before.
#[derive(SimpleObject)]
pub struct BudgetVersion {
    pub number: u32,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<BudgetLine>,
    pub income: MoneyAmount,
    pub expense: MoneyAmount,
    /// Income less expense; negative: a deficit.
    pub balance: MoneyAmount,
    pub changes: Vec<BudgetChange>,
}

fn version(v: Version, before: Option<&Lines>) -> GqlResult<BudgetVersion> {
    let (income, expense, balance) = v.lines.totals().map_err(AppError::internal)?;
    let changes = before.map_or_else(Vec::new, |b| v.lines.diff(b));
    Ok(BudgetVersion {
        number: v.number,
        created_at: v.created_at,
        lines: v
            .lines
            .iter()
            .map(|(c, m)| BudgetLine {
                category: c.into(),
                income: c.is_income(),
                amount: m.into(),
            })
            .collect(),
        income: income.into(),
        expense: expense.into(),
        balance: balance.into(),
        changes: changes
            .into_iter()
            .map(|c| BudgetChange {
                category: c.category.into(),
                before: c.before.map(Into::into),
                after: c.after.map(Into::into),
            })
            .collect(),
        note: v.note,
    })
}

/// The dated record of one step.
#[derive(SimpleObject)]
pub struct BudgetStepRecord {
    pub from: BudgetStep,
    pub to: BudgetStep,
    /// Back to drafting, `note` being the reason.
    pub back: bool,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub matter_id: Option<ID>,
    pub at: DateTime<Utc>,
}

impl From<StepTaken> for BudgetStepRecord {
    fn from(s: StepTaken) -> Self {
        Self {
            back: s.to.number() <= s.from.number(),
            from: s.from.into(),
            to: s.to.into(),
            note: s.note,
            reviewer: s.reviewer,
            matter_id: s.matter_id.map(Into::into),
            at: s.at,
        }
    }
}

/// A resident's question and the committee's public answer (no one's name is shown).
#[derive(SimpleObject)]
pub struct BudgetQuestion {
    pub id: ID,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<Question> for BudgetQuestion {
    fn from(q: Question) -> Self {
        Self {
            id: q.id.into(),
            question: q.question,
            asked_at: q.asked_at,
            answer: q.answer,
            answered_at: q.answered_at,
        }
    }
}

/// A line of the approved budget against the ledger.
#[derive(SimpleObject)]
pub struct BudgetActual {
    pub category: BudgetLineCategory,
    pub income: bool,
    pub budgeted: MoneyAmount,
    /// None: the ledger does not keep this category (the firm's own costs, such as guards).
    pub actual: Option<MoneyAmount>,
}

impl From<Actual> for BudgetActual {
    fn from(a: Actual) -> Self {
        Self {
            category: a.category.into(),
            income: a.category.is_income(),
            budgeted: a.budgeted.into(),
            actual: a.actual.map(Into::into),
        }
    }
}

/// A budget read whole.
#[derive(SimpleObject)]
pub struct BudgetDetails {
    pub budget: Budget,
    /// First to last.
    pub versions: Vec<BudgetVersion>,
    pub steps: Vec<BudgetStepRecord>,
    /// The five owners' representatives supervising its implementation.
    pub supervisors: Vec<String>,
    pub questions: Vec<BudgetQuestion>,
    /// From implementation on: the latest version against the ledger's figures for the year
    /// (to date while it runs). The final accounts once the budget is at step 7.
    pub actuals: Option<Vec<BudgetActual>>,
}

impl TryFrom<BudgetDetail> for BudgetDetails {
    type Error = async_graphql::Error;

    fn try_from(d: BudgetDetail) -> GqlResult<Self> {
        let mut versions = Vec::with_capacity(d.versions.len());
        let mut before: Option<Lines> = None;
        for v in d.versions {
            let lines = v.lines.clone();
            versions.push(version(v, before.as_ref())?);
            before = Some(lines);
        }
        Ok(Self {
            budget: d.budget.into(),
            versions,
            steps: d.steps.into_iter().map(Into::into).collect(),
            supervisors: d.supervisors,
            questions: d.questions.into_iter().map(Into::into).collect(),
            actuals: d.actuals.map(|a| a.into_iter().map(Into::into).collect()),
        })
    }
}

#[derive(InputObject)]
pub struct StartBudgetInput {
    pub compound_id: ID,
    /// Last year, this year or one of the next two.
    pub year: i32,
    pub title: String,
}

#[derive(InputObject)]
pub struct BudgetLineInput {
    pub category: BudgetLineCategory,
    /// Yuan, zero or more.
    pub amount: String,
}

#[derive(InputObject)]
pub struct ReviseBudgetInput {
    pub budget_id: ID,
    /// One per category, at least one.
    pub lines: Vec<BudgetLineInput>,
    /// What this version changes, and why.
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct AdvanceBudgetInput {
    pub budget_id: ID,
    /// The next step (one at a time).
    pub to: BudgetStep,
    /// Into DRAFTING: the residents' opinions summed up (required). Into VOTE: the street
    /// office's comments. Otherwise what the step concluded.
    pub note: Option<String>,
    /// Into VOTE: the street office that reviewed the budget (required).
    pub reviewer: Option<String>,
    /// Into IMPLEMENTATION: the compound's passed matter of kind OTHER approving the budget.
    pub matter_id: Option<ID>,
    /// Into IMPLEMENTATION: the five owners' representatives supervising it.
    #[graphql(default)]
    pub supervisors: Vec<String>,
}

#[derive(Default)]
pub struct BudgetsQuery;

#[Object]
impl BudgetsQuery {
    /// The compound's budgets, newest year first (anyone who sees the compound).
    async fn budgets(&self, ctx: &Context<'_>, compound_id: ID) -> GqlResult<Vec<Budget>> {
        let compound = parse_id(&compound_id, "compoundId")?;
        Ok(service::budgets_of(ctx.db(), ctx.session()?, compound)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The budgets of the compounds the signed-in resident lives in, newest first.
    async fn my_budgets(&self, ctx: &Context<'_>) -> GqlResult<Vec<BudgetDetails>> {
        service::my_budgets(ctx.db(), ctx.session()?)
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// A budget read whole.
    async fn budget(&self, ctx: &Context<'_>, id: ID) -> GqlResult<BudgetDetails> {
        let id = parse_id(&id, "id")?;
        service::detail(ctx.db(), ctx.session()?, id)
            .await?
            .try_into()
    }
}

#[derive(Default)]
pub struct BudgetsMutation;

#[Object]
impl BudgetsMutation {
    /// Starts a compound's budget for a year at step 1, collecting residents' opinions (its
    /// committee or the firm's administrator).
    async fn start_budget(&self, ctx: &Context<'_>, input: StartBudgetInput) -> GqlResult<Budget> {
        let input = StartInput {
            compound: parse_id(&input.compound_id, "compoundId")?,
            year: input.year,
            title: input.title,
        };
        Ok(service::start(ctx.db(), ctx.session()?, input)
            .await?
            .into())
    }

    /// A new version of the lines, while the budget is drafted or discussed.
    async fn revise_budget(
        &self,
        ctx: &Context<'_>,
        input: ReviseBudgetInput,
    ) -> GqlResult<BudgetVersion> {
        let id = parse_id(&input.budget_id, "budgetId")?;
        let lines = input
            .lines
            .into_iter()
            .map(|l| {
                let category: domain::governance::budget::LineCategory = l.category.into();
                Money::parse(&l.amount)
                    .map(|m| (category, m))
                    .map_err(|e| AppError::bad_input("lines", format!("{category}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let v = service::revise(ctx.db(), ctx.session()?, id, lines, input.note.as_deref()).await?;
        version(v, None)
    }

    /// Takes the budget's next step, with what that step needs.
    async fn advance_budget(
        &self,
        ctx: &Context<'_>,
        input: AdvanceBudgetInput,
    ) -> GqlResult<Budget> {
        let input = AdvanceInput {
            budget: parse_id(&input.budget_id, "budgetId")?,
            to: input.to.into(),
            note: input.note,
            reviewer: input.reviewer,
            matter: input
                .matter_id
                .map(|m| parse_id(&m, "matterId"))
                .transpose()?,
            supervisors: input.supervisors,
        };
        Ok(service::advance(ctx.db(), ctx.session()?, input)
            .await?
            .into())
    }

    /// Sends the budget back to drafting (from discussion, review or the vote), with the
    /// reason.
    async fn send_budget_back(
        &self,
        ctx: &Context<'_>,
        budget_id: ID,
        reason: String,
    ) -> GqlResult<Budget> {
        let id = parse_id(&budget_id, "budgetId")?;
        Ok(service::send_back(ctx.db(), ctx.session()?, id, &reason)
            .await?
            .into())
    }

    /// A resident of the compound asks about its budget; shown on the compound's page.
    async fn ask_budget_question(
        &self,
        ctx: &Context<'_>,
        budget_id: ID,
        question: String,
    ) -> GqlResult<BudgetQuestion> {
        let id = parse_id(&budget_id, "budgetId")?;
        Ok(service::ask(ctx.db(), ctx.session()?, id, &question)
            .await?
            .into())
    }

    /// The committee (or the firm's administrator) answers a question, once, in public.
    async fn answer_budget_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        answer: String,
    ) -> GqlResult<BudgetQuestion> {
        let id = parse_id(&id, "id")?;
        Ok(service::answer(ctx.db(), ctx.session()?, id, &answer)
            .await?
            .into())
    }
}
