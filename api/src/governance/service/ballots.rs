//! Casting ballots: online by an owner on the roll, or on paper, entered with its scan by
//! those who run the vote or collect its ballots. A later ballot replaces the voter's
//! standing one until the vote closes; every ballot is kept. Each ballot gets a receipt
//! code, published with its choice when the vote closes, that tells no one who cast it.

use domain::governance::{Channel, Choice};
use rand::Rng;
use serde_json::json;
use uuid::Uuid;

use super::checks::{seen_matter, taking_ballots};
use crate::governance::model::{NewBallot, RollVoter};
use crate::governance::store::{ballots, roll};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::files::{FileError, FileKind, FileStore};
use crate::platform::{RequestContext, UnitOfWork};

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Twelve characters in three groups, easy to read out and compare.
pub fn new_receipt() -> String {
    let mut rng = rand::rng();
    let raw: Vec<char> = (0..12)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    raw.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The voters on the roll who own these homes. A home the developer holds is voted on paper
/// by the developer, not by whoever lives there.
pub(super) async fn owners_of(
    tx: &impl sea_orm::ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
    homes: &[Uuid],
) -> AppResult<Vec<u32>> {
    Ok(roll::voters_of_households(tx, tenant, matter, homes)
        .await?
        .into_iter()
        .filter_map(|(no, developer)| (!developer).then_some(no))
        .collect())
}

/// The voter an owner signed in for their home votes as: the one holding it on the roll
/// (with homes of two owners, `household` says which).
pub(super) async fn my_voter(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &RequestContext,
    matter: Uuid,
    household: Option<Uuid>,
) -> AppResult<Option<u32>> {
    let mut homes = ctx.principal.homes();
    if let Some(h) = household {
        if !homes.contains(&h) {
            return Err(AppError::NotFound("household"));
        }
        homes = vec![h];
    }
    match owners_of(tx, ctx.tenant_id, matter, &homes)
        .await?
        .as_slice()
    {
        [] => Ok(None),
        [no] => Ok(Some(*no)),
        _ => Err(AppError::bad_input(
            "householdId",
            "your homes have different owners on this vote's roll: choose which home you vote for",
        )),
    }
}

/// The owner's own ballot on a matter: cast (or changed) online, for the owner who holds
/// their home on the roll.
#[tracing::instrument(name = "governance.cast", skip_all)]
pub async fn cast(
    db: &Db,
    ctx: &RequestContext,
    matter: Uuid,
    household: Option<Uuid>,
    choice: Choice,
) -> AppResult<RollVoter> {
    let now = db.clock().now();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let (m, _) = seen_matter(tx, ctx, matter).await?;
    let voter = my_voter(tx, ctx, matter, household).await?.ok_or_else(|| {
        AppError::forbidden(
            "your home is not on this vote's roll: only a unit's owner (for co-owners, the one \
             they designated) in the compound when the vote opened may vote",
        )
    })?;
    taking_ballots(&m, now)?;
    let ballot = NewBallot {
        matter,
        voter_no: voter,
        choice,
        channel: Channel::Online,
        cast_by: ctx.user_id(),
        scan: None,
        receipt: new_receipt(),
        at: now,
    };
    let voter = record(&uow, ballot, m.secret).await?;
    uow.commit().await?;
    Ok(voter)
}

/// A paper ballot for the roll's voter `voter_no`, entered with its scan.
#[tracing::instrument(name = "governance.enter_paper", skip_all, fields(bytes = scan.len()))]
pub async fn enter_paper(
    db: &Db,
    files: &FileStore,
    ctx: &RequestContext,
    matter: Uuid,
    voter_no: u32,
    choice: Choice,
    scan: Vec<u8>,
) -> AppResult<RollVoter> {
    if FileKind::sniff(&scan).is_none() {
        return Err(AppError::bad_input("file", FileError::Kind));
    }
    let now = db.clock().now();
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let (m, c) = seen_matter(tx, ctx, matter).await?;
    if !ctx.principal.enters_ballots_in(c.id, c.bundle_id) {
        return Err(AppError::forbidden(
            "only those who run the compound's votes or collect its ballots enter paper ballots",
        ));
    }
    taking_ballots(&m, now)?;
    if roll::voters(tx, ctx.tenant_id, matter, Some(voter_no))
        .await?
        .is_empty()
    {
        return Err(AppError::bad_input("voterNo", "is not on this vote's roll"));
    }
    let stored = files.put(scan).await.map_err(|e| match e {
        FileError::Kind => AppError::bad_input("file", e),
        FileError::Io(io) => AppError::internal(io),
    })?;
    let ballot = NewBallot {
        matter,
        voter_no,
        choice,
        channel: Channel::Paper,
        cast_by: ctx.user_id(),
        scan: Some(stored),
        receipt: new_receipt(),
        at: now,
    };
    let voter = record(&uow, ballot, m.secret).await?;
    uow.commit().await?;
    Ok(voter)
}

/// Records a ballot as the voter's standing one and returns the voter with it; a secret
/// ballot's choice stays out of the audit log.
async fn record(uow: &UnitOfWork, b: NewBallot, secret: bool) -> AppResult<RollVoter> {
    let (tx, tenant) = (uow.tx(), uow.tenant());
    ballots::cast(tx, tenant, &b).await?;
    let mut detail = json!({ "voter": b.voter_no, "channel": b.channel.code() });
    if !secret {
        detail["choice"] = b.choice.code().into();
    }
    uow.audit("governance.ballot", "matter", b.matter, detail);
    roll::voters(tx, tenant, b.matter, Some(b.voter_no))
        .await?
        .pop()
        .ok_or(AppError::NotFound("voter"))
}

/// The scan of a voter's standing paper ballot, for those who run the vote or enter its
/// ballots; never on a secret vote, where the paper shows the choice.
#[tracing::instrument(name = "governance.paper_scan", skip_all)]
pub async fn paper_scan(
    db: &Db,
    files: &FileStore,
    ctx: &RequestContext,
    matter: Uuid,
    voter_no: u32,
) -> AppResult<(FileKind, Vec<u8>)> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (m, c) = seen_matter(&tx, ctx, matter).await?;
    if !ctx.principal.enters_ballots_in(c.id, c.bundle_id) {
        return Err(AppError::forbidden(
            "only those who run the compound's votes or enter its ballots see their scans",
        ));
    }
    if m.secret {
        return Err(AppError::forbidden(
            "this vote is secret: a paper ballot's scan would show its choice",
        ));
    }
    let voter = roll::voters(&tx, ctx.tenant_id, matter, Some(voter_no)).await?;
    tx.commit().await?;
    let scan = voter
        .into_iter()
        .find_map(|v| v.ballot.and_then(|b| b.scan))
        .ok_or(AppError::NotFound("scan"))?;
    let bytes = files
        .get(&scan.key)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound("scan"))?;
    Ok((scan.kind, bytes))
}
