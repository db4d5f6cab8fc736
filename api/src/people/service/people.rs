//! People and household membership.

use std::collections::HashMap;

use domain::MemberRole;
use serde_json::json;
use uuid::Uuid;

use crate::people::model::{Member, NewPerson, Person};
use crate::people::store::people;
use crate::platform::access::require_admin;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::households;

/// A person's record: firm staff only, and staff scoped to part of the firm only for people
/// of the households they reach (as `household(id)` answers).
#[tracing::instrument(name = "people.person", skip_all)]
pub async fn person(db: &Db, ctx: &RequestContext, id: Uuid) -> AppResult<Person> {
    if !ctx.principal.can_read_people() {
        return Err(AppError::NotFound("person"));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let found = people::find(&tx, ctx.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    if ctx.reach.households().is_some() {
        let homes = people::households_of(&tx, ctx.tenant_id, id).await?;
        if !households::any_in_reach(&tx, ctx.tenant_id, &ctx.reach, &homes).await? {
            return Err(AppError::NotFound("person"));
        }
    }
    tx.commit().await?;
    Ok(found)
}

/// A household's current members with their people. Staff see any household in reach; a
/// resident sees their own; others (committee members) see no personal details.
#[tracing::instrument(name = "people.members_of", skip_all)]
pub async fn members_of(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
) -> AppResult<Vec<(Member, Person)>> {
    let own = ctx
        .reach
        .households()
        .is_some_and(|(_, own)| own.contains(&household));
    if !ctx.principal.can_read_people() && !own {
        return Err(AppError::forbidden(
            "household members are visible to firm staff and the household itself",
        ));
    }
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    households::find(&tx, ctx.tenant_id, &ctx.reach, household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let members = people::members_of(&tx, ctx.tenant_id, &[household]).await?;
    let ids: Vec<Uuid> = members.iter().map(|m| m.person_id).collect();
    let persons: HashMap<Uuid, Person> = people::find_many(&tx, ctx.tenant_id, &ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    tx.commit().await?;
    Ok(members
        .into_iter()
        .filter_map(|m| persons.get(&m.person_id).cloned().map(|p| (m, p)))
        .collect())
}

/// Who joins a household: a person on record, or a new one recorded in the same step.
pub enum Who {
    Existing(Uuid),
    New(NewPerson),
}

#[tracing::instrument(name = "people.add_member", skip_all)]
pub async fn add_member(
    db: &Db,
    ctx: &RequestContext,
    household: Uuid,
    who: Who,
    role: MemberRole,
    designated_voter: bool,
) -> AppResult<(Member, Person)> {
    require_admin(ctx)?;
    if designated_voter && !role.holds_title() {
        return Err(AppError::bad_input(
            "designatedVoter",
            "only an owner or co-owner can be the designated voter",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    households::find(tx, ctx.tenant_id, &Reach::everything(), household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    let found = match who {
        Who::Existing(id) => people::find(tx, ctx.tenant_id, id)
            .await?
            .ok_or(AppError::NotFound("person"))?,
        Who::New(new) => {
            let p = people::insert(tx, ctx.tenant_id, new).await?;
            uow.audit("person.create", "person", p.id, json!({}));
            p
        }
    };
    let person = found.id;
    let member = people::add_member(tx, ctx.tenant_id, household, person, role, designated_voter)
        .await
        .map_err(|e| {
            AppError::unique_or_internal(
                e,
                "personId",
                "this person is already a member of this household",
            )
        })?;
    uow.audit(
        "household.add_member",
        "household",
        household,
        json!({ "person": person, "role": role.code(), "designated_voter": designated_voter }),
    );
    uow.commit().await?;
    Ok((member, found))
}
