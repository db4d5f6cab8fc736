//! A matter's life: drafted by the compound's committee or the firm's administrator, opened
//! (the roll frozen from the register), closed after its time (counted by the matter's rule).

use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};

use domain::governance::{Channel, Choice, Count, MatterKind, MatterState, Outcome, Tally};
use domain::{Document, Name};
use serde_json::json;
use uuid::Uuid;

use super::checks::{run_in, seen_compound, seen_matter};
use crate::governance::model::{Matter, Receipt, RollVoter, Standing};
use crate::governance::store::{ballots, matters, roll};
use crate::people;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};

/// How long a vote may run, at most.
const LONGEST_VOTE_DAYS: i64 = 180;

pub struct DraftInput {
    pub compound: Uuid,
    pub kind: MatterKind,
    pub title: String,
    pub body: String,
    pub secret: bool,
    pub closes_at: DateTime<Utc>,
    pub publicity_days: i32,
}

#[tracing::instrument(name = "governance.draft", skip_all)]
pub async fn draft(db: &Db, ctx: &RequestContext, input: DraftInput) -> AppResult<Matter> {
    let title = Name::parse(&input.title).field("title")?;
    let body = Document::parse(&input.body).field("body")?;
    let now = db.clock().now();
    if input.closes_at <= now || input.closes_at > now + Duration::days(LONGEST_VOTE_DAYS) {
        return Err(AppError::bad_input(
            "closesAt",
            format!("must be in the future, within {LONGEST_VOTE_DAYS} days"),
        ));
    }
    let publicity_days = u16::try_from(input.publicity_days)
        .ok()
        .filter(|d| (1..=90).contains(d))
        .ok_or_else(|| AppError::bad_input("publicityDays", "must be 1 to 90 days"))?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    run_in(tx, ctx, input.compound).await?;
    let m = Matter {
        id: domain::new_id(),
        compound_id: input.compound,
        kind: input.kind,
        title: title.into_inner(),
        body: body.into_inner(),
        secret: input.secret,
        state: MatterState::Draft,
        closes_at: input.closes_at,
        publicity_days,
        drafted_at: now,
        opened_at: None,
        closed_at: None,
        roll: None,
        tally: None,
        outcome: None,
    };
    matters::insert(tx, ctx.tenant_id, &m, ctx.user_id()).await?;
    uow.audit(
        "governance.draft",
        "matter",
        m.id,
        json!({ "compound": m.compound_id, "kind": m.kind.code(), "secret": m.secret }),
    );
    uow.commit().await?;
    Ok(m)
}

/// Opens the vote: the roll is frozen from the compound's register as it is today.
#[tracing::instrument(name = "governance.open", skip_all)]
pub async fn open(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Matter> {
    let now = db.clock().now();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let (mut m, _) = seen_matter(tx, ctx, id).await?;
    run_in(tx, ctx, m.compound_id).await?;
    if m.state != MatterState::Draft {
        return Err(AppError::conflict("id", "this vote has already opened"));
    }
    if m.closes_at <= now {
        return Err(AppError::bad_input(
            "closesAt",
            "this vote's closing time has passed: draft it again with a later one",
        ));
    }
    let totals = roll::freeze(tx, ctx.tenant_id, id, m.compound_id, now.date_naive()).await?;
    if totals.owners == 0 {
        return Err(AppError::bad_input(
            "id",
            "the compound's register has no households: there is no one to vote",
        ));
    }
    if !matters::set_open(tx, ctx.tenant_id, id, now, ctx.user_id(), totals).await? {
        return Err(AppError::conflict("id", "this vote has already opened"));
    }
    uow.audit(
        "governance.open",
        "matter",
        id,
        json!({ "owners": totals.owners, "area": totals.area }),
    );
    uow.commit().await?;
    m.state = MatterState::Open;
    m.opened_at = Some(now);
    m.roll = Some(totals);
    Ok(m)
}

/// Closes the vote once its time is over and counts the standing ballots by the rule its
/// kind takes.
#[tracing::instrument(name = "governance.close", skip_all)]
pub async fn close(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Matter> {
    let now = db.clock().now();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let (mut m, _) = seen_matter(tx, ctx, id).await?;
    run_in(tx, ctx, m.compound_id).await?;
    let Some(roll_totals) = m.roll.filter(|_| m.state == MatterState::Open) else {
        return Err(AppError::conflict("id", "only an open vote can be closed"));
    };
    if now < m.closes_at {
        return Err(AppError::conflict(
            "id",
            format!("this vote takes ballots until {}", m.closes_at.to_rfc3339()),
        ));
    }
    let tally = tally_of(roll_totals, roll::counts(tx, ctx.tenant_id, id).await?);
    let outcome = tally.outcome(m.kind.rule());
    if !matters::set_closed(tx, ctx.tenant_id, id, now, ctx.user_id(), &tally, outcome).await? {
        return Err(AppError::conflict("id", "only an open vote can be closed"));
    }
    uow.audit(
        "governance.close",
        "matter",
        id,
        json!({ "outcome": outcome.code() }),
    );
    uow.commit().await?;
    m.state = MatterState::Closed;
    m.closed_at = Some(now);
    m.tally = Some(tally);
    m.outcome = Some(outcome);
    Ok(m)
}

/// The tally of a roll's totals and its standing ballots' sums by choice.
pub fn tally_of(roll: Count, counts: Vec<(Choice, Count)>) -> Tally {
    let mut t = Tally {
        roll,
        yes: Count::default(),
        no: Count::default(),
        abstain: Count::default(),
    };
    for (choice, count) in counts {
        match choice {
            Choice::Yes => t.yes = count,
            Choice::No => t.no = count,
            Choice::Abstain => t.abstain = count,
        }
    }
    t
}

/// The matters of a compound the caller sees, newest first.
pub async fn of_compound(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Vec<Matter>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    seen_compound(&tx, ctx, compound).await?;
    let found = matters::of_compounds(&tx, ctx.tenant_id, &[compound]).await?;
    tx.commit().await?;
    Ok(found)
}

pub async fn find(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Matter> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (m, _) = seen_matter(&tx, ctx, id).await?;
    tx.commit().await?;
    Ok(m)
}

/// Who has taken part so far, by head and by area (visible to all who see the matter, even
/// on a secret vote).
pub async fn participation(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Count> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    seen_matter(&tx, ctx, id).await?;
    let counts = roll::counts(&tx, ctx.tenant_id, id).await?;
    tx.commit().await?;
    Ok(counts
        .into_iter()
        .fold(Count::default(), |sum, (_, c)| Count {
            owners: sum.owners + c.owners,
            area: sum.area + c.area,
        }))
}

/// The roll with each voter's ballot, for those who run the vote or enter its paper ballots;
/// a secret vote's choices are left out.
pub async fn voters(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Vec<RollVoter>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (m, c) = seen_matter(&tx, ctx, id).await?;
    if !ctx.principal.enters_ballots_in(c.id, c.bundle_id) {
        return Err(AppError::forbidden(
            "only those who run the compound's votes or enter its ballots see its roll",
        ));
    }
    let mut found = roll::voters(&tx, ctx.tenant_id, id, None).await?;
    name_clerks(&tx, &mut found).await?;
    tx.commit().await?;
    if m.secret {
        for v in &mut found {
            v.ballot = v.ballot.take().map(Standing::hidden);
        }
    }
    Ok(found)
}

/// Names the clerks who entered the roll's paper ballots (a handful of people, read once each).
async fn name_clerks(
    tx: &impl sea_orm::ConnectionTrait,
    voters: &mut [RollVoter],
) -> AppResult<()> {
    let paper = |v: &RollVoter| {
        v.ballot
            .as_ref()
            .filter(|b| b.channel == Channel::Paper)
            .map(|b| b.cast_by)
    };
    let clerks: HashSet<Uuid> = voters.iter().filter_map(paper).collect();
    let mut names = HashMap::new();
    for clerk in clerks {
        if let Some(name) = people::display_name(tx, clerk).await? {
            names.insert(clerk, name);
        }
    }
    for b in voters.iter_mut().filter_map(|v| v.ballot.as_mut()) {
        if b.channel == Channel::Paper {
            b.entered_by = names.get(&b.cast_by).cloned();
        }
    }
    Ok(())
}

/// The standing ballots as anonymised receipts, once the vote has closed: anyone who sees
/// the matter can recount the tally from them, and each owner find their own.
pub async fn receipts(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Vec<Receipt>> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (m, _) = seen_matter(&tx, ctx, id).await?;
    if m.state != MatterState::Closed {
        return Err(AppError::conflict(
            "id",
            "receipts are published when the vote closes",
        ));
    }
    let found = ballots::receipts(&tx, ctx.tenant_id, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// Whether `outcome` lets a matter count as decided.
pub fn passed(m: &Matter) -> bool {
    m.state == MatterState::Closed && m.outcome == Some(Outcome::Passed)
}
