//! PostgreSQL-only parts of the schema: row-level security and the application role.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The role `courtyard serve` connects as on PostgreSQL: it owns no table and has neither
/// superuser nor BYPASSRLS, so the row-level security policies apply to it.
pub const APP_ROLE: &str = "courtyard_app";

/// The transaction-local setting naming the firm whose rows a transaction sees; the
/// policies read it (`TENANT_MATCHES`), the application sets it.
pub const TENANT_SETTING: &str = "app.tenant_id";

/// The transaction-local setting naming the user whose memberships a transaction may also
/// read (`USER_MATCHES`).
pub const USER_SETTING: &str = "app.user_id";

/// The condition of every tenant table's policy. The setting sits in an uncorrelated
/// subquery, so PostgreSQL reads and parses it once per statement (an init plan), not once
/// per row as a bare `current_setting(…)::uuid` is in `WITH CHECK` and in filters.
pub const TENANT_MATCHES: &str =
    "tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid)";

/// What widens the memberships policy: a user reads their own memberships in every firm.
pub const USER_MATCHES: &str =
    "user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::uuid)";

/// The `USING` and `WITH CHECK` clauses of `table`'s policy.
#[must_use]
pub fn policy_clauses(table: &str) -> String {
    let using = if table == "memberships" {
        format!("{TENANT_MATCHES} OR {USER_MATCHES}")
    } else {
        TENANT_MATCHES.to_owned()
    };
    format!("USING ({using}) WITH CHECK ({TENANT_MATCHES})")
}

/// Runs `sql` on PostgreSQL; nothing on SQLite (for changes SQLite has no counterpart of, or
/// that there would mean rebuilding a table).
pub async fn on_postgres(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Postgres {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Enables and forces row-level security on a tenant table, with the one policy every
/// tenant table shares (memberships' also lets a user read their own).
pub async fn enable_rls(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
         CREATE POLICY tenant_isolation ON {table} {};",
        policy_clauses(table)
    ))
    .await?;
    Ok(())
}

/// Creates the application role if the cluster lacks it and grants it the data privileges
/// (never ownership). Run at the end of every migration, so new tables are covered.
pub async fn grant_app_role(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "DO $$ BEGIN
           CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$;
         GRANT USAGE ON SCHEMA public TO {APP_ROLE};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};"
    ))
    .await?;
    for table in crate::APPEND_ONLY_TABLES {
        if manager.has_table(*table).await? {
            db.execute_unprepared(&format!(
                "REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {APP_ROLE};"
            ))
            .await?;
        }
    }
    Ok(())
}

/// Makes `table` append-only: a trigger refuses every update and delete (on PostgreSQL the
/// ledger's `ledger_append_only()`; on SQLite a `RAISE(ABORT)`).
pub(crate) async fn append_only(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let sql = if manager.get_database_backend() == DbBackend::Postgres {
        format!(
            "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
               FOR EACH ROW EXECUTE FUNCTION ledger_append_only();"
        )
    } else {
        format!(
            "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
               BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END;
             CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
               BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END;"
        )
    };
    manager.get_connection().execute_unprepared(&sql).await?;
    Ok(())
}

/// The column type for a point in time: `TIMESTAMPTZ` on PostgreSQL, ISO text on SQLite.
pub(crate) fn timestamp_type(manager: &SchemaManager<'_>) -> &'static str {
    if manager.get_database_backend() == DbBackend::Postgres {
        "TIMESTAMPTZ"
    } else {
        "TEXT"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policies_read_the_settings_the_application_sets() {
        let setting = |name: &str| format!("current_setting('{name}', true)");
        assert!(TENANT_MATCHES.contains(&setting(TENANT_SETTING)));
        assert!(USER_MATCHES.contains(&setting(USER_SETTING)));
    }
}
