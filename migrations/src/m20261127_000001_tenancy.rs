//! Tenants, users and sessions; bundles, compounds, buildings, households, people; roles and
//! invite codes; the audit log.

use sea_orm_migration::prelude::*;

use crate::postgres::{enable_rls, grant_app_role};
use crate::tenant_table::{Common, tenant_fk, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
    Slug,
    Name,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Identifier,
    DisplayName,
    PasswordHash,
    CreatedAt,
    DisabledAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    TenantId,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginFailures {
    Table,
    Id,
    Identifier,
    At,
}

#[derive(DeriveIden, Clone, Copy)]
enum Memberships {
    Table,
    UserId,
    Role,
    ScopeKind,
    ScopeId,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Bundles {
    Table,
    Name,
    StreetOffice,
    District,
}

#[derive(DeriveIden, Clone, Copy)]
enum Compounds {
    Table,
    BundleId,
    Name,
    Address,
    ManagementMode,
    ChargingMode,
    OnboardingStage,
    HasCctv,
    HasGatehouse,
    HasGuard,
    HasLighting,
    HasGate,
}

#[derive(DeriveIden, Clone, Copy)]
enum Buildings {
    Table,
    CompoundId,
    Label,
}

#[derive(DeriveIden, Clone, Copy)]
enum Households {
    Table,
    CompoundId,
    BuildingId,
    UnitLabel,
    RoomLabel,
    AreaCenti,
    AreaSource,
    ActiveFrom,
    ActiveTo,
}

#[derive(DeriveIden, Clone, Copy)]
enum Persons {
    Table,
    Name,
    Phone,
    IdNumberMasked,
}

#[derive(DeriveIden, Clone, Copy)]
enum HouseholdMembers {
    Table,
    HouseholdId,
    PersonId,
    UserId,
    Role,
    DesignatedVoter,
    EndedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InviteCodes {
    Table,
    HouseholdId,
    CodeHash,
    CreatedBy,
    ExpiresAt,
    RedeemedAt,
    RedeemedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    ActorUserId,
    Action,
    SubjectKind,
    SubjectId,
    Detail,
}

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

fn tenant_ref<T: IntoIden + Clone + 'static>(table: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, Common::TenantId)
        .to(Tenants::Table, Tenants::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Tenants::Table)
                .col(ColumnDef::new(Tenants::Id).uuid().not_null().primary_key())
                .col(text(Tenants::Slug, 40).unique_key().to_owned())
                .col(text(Tenants::Name, 100))
                .col(
                    ColumnDef::new(Tenants::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                .col(text(Users::Identifier, 254).unique_key().to_owned())
                .col(text(Users::DisplayName, 100))
                .col(text(Users::PasswordHash, 200))
                .col(
                    ColumnDef::new(Users::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Users::DisabledAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(text(Sessions::TokenHash, 64).primary_key().to_owned())
                .col(ColumnDef::new(Sessions::UserId).uuid().not_null())
                .col(ColumnDef::new(Sessions::TenantId).uuid().not_null())
                .col(
                    ColumnDef::new(Sessions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Sessions::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Sessions::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(
                    ColumnDef::new(LoginFailures::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(text(LoginFailures::Identifier, 254))
                .col(
                    ColumnDef::new(LoginFailures::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("login_failures_by_identifier")
                .table(LoginFailures::Table)
                .col(LoginFailures::Identifier)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(Memberships::Table)
                .col(ColumnDef::new(Memberships::UserId).uuid().not_null())
                .col(text(Memberships::Role, 32))
                .col(text(Memberships::ScopeKind, 16))
                .col(ColumnDef::new(Memberships::ScopeId).uuid().null())
                .col(
                    ColumnDef::new(Memberships::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(Memberships::Table))
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("memberships_by_user")
                .table(Memberships::Table)
                .col(Memberships::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(Bundles::Table)
                .col(text(Bundles::Name, 100))
                .col(text(Bundles::StreetOffice, 100))
                .col(text(Bundles::District, 100))
                .col(
                    ColumnDef::new(Common::ArchivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(Bundles::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("bundles_unique_name")
                .table(Bundles::Table)
                .col(Common::TenantId)
                .col(Bundles::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(Compounds::Table)
                .col(ColumnDef::new(Compounds::BundleId).uuid().not_null())
                .col(text(Compounds::Name, 100))
                .col(text(Compounds::Address, 500))
                .col(text(Compounds::ManagementMode, 32))
                .col(text(Compounds::ChargingMode, 32))
                .col(text(Compounds::OnboardingStage, 32))
                .col(ColumnDef::new(Compounds::HasCctv).boolean().not_null())
                .col(ColumnDef::new(Compounds::HasGatehouse).boolean().not_null())
                .col(ColumnDef::new(Compounds::HasGuard).boolean().not_null())
                .col(ColumnDef::new(Compounds::HasLighting).boolean().not_null())
                .col(ColumnDef::new(Compounds::HasGate).boolean().not_null())
                .col(
                    ColumnDef::new(Common::ArchivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(Compounds::Table))
                .foreign_key(&mut tenant_fk(
                    Compounds::Table,
                    Compounds::BundleId,
                    Bundles::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("compounds_unique_name")
                .table(Compounds::Table)
                .col(Common::TenantId)
                .col(Compounds::Name)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("compounds_by_bundle")
                .table(Compounds::Table)
                .col(Common::TenantId)
                .col(Compounds::BundleId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(Buildings::Table)
                .col(ColumnDef::new(Buildings::CompoundId).uuid().not_null())
                .col(text(Buildings::Label, 20))
                .col(
                    ColumnDef::new(Common::ArchivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(Buildings::Table))
                .foreign_key(&mut tenant_fk(
                    Buildings::Table,
                    Buildings::CompoundId,
                    Compounds::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("buildings_unique_label")
                .table(Buildings::Table)
                .col(Common::TenantId)
                .col(Buildings::CompoundId)
                .col(Buildings::Label)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(Households::Table)
                .col(ColumnDef::new(Households::CompoundId).uuid().not_null())
                .col(ColumnDef::new(Households::BuildingId).uuid().not_null())
                .col(text(Households::UnitLabel, 20))
                .col(text(Households::RoomLabel, 20))
                .col(
                    ColumnDef::new(Households::AreaCenti)
                        .big_integer()
                        .not_null()
                        .check(Expr::col(Households::AreaCenti).gt(0)),
                )
                .col(text(Households::AreaSource, 32))
                .col(ColumnDef::new(Households::ActiveFrom).date().not_null())
                .col(ColumnDef::new(Households::ActiveTo).date().null())
                .col(
                    ColumnDef::new(Common::ArchivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(Households::Table))
                .foreign_key(&mut tenant_fk(
                    Households::Table,
                    Households::CompoundId,
                    Compounds::Table,
                ))
                .foreign_key(&mut tenant_fk(
                    Households::Table,
                    Households::BuildingId,
                    Buildings::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("households_unique_room")
                .table(Households::Table)
                .col(Common::TenantId)
                .col(Households::BuildingId)
                .col(Households::UnitLabel)
                .col(Households::RoomLabel)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("households_by_compound")
                .table(Households::Table)
                .col(Common::TenantId)
                .col(Households::CompoundId)
                .col(Common::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(Persons::Table)
                .col(text(Persons::Name, 100))
                .col(ColumnDef::new(Persons::Phone).string_len(24).null())
                .col(
                    ColumnDef::new(Persons::IdNumberMasked)
                        .string_len(18)
                        .null(),
                )
                .foreign_key(&mut tenant_ref(Persons::Table))
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(HouseholdMembers::Table)
                .col(
                    ColumnDef::new(HouseholdMembers::HouseholdId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(HouseholdMembers::PersonId).uuid().not_null())
                .col(ColumnDef::new(HouseholdMembers::UserId).uuid().null())
                .col(text(HouseholdMembers::Role, 32))
                .col(
                    ColumnDef::new(HouseholdMembers::DesignatedVoter)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(HouseholdMembers::EndedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut tenant_ref(HouseholdMembers::Table))
                .foreign_key(&mut tenant_fk(
                    HouseholdMembers::Table,
                    HouseholdMembers::HouseholdId,
                    Households::Table,
                ))
                .foreign_key(&mut tenant_fk(
                    HouseholdMembers::Table,
                    HouseholdMembers::PersonId,
                    Persons::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("household_members_unique_person")
                .table(HouseholdMembers::Table)
                .col(Common::TenantId)
                .col(HouseholdMembers::HouseholdId)
                .col(HouseholdMembers::PersonId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(InviteCodes::Table)
                .col(ColumnDef::new(InviteCodes::HouseholdId).uuid().not_null())
                .col(text(InviteCodes::CodeHash, 64))
                .col(ColumnDef::new(InviteCodes::CreatedBy).uuid().not_null())
                .col(
                    ColumnDef::new(InviteCodes::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(InviteCodes::RedeemedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(InviteCodes::RedeemedBy).uuid().null())
                .foreign_key(&mut tenant_ref(InviteCodes::Table))
                .foreign_key(&mut tenant_fk(
                    InviteCodes::Table,
                    InviteCodes::HouseholdId,
                    Households::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invite_codes_unique_hash")
                .table(InviteCodes::Table)
                .col(Common::TenantId)
                .col(InviteCodes::CodeHash)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            tenant_table(AuditLog::Table)
                .col(ColumnDef::new(AuditLog::ActorUserId).uuid().null())
                .col(text(AuditLog::Action, 64))
                .col(text(AuditLog::SubjectKind, 32))
                .col(ColumnDef::new(AuditLog::SubjectId).uuid().null())
                .col(ColumnDef::new(AuditLog::Detail).json().not_null())
                .foreign_key(&mut tenant_ref(AuditLog::Table))
                .to_owned(),
        )
        .await?;

        for table in [
            "memberships",
            "bundles",
            "compounds",
            "buildings",
            "households",
            "persons",
            "household_members",
            "invite_codes",
            "audit_log",
        ] {
            enable_rls(m, table).await?;
        }
        grant_app_role(m).await
    }
}
