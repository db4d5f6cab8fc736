//! Builders for the shape every tenant table shares.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden, Clone, Copy)]
pub enum Common {
    TenantId,
    Id,
    CreatedAt,
    ArchivedAt,
}

/// `CREATE TABLE` with `tenant_id`, `id`, `created_at` and the `(tenant_id, id)` primary key.
pub fn tenant_table<T: IntoIden + Clone + 'static>(table: T) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(ColumnDef::new(Common::TenantId).uuid().not_null())
        .col(ColumnDef::new(Common::Id).uuid().not_null())
        .col(
            ColumnDef::new(Common::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .primary_key(Index::create().col(Common::TenantId).col(Common::Id))
        .to_owned()
}

/// A foreign key from `(tenant_id, column)` to `(tenant_id, id)` of another tenant table.
pub fn tenant_fk<F, C, T>(from: F, column: C, to: T) -> ForeignKeyCreateStatement
where
    F: IntoIden + Clone + 'static,
    C: IntoIden + Clone + 'static,
    T: IntoIden + Clone + 'static,
{
    ForeignKey::create()
        .from(from, (Common::TenantId, column))
        .to(to, (Common::TenantId, Common::Id))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// Creates each `(table, columns)` as a tenant table — `tenant_id`, `id`, `created_at` and the
/// `(tenant_id, id)` primary key before `columns`, where `{ts}` stands for the engine's
/// timestamp type — then runs each of `indexes`.
pub async fn create_tenant_tables(
    m: &SchemaManager<'_>,
    tables: &[(&str, &str)],
    indexes: &[&str],
) -> Result<(), DbErr> {
    let db = m.get_connection();
    let ts = crate::postgres::timestamp_type(m);
    for (table, columns) in tables {
        let columns = columns.replace("{ts}", ts);
        db.execute_unprepared(&format!(
            "CREATE TABLE {table} (
               tenant_id UUID NOT NULL REFERENCES tenants (id),
               id UUID NOT NULL,
               created_at {ts} NOT NULL,
               {columns},
               PRIMARY KEY (tenant_id, id))"
        ))
        .await?;
    }
    for sql in indexes {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
