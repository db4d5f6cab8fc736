//! The ledger's accounts: found or opened by key, read, archived.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use domain::{AccountKey, AccountKind, Money};
use sea_orm::sea_query::{ArrayType, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use uuid::Uuid;

use super::sql::INSERT_CHUNK;
use crate::ledger::model::Account;
use crate::platform::bulk::array;
use crate::platform::page::{self, Page, PageRequest};
use crate::platform::schema::ledger_account;
use crate::platform::storage::corrupt;

impl TryFrom<ledger_account::Model> for Account {
    type Error = DbErr;
    fn try_from(m: ledger_account::Model) -> Result<Self, DbErr> {
        Ok(Self {
            kind: AccountKind::from_code(&m.kind)
                .ok_or_else(|| corrupt("account kind", &m.kind))?,
            id: m.id,
            compound_id: m.compound_id,
            household_id: m.household_id,
            balance: Money::from_fen(m.balance),
            archived: m.archived_at.is_some(),
        })
    }
}

/// Rows of a tenant table whose unique text column is one of `keys`.
///
/// On PostgreSQL the keys go as one array, and each is looked up on its own through a
/// `LATERAL … LIMIT 1` subquery (the `LIMIT` keeps the planner from flattening it into a
/// join): an equality on the unique `(tenant_id, key)` index, which stays the cheapest plan
/// however stale the table's statistics are (a table bulk-loaded before autovacuum has
/// analysed it). An `IN (…)` list was planned as a filter comparing every
/// row against every key, and a plain join with the array as a hash of every entry of the
/// tenant (statistics said there were a hundred): lookups that grew with the ledger.
pub(super) async fn by_text_keys<E, C>(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    table: &str,
    column: &str,
    tenant_col: C,
    key_col: C,
    keys: &[String],
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    if db.get_database_backend() == DbBackend::Postgres {
        let sql = format!(
            "SELECT t.* FROM UNNEST($2::text[]) AS k(key) CROSS JOIN LATERAL
               (SELECT * FROM {table} x WHERE x.tenant_id = $1 AND x.{column} = k.key LIMIT 1) AS t"
        );
        let values = vec![
            tenant.into(),
            array(keys, ArrayType::String, |k| k.clone().into()),
        ];
        return E::find()
            .from_raw_sql(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .all(db)
            .await;
    }
    E::find()
        .filter(tenant_col.eq(tenant))
        .filter(key_col.is_in(keys.iter().cloned()))
        .all(db)
        .await
}

pub(super) fn key_text(k: &AccountKey) -> String {
    match k.household {
        Some(h) => format!("{}:{}:{h}", k.compound, k.kind.code()),
        None => format!("{}:{}", k.compound, k.kind.code()),
    }
}

/// The accounts that exist for these keys; none is opened.
pub async fn find_accounts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    keys: &[AccountKey],
) -> Result<HashMap<AccountKey, Account>, DbErr> {
    let wanted: BTreeMap<String, AccountKey> = keys.iter().map(|k| (key_text(k), *k)).collect();
    let mut found: HashMap<AccountKey, Account> = HashMap::with_capacity(wanted.len());
    let texts: Vec<String> = wanted.keys().cloned().collect();
    for chunk in texts.chunks(INSERT_CHUNK) {
        for m in by_text_keys::<ledger_account::Entity, _>(
            db,
            tenant,
            "ledger_accounts",
            "key",
            ledger_account::Column::TenantId,
            ledger_account::Column::Key,
            chunk,
        )
        .await?
        {
            let key = wanted
                .get(&m.key)
                .copied()
                .ok_or_else(|| corrupt("account key", &m.key))?;
            found.insert(key, m.try_into()?);
        }
    }
    Ok(found)
}

/// The accounts for these keys, opening any that do not exist yet.
pub async fn ensure_accounts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    keys: &[AccountKey],
) -> Result<HashMap<AccountKey, Account>, DbErr> {
    let mut found = find_accounts(db, tenant, keys).await?;
    let missing: Vec<AccountKey> = keys
        .iter()
        .filter(|k| !found.contains_key(k))
        .copied()
        .collect();
    let opened = new_accounts(tenant, &missing);
    if opened.is_empty() {
        return Ok(found);
    }
    if insert_accounts(db, &opened).await? != opened.len() as u64 {
        // Another transaction won a race for some of them: read back theirs.
        found.extend(find_accounts(db, tenant, &missing).await?);
        return Ok(found);
    }
    for (k, m) in opened {
        found.insert(k, m.try_into()?);
    }
    Ok(found)
}

/// Opens accounts for keys that, as far as the caller knows, have none yet (a new
/// household's): written without first looking for them; any that exist are left as they are.
pub async fn open_accounts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    keys: &[AccountKey],
) -> Result<(), DbErr> {
    insert_accounts(db, &new_accounts(tenant, keys))
        .await
        .map(drop)
}

/// New account rows for `keys`, each key once.
fn new_accounts(tenant: Uuid, keys: &[AccountKey]) -> Vec<(AccountKey, ledger_account::Model)> {
    let wanted: BTreeMap<String, AccountKey> = keys.iter().map(|k| (key_text(k), *k)).collect();
    let now = Utc::now();
    wanted
        .into_iter()
        .map(|(key, k)| {
            let m = ledger_account::Model {
                tenant_id: tenant,
                id: domain::new_id(),
                created_at: now,
                compound_id: k.compound,
                household_id: k.household,
                kind: k.kind.code().to_owned(),
                key,
                balance: 0,
                archived_at: None,
            };
            (k, m)
        })
        .collect()
}

/// Writes account rows, skipping any whose key exists (two transactions may open the same
/// account at once, neither holding the ledger's lock yet); how many were written.
async fn insert_accounts(
    db: &impl ConnectionTrait,
    opened: &[(AccountKey, ledger_account::Model)],
) -> Result<u64, DbErr> {
    if opened.is_empty() {
        return Ok(0);
    }
    if db.get_database_backend() == DbBackend::Postgres {
        use crate::platform::bulk::{Column, insert};
        return insert(
            db,
            "ledger_accounts",
            vec![
                Column::uuid("tenant_id", opened, |(_, m)| m.tenant_id),
                Column::uuid("id", opened, |(_, m)| m.id),
                Column::timestamp("created_at", opened, |(_, m)| m.created_at),
                Column::uuid("compound_id", opened, |(_, m)| m.compound_id),
                Column::opt_uuid("household_id", opened, |(_, m)| m.household_id),
                Column::text("kind", opened, |(_, m)| m.kind.clone()),
                Column::text("key", opened, |(_, m)| m.key.clone()),
                Column::bigint("balance", opened, |(_, m)| m.balance),
            ],
            "ON CONFLICT (tenant_id, key) DO NOTHING",
        )
        .await;
    }
    // SQLite: the write transaction holds the database's lock; no one else is opening.
    let mut written = 0;
    for chunk in opened.chunks(INSERT_CHUNK) {
        let rows = chunk
            .iter()
            .map(|(_, m)| ledger_account::ActiveModel::from(m.clone()));
        written += ledger_account::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}

pub async fn find_account(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Account>, DbErr> {
    ledger_account::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn accounts_of_compound(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    kinds: Option<&[AccountKind]>,
    page: PageRequest,
) -> Result<Page<Account>, DbErr> {
    let mut q = ledger_account::Entity::find()
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::CompoundId.eq(compound));
    if let Some(kinds) = kinds {
        q = q.filter(ledger_account::Column::Kind.is_in(kinds.iter().map(|k| k.code())));
    }
    page::fetch(db, q, ledger_account::Column::Id, page)
        .await?
        .try_map(TryInto::try_into)
}

/// Household receivables owing money (balance above zero), most owed first, ties by
/// household id descending; `limit` of them ranked after `after` (balance, household), only
/// these compounds' when given. Read from the partial indexes `ledger_accounts_owing` (the
/// firm) and `ledger_accounts_owing_by_compound` (a compound or a bundle's few).
pub async fn owing(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compounds: Option<&[Uuid]>,
    after: Option<(Money, Uuid)>,
    limit: u64,
) -> Result<Vec<Account>, DbErr> {
    use ledger_account::Column as C;
    let mut q = ledger_account::Entity::find()
        .filter(C::TenantId.eq(tenant))
        .filter(C::HouseholdId.is_not_null())
        .filter(C::Balance.gt(0));
    if let Some(ids) = compounds {
        q = q.filter(C::CompoundId.is_in(ids.iter().copied()));
    }
    if let Some((balance, household)) = after {
        let rank = Expr::tuple([Expr::col(C::Balance), Expr::col(C::HouseholdId)]);
        let cursor = Expr::tuple([Expr::value(balance.fen()), Expr::value(household)]);
        q = q.filter(rank.lt(cursor));
    }
    q.order_by_desc(C::Balance)
        .order_by_desc(C::HouseholdId)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Archives an open account whose balance is zero, deciding on the row as it is when the
/// update reaches it (an append in flight holds the row; its balance is then re-read).
/// `false` when the balance is not zero or the account was archived already.
pub async fn archive_account(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<bool, DbErr> {
    let archived = ledger_account::Entity::update_many()
        .col_expr(ledger_account::Column::ArchivedAt, Expr::value(Utc::now()))
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::Id.eq(id))
        .filter(ledger_account::Column::Balance.eq(0))
        .filter(ledger_account::Column::ArchivedAt.is_null())
        .exec(db)
        .await?;
    Ok(archived.rows_affected == 1)
}

/// Whether any account of this compound's is on the books.
pub async fn has_chart(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> Result<bool, DbErr> {
    let any = ledger_account::Entity::find()
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::CompoundId.eq(compound))
        .one(db)
        .await?;
    Ok(any.is_some())
}

pub async fn accounts_by_id(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Account>, DbErr> {
    ledger_account::Entity::find()
        .filter(ledger_account::Column::TenantId.eq(tenant))
        .filter(ledger_account::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}
