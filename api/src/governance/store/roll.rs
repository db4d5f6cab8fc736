//! A vote's roll, frozen from the household register when the vote opens, and the counts
//! of its standing ballots — both done by the database in a few statements, so that a
//! compound of any size opens and closes in time.

use chrono::NaiveDate;
use domain::governance::{Choice, Count};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};
use uuid::Uuid;

use super::codes;
use super::sql::numbered;
use crate::governance::model::{RollVoter, Standing};
use crate::platform::files::{FileKind, StoredFile};

/// Each live household of the compound goes to the roll under the title holder who votes for
/// it — the co-owners' designated voter, else the owner, else the co-owner registered first —
/// and a household with no title holder is the developer's (`person_id` NULL).
const UNITS: &str = "
INSERT INTO matter_units (tenant_id, matter_id, household_id, person_id, area_centi)
SELECT $1, $2, h.id,
  (SELECT m.person_id FROM household_members m
    WHERE m.tenant_id = h.tenant_id AND m.household_id = h.id AND m.ended_at IS NULL
      AND m.role IN ('owner', 'co_owner')
    ORDER BY m.designated_voter DESC, CASE m.role WHEN 'owner' THEN 0 ELSE 1 END,
      m.created_at, m.id
    LIMIT 1),
  h.area_centi
FROM households h
WHERE h.tenant_id = $1 AND h.compound_id = $3 AND h.archived_at IS NULL
  AND h.active_from <= $4 AND (h.active_to IS NULL OR h.active_to >= $4)";

/// Every holder is one voter, with all their units' area.
const VOTERS_OF_UNITS: &str = "
INSERT INTO matter_voters (tenant_id, matter_id, voter_no, person_id, units, area_centi)
SELECT $1, $2, ROW_NUMBER() OVER (ORDER BY person_id), person_id, COUNT(*), SUM(area_centi)
FROM matter_units WHERE tenant_id = $1 AND matter_id = $2
GROUP BY person_id";

/// Freezes the roll of `matter` from the compound's register as it is on `today`; returns
/// its totals.
pub async fn freeze(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
    compound: Uuid,
    today: NaiveDate,
) -> Result<Count, DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(numbered(
        backend,
        UNITS,
        vec![tenant.into(), matter.into(), compound.into(), today.into()],
    ))
    .await?;
    db.execute_raw(numbered(
        backend,
        VOTERS_OF_UNITS,
        vec![tenant.into(), matter.into()],
    ))
    .await?;
    let row = db
        .query_one_raw(numbered(
            backend,
            "SELECT COUNT(*) AS owners, CAST(COALESCE(SUM(area_centi), 0) AS BIGINT) AS area
             FROM matter_voters WHERE tenant_id = $1 AND matter_id = $2",
            vec![tenant.into(), matter.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no roll totals returned".into()))?;
    read_count(&row)
}

fn read_count(row: &QueryResult) -> Result<Count, DbErr> {
    Ok(Count {
        owners: codes::count(row.try_get("", "owners")?, "owners")?,
        area: codes::count(row.try_get("", "area")?, "area")?,
    })
}

/// The standing ballots counted by choice, by head and by area.
pub async fn counts(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
) -> Result<Vec<(Choice, Count)>, DbErr> {
    let rows = db
        .query_all_raw(numbered(
            db.get_database_backend(),
            "SELECT v.choice AS choice, COUNT(*) AS owners,
                    CAST(SUM(r.area_centi) AS BIGINT) AS area
             FROM matter_votes v
             JOIN matter_voters r ON r.tenant_id = v.tenant_id AND r.matter_id = v.matter_id
               AND r.voter_no = v.voter_no
             WHERE v.tenant_id = $1 AND v.matter_id = $2
             GROUP BY v.choice",
            vec![tenant.into(), matter.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let choice: String = row.try_get("", "choice")?;
            Ok((codes::choice(&choice)?, read_count(row)?))
        })
        .collect()
}

/// The voters who hold these households on the roll, with whether each is the developer.
pub async fn voters_of_households(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
    households: &[Uuid],
) -> Result<Vec<(u32, bool)>, DbErr> {
    let mut found = vec![];
    for household in households {
        let row = db
            .query_one_raw(numbered(
                db.get_database_backend(),
                "SELECT r.voter_no, r.person_id FROM matter_units u
                 JOIN matter_voters r ON r.tenant_id = u.tenant_id AND r.matter_id = u.matter_id
                   AND (r.person_id = u.person_id OR (r.person_id IS NULL AND u.person_id IS NULL))
                 WHERE u.tenant_id = $1 AND u.matter_id = $2 AND u.household_id = $3",
                vec![tenant.into(), matter.into(), (*household).into()],
            ))
            .await?;
        if let Some(row) = row {
            let no: i32 = row.try_get("", "voter_no")?;
            let person: Option<Uuid> = row.try_get("", "person_id")?;
            found.push((codes::number(no, "voter number")?, person.is_none()));
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// The voters these households vote as on each of these matters: by matter, the one of the
/// lowest number that is not the developer's. Two statements however many matters.
pub async fn owners_voters(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matters: &[Uuid],
    households: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, RollVoter>, DbErr> {
    if matters.is_empty() || households.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let list = |from: usize, n: usize| {
        (from..from + n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut values: Vec<sea_orm::Value> = vec![tenant.into()];
    values.extend(matters.iter().map(|&m| m.into()));
    values.extend(households.iter().map(|&h| h.into()));
    let held = db
        .query_all_raw(numbered(
            db.get_database_backend(),
            &format!(
                "SELECT u.matter_id, MIN(r.voter_no) AS voter_no FROM matter_units u
                 JOIN matter_voters r ON r.tenant_id = u.tenant_id AND r.matter_id = u.matter_id
                   AND r.person_id = u.person_id
                 WHERE u.tenant_id = $1 AND u.matter_id IN ({}) AND u.household_id IN ({})
                 GROUP BY u.matter_id",
                list(2, matters.len()),
                list(2 + matters.len(), households.len())
            ),
            values,
        ))
        .await?;
    let mut wanted = std::collections::HashSet::new();
    for row in &held {
        let no: i32 = row.try_get("", "voter_no")?;
        wanted.insert((row.try_get::<Uuid>("", "matter_id")?, no));
    }
    if wanted.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let numbers: Vec<i32> = wanted.iter().map(|(_, no)| *no).collect();
    let mut values: Vec<sea_orm::Value> = vec![tenant.into()];
    values.extend(matters.iter().map(|&m| m.into()));
    values.extend(numbers.iter().map(|&n| n.into()));
    let sql = format!(
        "{VOTERS} WHERE r.tenant_id = $1 AND r.matter_id IN ({}) AND r.voter_no IN ({})",
        list(2, matters.len()),
        list(2 + matters.len(), numbers.len())
    );
    let mut out = std::collections::HashMap::new();
    for row in db
        .query_all_raw(numbered(db.get_database_backend(), &sql, values))
        .await?
    {
        let matter: Uuid = row.try_get("", "matter_id")?;
        let no: i32 = row.try_get("", "voter_no")?;
        if wanted.contains(&(matter, no)) {
            out.insert(matter, to_voter(&row)?);
        }
    }
    Ok(out)
}

const VOTERS: &str = "
SELECT r.matter_id, r.voter_no, r.person_id, p.name, r.units, r.area_centi,
       v.choice, b.channel, b.created_at AS cast_at, b.receipt, b.cast_by, b.scan_key, b.scan_type
FROM matter_voters r
LEFT JOIN persons p ON p.tenant_id = r.tenant_id AND p.id = r.person_id
LEFT JOIN matter_votes v ON v.tenant_id = r.tenant_id AND v.matter_id = r.matter_id
  AND v.voter_no = r.voter_no
LEFT JOIN ballots b ON b.tenant_id = v.tenant_id AND b.id = v.ballot_id";

/// The roll with each voter's standing ballot: every voter, or only `voter_no`.
pub async fn voters(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    matter: Uuid,
    voter_no: Option<u32>,
) -> Result<Vec<RollVoter>, DbErr> {
    let mut values = vec![tenant.into(), matter.into()];
    let mut sql = format!("{VOTERS} WHERE r.tenant_id = $1 AND r.matter_id = $2");
    if let Some(no) = voter_no {
        sql.push_str(" AND r.voter_no = $3");
        values.push(i32::try_from(no).unwrap_or(i32::MAX).into());
    }
    sql.push_str(" ORDER BY r.voter_no");
    let rows = db
        .query_all_raw(numbered(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter().map(to_voter).collect()
}

fn to_voter(row: &QueryResult) -> Result<RollVoter, DbErr> {
    let no: i32 = row.try_get("", "voter_no")?;
    let units: i32 = row.try_get("", "units")?;
    let choice: Option<String> = row.try_get("", "choice")?;
    let ballot = match choice {
        Some(choice) => {
            let channel: String = row.try_get("", "channel")?;
            Some(Standing {
                choice: Some(codes::choice(&choice)?),
                channel: codes::channel(&channel)?,
                cast_at: row.try_get("", "cast_at")?,
                receipt: Some(row.try_get("", "receipt")?),
                cast_by: row.try_get("", "cast_by")?,
                scan: scan(row.try_get("", "scan_key")?, row.try_get("", "scan_type")?),
                entered_by: None,
            })
        }
        None => None,
    };
    Ok(RollVoter {
        voter_no: codes::number(no, "voter number")?,
        person_id: row.try_get("", "person_id")?,
        name: row.try_get("", "name")?,
        units: codes::number(units, "units")?,
        area: codes::count(row.try_get("", "area_centi")?, "area")?,
        ballot,
    })
}

fn scan(key: Option<String>, kind: Option<String>) -> Option<StoredFile> {
    let kind = FileKind::from_content_type(kind.as_deref()?)?;
    Some(StoredFile { key: key?, kind })
}
