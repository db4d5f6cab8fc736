//! A compound's household register as a spreadsheet (building, unit, room, area, owner,
//! phone): imported after every row is checked — a sheet with any problem writes nothing —
//! and exported in the same shape.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::register::{Column, Entry, Place, Problem, ProblemKind, Register};
use domain::{AreaSource, Label, Period};
use serde_json::json;
use uuid::Uuid;

use super::rules::{ROOM_TAKEN, live_compound};
use crate::people::register::{NewPerson, insert_owners, owners_of};
use crate::platform::access::require_admin;
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::sheet::{self, Format};
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::model::NewHousehold;
use crate::tenancy::store::{buildings, households};

/// How imported households start: where their areas come from, and the day billing begins.
#[derive(Debug, Clone, Copy)]
pub struct ImportTerms {
    pub area_source: AreaSource,
    pub active_from: NaiveDate,
}

/// What an import found, and whether it wrote the households.
#[derive(Debug)]
pub struct ImportReport {
    /// Data rows read (blank rows aside).
    pub rows: usize,
    /// Households the sheet adds (written only when `written`).
    pub households: usize,
    /// Buildings it adds.
    pub buildings: usize,
    pub problems: Vec<Problem>,
    pub written: bool,
}

/// Rows written per statement: memory and statement size stay flat however long the sheet.
const CHUNK: usize = 5_000;

/// Checks a register for `compound` and, when `commit` and it has no problem, writes it.
#[tracing::instrument(name = "tenancy.import_households", skip_all, fields(bytes = file.len()))]
pub async fn import_households(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    file: &[u8],
    terms: ImportTerms,
    commit: bool,
) -> AppResult<ImportReport> {
    require_admin(ctx)?;
    let rows = sheet::read(file).map_err(|e| AppError::bad_input("file", e))?;
    let mut register = Register::read(rows.into_iter());
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    live_compound(tx, ctx, compound).await?;
    let existing = existing_buildings(tx, ctx.tenant_id, compound).await?;
    let taken = taken_places(tx, ctx.tenant_id, compound, &existing).await?;
    let (fresh, registered): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut register.entries)
        .into_iter()
        .partition(|e| !taken.contains(&e.place()));
    for e in registered {
        register.problem(Problem {
            row: e.row,
            column: Some(Column::Room),
            kind: ProblemKind::Registered,
            message: "this room is already registered in the compound".into(),
        });
    }
    register.problems.sort_by_key(|p| p.row);
    let mut report = ImportReport {
        rows: register.rows,
        households: fresh.len(),
        buildings: new_buildings(&fresh, &existing).len(),
        problems: register.problems,
        written: false,
    };
    if !commit || !report.problems.is_empty() {
        uow.rollback().await?;
        return Ok(report);
    }
    write_register(tx, ctx.tenant_id, compound, &fresh, terms).await?;
    uow.audit(
        "household.import",
        "compound",
        compound,
        json!({ "households": report.households, "buildings": report.buildings }),
    );
    uow.commit().await?;
    report.written = true;
    Ok(report)
}

/// Writes checked entries as households of `compound`, with their buildings (those it lacks),
/// owners and ledger accounts; the new households' ids, in order. The demo's synthetic firm
/// is written by this same path.
pub(crate) async fn write_register(
    tx: &impl sea_orm::ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    entries: &[Entry],
    terms: ImportTerms,
) -> AppResult<Vec<Uuid>> {
    // A bulk writer: the foreign-key checks of its rows must not keep a plan made when the
    // firm had few households (a city's seed went quadratic on one).
    crate::platform::bulk::index_plans(tx).await?;
    let mut building_of = existing_buildings(tx, tenant, compound).await?;
    let added = new_buildings(entries, &building_of);
    let ids = buildings::insert_many(tx, tenant, compound, &added).await?;
    building_of.extend(added.into_iter().map(Label::into_inner).zip(ids));
    let active =
        Period::new(terms.active_from, None).map_err(|e| AppError::bad_input("activeFrom", e))?;
    let mut written = Vec::with_capacity(entries.len());
    for chunk in entries.chunks(CHUNK) {
        let rows = chunk
            .iter()
            .map(|e| {
                let building_id = *building_of.get(e.building.as_str()).ok_or_else(|| {
                    AppError::Internal("a register's building was not written".into())
                })?;
                let household = NewHousehold {
                    compound_id: compound,
                    building_id,
                    unit: e.unit.clone(),
                    room: e.room.clone(),
                    area: e.area,
                    area_source: terms.area_source,
                    active,
                };
                Ok((domain::new_id(), household))
            })
            .collect::<AppResult<Vec<(Uuid, NewHousehold)>>>()?;
        // A room taken meanwhile (another import into the compound at the same moment).
        households::insert_many(tx, tenant, &rows)
            .await
            .map_err(|e| AppError::unique_or_internal(e, "room", ROOM_TAKEN))?;
        let owners: Vec<(Uuid, NewPerson)> = rows
            .iter()
            .zip(chunk)
            .filter_map(|((id, _), e)| {
                let name = e.owner.clone()?;
                let person = NewPerson {
                    name,
                    phone: e.phone.clone(),
                    id_number: None,
                };
                Some((*id, person))
            })
            .collect();
        insert_owners(tx, tenant, &owners).await?;
        let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
        crate::ledger::open_household_accounts(tx, tenant, compound, &ids).await?;
        written.extend(ids);
    }
    Ok(written)
}

/// A compound's register as a sheet of `format`, in the columns an import reads.
#[tracing::instrument(name = "tenancy.export_households", skip_all)]
pub async fn export_households(
    db: &Db,
    ctx: &RequestContext,
    compound: Uuid,
    format: Format,
) -> AppResult<Vec<u8>> {
    require_admin(ctx)?;
    let tx = db.begin_tenant_read(ctx.tenant_id).await?;
    let c = live_compound(&tx, ctx, compound).await?;
    let labels: HashMap<Uuid, String> = existing_buildings(&tx, ctx.tenant_id, c.id)
        .await?
        .into_iter()
        .map(|(label, id)| (id, label))
        .collect();
    let rows = households::register_of(&tx, ctx.tenant_id, c.id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|h| h.id).collect();
    let owners = owners_of(&tx, ctx.tenant_id, &ids).await?;
    tx.commit().await?;
    let mut sheet: Vec<Vec<String>> =
        vec![Column::ALL.iter().map(|c| c.heading().to_owned()).collect()];
    for h in rows {
        let (owner, phone) = owners.get(&h.id).cloned().unwrap_or_default();
        sheet.push(vec![
            labels.get(&h.building_id).cloned().unwrap_or_default(),
            h.unit_label,
            h.room_label,
            h.area.to_string(),
            owner,
            phone,
        ]);
    }
    sheet::write(format, &sheet).map_err(AppError::internal)
}

/// The compound's live buildings by label.
async fn existing_buildings(
    tx: &impl sea_orm::ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
) -> AppResult<HashMap<String, Uuid>> {
    Ok(buildings::of_compound(tx, tenant, compound)
        .await?
        .into_iter()
        .map(|b| (b.label, b.id))
        .collect())
}

async fn taken_places(
    tx: &impl sea_orm::ConnectionTrait,
    tenant: Uuid,
    compound: Uuid,
    buildings: &HashMap<String, Uuid>,
) -> AppResult<HashSet<Place>> {
    let label_of: HashMap<Uuid, &str> = buildings.iter().map(|(l, id)| (*id, l.as_str())).collect();
    Ok(households::places_in(tx, tenant, compound)
        .await?
        .into_iter()
        .filter_map(|(building, unit, room)| {
            Some(Place::new(label_of.get(&building)?, &unit, &room))
        })
        .collect())
}

/// The buildings `entries` name that the compound lacks, each once, in order of appearance.
fn new_buildings(entries: &[Entry], existing: &HashMap<String, Uuid>) -> Vec<Label> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .filter(|e| !existing.contains_key(e.building.as_str()))
        .filter(|e| seen.insert(e.building.as_str()))
        .map(|e| e.building.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_buildings_are_those_the_compound_lacks_each_once() {
        let register = Register::read(
            [
                vec!["楼栋", "房号", "面积"],
                vec!["1栋", "101", "50"],
                vec!["2栋", "101", "50"],
                vec!["2栋", "102", "50"],
                vec!["3栋", "101", "50"],
            ]
            .into_iter()
            .map(|r| r.into_iter().map(str::to_owned).collect()),
        );
        let existing = HashMap::from([("2栋".to_owned(), Uuid::nil())]);
        let added: Vec<String> = new_buildings(&register.entries, &existing)
            .into_iter()
            .map(Label::into_inner)
            .collect();
        assert_eq!(added, vec!["1栋", "3栋"]);
    }
}
