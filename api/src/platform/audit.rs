//! The audit log: who did what to which record, written by the unit of work in the same
//! transaction as the change.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use uuid::Uuid;

use crate::platform::schema::audit;

pub struct AuditEntry<'a> {
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: Option<Uuid>,
    pub detail: serde_json::Value,
}

/// Records these entries in one statement.
pub async fn record_all<'a>(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    entries: impl IntoIterator<Item = AuditEntry<'a>>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let rows: Vec<audit::ActiveModel> = entries
        .into_iter()
        .map(|e| audit::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(domain::new_id()),
            created_at: Set(now),
            actor_user_id: Set(e.actor),
            action: Set(e.action.to_owned()),
            subject_kind: Set(e.subject_kind.to_owned()),
            subject_id: Set(e.subject_id),
            detail: Set(e.detail),
        })
        .collect();
    for chunk in rows.chunks(crate::platform::bulk::ROWS_A_STATEMENT) {
        audit::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
