//! Tables as a person dropped them: CSV bytes parsed into typed columns, with a
//! schema inferred per column that the person may override.

mod csv_reader;
mod error;
mod schema;

pub use csv_reader::read_csv;
pub use error::DataError;
pub use schema::ColumnKind;

use serde::{Deserialize, Serialize};

/// Marks a missing cell in [`ColumnData::Text`] codes.
pub const MISSING_CODE: u32 = u32::MAX;

/// A parsed table. Columns keep their storage; what a column *means* (its kind)
/// is inferred once and can be changed by the person without re-reading the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub n_rows: usize,
    /// The first rows as the file had them, for the preview.
    pub preview: Vec<Vec<String>>,
    /// Things the person should know that did not stop the parse.
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
    /// Number of missing cells.
    pub missing: usize,
    pub inferred: ColumnKind,
}

/// How a column's cells are stored.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnData {
    /// Every present cell parsed as a number; `NaN` marks a missing cell.
    Numeric(Vec<f32>),
    /// Dictionary-encoded strings; [`MISSING_CODE`] marks a missing cell.
    Text { codes: Vec<u32>, levels: Vec<String> },
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
}
