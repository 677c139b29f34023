//! Cells that can mean "no value": which are read as missing by default, and
//! the person's undo, column by column, when a token is a real value there.

use super::infer::{infer_column, Notes};
use crate::data::{Categories, Column, Table};

/// Cells that can mean "no value". The first, the empty cell, always does.
/// The others are read as missing by default, with the count shown per column,
/// and the person can keep any of them as a value, column by column: "NA" is
/// also Namibia and North America. One default differs by column: "None" is
/// missing among numbers but a value among text, where it is as often a level
/// (a damage grade, a symptom) as Python's missing marker. "?", "-" and "."
/// are missing everywhere by default: punctuation for "unknown" (UCI's adult
/// data writes "?" in text columns), rarely a category's name.
pub const MISSING_TOKENS: [&str; 12] = ["", "NA", "N/A", "n/a", "null", "NULL", "NaN", "nan", "None", "?", "-", "."];

/// The token kept as a value in text columns by default.
const KEPT_IN_TEXT: &str = "None";

/// Index of a trimmed cell in [`MISSING_TOKENS`], compared case-sensitively
/// (so a category named "Null" or "na" stays a category).
/// No token starts with a digit, so most numbers are told apart by their
/// first byte, without a comparison.
pub(super) fn token_index(cell: &str) -> Option<usize> {
    if cell.len() > 4 || cell.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    MISSING_TOKENS.iter().position(|&token| token == cell)
}

/// Which tokens a column reads as missing.
#[derive(Clone, Copy, Debug)]
pub(in crate::data) enum Missing<'a> {
    /// All of them among numbers and dates; all but "None" among text.
    Default,
    /// Exactly these (and the empty cell): the person's choice for the column.
    Only(&'a [String]),
}

impl Missing<'_> {
    pub(super) fn is_missing(self, token: usize, text: bool) -> bool {
        token == 0
            || match self {
                Missing::Default => !text || MISSING_TOKENS[token] != KEPT_IN_TEXT,
                Missing::Only(tokens) => tokens.iter().any(|t| t == MISSING_TOKENS[token]),
            }
    }
}

impl Column {
    /// The tokens this column reads as missing now.
    pub fn missing_tokens(&self) -> Vec<String> {
        self.origin.tokens.iter().filter(|t| t.missing).map(|t| t.token.to_owned()).collect()
    }

    /// The column typed again with exactly `missing` (and empty cells) read as
    /// missing: the person's undo of a token that is a real value here. The
    /// cells are rebuilt from the storage and the token rows, so the file is
    /// not read again; numbers come back in their shortest form ("1.50" as
    /// "1.5"), which reads back as the same number.
    pub fn retyped(&self, missing: &[String], decimal_comma: bool) -> Column {
        let Categories { codes, levels } = self.categories();
        let mut cells: Vec<&str> = codes.iter().map(|&c| levels.get(c as usize).map_or("", String::as_str)).collect();
        for t in &self.origin.tokens {
            for &row in &t.rows {
                if let Some(cell) = cells.get_mut(row as usize) {
                    *cell = t.token;
                }
            }
        }
        infer_column(
            self.name.clone(),
            &self.origin.header,
            &cells,
            decimal_comma,
            Missing::Only(missing),
            &mut Notes::default(),
        )
    }
}

impl Table {
    /// Reads exactly `missing` as missing in column `index` (see
    /// [`Column::retyped`]) and swaps the column's warnings for its new ones.
    /// `None` if there is no such column.
    pub fn set_missing(&mut self, index: usize, missing: &[String]) -> Option<&Column> {
        let old = self.columns.get(index)?;
        let new = old.retyped(missing, self.decimal_comma);
        let at = self.warnings.iter().position(|w| old.origin.notes.contains(w)).unwrap_or(self.warnings.len());
        self.warnings.retain(|w| !old.origin.notes.contains(w));
        let at = at.min(self.warnings.len());
        self.warnings.splice(at..at, new.origin.notes.iter().cloned());
        self.columns[index] = new;
        self.columns.get(index)
    }
}
