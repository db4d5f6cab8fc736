//! Signing a contract: the advertiser, the placements in one or several compounds, the term
//! and the price; each compound's weight in sharing payments is fixed now, by the key.

use std::collections::BTreeMap;

use domain::advertising::{self as ad, AllocationKey, DueDay, PlacementKind, Pricing, Term};
use domain::billing::BillingPeriod;
use domain::text::optional;
use domain::{Money, Name};
use serde_json::json;
use uuid::Uuid;

use super::files::reachable;
use crate::advertising::model::{
    Advertiser, Contract, ContractFile, Instalment, Placement, Weight,
};
use crate::advertising::store;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{compounds, households};

pub struct PlacementInput {
    pub compound: Uuid,
    pub kind: PlacementKind,
    pub location: Option<String>,
    pub quantity: i32,
}

pub struct ContractInput {
    /// The firm's contract number, unique in the firm.
    pub number: String,
    pub advertiser: String,
    pub contact: Option<String>,
    pub licence_no: Option<String>,
    pub placements: Vec<PlacementInput>,
    pub from: BillingPeriod,
    pub to: BillingPeriod,
    pub pricing: Pricing,
    pub price: Money,
    pub due_day: i32,
    pub key: AllocationKey,
}

const TAKEN: &str = "the firm already has a contract with this number";

/// At most this many placements on one contract.
const MAX_PLACEMENTS: usize = 500;

/// A unified social credit code (18 characters) or an older licence number (15 digits).
fn licence(raw: Option<String>) -> AppResult<Option<String>> {
    let Some(code) = optional(raw.as_deref(), 18)
        .field("licenceNo")?
        .map(|s| s.to_uppercase())
    else {
        return Ok(None);
    };
    let ok = match code.len() {
        18 => code
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()),
        15 => code.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    if !ok {
        return Err(AppError::bad_input(
            "licenceNo",
            "must be the 18-character unified social credit code (or a 15-digit licence number)",
        ));
    }
    Ok(Some(code))
}

fn placements(input: Vec<PlacementInput>) -> AppResult<Vec<Placement>> {
    if input.is_empty() {
        return Err(AppError::bad_input(
            "placements",
            "name at least one placement",
        ));
    }
    if input.len() > MAX_PLACEMENTS {
        return Err(AppError::bad_input(
            "placements",
            format!("at most {MAX_PLACEMENTS} placements on one contract"),
        ));
    }
    input
        .into_iter()
        .map(|p| {
            let quantity = u32::try_from(p.quantity)
                .ok()
                .filter(|q| (1..=1000).contains(q))
                .ok_or_else(|| AppError::bad_input("quantity", "must be between 1 and 1000"))?;
            Ok(Placement {
                compound_id: p.compound,
                kind: p.kind,
                location: optional(p.location.as_deref(), 100).field("location")?,
                quantity,
            })
        })
        .collect()
}

/// Signs a contract; its number is its idempotency: signing the same number again is refused.
#[tracing::instrument(name = "advertising.sign", skip_all)]
pub async fn sign(db: &Db, ctx: &RequestContext, input: ContractInput) -> AppResult<ContractFile> {
    require_books(ctx)?;
    let number = optional(Some(&input.number), 50)
        .field("number")?
        .ok_or_else(|| AppError::bad_input("number", "must not be empty"))?;
    let advertiser = Advertiser {
        name: Name::parse(&input.advertiser)
            .field("advertiser")?
            .into_inner(),
        contact: optional(input.contact.as_deref(), 100).field("contact")?,
        licence_no: licence(input.licence_no)?,
    };
    let term = Term::new(input.from, input.to).field("to")?;
    let due_day = u32::try_from(input.due_day)
        .map_err(|_| ad::ContractError::DueDay)
        .and_then(DueDay::new)
        .field("dueDay")?;
    let schedule = ad::schedule(input.pricing, input.price, term, due_day).field("price")?;
    let placements = placements(input.placements)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    if store::find_by_number(tx, ctx.tenant_id, &number)
        .await?
        .is_some()
    {
        return Err(AppError::conflict("number", TAKEN));
    }
    let weights = weights(tx, ctx, db, &placements, input.key).await?;
    let contract = Contract {
        id: domain::new_id(),
        number,
        advertiser,
        pricing: input.pricing,
        price: input.price,
        key: input.key,
        term,
        due_day,
        terminated: None,
        signed_at: db.clock().now(),
    };
    let instalments: Vec<Instalment> = numbered(&schedule, 1);
    store::insert_contract(
        tx,
        ctx.tenant_id,
        &contract,
        &placements,
        &weights,
        &instalments,
        ctx.user_id(),
    )
    .await
    .map_err(|e| AppError::unique_or_internal(e, "number", TAKEN))?;
    uow.audit(
        "advertising.sign",
        "advertising_contract",
        contract.id,
        json!({ "number": contract.number, "compounds": weights.len(), "fen": contract.price.fen() }),
    );
    let file = reachable(tx, db, ctx, contract.id).await?;
    uow.commit().await?;
    Ok(file)
}

/// Schedule entries numbered from `first`.
pub(super) fn numbered(schedule: &[ad::Instalment], first: u32) -> Vec<Instalment> {
    (first..)
        .zip(schedule)
        .map(|(seq, i)| Instalment {
            seq,
            period: i.period,
            due_on: i.due_on,
            amount: i.amount,
            cancelled: false,
        })
        .collect()
}

/// Each compound's weight by the key: its placements, or its households this month. Every
/// compound must be live and within the caller's reach.
async fn weights(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &RequestContext,
    db: &Db,
    placements: &[Placement],
    key: AllocationKey,
) -> AppResult<Vec<Weight>> {
    let mut by_compound: BTreeMap<Uuid, u64> = BTreeMap::new();
    for p in placements {
        *by_compound.entry(p.compound_id).or_default() += u64::from(p.quantity);
    }
    let ids: Vec<Uuid> = by_compound.keys().copied().collect();
    let found = compounds::find_many(tx, ctx.tenant_id, &ctx.reach, &ids).await?;
    if found.len() != ids.len() {
        return Err(AppError::NotFound("compound"));
    }
    if let Some(c) = found.iter().find(|c| c.archived_at.is_some()) {
        return Err(AppError::bad_input(
            "compoundId",
            format!("{} is archived: it can no longer take advertising", c.name),
        ));
    }
    let month = BillingPeriod::containing(db.clock().today());
    let mut out = Vec::with_capacity(ids.len());
    for (compound, placed) in by_compound {
        let weight = match key {
            AllocationKey::Placements => placed,
            AllocationKey::Households => {
                households::count_billable(tx, ctx.tenant_id, &[compound], month).await?
            }
        };
        out.push(Weight {
            compound_id: compound,
            weight,
        });
    }
    if out.iter().all(|w| w.weight == 0) {
        return Err(AppError::bad_input(
            "allocationKey",
            "these compounds have no households yet: share by placements",
        ));
    }
    Ok(out)
}
