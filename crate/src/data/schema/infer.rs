//! Typing a column from its cells: numbers first, then dates, then text, and
//! the kind each storage suggests (boolean, identifier, free text, ...), with
//! the warnings a person needs about cells that did not fit.

use std::collections::{HashMap, HashSet};

use super::decimal::plain_decimal;
use super::missing::{token_index, Missing, MISSING_TOKENS};
use super::ColumnKind;
use crate::data::{dates, Column, ColumnData, Origin, TokenCells, MISSING_CODE};

/// Parses a trimmed cell as a number: Rust float syntax (leading `+`,
/// exponents, `inf`), and with `decimal_comma` also a single comma as the
/// decimal point ("1,5"), which semicolon-separated files use. Negative zero is
/// folded into zero so that it is not a category of its own.
pub(in crate::data) fn parse_number(cell: &str, decimal_comma: bool) -> Option<f32> {
    let parsed = match plain_decimal(cell) {
        Some(value) => Ok(value),
        None => cell.parse::<f32>(),
    };
    let value = match parsed {
        Ok(value) => value,
        Err(_) if decimal_comma && cell.contains(',') => cell.replacen(',', ".", 1).parse().ok()?,
        Err(_) if !decimal_comma && has_thousands_commas(cell) => cell.replace(',', "").parse().ok()?,
        Err(_) => return None,
    };
    Some(if value == 0.0 { 0.0 } else { value })
}

/// "1,234" or "-12,345,678.9": commas between groups of exactly three digits,
/// as spreadsheets export (quoted) numbers with thousands separators.
fn has_thousands_commas(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let integer = unsigned.split_once('.').map_or(
        unsigned,
        |(int, frac)| {
            if frac.bytes().all(|b| b.is_ascii_digit()) {
                int
            } else {
                ""
            }
        },
    );
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    first_ok && rest.peek().is_some() && rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// What typing the columns noticed that the table-level warnings need.
#[derive(Debug, Default)]
pub(in crate::data) struct Notes {
    /// A cell that was read with a decimal comma and its value, as an example.
    pub decimal_comma: Option<(String, f32)>,
}

/// At most this many offending cells are quoted in a column's warning.
const QUOTED_CELLS: usize = 3;

/// Types one column from its trimmed cells. `header` is the header cell as
/// written (before it was made unique or given a name), because an empty or
/// "id"-like header is evidence of an identifier. Numbers are tried first,
/// then dates, then text.
pub(in crate::data) fn infer_column(
    name: String,
    header: &str,
    cells: &[&str],
    decimal_comma: bool,
    missing: Missing,
    notes: &mut Notes,
) -> Column {
    let mut scan = NumberScan::new(decimal_comma, cells.len());
    for (row, &cell) in cells.iter().enumerate() {
        scan.push(row, cell, missing);
    }
    scan.into_column(name, header, cells, missing, notes)
}

/// Whether [`looks_like_id`] holds for a header: then a column of numbers
/// needs its cells' text to be typed (distinctness is judged on the text).
pub(in crate::data) fn needs_text_for_key(header: &str) -> bool {
    looks_like_id(header)
}

/// A column read as numbers one cell at a time: what [`infer_column`] needs
/// of the cells to type a column whose cells are all numbers or tokens, so a
/// reader can keep this rather than the cells' text.
pub(in crate::data) struct NumberScan {
    decimal_comma: bool,
    token_rows: Vec<Vec<u32>>,
    values: Vec<f32>,
    texts: Quoted,
    numbers: Quoted,
    non_finite: Quoted,
    first_decimal_comma: Option<(String, f32)>,
    first_thousands: Option<(String, f32)>,
}

impl NumberScan {
    pub(in crate::data) fn new(decimal_comma: bool, rows: usize) -> Self {
        NumberScan {
            decimal_comma,
            token_rows: vec![Vec::new(); MISSING_TOKENS.len()],
            values: Vec::with_capacity(rows),
            texts: Quoted::default(),
            numbers: Quoted::default(),
            non_finite: Quoted::default(),
            first_decimal_comma: None,
            first_thousands: None,
        }
    }

    /// Reads row `row`'s trimmed cell; `true` if it is text (neither a
    /// number nor a token read as missing).
    pub(in crate::data) fn push(&mut self, row: usize, cell: &str, missing: Missing) -> bool {
        if let Some(token) = token_index(cell) {
            // The reader caps rows below u32::MAX.
            self.token_rows[token].push(row as u32);
            self.values.push(f32::NAN);
            // A token kept as a value is text, even "NaN".
            if !missing.is_missing(token, false) {
                self.texts.add(row, cell);
                return true;
            }
            return false;
        }
        match parse_number(cell, self.decimal_comma) {
            Some(value) if value.is_finite() => {
                self.numbers.add(row, cell);
                self.values.push(value);
                if cell.contains(',') {
                    let first = if self.decimal_comma { &mut self.first_decimal_comma } else { &mut self.first_thousands };
                    first.get_or_insert_with(|| (cell.to_owned(), value));
                }
                false
            }
            Some(_) => {
                self.non_finite.add(row, cell);
                self.values.push(f32::NAN);
                false
            }
            None => {
                self.texts.add(row, cell);
                self.values.push(f32::NAN);
                true
            }
        }
    }

    /// Whether no cell so far was a number: then every cell before the
    /// first text is a token, known without its text (see [`Self::token_cells`]).
    pub(in crate::data) fn no_numbers(&self) -> bool {
        self.numbers.count == 0 && self.non_finite.count == 0
    }

    /// Each row's token, for the rows before the first text when
    /// [`Self::no_numbers`] (other rows read as "").
    pub(in crate::data) fn token_cells(&self) -> Vec<&'static str> {
        let mut cells = vec![""; self.values.len()];
        for (token, rows) in self.token_rows.iter().enumerate() {
            for &row in rows {
                if let Some(cell) = cells.get_mut(row as usize) {
                    *cell = MISSING_TOKENS[token];
                }
            }
        }
        cells
    }

    /// The typed column. `cells` are the column's cells: all of them when
    /// any was text (dates and text are typed from them); among numbers only
    /// for a header that [`needs_text_for_key`], else they may be empty.
    pub(in crate::data) fn into_column(
        self,
        name: String,
        header: &str,
        cells: &[&str],
        missing: Missing,
        notes: &mut Notes,
    ) -> Column {
        let NumberScan {
            decimal_comma: _,
            token_rows,
            values,
            texts,
            numbers,
            non_finite,
            first_decimal_comma,
            first_thousands,
        } = self;
        let mut column_notes = Vec::new();
        let storage = if texts.count == 0 {
            if non_finite.count > 0 {
                column_notes.push(format!(
                    "Column '{name}' has {} or beyond ±3.4e38, the range of the 32-bit numbers this page stores ({}); treated as missing.",
                    count_of(non_finite.count, "value that is infinite", "values that are infinite"),
                    non_finite.list()
                ));
            }
            if let Some((cell, value)) = first_thousands {
                column_notes.push(format!(
                    "Column '{name}' writes numbers with thousands separators (e.g. '{cell}' = {value}); read as numbers."
                ));
            }
            if let Some(first) = first_decimal_comma {
                notes.decimal_comma.get_or_insert(first);
            }
            let inferred = numeric_kind(header, &values, cells, numbers.count);
            Stored { data: ColumnData::Numeric(values), inferred, text: false }
        } else if let Some(stored) = date_column(&name, cells, &token_rows, missing, numbers.count, &mut column_notes) {
            stored
        } else {
            drop(values);
            let stored = text_column(cells, missing);
            if numbers.count > 0 {
                let total = numbers.count + texts.count;
                let (odd, what) = if texts.count <= numbers.count {
                    (&texts, ("is text", "are text"))
                } else {
                    (&numbers, ("is a number", "are numbers"))
                };
                column_notes.push(format!(
                    "Column '{name}' mixes numbers and text: {} of {} cells {} ({}); treated as {}.",
                    odd.count,
                    total,
                    if odd.count == 1 { what.0 } else { what.1 },
                    odd.list(),
                    stored.inferred.label()
                ));
            }
            stored
        };

        let tokens: Vec<TokenCells> = token_rows
            .into_iter()
            .enumerate()
            .skip(1)
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(token, rows)| TokenCells {
                token: MISSING_TOKENS[token],
                missing: missing.is_missing(token, storage.text),
                rows,
            })
            .collect();
        let missing = match &storage.data {
            ColumnData::Numeric(values) | ColumnData::Date(values) => values.iter().filter(|v| v.is_nan()).count(),
            ColumnData::Text { codes, .. } => codes.iter().filter(|&&c| c == MISSING_CODE).count(),
        };
        Column {
            name,
            data: storage.data,
            missing,
            inferred: storage.inferred,
            origin: Origin { header: header.to_owned(), tokens, notes: column_notes },
        }
    }
}

/// A column's storage and inferred kind; `text` when tokens are judged as in text.
struct Stored {
    data: ColumnData,
    inferred: ColumnKind,
    text: bool,
}

/// Cells of one sort (text among numbers, numbers among text, infinities):
/// how many, and the first few to quote.
#[derive(Default)]
struct Quoted {
    count: usize,
    first: Vec<(usize, String)>,
}

impl Quoted {
    fn add(&mut self, row: usize, cell: &str) {
        self.count += 1;
        if self.first.len() < QUOTED_CELLS {
            self.first.push((row, cell.to_owned()));
        }
    }

    /// "row 3: 'abc', row 7: 'x'", rows counted from 1 as the page shows them.
    fn list(&self) -> String {
        let mut parts: Vec<String> = self.first.iter().map(|(row, cell)| format!("row {}: '{cell}'", row + 1)).collect();
        if self.count > self.first.len() {
            parts.push("…".to_owned());
        }
        parts.join(", ")
    }
}

/// "1 value …", "3 values …".
fn count_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The column as dates, if it holds no numbers and every present cell reads
/// as a date; tokens are missing as they are among numbers.
fn date_column(
    name: &str,
    cells: &[&str],
    token_rows: &[Vec<u32>],
    missing: Missing,
    numbers: usize,
    column_notes: &mut Vec<String>,
) -> Option<Stored> {
    let first = cells.iter().position(|cell| token_index(cell).is_none())?;
    if numbers > 0 || !dates::could_be_date(cells[first]) {
        return None;
    }
    let mut absent = vec![false; cells.len()];
    for (token, rows) in token_rows.iter().enumerate().skip(1) {
        if missing.is_missing(token, false) {
            for &row in rows {
                absent[row as usize] = true;
            }
        }
    }
    let (days, order) = dates::parse_column(cells, |row| !cells[row].is_empty() && !absent[row])?;
    if let Some(example) = order {
        column_notes.push(format!(
            "Column '{name}' has dates that read either way (e.g. '{example}'); read as month/day/year, as US exports write them."
        ));
    }
    Some(Stored { data: ColumnData::Date(days), inferred: ColumnKind::Date, text: false })
}

/// The kind of a column whose present cells are all numbers (`present` of them).
fn numeric_kind(header: &str, values: &[f32], cells: &[&str], present: usize) -> ColumnKind {
    if present == 0 {
        return ColumnKind::Empty;
    }
    // Both 0 and 1 and nothing else: one pass, no sort (this runs on every
    // numeric column of a million-row file).
    let (mut zero, mut one) = (false, false);
    if values.iter().all(|&v| {
        zero |= v == 0.0;
        one |= v == 1.0;
        v.is_nan() || v == 0.0 || v == 1.0
    }) && zero
        && one
    {
        return ColumnKind::Boolean;
    }
    // Distinctness is judged on the text: large integer keys collide in f32.
    let is_key = || {
        let mut seen = HashSet::with_capacity(present);
        values.iter().all(|v| v.is_nan() || v.fract() == 0.0)
            && values.iter().zip(cells).filter(|(v, _)| !v.is_nan()).all(|(_, cell)| seen.insert(*cell))
    };
    if looks_like_id(header) && is_key() {
        ColumnKind::Identifier
    } else {
        ColumnKind::Numeric
    }
}

/// Headers that name a row key: empty (a spreadsheet's or pandas' index
/// column), "id", "index", "Unnamed: 0", "customer_id", "PassengerId", "UserID".
fn looks_like_id(name: &str) -> bool {
    let lower = name.to_lowercase();
    let camel_id = name
        .strip_suffix("Id")
        .or_else(|| name.strip_suffix("ID"))
        .and_then(|stem| stem.chars().last())
        .is_some_and(char::is_lowercase);
    matches!(lower.as_str(), "" | "id" | "index" | "#")
        || lower.starts_with("unnamed:")
        || [" id", "_id", "-id"].iter().any(|suffix| lower.ends_with(suffix))
        || camel_id
}

/// Dictionary-encodes the cells (levels in order of first appearance) and
/// infers the kind of a column that is not all numbers.
fn text_column(cells: &[&str], missing: Missing) -> Stored {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut levels: Vec<String> = Vec::new();
    let mut absent = 0;
    let mut chars = 0;
    let codes = cells
        .iter()
        .map(|&cell| {
            if token_index(cell).is_some_and(|token| missing.is_missing(token, true)) {
                absent += 1;
                return MISSING_CODE;
            }
            chars += cell.chars().count();
            *index.entry(cell).or_insert_with(|| {
                levels.push(cell.to_owned());
                // The reader caps rows below MISSING_CODE, so this always fits.
                u32::try_from(levels.len() - 1).unwrap_or(MISSING_CODE)
            })
        })
        .collect();

    let present = cells.len() - absent;
    let distinct = levels.len();
    let inferred = if distinct == 2 && is_boolean_pair(&levels) {
        ColumnKind::Boolean
    } else if chars > 30 * present {
        // Long values are prose even when unique, so this comes before keys.
        ColumnKind::Text
    } else if distinct == present && present >= 10 {
        ColumnKind::Identifier
    } else if distinct * 2 > present && distinct > 20 {
        ColumnKind::Text
    } else {
        ColumnKind::Categorical
    };
    Stored { data: ColumnData::Text { codes, levels }, inferred, text: true }
}

/// Whether two levels are a yes/no pair spelled as words.
fn is_boolean_pair(levels: &[String]) -> bool {
    const PAIRS: [[&str; 2]; 4] = [["true", "false"], ["yes", "no"], ["y", "n"], ["t", "f"]];
    let lower: Vec<String> = levels.iter().map(|level| level.to_lowercase()).collect();
    PAIRS.iter().any(|pair| pair.iter().all(|word| lower.iter().any(|l| l == word)))
}
