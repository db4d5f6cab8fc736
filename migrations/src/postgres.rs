//! PostgreSQL-only parts of the schema: row-level security and the application role.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The role `courtyard serve` connects as on PostgreSQL: it owns no table and has neither
/// superuser nor BYPASSRLS, so the row-level security policies apply to it.
pub const APP_ROLE: &str = "courtyard_app";

/// Enables and forces row-level security on a tenant table, with the one policy every
/// tenant table shares. `extra` widens the policy (e.g. a user reading their own memberships).
pub async fn enable_rls(
    manager: &SchemaManager<'_>,
    table: &str,
    extra: Option<&str>,
) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let tenant = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid";
    let condition = match extra {
        Some(extra) => format!("{tenant} OR {extra}"),
        None => tenant.to_owned(),
    };
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
         CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({tenant});"
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

/// The column type for a point in time: `TIMESTAMPTZ` on PostgreSQL, ISO text on SQLite.
pub(crate) fn timestamp_type(manager: &SchemaManager<'_>) -> &'static str {
    if manager.get_database_backend() == DbBackend::Postgres {
        "TIMESTAMPTZ"
    } else {
        "TEXT"
    }
}
