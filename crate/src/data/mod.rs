//! Tables as a person dropped them: CSV bytes parsed into typed columns, with a
//! schema inferred per column that the person may override.

mod csv_reader;
mod dates;
mod decoder;
mod encoding;
mod error;
mod schema;
mod source;
pub mod toy;

pub use csv_reader::{read_csv, read_csv_with_progress, read_source, ReadFile};
pub use dates::{civil_from_days, date_parts, format_date};
pub use encoding::{Decoding, TextEncoding};
pub use error::DataError;
pub use schema::{ColumnKind, MISSING_TOKENS};
pub use source::ByteSource;
pub use toy::{ToyEdit, ToyKind, ToySpec, ToyTable};

use serde::{Deserialize, Serialize};

/// Marks a missing cell in [`ColumnData::Text`] codes.
pub const MISSING_CODE: u32 = u32::MAX;

/// The largest file read, bytes. The file is read in chunks and never held
/// whole; what stays is the table (4 bytes a cell: about half a file of
/// numbers) and, while it is read, the text of its text columns, all within
/// a tab's 4 GB of WebAssembly memory, which training then shares with the
/// table's copies as model inputs.
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// Refuses a file of `bytes` bytes that could not be held while it is read,
/// before any of it is read.
pub fn check_file_size(bytes: u64) -> Result<(), DataError> {
    if bytes > MAX_FILE_BYTES {
        return Err(DataError::TooLarge { megabytes: bytes.div_ceil(1 << 20), limit: MAX_FILE_BYTES >> 20 });
    }
    Ok(())
}

/// A parsed table. Columns keep their storage; what a column *means* (its kind)
/// is inferred once and can be changed by the person without re-reading the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub n_rows: usize,
    /// The first rows as the file had them, for the preview.
    pub preview: Vec<Vec<String>>,
    /// Things the person should know that did not stop the parse: the file's,
    /// then each column's notes.
    pub warnings: Vec<String>,
    /// Whether a comma in a number is its decimal point (semicolon-separated files).
    pub decimal_comma: bool,
    /// The encoding the text was read in, and what it made of accented words.
    pub decoding: Decoding,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
    /// Number of missing cells.
    pub missing: usize,
    pub inferred: ColumnKind,
    pub origin: Origin,
}

/// What a column was read from, kept so it can be typed again without the
/// file: its header as written, where its missing tokens were, and what
/// typing noticed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origin {
    pub header: String,
    /// Each token of [`MISSING_TOKENS`] (but the empty cell) found in the
    /// column, with its rows: a few bytes per token cell, none for the others.
    pub tokens: Vec<TokenCells>,
    /// This column's warnings, also in [`Table::warnings`].
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TokenCells {
    pub token: &'static str,
    pub rows: Vec<u32>,
    /// Read as missing (else kept as a value).
    pub missing: bool,
}

/// How a column's cells are stored.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnData {
    /// Every present cell parsed as a number; `NaN` marks a missing cell.
    Numeric(Vec<f32>),
    /// Dictionary-encoded strings; [`MISSING_CODE`] marks a missing cell.
    Text { codes: Vec<u32>, levels: Vec<String> },
    /// Days since 1970-01-01, the time of day as the fraction; `NaN` marks a missing cell.
    Date(Vec<f32>),
}

/// A column seen as categories: one code per row (`MISSING_CODE` if missing)
/// into `levels`.
#[derive(Clone, Debug, PartialEq)]
pub struct Categories {
    pub codes: Vec<u32>,
    pub levels: Vec<String>,
}

/// A column's summary, as the page shows it in the column table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub inferred: ColumnKind,
    pub missing: usize,
    /// Kinds the person may switch this column to.
    pub allowed: Vec<ColumnKind>,
    /// Distinct present values (levels for text columns).
    pub distinct: usize,
    /// Missing tokens found in the column, so the person can see and undo them.
    pub tokens: Vec<TokenCount>,
}

/// How many cells of a column hold a missing token, and how they are read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenCount {
    pub token: String,
    pub count: usize,
    /// Read as missing (else kept as a value).
    pub missing: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_too_big_for_a_tab_is_refused_by_its_size() {
        assert_eq!(check_file_size(0), Ok(()));
        assert_eq!(check_file_size(200 << 20), Ok(()), "200 MB must load");
        assert_eq!(check_file_size(2_000_000_000), Ok(()), "2 GB must load");
        assert_eq!(check_file_size(MAX_FILE_BYTES), Ok(()));
        let refused = check_file_size(3_000_000_000).unwrap_err();
        assert_eq!(refused, DataError::TooLarge { megabytes: 2862, limit: 2048 });
        assert!(refused
            .to_string()
            .starts_with("The file is 2862 MB, more than this page can hold in a browser tab (2048 MB)."));
    }
}
