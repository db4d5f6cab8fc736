//! People and their place in households (owner, co-owner, tenant, family member).

use chrono::Utc;
use domain::MemberRole;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::people::model::{Member, NewPerson, Person};
use crate::platform::schema::{household_member, person};
use crate::platform::storage::corrupt;

impl From<person::Model> for Person {
    fn from(m: person::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            phone: m.phone,
            id_number_masked: m.id_number_masked,
        }
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    p: NewPerson,
) -> Result<Person, DbErr> {
    Ok(person::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        name: Set(p.name.into_inner()),
        phone: Set(p.phone.map(|p| p.as_str().to_owned())),
        id_number_masked: Set(p.id_number.map(|m| m.as_str().to_owned())),
    }
    .insert(db)
    .await?
    .into())
}

pub async fn find(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<Person>, DbErr> {
    Ok(person::Entity::find_by_id((tenant, id))
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Person>, DbErr> {
    Ok(person::Entity::find()
        .filter(person::Column::TenantId.eq(tenant))
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

impl TryFrom<household_member::Model> for Member {
    type Error = DbErr;
    fn try_from(m: household_member::Model) -> Result<Self, DbErr> {
        Ok(Self {
            role: MemberRole::from_code(&m.role).ok_or_else(|| corrupt("member role", &m.role))?,
            id: m.id,
            household_id: m.household_id,
            person_id: m.person_id,
            designated_voter: m.designated_voter,
        })
    }
}

/// Current members of the given households, in the order they were added.
/// The households `person` is a current member of.
pub async fn households_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    person: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    household_member::Entity::find()
        .select_only()
        .column(household_member::Column::HouseholdId)
        .filter(household_member::Column::TenantId.eq(tenant))
        .filter(household_member::Column::PersonId.eq(person))
        .filter(household_member::Column::EndedAt.is_null())
        .into_tuple()
        .all(db)
        .await
}

pub async fn members_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
) -> Result<Vec<Member>, DbErr> {
    household_member::Entity::find()
        .filter(household_member::Column::TenantId.eq(tenant))
        .filter(household_member::Column::HouseholdId.is_in(households.iter().copied()))
        .filter(household_member::Column::EndedAt.is_null())
        .order_by_asc(household_member::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

pub async fn add_member(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    household: Uuid,
    person: Uuid,
    role: MemberRole,
    designated_voter: bool,
) -> Result<Member, DbErr> {
    if designated_voter {
        // One designated voter per household: the new one replaces any other.
        household_member::Entity::update_many()
            .col_expr(household_member::Column::DesignatedVoter, false.into())
            .filter(household_member::Column::TenantId.eq(tenant))
            .filter(household_member::Column::HouseholdId.eq(household))
            .exec(db)
            .await?;
    }
    household_member::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(domain::new_id()),
        created_at: Set(Utc::now()),
        household_id: Set(household),
        person_id: Set(person),
        user_id: Set(None),
        role: Set(role.code().to_owned()),
        designated_voter: Set(designated_voter),
        ended_at: Set(None),
    }
    .insert(db)
    .await?
    .try_into()
}

/// Writes each household's owner (a new person, its designated voter) in two statements.
pub async fn insert_owners(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    owners: &[(Uuid, NewPerson)],
) -> Result<(), DbErr> {
    if owners.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let persons: Vec<person::Model> = owners
        .iter()
        .map(|(_, p)| person::Model {
            tenant_id: tenant,
            id: domain::new_id(),
            created_at: now,
            name: p.name.as_str().to_owned(),
            phone: p.phone.as_ref().map(|p| p.as_str().to_owned()),
            id_number_masked: p.id_number.as_ref().map(|m| m.as_str().to_owned()),
        })
        .collect();
    let members: Vec<household_member::Model> = owners
        .iter()
        .zip(&persons)
        .map(|((household, _), person)| household_member::Model {
            tenant_id: tenant,
            id: domain::new_id(),
            created_at: now,
            household_id: *household,
            person_id: person.id,
            user_id: None,
            role: MemberRole::Owner.code().to_owned(),
            designated_voter: true,
            ended_at: None,
        })
        .collect();
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        use crate::platform::bulk::{Column, insert};
        let p = &persons;
        insert(
            db,
            "persons",
            vec![
                Column::uuid("tenant_id", p, |m| m.tenant_id),
                Column::uuid("id", p, |m| m.id),
                Column::timestamp("created_at", p, |m| m.created_at),
                Column::text("name", p, |m| m.name.clone()),
                Column::opt_text("phone", p, |m| m.phone.clone()),
                Column::opt_text("id_number_masked", p, |m| m.id_number_masked.clone()),
            ],
            "",
        )
        .await?;
        let m = &members;
        return insert(
            db,
            "household_members",
            vec![
                Column::uuid("tenant_id", m, |r| r.tenant_id),
                Column::uuid("id", m, |r| r.id),
                Column::timestamp("created_at", m, |r| r.created_at),
                Column::uuid("household_id", m, |r| r.household_id),
                Column::uuid("person_id", m, |r| r.person_id),
                Column::text("role", m, |r| r.role.clone()),
                Column::boolean("designated_voter", m, |r| r.designated_voter),
            ],
            "",
        )
        .await
        .map(drop);
    }
    for chunk in persons.chunks(500) {
        let rows = chunk.iter().cloned().map(person::ActiveModel::from);
        person::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in members.chunks(500) {
        let rows = chunk
            .iter()
            .cloned()
            .map(household_member::ActiveModel::from);
        household_member::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Each household's owner as a register shows it — its designated voter, else its first owner
/// — as (name, phone); households without an owner are absent.
pub async fn owners_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    households: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, (String, String)>, DbErr> {
    let mut owners = std::collections::HashMap::new();
    // In slices, within every engine's limit on a statement's parameters.
    for slice in households.chunks(10_000) {
        let mut members = members_of(db, tenant, slice).await?;
        members.retain(|m| matches!(m.role, MemberRole::Owner | MemberRole::CoOwner));
        members.sort_by_key(|m| !m.designated_voter);
        let ids: Vec<Uuid> = members.iter().map(|m| m.person_id).collect();
        let people: std::collections::HashMap<Uuid, Person> = find_many(db, tenant, &ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        for m in members {
            if let Some(p) = people.get(&m.person_id) {
                owners
                    .entry(m.household_id)
                    .or_insert_with(|| (p.name.clone(), p.phone.clone().unwrap_or_default()));
            }
        }
    }
    Ok(owners)
}
