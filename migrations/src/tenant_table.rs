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
