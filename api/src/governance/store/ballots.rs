//! Ballots: every one ever cast, kept; and each voter's standing ballot, the newest.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use uuid::Uuid;

use super::codes;
use super::sql::numbered;
use crate::governance::model::{NewBallot, Receipt};
use crate::platform::schema::ballot;

fn voter_no(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Records `b` and makes it the voter's standing ballot.
pub async fn cast(db: &impl ConnectionTrait, tenant: Uuid, b: &NewBallot) -> Result<Uuid, DbErr> {
    let id = domain::new_id();
    let (scan_key, scan_type) = b
        .scan
        .as_ref()
        .map(|s| (s.key.clone(), s.kind.content_type().to_owned()))
        .unzip();
    ballot::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        created_at: Set(b.at),
        matter_id: Set(b.matter),
        voter_no: Set(voter_no(b.voter_no)),
        choice: Set(b.choice.code().to_owned()),
        channel: Set(b.channel.code().to_owned()),
        cast_by: Set(b.cast_by),
        scan_key: Set(scan_key),
        scan_type: Set(scan_type),
        receipt: Set(b.receipt.clone()),
    }
    .insert(db)
    .await?;
    db.execute_raw(numbered(
        db.get_database_backend(),
        "INSERT INTO matter_votes (tenant_id, matter_id, voter_no, ballot_id, choice)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, matter_id, voter_no)
         DO UPDATE SET ballot_id = excluded.ballot_id, choice = excluded.choice",
        vec![
            tenant.into(),
            b.matter.into(),
            voter_no(b.voter_no).into(),
            id.into(),
            b.choice.code().into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// The standing ballots as receipts, in receipt order (which says nothing of who cast them).
pub async fn receipts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
) -> Result<Vec<Receipt>, DbErr> {
    let rows = db
        .query_all_raw(numbered(
            db.get_database_backend(),
            "SELECT b.receipt, v.choice, r.area_centi
             FROM matter_votes v
             JOIN ballots b ON b.tenant_id = v.tenant_id AND b.id = v.ballot_id
             JOIN matter_voters r ON r.tenant_id = v.tenant_id AND r.matter_id = v.matter_id
               AND r.voter_no = v.voter_no
             WHERE v.tenant_id = $1 AND v.matter_id = $2
             ORDER BY b.receipt",
            vec![tenant.into(), matter.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let choice: String = row.try_get("", "choice")?;
            Ok(Receipt {
                receipt: row.try_get("", "receipt")?,
                choice: codes::choice(&choice)?,
                area: codes::count(row.try_get("", "area_centi")?, "area")?,
            })
        })
        .collect()
}
