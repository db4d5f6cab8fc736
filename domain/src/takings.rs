//! Temporary parking takings as a parking system exports them (a CSV of days or of single
//! exits): which columns hold the date, the amount and, for single exits, the order number
//! (the mapping), and the takings of each day read from the rows — every row checked, each
//! problem reported by row and field, so that nothing is written from a file with a mistake.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use crate::money::Money;

/// Which heading names each column. Without a reference column every row is one day's
/// total, and a day twice is a duplicate; with one, rows are single exits summed by day, and
/// an order number twice is a duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub date: String,
    pub amount: String,
    pub reference: Option<String>,
}

impl Mapping {
    /// A mapping guessed from the headings parking systems commonly use, if both the date
    /// and the amount are recognised.
    #[must_use]
    pub fn guess(headings: &[String]) -> Option<Self> {
        let find = |names: &[&str]| {
            headings
                .iter()
                .find(|h| names.iter().any(|n| h.trim().to_lowercase().contains(n)))
                .cloned()
        };
        Some(Self {
            date: find(&["日期", "出场时间", "收费时间", "时间", "date"])?,
            amount: find(&["实收", "金额", "收费", "amount"])?,
            reference: find(&["订单号", "流水号", "单号", "order", "reference"]),
        })
    }
}

/// One thing wrong: the row as a spreadsheet numbers it (the heading is row 1), the field it
/// is in (`date`, `amount`, `reference`, or a mapping's field), a code for a client to word it
/// (`NO_COLUMN`, `BAD_DATE`, `BAD_AMOUNT`, `DUPLICATE`, `NO_REFERENCE`, `TOO_MANY_ROWS`, and
/// from the recorded books `FUTURE`, `CLOSED`, `ABOVE_MAX`, `DIFFERS`, `NO_MAPPING`) and what
/// is wrong, in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// A day's takings and the rows they were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub amount: Money,
    pub rows: Vec<usize>,
}

/// What a file holds under a mapping.
#[derive(Debug, Clone, Default)]
pub struct Takings {
    /// The file's headings, for choosing a mapping.
    pub columns: Vec<String>,
    /// Data rows read (blank rows aside).
    pub rows: usize,
    pub days: BTreeMap<NaiveDate, Day>,
    pub problems: Vec<Problem>,
}

/// At most this many data rows in one file.
pub const MAX_ROWS: usize = 200_000;

fn column(headings: &[String], name: &str, field: &'static str) -> Result<usize, Problem> {
    headings
        .iter()
        .position(|h| h.trim() == name.trim())
        .ok_or_else(|| Problem {
            row: 1,
            field,
            code: "NO_COLUMN",
            message: format!("the file has no column named {name:?}"),
        })
}

/// A date as parking systems write it: `2026-11-05`, `2026/11/05` or `2026.11.05`, with or
/// without a time after it.
fn date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim().replace(['/', '.'], "-");
    let day = s.split([' ', 'T']).next().unwrap_or("");
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().or_else(|| {
        NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S")
            .ok()
            .map(|d| d.date())
    })
}

/// An amount in yuan, as exported: `12`, `12.50`, `¥1,200.00`; greater than zero.
fn amount(raw: &str) -> Result<Money, String> {
    let m = Money::parse(&raw.replace('￥', "¥"))
        .map_err(|e| format!("{:?} is not an amount in yuan: {e}", raw.trim()))?;
    if !m.is_positive() {
        return Err("must be greater than zero".into());
    }
    Ok(m)
}

/// Reads `rows` (the heading row first) under `mapping`.
#[must_use]
pub fn read(rows: Vec<Vec<String>>, mapping: &Mapping) -> Takings {
    let mut rows = rows.into_iter();
    let mut out = Takings {
        columns: rows.next().unwrap_or_default(),
        ..Takings::default()
    };
    let cols = (
        column(&out.columns, &mapping.date, "dateColumn"),
        column(&out.columns, &mapping.amount, "amountColumn"),
        mapping
            .reference
            .as_deref()
            .map(|r| column(&out.columns, r, "referenceColumn"))
            .transpose(),
    );
    let (d, a, r) = match cols {
        (Ok(d), Ok(a), Ok(r)) => (d, a, r),
        (d, a, r) => {
            out.problems
                .extend([d.err(), a.err(), r.err()].into_iter().flatten());
            return out;
        }
    };
    let mut seen: HashSet<String> = HashSet::new();
    for (i, row) in rows.enumerate() {
        let n = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.rows += 1;
        if out.rows > MAX_ROWS {
            out.problems.push(Problem {
                row: n,
                field: "file",
                code: "TOO_MANY_ROWS",
                message: format!("at most {MAX_ROWS} rows in one file: split it by month"),
            });
            break;
        }
        let cell = |c: usize| row.get(c).map_or("", String::as_str);
        let Some(day) = date(cell(d)) else {
            out.problems.push(Problem {
                row: n,
                field: "date",
                code: "BAD_DATE",
                message: format!("{:?} is not a date written YYYY-MM-DD", cell(d)),
            });
            continue;
        };
        let fen = match amount(cell(a)) {
            Ok(m) => m,
            Err(message) => {
                out.problems.push(Problem {
                    row: n,
                    field: "amount",
                    code: "BAD_AMOUNT",
                    message,
                });
                continue;
            }
        };
        let (key, field) = match r {
            Some(r) if cell(r).trim().is_empty() => {
                out.problems.push(Problem {
                    row: n,
                    field: "reference",
                    code: "NO_REFERENCE",
                    message: "the order number is empty".into(),
                });
                continue;
            }
            Some(r) => (cell(r).trim().to_owned(), "reference"),
            None => (day.to_string(), "date"),
        };
        if !seen.insert(key.clone()) {
            out.problems.push(Problem {
                row: n,
                field,
                code: "DUPLICATE",
                message: format!("{key} appears twice in the file"),
            });
            continue;
        }
        let entry = out.days.entry(day).or_insert(Day {
            amount: Money::ZERO,
            rows: Vec::new(),
        });
        match entry.amount.checked_add(fen) {
            Ok(sum) => {
                entry.amount = sum;
                entry.rows.push(n);
            }
            Err(e) => out.problems.push(Problem {
                row: n,
                field: "amount",
                code: "BAD_AMOUNT",
                message: e.to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect()
    }

    fn by_day() -> Mapping {
        Mapping {
            date: "日期".into(),
            amount: "实收金额".into(),
            reference: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn each_row_is_a_day_when_no_order_number_is_mapped() {
        let t = read(
            sheet(&[
                "日期,实收金额",
                "2026-11-01,356.50",
                "2026/11/02,¥12",
                ",",
                "2026.11.03 23:59:59,12",
            ]),
            &by_day(),
        );
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.rows, 3);
        assert_eq!(t.days[&d("2026-11-01")].amount, Money::from_fen(35_650));
        assert_eq!(t.days[&d("2026-11-03")].rows, vec![5]);
    }

    #[test]
    fn single_exits_are_summed_by_day_and_an_order_twice_is_a_duplicate() {
        let mapping = Mapping {
            date: "出场时间".into(),
            amount: "实收".into(),
            reference: Some("订单号".into()),
        };
        let t = read(
            sheet(&[
                "订单号,车牌,出场时间,实收",
                "A1,桂B1,2026-11-01 08:00:00,5",
                "A2,桂B2,2026-11-01 09:00:00,5.50",
                "A2,桂B2,2026-11-01 09:00:00,5.50",
            ]),
            &mapping,
        );
        assert_eq!(t.days[&d("2026-11-01")].amount, Money::from_fen(1_050));
        assert_eq!(
            t.problems,
            vec![Problem {
                row: 4,
                field: "reference",
                code: "DUPLICATE",
                message: "A2 appears twice in the file".into()
            }]
        );
    }

    #[test]
    fn bad_dates_amounts_and_a_day_twice_are_reported_by_row() {
        let t = read(
            sheet(&[
                "日期,实收金额",
                "11月1日,10",
                "2026-11-02,0",
                "2026-11-03,-5",
                "2026-11-04,abc",
                "2026-11-05,1",
                "2026-11-05,2",
            ]),
            &by_day(),
        );
        let found: Vec<(usize, &str)> = t.problems.iter().map(|p| (p.row, p.field)).collect();
        assert_eq!(
            found,
            [
                (2, "date"),
                (3, "amount"),
                (4, "amount"),
                (5, "amount"),
                (7, "date")
            ]
        );
    }

    #[test]
    fn a_mapping_naming_missing_columns_is_a_problem_of_the_file() {
        let t = read(sheet(&["时间,金额"]), &by_day());
        let fields: Vec<&str> = t.problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["dateColumn", "amountColumn"]);
        assert!(t.days.is_empty());
    }

    #[test]
    fn common_headings_are_guessed() {
        let headings: Vec<String> = ["订单号", "车牌号", "出场时间", "应收", "实收金额"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let m = Mapping::guess(&headings).unwrap_or_else(|| panic!("not guessed"));
        assert_eq!(m.date, "出场时间");
        assert_eq!(m.reference.as_deref(), Some("订单号"));
        assert!(Mapping::guess(&["plate".to_owned()]).is_none());
    }
}
