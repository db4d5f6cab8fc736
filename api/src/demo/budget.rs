//! 国泰花园's 2026 budget, taken through the seven steps to implementation: opinions in
//! January, a draft revised after the representatives' meeting, the street office's review,
//! the owners' vote in February, and a supervision group of five; a resident's question
//! answered by the committee and one still open.

use domain::Money;
use domain::governance::budget::{LineCategory as L, Lines, Step, SupervisionGroup};
use domain::governance::{Choice, MatterKind};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::votes::at;
use crate::governance::seed::{
    Budget, HistoricBudget, HistoricVote, Question, StepTaken, Version, historic_budget,
    historic_vote,
};
use crate::platform::error::{AppError, AppResult};

fn yuan(y: i64) -> Money {
    Money::from_fen(y * 100)
}

fn lines(l: &[(L, i64)]) -> AppResult<Lines> {
    Lines::new(l.iter().map(|(c, y)| (*c, yuan(*y)))).map_err(AppError::internal)
}

/// Nearly everyone approves; one in ten stays away.
fn choice(voter: u32) -> Option<Choice> {
    (voter % 10 != 3).then_some(Choice::Yes)
}

pub(super) async fn seed(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    compound: Uuid,
    chair: Uuid,
    resident: Uuid,
) -> AppResult<()> {
    let vote = historic_vote(
        tx,
        tenant,
        HistoricVote {
            compound,
            kind: MatterKind::Other,
            title: "关于2026年度物业服务收支预算的决定".into(),
            body: "同意2026年度物业服务收支预算（第二稿）：收入十一万四千零二十六元一角，支出十万八千元，结余六千零二十六元一角。".into(),
            opened_at: at("2026-02-20T01:00:00Z")?,
            closed_at: at("2026-03-05T10:00:00Z")?,
            by: chair,
            choice,
        },
    )
    .await?;
    let step = |from, to, when: &str, note: Option<&str>| -> AppResult<StepTaken> {
        Ok(StepTaken {
            from,
            to,
            note: note.map(Into::into),
            reviewer: None,
            matter_id: None,
            by: chair,
            at: at(when)?,
        })
    };
    let steps = vec![
        step(
            Step::Opinions,
            Step::Drafting,
            "2026-01-10T08:00:00Z",
            Some("收集意见 37 条：多数希望增加保洁频次、修缮 3 栋屋面"),
        )?,
        step(
            Step::Drafting,
            Step::Discussion,
            "2026-01-15T08:00:00Z",
            None,
        )?,
        step(
            Step::Discussion,
            Step::Review,
            "2026-01-25T08:00:00Z",
            Some("业主代表会议通过第二稿"),
        )?,
        StepTaken {
            reviewer: Some("新华街道办事处".into()),
            ..step(
                Step::Review,
                Step::Vote,
                "2026-02-10T08:00:00Z",
                Some("合法可行，同意提交业主大会表决"),
            )?
        },
        StepTaken {
            matter_id: Some(vote),
            ..step(
                Step::Vote,
                Step::Implementation,
                "2026-03-13T08:00:00Z",
                Some("表决通过，公示期满"),
            )?
        },
    ];
    let first = [
        (L::Fees, 100_320),
        (L::OwnersShare, 13_706),
        (L::Guards, 72_000),
        (L::Cleaning, 36_000),
    ];
    let second = [
        (L::Fees, 100_320),
        (L::OwnersShare, 13_706),
        (L::Guards, 60_000),
        (L::Cleaning, 36_000),
        (L::Repairs, 10_000),
        (L::Contingency, 2_000),
    ];
    let names: Vec<String> = ["张建国", "李秀英", "王志强", "赵桂兰", "刘德明"]
        .map(String::from)
        .to_vec();
    let budget = Budget {
        id: domain::new_id(),
        compound_id: compound,
        year: 2026,
        title: "2026年度物业服务收支预算".into(),
        step: Step::Opinions,
        matter_id: None,
        created_at: at("2026-01-02T08:00:00Z")?,
    };
    let question =
        |text: &str, asked: &str, answer: Option<(&str, &str)>| -> AppResult<(Question, Uuid)> {
            Ok((
                Question {
                    id: domain::new_id(),
                    budget_id: budget.id,
                    question: text.into(),
                    asked_at: at(asked)?,
                    answer: answer.map(|(a, _)| a.into()),
                    answered_at: answer.map(|(_, when)| at(when)).transpose()?,
                },
                resident,
            ))
        };
    let questions = vec![
        question(
            "保安费为什么比去年少了一万二？",
            "2026-03-20T12:00:00Z",
            Some((
                "改为两班制并由业主志愿者协助夜巡，合同已在公示栏张贴。",
                "2026-03-22T09:00:00Z",
            )),
        )?,
        question("3 栋屋面什么时候修？", "2026-11-28T12:00:00Z", None)?,
    ];
    historic_budget(
        tx,
        tenant,
        HistoricBudget {
            versions: vec![
                Version {
                    number: 1,
                    note: Some("初稿".into()),
                    created_at: at("2026-01-12T08:00:00Z")?,
                    lines: lines(&first)?,
                },
                Version {
                    number: 2,
                    note: Some("保安改两班制，增列维修和不可预见费".into()),
                    created_at: at("2026-01-20T08:00:00Z")?,
                    lines: lines(&second)?,
                },
            ],
            budget,
            by: chair,
            steps,
            supervisors: Some(SupervisionGroup::new(&names).map_err(AppError::internal)?),
            questions,
        },
    )
    .await?;
    Ok(())
}
