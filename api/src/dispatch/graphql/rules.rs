//! A compound's dispatch rules: the time to answer and to resolve an order of each priority,
//! and the estimate above which the household must agree to bear a repair.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use domain::Money;
use domain::dispatch::{Deadlines, Rules, RulesError, Window};

use crate::dispatch::service as dispatch;
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::{GqlResult, MoneyAmount};

/// A compound's dispatch rules, in minutes.
#[derive(SimpleObject)]
pub struct DispatchRules {
    pub emergency_respond: u32,
    pub emergency_resolve: u32,
    pub urgent_respond: u32,
    pub urgent_resolve: u32,
    pub normal_respond: u32,
    pub normal_resolve: u32,
    /// A household's charge above this needs its agreement before dispatch.
    pub confirm_above: MoneyAmount,
}

impl From<Rules> for DispatchRules {
    fn from(r: Rules) -> Self {
        let d = r.deadlines;
        Self {
            emergency_respond: d.emergency.respond_minutes,
            emergency_resolve: d.emergency.resolve_minutes,
            urgent_respond: d.urgent.respond_minutes,
            urgent_resolve: d.urgent.resolve_minutes,
            normal_respond: d.normal.respond_minutes,
            normal_resolve: d.normal.resolve_minutes,
            confirm_above: r.confirm_above.into(),
        }
    }
}

/// The rules to set: each time limit in minutes (5 minutes to 30 days, an answer no later
/// than the resolution), the threshold in yuan ("100.00").
#[derive(InputObject)]
pub struct DispatchRulesInput {
    pub emergency_respond: i32,
    pub emergency_resolve: i32,
    pub urgent_respond: i32,
    pub urgent_resolve: i32,
    pub normal_respond: i32,
    pub normal_resolve: i32,
    pub confirm_above: String,
}

/// One priority's window, naming the field at fault.
fn window(priority: &str, respond: i32, resolve: i32) -> Result<Window, AppError> {
    let field = |which: &str| format!("{priority}{which}");
    let minutes = |m: i32, which: &str| {
        u32::try_from(m).map_err(|_| AppError::bad_input(&field(which), RulesError::OutOfRange))
    };
    let (a, b) = (minutes(respond, "Respond")?, minutes(resolve, "Resolve")?);
    Window::new(a, b).map_err(|e| {
        let at = match e {
            RulesError::OutOfRange if (5..=domain::dispatch::LONGEST_MINUTES).contains(&a) => {
                "Resolve"
            }
            _ => "Respond",
        };
        AppError::bad_input(&field(at), e)
    })
}

impl DispatchRulesInput {
    fn parse(self) -> GqlResult<Rules> {
        let deadlines = Deadlines {
            emergency: window("emergency", self.emergency_respond, self.emergency_resolve)?,
            urgent: window("urgent", self.urgent_respond, self.urgent_resolve)?,
            normal: window("normal", self.normal_respond, self.normal_resolve)?,
        };
        let above = Money::parse(&self.confirm_above).field("confirmAbove")?;
        Ok(Rules::new(deadlines, above).field("confirmAbove")?)
    }
}

#[derive(Default)]
pub struct DispatchRulesQuery;

#[Object]
impl DispatchRulesQuery {
    /// A compound's dispatch rules (whoever reads its work orders).
    async fn dispatch_rules(&self, ctx: &Context<'_>, compound_id: ID) -> GqlResult<DispatchRules> {
        let id = parse_id(&compound_id, "compoundId")?;
        Ok(dispatch::rules(ctx.db(), ctx.session()?, id).await?.into())
    }
}

#[derive(Default)]
pub struct DispatchRulesMutation;

#[Object]
impl DispatchRulesMutation {
    /// Sets a compound's time limits and household threshold (its dispatcher or the
    /// administrator); orders already filed keep their deadlines.
    async fn set_dispatch_rules(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        input: DispatchRulesInput,
    ) -> GqlResult<DispatchRules> {
        let id = parse_id(&compound_id, "compoundId")?;
        let rules = input.parse()?;
        Ok(dispatch::set_rules(ctx.db(), ctx.session()?, id, rules)
            .await?
            .into())
    }
}
