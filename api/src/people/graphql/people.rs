//! People, household members and invite codes.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::{IdNumberMasked, Name, Phone};

use crate::people::model::{Member, NewPerson, Person as PersonRec};
use crate::people::service::{invites, people};
use crate::platform::error::{AppError, FieldExt};
use crate::platform::graphql::GqlResult;
use crate::platform::graphql::context::{ContextExt, parse_id};
use crate::platform::graphql::mirror_enum;

mirror_enum!(
    MemberRole,
    domain::MemberRole {
        Owner,
        CoOwner,
        Tenant,
        FamilyMember
    }
);

pub struct Person(pub PersonRec);

#[Object]
impl Person {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Masked for display, e.g. 138****8000.
    async fn phone_masked(&self) -> Option<String> {
        self.0
            .phone
            .as_deref()
            .and_then(|p| Phone::parse(p).ok())
            .map(|p| p.masked())
    }
    /// The full phone number, for calling.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Only a mask of the ID number is ever stored, e.g. 110***********002X.
    async fn id_number_masked(&self) -> Option<&str> {
        self.0.id_number_masked.as_deref()
    }
}

#[derive(SimpleObject)]
pub struct HouseholdMember {
    pub id: ID,
    pub role: MemberRole,
    /// The one co-owner who votes for the household.
    pub designated_voter: bool,
    pub person: Person,
}

impl HouseholdMember {
    fn new(m: Member, p: PersonRec) -> Self {
        Self {
            id: m.id.into(),
            role: m.role.into(),
            designated_voter: m.designated_voter,
            person: Person(p),
        }
    }
}

/// A household's members, for the household's own `members` field.
pub async fn household_members(
    ctx: &Context<'_>,
    household: uuid::Uuid,
) -> GqlResult<Vec<HouseholdMember>> {
    Ok(people::members_of(ctx.db(), ctx.session()?, household)
        .await?
        .into_iter()
        .map(|(m, p)| HouseholdMember::new(m, p))
        .collect())
}

#[derive(SimpleObject)]
pub struct InviteCode {
    /// Shown once: print it on the household's paper bill.
    pub code: String,
    pub household_id: ID,
    pub expires_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct PersonInput {
    pub name: String,
    pub phone: Option<String>,
    /// The 18-character resident ID number; only its mask is kept.
    pub id_number: Option<String>,
}

#[derive(InputObject)]
pub struct HouseholdMemberInput {
    pub household_id: ID,
    /// A person already on record; or give `newPerson` to record one and add them at once.
    pub person_id: Option<ID>,
    pub new_person: Option<PersonInput>,
    pub role: MemberRole,
    #[graphql(default)]
    pub designated_voter: bool,
}

#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
    /// A person's record (firm staff only).
    async fn person(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Person> {
        Ok(Person(
            people::person(ctx.db(), ctx.session()?, parse_id(&id, "id")?).await?,
        ))
    }
}

#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Adds a person to a household: one already on record (`personId`), or a new one
    /// (`newPerson`), recorded and added in one step — never a person without a household.
    async fn add_household_member(
        &self,
        ctx: &Context<'_>,
        input: HouseholdMemberInput,
    ) -> GqlResult<HouseholdMember> {
        let session = ctx.session()?;
        let household = parse_id(&input.household_id, "householdId")?;
        let who = match (input.person_id, input.new_person) {
            (Some(id), None) => people::Who::Existing(parse_id(&id, "personId")?),
            (None, Some(p)) => people::Who::New(new_person(p)?),
            _ => {
                return Err(AppError::bad_input(
                    "personId",
                    "give either the person's id or a new person, not both",
                )
                .into());
            }
        };
        let (m, p) = people::add_member(
            ctx.db(),
            session,
            household,
            who,
            input.role.into(),
            input.designated_voter,
        )
        .await?;
        Ok(HouseholdMember::new(m, p))
    }

    /// A one-time code a resident redeems to see this household.
    async fn issue_invite_code(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
    ) -> GqlResult<InviteCode> {
        let session = ctx.session()?;
        let issued =
            invites::issue(ctx.db(), session, parse_id(&household_id, "householdId")?).await?;
        Ok(InviteCode {
            code: issued.code,
            household_id: issued.household_id.into(),
            expires_at: issued.expires_at,
        })
    }
}

/// A person as typed: the name checked, a blank phone or id number left out.
fn new_person(input: PersonInput) -> Result<NewPerson, AppError> {
    let given = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    Ok(NewPerson {
        name: Name::parse(&input.name).field("name")?,
        phone: given(input.phone)
            .as_deref()
            .map(Phone::parse)
            .transpose()
            .field("phone")?,
        id_number: given(input.id_number)
            .as_deref()
            .map(IdNumberMasked::parse)
            .transpose()
            .field("idNumber")?,
    })
}
