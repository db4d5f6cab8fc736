//! Spreadsheets as people exchange them: XLSX (read with calamine, written with
//! rust_xlsxwriter) and CSV (the `csv` crate; UTF-8, or GBK decoded by `encoding_rs`), as rows
//! of text cells, the heading row first.

use std::io::Cursor;

/// A sheet's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// From a file's content: an XLSX workbook is a ZIP archive; anything else is read as CSV.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") {
            Self::Xlsx
        } else {
            Self::Csv
        }
    }

    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }

    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("not a readable XLSX workbook: {0}")]
    Xlsx(String),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error("not readable as CSV (UTF-8 or GBK, comma-separated): {0}")]
    Csv(#[from] csv::Error),
    #[error("not text: a CSV file must be UTF-8 or GBK")]
    Encoding,
    #[error("could not write the workbook: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
}

/// The first sheet's rows as text, cells as a person sees them (`101`, `56.3`).
pub fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    match Format::sniff(bytes) {
        Format::Xlsx => read_xlsx(bytes),
        Format::Csv => read_csv(bytes),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    use calamine::Reader;
    let mut book =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::NoSheet)?
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect())
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    // Excel writes a byte-order mark before UTF-8 CSV; older systems (and Excel on a Chinese
    // Windows) write GBK, which GB18030 decodes.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(s) => s,
                None => return Err(SheetError::Encoding),
            }
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| Ok(r?.iter().map(str::to_owned).collect()))
        .collect()
}

/// Writes rows (the heading row first) as a file of `format`; CSV starts with a byte-order
/// mark so that Excel reads its Chinese correctly.
pub fn write(format: Format, rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    match format {
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
            for row in rows {
                writer.write_record(row)?;
            }
            writer
                .into_inner()
                .map_err(|e| SheetError::Csv(e.into_error().into()))
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (r, row) in rows.iter().enumerate() {
                let r = u32::try_from(r).unwrap_or(u32::MAX);
                for (c, cell) in row.iter().enumerate() {
                    let c = u16::try_from(c).unwrap_or(u16::MAX);
                    if r == 0 {
                        sheet.write_string_with_format(r, c, cell, &bold)?;
                    } else {
                        sheet.write_string(r, c, cell)?;
                    }
                }
            }
            Ok(book.save_to_buffer()?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Vec<String>> {
        [
            ["楼栋", "房号", "面积"],
            ["1栋", "101", "56.30"],
            ["2栋", "102", "60"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
    }

    #[test]
    fn what_is_written_reads_back_in_both_formats() {
        for format in [Format::Csv, Format::Xlsx] {
            let bytes = write(format, &rows()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(Format::sniff(&bytes), format);
            assert_eq!(read(&bytes).unwrap_or_else(|e| panic!("{e}")), rows());
        }
    }

    #[test]
    fn numbers_typed_into_a_workbook_read_as_people_wrote_them() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let _ = sheet.write_number(0, 0, 101.0);
        let _ = sheet.write_number(0, 1, 56.3);
        let bytes = book.save_to_buffer().unwrap_or_default();
        assert_eq!(read(&bytes).unwrap_or_default(), vec![vec!["101", "56.3"]]);
    }

    #[test]
    fn a_gbk_csv_reads_as_its_chinese_and_binary_is_refused() {
        let (gbk, _, _) = encoding_rs::GBK.encode("楼栋,房号,面积\n1栋,101,56.30\n2栋,102,60\n");
        assert_eq!(read(&gbk).unwrap_or_else(|e| panic!("{e}")), rows());
        assert!(matches!(
            read(&[0xff, 0xfe, 0x00]),
            Err(SheetError::Encoding)
        ));
    }

    #[test]
    fn a_broken_workbook_is_an_error_not_a_panic() {
        assert!(matches!(
            read(b"PK\x03\x04garbage"),
            Err(SheetError::Xlsx(_))
        ));
    }
}
