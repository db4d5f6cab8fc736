//! The demo's owners' governance: 国泰花园's committee and two votes held before the
//! demo's months — business use of common parts (which the income resolution records) and
//! spending the committee fund — and 燎原新村's vote on business use, whose resolution the firm
//! has yet to record; each counted and passed, with a certificate to read.

use chrono::{DateTime, NaiveDate, Utc};
use domain::governance::{Body, Choice, MatterKind, Post};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::governance::seed::{HistoricVote, Seat, historic_vote};
use crate::people::committee::committee_until;
use crate::platform::error::{AppError, AppResult};
use crate::platform::page::PageRequest;
use crate::platform::scope::Reach;
use crate::tenancy::seed::compounds;

pub(super) fn at(rfc3339: &str) -> AppResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&Utc))
        .map_err(AppError::internal)
}

/// The firm's compound of this name.
async fn named(tx: &DatabaseTransaction, tenant: Uuid, name: &str) -> AppResult<Option<Uuid>> {
    let page = PageRequest {
        after: None,
        limit: 100,
    };
    let all = Reach::everything();
    let found = compounds::list(
        tx,
        tenant,
        &all,
        &compounds::CompoundFilter::default(),
        page,
    )
    .await?
    .items;
    Ok(found.into_iter().find(|c| c.name == name).map(|c| c.id))
}

/// Most owners vote yes; one in twenty no, one abstains, one stays away.
fn choice(voter: u32) -> Option<Choice> {
    match voter % 20 {
        0 => Some(Choice::No),
        1 => Some(Choice::Abstain),
        2 => None,
        _ => Some(Choice::Yes),
    }
}

/// Seeds the committee and the votes; returns the passed matter of business use.
pub(super) async fn seed(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    compound: Uuid,
    chair: Uuid,
) -> AppResult<Uuid> {
    let term_to = NaiveDate::from_ymd_opt(2029, 5, 31).unwrap_or_default();
    let seat = Seat {
        id: domain::new_id(),
        compound_id: compound,
        body: Body::OwnersCommittee,
        name: "黄主任".into(),
        post: Post::Chair,
        phone: Some("13807720001".into()),
        user_id: Some(chair),
        term_from: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default(),
        term_to,
        ended_on: None,
    };
    crate::governance::seed::seat(tx, tenant, &seat, chair).await?;
    committee_until(tx, tenant, chair, compound, Some(term_to), Utc::now()).await?;
    let business = historic_vote(
        tx,
        tenant,
        HistoricVote {
            compound,
            kind: MatterKind::CommonPartsUse,
            title: "关于利用共有部分经营停车和电梯广告的决定".into(),
            body: "同意利用小区共有部分经营临时停车和电梯轿厢广告，收益扣除直接成本后七成归业主（业委会公共收益），三成归物业服务企业。".into(),
            opened_at: at("2026-04-01T01:00:00Z")?,
            closed_at: at("2026-04-15T10:00:00Z")?,
            by: chair,
            choice,
        },
    )
    .await?;
    // In 燎原新村 the owners have voted for business use; the firm has yet to record the
    // resolution (the console's income page asks for it).
    if let Some(liaoyuan) = named(tx, tenant, "燎原新村").await? {
        historic_vote(
            tx,
            tenant,
            HistoricVote {
                compound: liaoyuan,
                kind: MatterKind::CommonPartsUse,
                title: "关于利用共有部分设置广告牌的决定".into(),
                body: "同意在小区东门围墙设置广告牌，收益七成归业主、三成归物业。".into(),
                opened_at: at("2026-09-01T01:00:00Z")?,
                closed_at: at("2026-09-15T10:00:00Z")?,
                by: chair,
                choice,
            },
        )
        .await?;
    }
    historic_vote(
        tx,
        tenant,
        HistoricVote {
            compound,
            kind: MatterKind::UseMaintenanceFund,
            title: "关于使用公共收益更换单元门禁的决定".into(),
            body: "同意从业委会公共收益中支出不超过一万元，更换各栋单元门禁。".into(),
            opened_at: at("2026-11-01T01:00:00Z")?,
            closed_at: at("2026-11-15T10:00:00Z")?,
            by: chair,
            choice,
        },
    )
    .await?;
    Ok(business)
}
