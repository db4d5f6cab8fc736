//! The double-entry ledger: accounts with maintained balances, append-only journal entries
//! and postings, and each tenant's hash-chain head.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::postgres::{enable_rls, grant_app_role};
use crate::tenant_table::{Common, tenant_fk, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Compounds {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Households {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerAccounts {
    Table,
    CompoundId,
    HouseholdId,
    Kind,
    Key,
    Balance,
}

#[derive(DeriveIden, Clone, Copy)]
enum JournalEntries {
    Table,
    Seq,
    CompoundId,
    Kind,
    OccurredAt,
    IdempotencyKey,
    ActorUserId,
    ReversesEntryId,
    Memo,
    PrevHash,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum Postings {
    Table,
    EntryId,
    AccountId,
    Amount,
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerHeads {
    Table,
    TenantId,
    Seq,
    Hash,
}

fn tenant_ref<T: IntoIden + Clone + 'static>(table: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, Common::TenantId)
        .to(Tenants::Table, Tenants::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn unique(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create().name(name).table(table).unique().to_owned();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx
}

/// Journal entries and postings are never updated or deleted: a correction is a reversing
/// entry. The database enforces it, whatever the application does.
async fn append_only(m: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = m.get_connection();
    match m.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                   FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
                 CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                   FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();"
            ))
            .await?;
        }
        _ => {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                   BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;
                 CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                   BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;"
            ))
            .await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            tenant_table(LedgerAccounts::Table)
                .col(ColumnDef::new(LedgerAccounts::CompoundId).uuid().not_null())
                .col(ColumnDef::new(LedgerAccounts::HouseholdId).uuid().null())
                .col(
                    ColumnDef::new(LedgerAccounts::Kind)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LedgerAccounts::Key)
                        .string_len(120)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LedgerAccounts::Balance)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Common::ArchivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(LedgerAccounts::Table))
                .foreign_key(&mut tenant_fk(
                    LedgerAccounts::Table,
                    LedgerAccounts::CompoundId,
                    Compounds::Table,
                ))
                .foreign_key(&mut tenant_fk(
                    LedgerAccounts::Table,
                    LedgerAccounts::HouseholdId,
                    Households::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "ledger_accounts_unique_key",
            LedgerAccounts::Table,
            &["tenant_id", "key"],
        ))
        .await?;

        m.create_table(
            tenant_table(JournalEntries::Table)
                .col(ColumnDef::new(JournalEntries::Seq).big_integer().not_null())
                .col(ColumnDef::new(JournalEntries::CompoundId).uuid().not_null())
                .col(
                    ColumnDef::new(JournalEntries::Kind)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(JournalEntries::OccurredAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(JournalEntries::IdempotencyKey)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(JournalEntries::ActorUserId).uuid().null())
                .col(
                    ColumnDef::new(JournalEntries::ReversesEntryId)
                        .uuid()
                        .null(),
                )
                .col(
                    ColumnDef::new(JournalEntries::Memo)
                        .string_len(500)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(JournalEntries::PrevHash)
                        .string_len(64)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(JournalEntries::Hash)
                        .string_len(64)
                        .not_null(),
                )
                .foreign_key(&mut tenant_ref(JournalEntries::Table))
                .foreign_key(&mut tenant_fk(
                    JournalEntries::Table,
                    JournalEntries::CompoundId,
                    Compounds::Table,
                ))
                .foreign_key(&mut tenant_fk(
                    JournalEntries::Table,
                    JournalEntries::ReversesEntryId,
                    JournalEntries::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "journal_entries_unique_key",
            JournalEntries::Table,
            &["tenant_id", "idempotency_key"],
        ))
        .await?;
        m.create_index(unique(
            "journal_entries_unique_seq",
            JournalEntries::Table,
            &["tenant_id", "seq"],
        ))
        .await?;
        // One reversal per entry at most.
        m.create_index(unique(
            "journal_entries_one_reversal",
            JournalEntries::Table,
            &["tenant_id", "reverses_entry_id"],
        ))
        .await?;
        m.create_index(
            Index::create()
                .name("journal_entries_by_compound")
                .table(JournalEntries::Table)
                .col(Common::TenantId)
                .col(JournalEntries::CompoundId)
                .col(JournalEntries::OccurredAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Postings::Table)
                .col(ColumnDef::new(Common::TenantId).uuid().not_null())
                .col(ColumnDef::new(Common::Id).uuid().not_null())
                .col(ColumnDef::new(Postings::EntryId).uuid().not_null())
                .col(ColumnDef::new(Postings::AccountId).uuid().not_null())
                .col(
                    ColumnDef::new(Postings::Amount)
                        .big_integer()
                        .not_null()
                        .check(Expr::col(Postings::Amount).ne(0)),
                )
                .primary_key(Index::create().col(Common::TenantId).col(Common::Id))
                // No foreign keys to entries or accounts: postings are written only by the
                // ledger's append, in the transaction that writes their entry and opens their
                // accounts, and `ledger verify` checks both references. A per-row foreign-key
                // check made bulk appends quadratic (PostgreSQL caches the check's plan while
                // the tables are small); see docs/decisions/0007-ledger.md.
                .foreign_key(&mut tenant_ref(Postings::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("postings_by_account")
                .table(Postings::Table)
                .col(Common::TenantId)
                .col(Postings::AccountId)
                .col(Postings::EntryId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("postings_by_entry")
                .table(Postings::Table)
                .col(Common::TenantId)
                .col(Postings::EntryId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LedgerHeads::Table)
                .col(
                    ColumnDef::new(LedgerHeads::TenantId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(LedgerHeads::Seq).big_integer().not_null())
                .col(ColumnDef::new(LedgerHeads::Hash).string_len(64).not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerHeads::Table, LedgerHeads::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;

        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                       RAISE EXCEPTION 'ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME;
                     END $$;",
                )
                .await?;
        }
        for table in ["journal_entries", "postings"] {
            append_only(m, table).await?;
        }
        for table in [
            "ledger_accounts",
            "journal_entries",
            "postings",
            "ledger_heads",
        ] {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
