//! A household register as property firms keep it in a spreadsheet: one row per household
//! with its building, unit, room, exclusive area, owner and phone. Reading one checks every
//! row and reports each problem by row and column, so that nothing is written from a sheet
//! with a mistake in it.

use std::collections::HashMap;

use crate::{Area, Label, Name, Phone};

/// The columns a register may have; building, room and area are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Building,
    Unit,
    Room,
    Area,
    Owner,
    Phone,
}

impl Column {
    pub const ALL: [Self; 6] = [
        Self::Building,
        Self::Unit,
        Self::Room,
        Self::Area,
        Self::Owner,
        Self::Phone,
    ];

    /// The API's name of the column (`extensions.field` of a problem in it).
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Self::Building => "building",
            Self::Unit => "unit",
            Self::Room => "room",
            Self::Area => "area",
            Self::Owner => "owner",
            Self::Phone => "phone",
        }
    }

    /// The heading a firm's sheet uses, as exported (the first of [`Self::headings`]).
    #[must_use]
    pub fn heading(self) -> &'static str {
        self.headings()[0]
    }

    /// Headings recognised for the column: a cell that starts with one of these (so that
    /// `专有面积（㎡）` is the area), in Chinese or English, case aside.
    fn headings(self) -> &'static [&'static str] {
        match self {
            Self::Building => &["楼栋", "楼号", "楼", "building"],
            Self::Unit => &["单元", "unit"],
            Self::Room => &["房号", "房间", "门牌", "室", "room"],
            Self::Area => &["面积", "专有面积", "建筑面积", "area"],
            Self::Owner => &["业主", "户主", "姓名", "owner", "name"],
            Self::Phone => &["电话", "手机", "联系电话", "phone", "mobile"],
        }
    }

    fn required(self) -> bool {
        matches!(self, Self::Building | Self::Room | Self::Area)
    }

    fn recognises(self, heading: &str) -> bool {
        let h = heading.trim().to_lowercase();
        self.headings().iter().any(|name| h.starts_with(name))
    }
}

/// One thing wrong with a sheet: its row as the spreadsheet numbers it (the heading is row 1),
/// the column (none for the sheet as a whole), what kind of problem (for a client to word it)
/// and what is wrong, in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<Column>,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A cell that is not what its column needs.
    Invalid,
    /// A room already on an earlier row of the sheet.
    Repeated,
    /// A room the compound already has.
    Registered,
    /// A required column the heading row lacks.
    MissingColumn,
    /// No households in the sheet at all.
    Empty,
}

impl ProblemKind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Invalid => "INVALID",
            Self::Repeated => "REPEATED",
            Self::Registered => "REGISTERED",
            Self::MissingColumn => "MISSING_COLUMN",
            Self::Empty => "EMPTY",
        }
    }
}

/// A checked row: one household and, when given, its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The spreadsheet's row number.
    pub row: usize,
    pub building: Label,
    pub unit: Option<Label>,
    pub room: Label,
    pub area: Area,
    pub owner: Option<Name>,
    pub phone: Option<Phone>,
}

impl Entry {
    /// What makes two rows the same household: building, unit and room.
    #[must_use]
    pub fn place(&self) -> Place {
        Place::new(
            self.building.as_str(),
            self.unit.as_ref().map_or("", Label::as_str),
            self.room.as_str(),
        )
    }
}

/// A household's place in its compound, compared as written (building, unit, room).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place(String, String, String);

impl Place {
    #[must_use]
    pub fn new(building: &str, unit: &str, room: &str) -> Self {
        Self(building.to_owned(), unit.to_owned(), room.to_owned())
    }
}

/// Which cell of a row holds which column, from the heading row.
#[derive(Debug, Clone)]
pub struct Layout(HashMap<Column, usize>);

impl Layout {
    /// Reads the heading row; a missing required column is a problem of row 1.
    pub fn from_headings(cells: &[String]) -> Result<Self, Vec<Problem>> {
        let mut at = HashMap::new();
        for column in Column::ALL {
            if let Some(i) = cells.iter().position(|c| column.recognises(c)) {
                at.insert(column, i);
            }
        }
        let missing: Vec<Problem> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && !at.contains_key(c))
            .map(|c| Problem {
                row: 1,
                column: Some(c),
                kind: ProblemKind::MissingColumn,
                message: format!("the heading row has no column “{}”", c.heading()),
            })
            .collect();
        if missing.is_empty() {
            Ok(Self(at))
        } else {
            Err(missing)
        }
    }

    fn cell<'a>(&self, cells: &'a [String], column: Column) -> &'a str {
        self.0
            .get(&column)
            .and_then(|&i| cells.get(i))
            .map_or("", |c| c.trim())
    }

    /// Checks one data row (`row` as the spreadsheet numbers it).
    pub fn entry(&self, row: usize, cells: &[String]) -> Result<Entry, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |column: Column, message: String| {
            problems.push(Problem {
                row,
                column: Some(column),
                kind: ProblemKind::Invalid,
                message,
            });
        };
        let label = |column: Column, p: &mut dyn FnMut(Column, String)| {
            let raw = self.cell(cells, column);
            Label::parse(raw).map_err(|e| p(column, e.to_string())).ok()
        };
        let building = label(Column::Building, &mut problem);
        let room = label(Column::Room, &mut problem);
        let unit = match self.cell(cells, Column::Unit) {
            "" => Some(None),
            raw => Label::parse(raw)
                .map(Some)
                .map_err(|e| problem(Column::Unit, e.to_string()))
                .ok(),
        };
        let area = Area::parse(self.cell(cells, Column::Area))
            .map_err(|e| problem(Column::Area, e.to_string()))
            .ok();
        let owner = match self.cell(cells, Column::Owner) {
            "" => Some(None),
            raw => Name::parse(raw)
                .map(Some)
                .map_err(|e| problem(Column::Owner, e.to_string()))
                .ok(),
        };
        let phone = match self.cell(cells, Column::Phone) {
            "" => Some(None),
            raw => Phone::parse(raw)
                .map(Some)
                .map_err(|e| problem(Column::Phone, e.to_string()))
                .ok(),
        };
        match (building, unit, room, area, owner, phone) {
            (Some(building), Some(unit), Some(room), Some(area), Some(owner), Some(phone))
                if problems.is_empty() =>
            {
                Ok(Entry {
                    row,
                    building,
                    unit,
                    room,
                    area,
                    owner,
                    phone,
                })
            }
            _ => Err(problems),
        }
    }
}

/// A whole sheet, checked: its entries, or every problem found in it.
#[derive(Debug, Default)]
pub struct Register {
    /// Data rows read (blank rows aside).
    pub rows: usize,
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

/// At most this many problems are reported; a sheet with more needs fixing as a whole.
pub const MAX_PROBLEMS: usize = 1_000;

impl Register {
    /// Reads a sheet given as rows of cells, the heading row first. Blank rows are skipped;
    /// a room given twice (same building, unit and room) is a problem of its second row.
    pub fn read(mut rows: impl Iterator<Item = Vec<String>>) -> Self {
        let mut register = Self::default();
        let Some(headings) = rows.next() else {
            register.problems.push(Problem {
                row: 1,
                column: None,
                kind: ProblemKind::Empty,
                message: "the sheet is empty".into(),
            });
            return register;
        };
        let layout = match Layout::from_headings(&headings) {
            Ok(layout) => layout,
            Err(problems) => {
                register.problems = problems;
                return register;
            }
        };
        let mut first_row_of: HashMap<Place, usize> = HashMap::new();
        for (i, cells) in rows.enumerate() {
            let row = i + 2;
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            register.rows += 1;
            match layout.entry(row, &cells) {
                Ok(entry) => match first_row_of.insert(entry.place(), row) {
                    Some(first) => register.problem(Problem {
                        row,
                        column: Some(Column::Room),
                        kind: ProblemKind::Repeated,
                        message: format!("this room is already on row {first}"),
                    }),
                    None => register.entries.push(entry),
                },
                Err(problems) => problems.into_iter().for_each(|p| register.problem(p)),
            }
        }
        if register.entries.is_empty() && register.problems.is_empty() {
            register.problem(Problem {
                row: 2,
                column: None,
                kind: ProblemKind::Empty,
                message: "the sheet has no households".into(),
            });
        }
        register
    }

    /// Adds a problem found elsewhere (a room the compound already has), within the limit.
    pub fn problem(&mut self, p: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Register {
        Register::read(
            rows.iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect()),
        )
    }

    const HEAD: &[&str] = &["楼栋", "单元", "房号", "专有面积（㎡）", "业主", "电话"];

    #[test]
    fn a_clean_sheet_reads_every_row() {
        let r = sheet(&[
            HEAD,
            &["1栋", "1单元", "101", "56.30", "陈春花", "138 0000 1111"],
            &["1栋", "", "102", "60", "", ""],
            &["", "", "", "", "", ""],
        ]);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!((r.rows, r.entries.len()), (2, 2));
        assert_eq!(r.entries[0].area.centi(), 5_630);
        assert_eq!(
            r.entries[0].phone.as_ref().map(Phone::as_str),
            Some("13800001111")
        );
        assert_eq!(r.entries[1].unit, None);
        assert_eq!(r.entries[1].row, 3);
    }

    #[test]
    fn english_headings_in_any_order_are_recognised() {
        let r = sheet(&[&["Area", "Room", "Building"], &["48.5", "201", "B2"]]);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.entries[0].room.as_str(), "201");
    }

    #[test]
    fn every_problem_is_reported_by_row_and_column() {
        let r = sheet(&[
            HEAD,
            &["1栋", "1单元", "101", "-5", "陈春花", "abc"],
            &["", "1单元", "102", "56", "", ""],
            &["1栋", "1单元", "101", "56", "", ""],
            &["1栋", "1单元", "103", "12.345", "", ""],
        ]);
        let found: Vec<(usize, Option<Column>)> =
            r.problems.iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(
            found,
            vec![
                (2, Some(Column::Area)),
                (2, Some(Column::Phone)),
                (3, Some(Column::Building)),
                (5, Some(Column::Area)),
            ]
        );
        // Row 4 repeats row 2's room only if row 2 was read; it was not, so row 4 stands.
        assert_eq!(r.entries.len(), 1);
    }

    #[test]
    fn a_room_given_twice_is_a_problem_of_its_second_row() {
        let r = sheet(&[
            HEAD,
            &["1栋", "1单元", "101", "56", "", ""],
            &["1栋", "1单元", "101", "57", "", ""],
            &["1栋", "2单元", "101", "58", "", ""],
        ]);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].row, 3);
        assert!(r.problems[0].message.contains("row 2"));
        assert_eq!(r.entries.len(), 2);
    }

    #[test]
    fn missing_headings_and_empty_sheets_are_problems_of_the_sheet() {
        let r = sheet(&[&["楼栋", "业主"], &["1栋", "陈"]]);
        let columns: Vec<_> = r.problems.iter().map(|p| p.column).collect();
        assert_eq!(columns, vec![Some(Column::Room), Some(Column::Area)]);
        assert!(r.entries.is_empty());
        assert_eq!(sheet(&[]).problems[0].message, "the sheet is empty");
        assert_eq!(
            sheet(&[HEAD]).problems[0].message,
            "the sheet has no households"
        );
    }

    #[test]
    fn problems_stop_at_the_limit() {
        let bad: Vec<Vec<String>> = std::iter::once(HEAD.iter().map(|c| (*c).to_owned()).collect())
            .chain((0..MAX_PROBLEMS + 10).map(|i| {
                vec![
                    "1栋".into(),
                    String::new(),
                    format!("{i}"),
                    "x".into(),
                    String::new(),
                    String::new(),
                ]
            }))
            .collect();
        assert_eq!(Register::read(bad.into_iter()).problems.len(), MAX_PROBLEMS);
    }
}
