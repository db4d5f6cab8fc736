//! Reading contracts whole: terms, placements, weights, instalments and payments, in a fixed
//! number of statements however many contracts.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::advertising::model::ContractFile;
use crate::advertising::store;
use crate::platform::RequestContext;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::tenancy::compounds;

/// The contracts with these ids, whole, read today.
pub(super) async fn files(
    tx: &impl ConnectionTrait,
    db: &Db,
    tenant: Uuid,
    ids: &[Uuid],
) -> AppResult<Vec<ContractFile>> {
    let contracts = store::contracts(tx, tenant, ids).await?;
    let mut payments = store::payments_of(tx, tenant, ids).await?;
    let today = db.clock().today();
    Ok(contracts
        .into_iter()
        .map(|(contract, placements, weights, instalments)| {
            let paid = payments.remove(&contract.id).unwrap_or_default();
            ContractFile::new(contract, placements, weights, instalments, paid, today)
        })
        .collect())
}

const FOR_BOOKS: &str =
    "advertising contracts are for the firm's accountant and the owners' committee";

/// One contract, and how many of its compounds the caller reaches (and of how many).
async fn one(
    tx: &impl ConnectionTrait,
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<(ContractFile, usize, usize)> {
    let file = files(tx, db, ctx.tenant_id, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound("advertising contract"))?;
    let ids: Vec<Uuid> = file.weights.iter().map(|w| w.compound_id).collect();
    let reached = compounds::find_many(tx, ctx.tenant_id, &ctx.reach, &ids).await?;
    Ok((file, reached.len(), ids.len()))
}

/// One contract, for a caller who reaches every compound it covers (to change it).
pub(super) async fn reachable(
    tx: &impl ConnectionTrait,
    db: &Db,
    ctx: &RequestContext,
    id: Uuid,
) -> AppResult<ContractFile> {
    match one(tx, db, ctx, id).await? {
        (file, reached, all) if reached == all => Ok(file),
        _ => Err(AppError::NotFound("advertising contract")),
    }
}

/// One contract (book-keepers reaching its compounds, and the committees of its compounds).
#[tracing::instrument(name = "advertising.contract", skip_all)]
pub async fn contract(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<ContractFile> {
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let (file, reached, _) = one(&tx, db, ctx, id).await?;
    if reached == 0 {
        return Err(AppError::NotFound("advertising contract"));
    }
    let readable = file
        .weights
        .iter()
        .any(|w| ctx.principal.reads_accounts_of(w.compound_id));
    if !readable {
        return Err(AppError::forbidden(FOR_BOOKS));
    }
    tx.commit().await?;
    Ok(file)
}

/// The contracts with a placement in a compound, newest first.
#[tracing::instrument(name = "advertising.contracts_in", skip_all)]
pub async fn contracts_in(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
) -> AppResult<Vec<ContractFile>> {
    if !ctx.principal.reads_accounts_of(compound) {
        return Err(AppError::forbidden(FOR_BOOKS));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let ids = store::contract_ids_in(&tx, ctx.tenant_id, compound).await?;
    let out = files(&tx, db, ctx.tenant_id, &ids).await?;
    tx.commit().await?;
    Ok(out)
}
