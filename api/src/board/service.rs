//! The board's use cases: its address (read by the firm's book-keepers and the committee,
//! rotated by the book-keepers), the board itself for anyone holding the address, cached
//! until the firm's ledger moves, and the poster's QR code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{Datelike, Duration as Days, NaiveDate};
use domain::billing::BillingPeriod;
use domain::ledger::{AccountKind, EntryKind};
use domain::{AccountKey, LongText};
use rand::RngCore;
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::model::{Board, Contacts, Fees, Fund, Income, Payout};
use super::store;
use super::{budgets, figures, votes};
use crate::committee_fund;
use crate::governance;
use crate::income;
use crate::ledger;
use crate::platform::access::require_books;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{compounds, tenants};

/// How long a board is served from the cache at most, even if nothing was posted (a renamed
/// compound, a changed office phone).
const MAX_AGE: Duration = Duration::from_secs(300);

struct Cached {
    seq: i64,
    month: BillingPeriod,
    at: Instant,
    json: Arc<[u8]>,
}

/// Boards as last built, per firm and compound: fresh while the firm's ledger head and the
/// month are what they were.
#[derive(Default)]
pub struct BoardCache(Mutex<HashMap<(Uuid, Uuid), Cached>>);

impl BoardCache {
    fn get(&self, key: (Uuid, Uuid), seq: i64, month: BillingPeriod) -> Option<Arc<[u8]>> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&key)
            .filter(|c| c.seq == seq && c.month == month && c.at.elapsed() < MAX_AGE)
            .map(|c| Arc::clone(&c.json))
    }

    fn put(&self, key: (Uuid, Uuid), seq: i64, month: BillingPeriod, json: Arc<[u8]>) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let at = Instant::now();
        map.insert(
            key,
            Cached {
                seq,
                month,
                at,
                json,
            },
        );
    }
}

/// 128 random bits, URL-safe: an address no one guesses.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn plausible(token: &str) -> bool {
    token.len() == 22
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The compound's board token, if the firm has published one (book-keepers, its committee).
#[tracing::instrument(name = "board.address", skip_all)]
pub async fn address(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<Option<String>> {
    if !ctx.principal.reads_accounts_of(compound) {
        return Err(AppError::forbidden(
            "the board's address is for the firm's accountant and the owners' committee",
        ));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    compounds::find(&tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let token = store::token_of(&tx, ctx.tenant_id, compound).await?;
    tx.commit().await?;
    Ok(token)
}

/// Publishes the compound's board at a new address; any earlier address answers 404 from now.
#[tracing::instrument(name = "board.rotate", skip_all)]
pub async fn rotate(db: &Db, ctx: &RequestContext, compound: Uuid) -> AppResult<String> {
    require_books(ctx)?;
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    compounds::find(tx, ctx.tenant_id, &ctx.reach, compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let token = new_token();
    store::replace(tx, ctx.tenant_id, compound, &token).await?;
    uow.audit("board.rotate", "compound", compound, json!({}));
    uow.commit().await?;
    Ok(token)
}

/// The board's JSON for whoever holds its address; `None` for an address that opens nothing.
#[tracing::instrument(name = "board.public", skip_all)]
pub async fn board_json(db: &Db, cache: &BoardCache, token: &str) -> AppResult<Option<Arc<[u8]>>> {
    if !plausible(token) {
        return Ok(None);
    }
    let found = {
        let tx = db.begin_global().await?;
        let found = store::find(&tx, token).await?;
        tx.commit().await?;
        found
    };
    let Some((tenant, compound)) = found else {
        return Ok(None);
    };
    let today = db.clock().today();
    let month = BillingPeriod::containing(today);
    let tx = db.begin_tenant_read(tenant).await?;
    let seq = ledger::head_seq(&tx, tenant).await?;
    if let Some(hit) = cache.get((tenant, compound), seq, month) {
        tx.commit().await?;
        return Ok(Some(hit));
    }
    let board = build(&tx, tenant, compound, today).await?;
    tx.commit().await?;
    let bytes: Arc<[u8]> = serde_json::to_vec(&board)
        .map_err(AppError::internal)?
        .into();
    cache.put((tenant, compound), seq, month, Arc::clone(&bytes));
    Ok(Some(bytes))
}

fn text(t: Option<LongText>) -> Option<String> {
    t.map(LongText::into_inner)
}

/// The board as of `today`: this month's and this year's fees, closed months' common
/// income, the committee fund's year and its payouts.
async fn build(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    today: NaiveDate,
) -> AppResult<Board> {
    let c = compounds::find(tx, tenant, &Reach::everything(), compound)
        .await?
        .ok_or(AppError::NotFound("compound"))?;
    let firm = tenants::find(tx, tenant)
        .await?
        .ok_or(AppError::NotFound("firm"))?;
    let month = BillingPeriod::containing(today);
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let this_month = ledger::movements(tx, tenant, compound, month.first_day(), today).await?;
    let this_year = ledger::movements(tx, tenant, compound, year_start, today).await?;
    let january = BillingPeriod::containing(year_start);
    let closes = income::closes_between(tx, tenant, compound, january, month).await?;
    let fund = committee_fund::statement_in(tx, tenant, compound, year_start, today).await?;
    Ok(Board {
        compound: c.name,
        firm: firm.name,
        office: Contacts {
            address: text(firm.office.address),
            hours: text(firm.office.hours),
            phone: text(firm.office.phone),
        },
        month: month.to_string(),
        year: today.year(),
        fees: Fees {
            month: figures::fees(&this_month),
            year: figures::fees(&this_year),
        },
        income: Income {
            last_closed: closes.last().map(|l| l.period.to_string()),
            last_month: figures::categories(closes.last()),
            year: figures::categories(&closes),
        },
        fund: Fund {
            opening_fen: fund.opening.fen(),
            shares_fen: fund.shares.fen(),
            payouts_fen: fund.payouts.fen(),
            waivers_fen: fund.waivers.fen(),
            other_fen: fund.other.fen(),
            balance_fen: fund.closing.fen(),
            payouts: fund_payouts(tx, tenant, compound, year_start, today).await?,
        },
        contractor_spending_fen: ledger::figures::contractor_spending(&this_year),
        committee: governance::committee_on(tx, tenant, compound, today)
            .await?
            .into_iter()
            .map(votes::member)
            .collect(),
        votes: governance::counted_since(tx, tenant, compound, today - Days::days(365))
            .await?
            .into_iter()
            .filter_map(votes::vote)
            .collect(),
        budgets: governance::budgets_on_board(tx, tenant, compound, today)
            .await?
            .into_iter()
            .map(budgets::figures)
            .collect(),
        generated_at: chrono::Utc::now().to_rfc3339(),
    })
}

/// This year's payouts from the committee fund: date, amount and what for.
async fn fund_payouts(
    tx: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Payout>> {
    let key = AccountKey::compound(compound, AccountKind::CommitteeFund);
    let Some(fund) = ledger::find_accounts(tx, tenant, &[key])
        .await?
        .remove(&key)
    else {
        return Ok(Vec::new());
    };
    let (_, lines, _) = ledger::account_lines(tx, tenant, fund.id, from, to, None, 1_000).await?;
    Ok(lines
        .into_iter()
        .filter(|l| l.kind == EntryKind::CommitteePayout)
        .map(|l| Payout {
            date: l.occurred_at.date_naive().to_string(),
            amount_fen: l.amount.fen(),
            memo: l.memo,
        })
        .collect())
}

/// The board's address as a QR code, in SVG, for the printed poster.
pub fn poster_qr(url: &str) -> AppResult<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(AppError::internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}
