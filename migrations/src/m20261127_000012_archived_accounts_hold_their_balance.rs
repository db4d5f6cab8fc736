//! On PostgreSQL the balance of an archived ledger account cannot change.
//!
//! An append finds its accounts open before it takes the firm's ledger lock, so that the
//! lock is held for less (docs/benchmarks.md). An account archived in between — archiving
//! needs a zero balance and waits for an append already holding the row — would otherwise
//! take the posting. A guard in the append's own balance update (`… AND archived_at IS
//! NULL`, the rows counted) cost 17 % of its throughput; this trigger's condition is checked
//! per updated row and its function runs only for an archived account, failing the append.
//!
//! SQLite needs none: a writer holds the database's write lock from its first statement, so
//! nothing is archived between an append's read and its write.

use sea_orm_migration::prelude::*;

use crate::postgres::on_postgres;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The start of the trigger's message, which the append turns back into its error.
pub const ARCHIVED_ACCOUNT: &str = "ledger account is archived: ";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            &format!(
                "CREATE FUNCTION ledger_account_archived() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   RAISE EXCEPTION '{ARCHIVED_ACCOUNT}%', OLD.id;
                 END $$;
                 CREATE TRIGGER ledger_accounts_archived
                   BEFORE UPDATE OF balance ON ledger_accounts FOR EACH ROW
                   WHEN (OLD.archived_at IS NOT NULL AND NEW.balance <> OLD.balance)
                   EXECUTE FUNCTION ledger_account_archived();"
            ),
        )
        .await
    }
}
