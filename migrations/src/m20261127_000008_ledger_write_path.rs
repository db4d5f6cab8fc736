//! A cheaper write path for the ledger on PostgreSQL, where inserting entries in bulk (a
//! billing run, an import) spent half its time in per-row checks that prove nothing new:
//!
//! - Journal entries and postings lose their foreign keys (to the tenant, the compound and
//!   the reversed entry). Each was a trigger fired per row. What they guarded still holds:
//!   appends run only through the ledger's `append`, under the tenant's chain head (whose own
//!   key proves the tenant), posting to accounts it has just found or opened (whose keys prove
//!   the compound), reversing an entry it has just read; `ledger verify` checks every
//!   reference of every entry and posting.
//! - A posting is keyed by its entry: `(tenant_id, entry_id, id)` serves the lookups by entry
//!   that needed an index of their own.
//! - The one-reversal-per-entry index covers reversals only, not every entry's NULL.
//!
//! SQLite keeps its original schema: its checks are in-process calls, and dropping a
//! constraint there means rebuilding the table. See docs/decisions/0007-ledger.md.

use sea_orm_migration::prelude::*;

use crate::postgres::on_postgres;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "DO $$ DECLARE c record; BEGIN
                   FOR c IN SELECT conname, conrelid::regclass AS tbl FROM pg_constraint
                             WHERE contype = 'f'
                               AND conrelid IN ('journal_entries'::regclass, 'postings'::regclass)
                   LOOP
                     EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
                   END LOOP;
                 END $$;
                 ALTER TABLE postings DROP CONSTRAINT postings_pkey;
                 ALTER TABLE postings ADD PRIMARY KEY (tenant_id, entry_id, id);
                 DROP INDEX postings_by_entry;
                 DROP INDEX journal_entries_one_reversal;
                 CREATE UNIQUE INDEX journal_entries_one_reversal
                   ON journal_entries (tenant_id, reverses_entry_id)
                   WHERE reverses_entry_id IS NOT NULL;",
        )
        .await
    }
}
