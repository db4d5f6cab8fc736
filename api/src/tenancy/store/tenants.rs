//! Tenants (property firms): a global table, read by slug at login.

use chrono::Utc;
use domain::text::LongText;
use domain::{Money, Name, Slug};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::platform::schema::tenant;
use crate::platform::storage::corrupt;
use crate::tenancy::model::{Office, Tenant};

impl TryFrom<tenant::Model> for Tenant {
    type Error = DbErr;

    fn try_from(m: tenant::Model) -> Result<Self, DbErr> {
        let text = |v: Option<String>| {
            v.map(|t| LongText::parse(&t).map_err(|_| corrupt("office text", &t)))
                .transpose()
        };
        Ok(Self {
            id: m.id,
            slug: m.slug,
            name: m.name,
            max_payment: Money::from_fen(m.max_payment_fen),
            office: Office {
                address: text(m.office_address)?,
                hours: text(m.office_hours)?,
                phone: text(m.office_phone)?,
                bank: text(m.office_bank)?,
            },
        })
    }
}

pub async fn find_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Tenant>, DbErr> {
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Tenant>, DbErr> {
    tenant::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn find_many(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Tenant>, DbErr> {
    tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

pub async fn insert(
    db: &impl ConnectionTrait,
    id: Uuid,
    slug: &Slug,
    name: &Name,
) -> Result<Tenant, DbErr> {
    tenant::ActiveModel {
        id: Set(id),
        slug: Set(slug.as_str().to_owned()),
        name: Set(name.as_str().to_owned()),
        created_at: Set(Utc::now()),
        max_payment_fen: Set(migrations::DEFAULT_MAX_PAYMENT_FEN),
        office_address: Set(None),
        office_hours: Set(None),
        office_phone: Set(None),
        office_bank: Set(None),
    }
    .insert(db)
    .await?
    .try_into()
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Tenant>, DbErr> {
    tenant::Entity::find()
        .order_by_asc(tenant::Column::Slug)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Sets the largest single payment the firm's staff may record.
pub async fn set_max_payment(db: &impl ConnectionTrait, id: Uuid, max: Money) -> Result<(), DbErr> {
    tenant::ActiveModel {
        id: Set(id),
        max_payment_fen: Set(max.fen()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Sets how residents pay at the firm's office.
pub async fn set_office(db: &impl ConnectionTrait, id: Uuid, office: &Office) -> Result<(), DbErr> {
    let text = |t: &Option<LongText>| t.as_ref().map(|t| t.as_str().to_owned());
    tenant::ActiveModel {
        id: Set(id),
        office_address: Set(text(&office.address)),
        office_hours: Set(text(&office.hours)),
        office_phone: Set(text(&office.phone)),
        office_bank: Set(text(&office.bank)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
