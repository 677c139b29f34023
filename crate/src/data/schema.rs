//! What a column means: its kind, inferred from its cells, and the views of its
//! storage (numbers, booleans, categories) that the kinds need.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{dates, Categories, Column, ColumnData, ColumnInfo, Origin, Table, TokenCells, TokenCount, MISSING_CODE};

/// What a column means to a model. Inferred once per column; the person may
/// switch to any kind in [`ColumnInfo::allowed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnKind {
    Numeric,
    Categorical,
    Boolean,
    /// One distinct value per row (a key): no signal a model could generalize.
    Identifier,
    /// Free text: too many or too long values to be categories.
    Text,
    /// Every cell is missing.
    Empty,
    /// Calendar dates; a feature only when the person asks, as year, month and weekday.
    Date,
}

impl ColumnKind {
    /// The stable name the page puts in `data-type` attributes and shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Numeric => "numeric",
            Self::Categorical => "categorical",
            Self::Boolean => "boolean",
            Self::Identifier => "identifier",
            Self::Text => "text",
            Self::Empty => "all-missing",
            Self::Date => "date",
        }
    }

    /// Why a column of this kind is not a feature by default, said to the person.
    pub fn why_excluded(self) -> Option<&'static str> {
        match self {
            Self::Numeric | Self::Categorical | Self::Boolean => None,
            Self::Identifier => {
                Some("Not a feature by default: a different value in every row, nothing a model can generalize from.")
            }
            Self::Text => Some("Not a feature by default: free text, too many different values to be categories."),
            Self::Empty => Some("Not a feature: every cell is missing."),
            Self::Date => Some("Not a feature by default: a date. Tick it to learn from its year, month and weekday."),
        }
    }

    /// Whether a column of this kind is offered as a model feature by default.
    pub fn is_feature(self) -> bool {
        matches!(self, Self::Numeric | Self::Categorical | Self::Boolean)
    }
}

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
fn token_index(cell: &str) -> Option<usize> {
    if cell.len() > 4 {
        return None;
    }
    MISSING_TOKENS.iter().position(|&token| token == cell)
}

/// Which tokens a column reads as missing.
#[derive(Clone, Copy, Debug)]
pub(super) enum Missing<'a> {
    /// All of them among numbers and dates; all but "None" among text.
    Default,
    /// Exactly these (and the empty cell): the person's choice for the column.
    Only(&'a [String]),
}

impl Missing<'_> {
    fn is_missing(self, token: usize, text: bool) -> bool {
        token == 0
            || match self {
                Missing::Default => !text || MISSING_TOKENS[token] != KEPT_IN_TEXT,
                Missing::Only(tokens) => tokens.iter().any(|t| t == MISSING_TOKENS[token]),
            }
    }
}

/// Parses a trimmed cell as a number: Rust float syntax (leading `+`,
/// exponents, `inf`), and with `decimal_comma` also a single comma as the
/// decimal point ("1,5"), which semicolon-separated files use. Negative zero is
/// folded into zero so that it is not a category of its own.
pub(super) fn parse_number(cell: &str, decimal_comma: bool) -> Option<f32> {
    let value = match cell.parse::<f32>() {
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
pub(super) struct Notes {
    /// A cell that was read with a decimal comma and its value, as an example.
    pub decimal_comma: Option<(String, f32)>,
}

/// At most this many offending cells are quoted in a column's warning.
const QUOTED_CELLS: usize = 3;

/// Types one column from its trimmed cells. `header` is the header cell as
/// written (before it was made unique or given a name), because an empty or
/// "id"-like header is evidence of an identifier. Numbers are tried first,
/// then dates, then text.
pub(super) fn infer_column(
    name: String,
    header: &str,
    cells: &[&str],
    decimal_comma: bool,
    missing: Missing,
    notes: &mut Notes,
) -> Column {
    let mut token_rows: Vec<Vec<u32>> = vec![Vec::new(); MISSING_TOKENS.len()];
    let mut values = Vec::with_capacity(cells.len());
    let mut texts = Quoted::default();
    let mut numbers = Quoted::default();
    let mut non_finite = Quoted::default();
    let mut first_decimal_comma = None;
    let mut first_thousands = None;
    for (row, &cell) in cells.iter().enumerate() {
        if let Some(token) = token_index(cell) {
            // The reader caps rows below u32::MAX.
            token_rows[token].push(row as u32);
            // A token kept as a value is text, even "NaN".
            if !missing.is_missing(token, false) {
                texts.add(row, cell);
            }
            values.push(f32::NAN);
            continue;
        }
        match parse_number(cell, decimal_comma) {
            Some(value) if value.is_finite() => {
                numbers.add(row, cell);
                values.push(value);
                if cell.contains(',') {
                    if decimal_comma {
                        first_decimal_comma.get_or_insert((cell, value));
                    } else {
                        first_thousands.get_or_insert((cell, value));
                    }
                }
            }
            Some(_) => {
                non_finite.add(row, cell);
                values.push(f32::NAN);
            }
            None => {
                texts.add(row, cell);
                values.push(f32::NAN);
            }
        }
    }

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
        if let Some((cell, value)) = first_decimal_comma {
            notes.decimal_comma.get_or_insert_with(|| (cell.to_owned(), value));
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

/// A column's storage and inferred kind; `text` when tokens are judged as in text.
struct Stored {
    data: ColumnData,
    inferred: ColumnKind,
    text: bool,
}

/// Cells of one sort (text among numbers, numbers among text, infinities):
/// how many, and the first few to quote.
#[derive(Default)]
struct Quoted<'a> {
    count: usize,
    first: Vec<(usize, &'a str)>,
}

impl<'a> Quoted<'a> {
    fn add(&mut self, row: usize, cell: &'a str) {
        self.count += 1;
        if self.first.len() < QUOTED_CELLS {
            self.first.push((row, cell));
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

/// Words read as true, case-insensitively, when a text column is used as boolean.
const TRUE_WORDS: [&str; 5] = ["true", "yes", "y", "t", "1"];

/// Whether two levels are a yes/no pair spelled as words.
fn is_boolean_pair(levels: &[String]) -> bool {
    const PAIRS: [[&str; 2]; 4] = [["true", "false"], ["yes", "no"], ["y", "n"], ["t", "f"]];
    let lower: Vec<String> = levels.iter().map(|level| level.to_lowercase()).collect();
    PAIRS.iter().any(|pair| pair.iter().all(|word| lower.iter().any(|l| l == word)))
}

/// Present values, sorted and without repeats.
fn sorted_distinct(values: &[f32]) -> Vec<f32> {
    let mut distinct: Vec<f32> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    distinct.sort_unstable_by(f32::total_cmp);
    distinct.dedup();
    distinct
}

impl Column {
    /// The summary the page shows in its column table.
    pub fn info(&self) -> ColumnInfo {
        let distinct = self.distinct();
        // What the storage can be read as; boolean needs exactly two values.
        let readable: &[ColumnKind] = match self.data {
            ColumnData::Numeric(_) => {
                &[ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Boolean, ColumnKind::Identifier]
            }
            ColumnData::Text { .. } => {
                &[ColumnKind::Categorical, ColumnKind::Boolean, ColumnKind::Identifier, ColumnKind::Text]
            }
            ColumnData::Date(_) => &[ColumnKind::Date, ColumnKind::Categorical, ColumnKind::Identifier],
        };
        let allowed = if distinct == 0 {
            vec![ColumnKind::Empty]
        } else {
            readable.iter().copied().filter(|&kind| kind != ColumnKind::Boolean || distinct == 2).collect()
        };
        ColumnInfo {
            name: self.name.clone(),
            inferred: self.inferred,
            missing: self.missing,
            allowed,
            distinct,
            tokens: self
                .origin
                .tokens
                .iter()
                .map(|t| TokenCount { token: t.token.to_owned(), count: t.rows.len(), missing: t.missing })
                .collect(),
        }
    }

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

    /// Days since 1970-01-01 of a date column (`NaN` where missing).
    pub fn dates(&self) -> Option<&[f32]> {
        match &self.data {
            ColumnData::Date(days) => Some(days),
            _ => None,
        }
    }

    /// The values of a numerically stored column (`NaN` where missing).
    pub fn numbers(&self) -> Option<&[f32]> {
        match &self.data {
            ColumnData::Numeric(values) => Some(values),
            ColumnData::Text { .. } | ColumnData::Date(_) => None,
        }
    }

    /// The column as 1.0 / 0.0 (`NaN` where missing), if it has exactly two
    /// distinct values. Which value is 1.0: the larger of two numbers; for text,
    /// the level that is a true-word (true, yes, y, t, 1, any case) when exactly
    /// one is, else the level that sorts last ("male" over "female").
    pub fn booleans(&self) -> Option<Vec<f32>> {
        match &self.data {
            ColumnData::Numeric(values) => {
                let [low, high] = <[f32; 2]>::try_from(sorted_distinct(values)).ok()?;
                let bit = |v: f32| match v {
                    v if v == high => 1.0,
                    v if v == low => 0.0,
                    _ => f32::NAN,
                };
                Some(values.iter().map(|&v| bit(v)).collect())
            }
            ColumnData::Text { codes, levels } => {
                let [first, second] = <&[String; 2]>::try_from(levels.as_slice()).ok()?;
                let is_true = |level: &str| TRUE_WORDS.iter().any(|word| level.eq_ignore_ascii_case(word));
                let true_code = match (is_true(first), is_true(second)) {
                    (true, false) => 0,
                    (false, true) => 1,
                    _ if first > second => 0,
                    _ => 1,
                };
                let bit = |code: u32| match code {
                    MISSING_CODE => f32::NAN,
                    code if code == true_code => 1.0,
                    _ => 0.0,
                };
                Some(codes.iter().map(|&code| bit(code)).collect())
            }
            ColumnData::Date(_) => None,
        }
    }

    /// The column as categories. Numbers become levels sorted numerically and
    /// written the shortest way that reads back the same ("3", "2.5").
    pub fn categories(&self) -> Categories {
        match &self.data {
            ColumnData::Text { codes, levels } => Categories { codes: codes.clone(), levels: levels.clone() },
            ColumnData::Numeric(values) | ColumnData::Date(values) => {
                let distinct = sorted_distinct(values);
                let codes = values
                    .iter()
                    .map(|v| {
                        distinct
                            .binary_search_by(|level| level.total_cmp(v))
                            .map_or(MISSING_CODE, |i| u32::try_from(i).unwrap_or(MISSING_CODE))
                    })
                    .collect();
                let format =
                    if matches!(self.data, ColumnData::Date(_)) { dates::format_date } else { |v: f32| v.to_string() };
                Categories { codes, levels: distinct.iter().map(|&v| format(v)).collect() }
            }
        }
    }

    /// Number of distinct present values.
    pub fn distinct(&self) -> usize {
        match &self.data {
            // Counted by bit pattern (NaN and -0 never stored as present
            // values), which is several times faster than sorting a million.
            ColumnData::Numeric(values) | ColumnData::Date(values) => {
                let mut seen = HashSet::new();
                values.iter().filter(|v| !v.is_nan()).filter(|v| seen.insert(v.to_bits())).count()
            }
            ColumnData::Text { levels, .. } => levels.len(),
        }
    }
}

impl Table {
    /// Position of the column with exactly this name (names are unique).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column.name == name)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The column and its warnings.
    fn infer_named(raw_name: &str, cells: &[&str]) -> (Column, Vec<String>) {
        let column = infer_column(raw_name.to_owned(), raw_name, cells, false, Missing::Default, &mut Notes::default());
        let notes = column.origin.notes.clone();
        (column, notes)
    }

    fn kind(raw_name: &str, cells: &[&str]) -> ColumnKind {
        infer_named(raw_name, cells).0.inferred
    }

    fn numbered(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("v{i}")).collect()
    }

    #[test]
    fn labels_are_the_page_contract() {
        let labels: Vec<_> = [
            ColumnKind::Numeric,
            ColumnKind::Categorical,
            ColumnKind::Boolean,
            ColumnKind::Identifier,
            ColumnKind::Text,
            ColumnKind::Empty,
        ]
        .map(ColumnKind::label)
        .to_vec();
        assert_eq!(labels, ["numeric", "categorical", "boolean", "identifier", "text", "all-missing"]);
    }

    #[test]
    fn only_numeric_categorical_boolean_are_features() {
        assert!(ColumnKind::Numeric.is_feature());
        assert!(ColumnKind::Categorical.is_feature());
        assert!(ColumnKind::Boolean.is_feature());
        assert!(!ColumnKind::Identifier.is_feature());
        assert!(!ColumnKind::Text.is_feature());
        assert!(!ColumnKind::Empty.is_feature());
    }

    #[test]
    fn missing_tokens_are_exact_and_case_sensitive() {
        for token in ["", "NA", "N/A", "n/a", "null", "NULL", "NaN", "nan", "None", "?", "-", "."] {
            assert!(token_index(token).is_some(), "{token:?}");
        }
        for token in ["na", "Null", "none", "--", "0", "NA ", "NONE"] {
            assert_eq!(token_index(token), None, "{token:?}");
        }
    }

    fn token_counts(column: &Column) -> Vec<(String, usize, bool)> {
        column.info().tokens.into_iter().map(|t| (t.token, t.count, t.missing)).collect()
    }

    #[test]
    fn every_token_is_missing_among_numbers() {
        let (column, _) = infer_named("x", &["1", "NA", "None", "?", "-", ".", "", "null", "2", "?"]);
        assert_eq!(column.inferred, ColumnKind::Numeric);
        assert_eq!(column.missing, 8);
        assert_eq!(
            token_counts(&column),
            [
                ("NA".into(), 1, true),
                ("null".into(), 1, true),
                ("None".into(), 1, true),
                ("?".into(), 2, true),
                ("-".into(), 1, true),
                (".".into(), 1, true)
            ],
            "the empty cell is always missing and not listed"
        );
    }

    #[test]
    fn none_is_a_level_among_text_and_the_rest_is_missing() {
        let (column, _) = infer_named("damage", &["None", "Minor", "?", "Major", "None", "NA"]);
        assert_eq!(column.inferred, ColumnKind::Categorical);
        let Categories { codes, levels } = column.categories();
        assert_eq!(levels, ["None", "Minor", "Major"]);
        assert_eq!(codes, [0, 1, MISSING_CODE, 2, 0, MISSING_CODE]);
        assert_eq!(column.missing, 2);
        assert_eq!(token_counts(&column), [("NA".into(), 1, true), ("None".into(), 2, false), ("?".into(), 1, true)]);
        assert_eq!(column.missing_tokens(), ["NA", "?"]);
    }

    #[test]
    fn undo_keeps_a_token_as_a_value_and_redo_reads_it_missing_again() {
        let cells = ["Minor", "?", "Major", "?", "NA", "Minor"];
        let (column, _) = infer_named("damage", &cells);
        assert_eq!(column.categories().levels, ["Minor", "Major"]);
        assert_eq!(column.missing, 3);

        let kept = column.retyped(&["NA".to_owned()], false);
        let Categories { codes, levels } = kept.categories();
        assert_eq!(levels, ["Minor", "?", "Major"]);
        assert_eq!(codes, [0, 1, 2, 1, MISSING_CODE, 0]);
        assert_eq!(kept.missing, 1);
        assert_eq!(token_counts(&kept), [("NA".into(), 1, true), ("?".into(), 2, false)]);

        let back = kept.retyped(&["NA".to_owned(), "?".to_owned()], false);
        assert_eq!(back, column, "the same column as first read");

        // "None" kept among text by default can be read as missing instead.
        let (column, _) = infer_named("damage", &["None", "Minor", "None"]);
        let emptied = column.retyped(&["None".to_owned()], false);
        assert_eq!((emptied.missing, emptied.categories().levels), (2, vec!["Minor".to_owned()]));
    }

    #[test]
    fn undo_in_a_numeric_column_makes_it_categorical_with_a_warning() {
        let (column, _) = infer_named("grade", &["1", "2.50", "?", "3", "?"]);
        assert_eq!(column.inferred, ColumnKind::Numeric);
        let kept = column.retyped(&[], false);
        assert_eq!(kept.inferred, ColumnKind::Categorical);
        assert_eq!(kept.categories().levels, ["1", "2.5", "?", "3"], "numbers in their shortest form");
        assert_eq!(
            kept.origin.notes,
            ["Column 'grade' mixes numbers and text: 2 of 5 cells are text (row 3: '?', row 5: '?'); treated as categorical."]
        );
        let bits = |c: &Column| c.numbers().unwrap().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&kept.retyped(&["?".to_owned()], false)), bits(&column));
        // Even "NaN" kept as a value is text, not a non-finite number.
        assert_eq!(infer_named("x", &["1", "NaN"]).0.retyped(&[], false).categories().levels, ["1", "NaN"]);
    }

    #[test]
    fn retyping_a_table_column_swaps_its_warnings() {
        let mut table = crate::data::read_csv(b"a,b\n1,x\n?,y\n2,x\n").unwrap();
        assert!(table.warnings.is_empty());
        table.set_missing(0, &[]).unwrap();
        assert_eq!(table.columns[0].inferred, ColumnKind::Categorical);
        assert_eq!(
            table.warnings,
            ["Column 'a' mixes numbers and text: 1 of 3 cells is text (row 2: '?'); treated as categorical."]
        );
        table.set_missing(0, &["?".to_owned()]).unwrap();
        assert!(table.warnings.is_empty());
        assert_eq!(table.columns[0].inferred, ColumnKind::Numeric);
        assert!(table.set_missing(5, &[]).is_none());
    }

    #[test]
    fn number_syntax() {
        assert_eq!(parse_number("+1.5", false), Some(1.5));
        assert_eq!(parse_number("-2e3", false), Some(-2000.0));
        assert_eq!(parse_number(".5", false), Some(0.5));
        assert_eq!(parse_number("-inf", false), Some(f32::NEG_INFINITY));
        assert_eq!(parse_number("1e39", false), Some(f32::INFINITY));
        assert_eq!(parse_number("1,5", false), None);
        // Thousands separators, as spreadsheets export quoted numbers.
        assert_eq!(parse_number("1,234", false), Some(1234.0));
        assert_eq!(parse_number("-12,345,678.5", false), Some(-12_345_678.5));
        assert_eq!(parse_number("+1,000", false), Some(1000.0));
        assert_eq!(parse_number("1,23", false), None);
        assert_eq!(parse_number("1234,567", false), None);
        assert_eq!(parse_number(",123", false), None);
        let table = crate::data::read_csv(b"price,y\n\"1,234\",a\n\"12,000.5\",b\n7,a\n").unwrap();
        assert_eq!(table.columns[0].numbers(), Some(&[1234.0, 12000.5, 7.0][..]));
        assert_eq!(
            table.warnings,
            ["Column 'price' writes numbers with thousands separators (e.g. '1,234' = 1234); read as numbers."]
        );
        assert_eq!(parse_number("1,5", true), Some(1.5));
        assert_eq!(parse_number("-0,25", true), Some(-0.25));
        assert_eq!(parse_number("2.5", true), Some(2.5));
        assert_eq!(parse_number("1,2,3", true), None);
        assert_eq!(parse_number("1,000.5", true), None);
        assert_eq!(parse_number("abc", true), None);
        assert!(parse_number("-0", false).is_some_and(f32::is_sign_positive));
    }

    #[test]
    fn all_missing_is_empty() {
        let (column, notes) = infer_named("x", &["", "NA", "?"]);
        assert_eq!(column.inferred, ColumnKind::Empty);
        assert_eq!(column.missing, 3);
        assert_eq!(column.distinct(), 0);
        assert_eq!(column.info().allowed, [ColumnKind::Empty]);
        assert!(notes.is_empty());
    }

    #[test]
    fn numbers_with_missing_are_numeric() {
        let (column, _) = infer_named("height", &["1.5", "NA", "+2", "3e1"]);
        assert_eq!(column.inferred, ColumnKind::Numeric);
        assert_eq!(column.missing, 1);
        let values = column.numbers().unwrap();
        assert_eq!(values.len(), 4);
        assert_eq!((values[0], values[2], values[3]), (1.5, 2.0, 30.0));
        assert!(values[1].is_nan());
        assert_eq!(column.info().allowed, [ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Identifier]);
    }

    #[test]
    fn zero_one_is_boolean_only_with_both() {
        assert_eq!(kind("flag", &["0", "1", "1", "NA"]), ColumnKind::Boolean);
        assert_eq!(kind("flag", &["1", "1", "1"]), ColumnKind::Numeric);
        assert_eq!(kind("flag", &["1", "2", "1"]), ColumnKind::Numeric);
        assert_eq!(kind("flag", &["0", "1", "2"]), ColumnKind::Numeric);
    }

    #[test]
    fn distinct_integers_under_an_id_name_are_identifiers() {
        let cells = ["3", "1", "2", "10"];
        for name in ["", "id", "ID", "index", "#", "Unnamed: 0", "customer_id", "Row ID", "PassengerId", "UserID"] {
            assert_eq!(kind(name, &cells), ColumnKind::Identifier, "{name:?}");
        }
        for name in ["age", "valid", "VALID", "paid", "idea"] {
            assert_eq!(kind(name, &cells), ColumnKind::Numeric, "{name:?}");
        }
        assert_eq!(kind("id", &["1", "2", "2"]), ColumnKind::Numeric, "repeats");
        assert_eq!(kind("id", &["1.5", "2", "3"]), ColumnKind::Numeric, "fractions");
        // 123456789 and 123456790 are the same f32 but different keys.
        assert_eq!(kind("id", &["123456789", "123456790"]), ColumnKind::Identifier);
    }

    #[test]
    fn infinities_become_missing_with_a_warning() {
        let (column, notes) = infer_named("x", &["1", "inf", "2", "1e39"]);
        assert_eq!(column.inferred, ColumnKind::Numeric);
        assert_eq!(column.missing, 2);
        assert_eq!(
            notes,
            ["Column 'x' has 2 values that are infinite or beyond ±3.4e38, the range of the 32-bit numbers this page stores (row 2: 'inf', row 4: '1e39'); treated as missing."]
        );
        let (column, _) = infer_named("x", &["inf", "-inf"]);
        assert_eq!(column.inferred, ColumnKind::Empty);
        let (column, notes) = infer_named("x", &["Infinity", "-Infinity", "+1e5", "-2.5E-3", "1e39", "3.4e38"]);
        assert_eq!(column.numbers().unwrap()[2..4], [1e5, -2.5e-3]);
        assert_eq!(column.numbers().unwrap()[5], 3.4e38, "the largest f32s are still numbers");
        assert!(
            notes[0].contains("has 3 values that are infinite")
                && notes[0].ends_with("(row 1: 'Infinity', row 2: '-Infinity', row 5: '1e39'); treated as missing."),
            "{notes:?}"
        );
    }

    #[test]
    fn a_mixed_column_names_a_few_of_its_minority_cells() {
        let mut cells = vec!["1"; 10];
        cells.extend(["n.a.", "x", "y", "z"]);
        let (column, notes) = infer_named("x", &cells);
        assert_eq!(column.inferred, ColumnKind::Categorical);
        assert_eq!(notes, ["Column 'x' mixes numbers and text: 4 of 14 cells are text (row 11: 'n.a.', row 12: 'x', row 13: 'y', …); treated as categorical."]);
        let (_, notes) = infer_named("x", &["a", "b", "7", "a", "b"]);
        assert_eq!(
            notes,
            ["Column 'x' mixes numbers and text: 1 of 5 cells is a number (row 3: '7'); treated as categorical."]
        );
    }

    #[test]
    fn dates_are_their_own_kind_and_not_features_by_default() {
        let (column, notes) = infer_named("when", &["2024-03-05", "NA", "2024-03-06 12:00", "None", "?"]);
        assert_eq!(column.inferred, ColumnKind::Date);
        assert!(notes.is_empty());
        assert_eq!(column.missing, 3, "tokens are missing among dates as among numbers");
        assert_eq!(column.categories().levels, ["2024-03-05", "2024-03-06 12:00"]);
        assert_eq!(column.info().allowed, [ColumnKind::Date, ColumnKind::Categorical, ColumnKind::Identifier]);
        assert_eq!((column.numbers(), column.booleans()), (None, None));
        assert!(!ColumnKind::Date.is_feature());
        assert!(ColumnKind::Date.why_excluded().unwrap().contains("year, month and weekday"));
        let (column, notes) = infer_named("when", &["05/03/2024", "01/02/2024"]);
        assert_eq!(column.categories().levels, ["2024-01-02", "2024-05-03"]);
        assert_eq!(notes, ["Column 'when' has dates that read either way (e.g. '05/03/2024'); read as month/day/year, as US exports write them."]);
        assert_eq!(infer_named("when", &["2024-03-05", "soon"]).0.inferred, ColumnKind::Categorical);
        assert_eq!(infer_named("year", &["2024", "2025"]).0.inferred, ColumnKind::Numeric);
        // Undo keeps a token as a value: no longer all dates.
        let (column, _) = infer_named("when", &["2024-03-05", "?"]);
        assert_eq!(column.retyped(&[], false).inferred, ColumnKind::Categorical);
        assert_eq!(column.retyped(&["?".to_owned()], false).categories(), column.categories());
    }

    #[test]
    fn word_pairs_are_boolean() {
        assert_eq!(kind("ok", &["Yes", "No", "yes"]), ColumnKind::Categorical, "three levels");
        assert_eq!(kind("ok", &["Yes", "No", "NA"]), ColumnKind::Boolean);
        assert_eq!(kind("ok", &["TRUE", "FALSE"]), ColumnKind::Boolean);
        assert_eq!(kind("ok", &["y", "n"]), ColumnKind::Boolean);
        assert_eq!(kind("ok", &["T", "F"]), ColumnKind::Boolean);
        assert_eq!(kind("ok", &["yes", "false"]), ColumnKind::Categorical);
        assert_eq!(kind("sex", &["male", "female"]), ColumnKind::Categorical);
    }

    #[test]
    fn text_kinds() {
        let unique = numbered(10);
        let unique: Vec<&str> = unique.iter().map(String::as_str).collect();
        assert_eq!(kind("code", &unique), ColumnKind::Identifier);
        assert_eq!(kind("code", &unique[..9]), ColumnKind::Categorical, "too few rows to call it a key");

        let mut many = numbered(25);
        many.extend(numbered(20));
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(kind("word", &many), ColumnKind::Text, "25 distinct of 45");

        let mut some = numbered(21);
        some.extend(numbered(21));
        let some: Vec<&str> = some.iter().map(String::as_str).collect();
        assert_eq!(kind("word", &some), ColumnKind::Categorical, "21 distinct of 42 is not more than half");

        let long = "a sentence that is clearly longer than thirty characters";
        assert_eq!(kind("note", &[long, long, "short"]), ColumnKind::Text);
        assert_eq!(kind("note", &["a", "b", "a"]), ColumnKind::Categorical);
    }

    #[test]
    fn mixed_numbers_and_text_warns() {
        let (column, notes) = infer_named("x", &["1", "2", "abc", "3", "NA"]);
        assert_eq!(column.inferred, ColumnKind::Categorical);
        assert_eq!(column.missing, 1);
        assert_eq!(
            notes,
            ["Column 'x' mixes numbers and text: 1 of 4 cells is text (row 3: 'abc'); treated as categorical."]
        );
        let Categories { codes, levels } = column.categories();
        assert_eq!(levels, ["1", "2", "abc", "3"]);
        assert_eq!(codes, [0, 1, 2, 3, MISSING_CODE]);
        assert!(infer_named("x", &["a", "b"]).1.is_empty());
    }

    #[test]
    fn decimal_comma_is_noted_only_when_used() {
        let mut notes = Notes::default();
        let column = infer_column("w".to_owned(), "w", &["2.5", "1,5"], true, Missing::Default, &mut notes);
        assert_eq!(column.numbers(), Some(&[2.5, 1.5][..]));
        assert_eq!(notes.decimal_comma, Some(("1,5".to_owned(), 1.5)));

        let mut notes = Notes::default();
        infer_column("w".to_owned(), "w", &["2.5", "1"], true, Missing::Default, &mut notes);
        assert_eq!(notes.decimal_comma, None);
    }

    #[test]
    fn numeric_categories_sort_and_format() {
        let (column, _) = infer_named("x", &["3", "2.5", "NA", "3", "-0", "0", "10"]);
        let Categories { codes, levels } = column.categories();
        assert_eq!(levels, ["0", "2.5", "3", "10"]);
        assert_eq!(codes, [2, 1, MISSING_CODE, 2, 0, 0, 3]);
        assert_eq!(column.distinct(), 4);
    }

    #[test]
    fn booleans_from_numbers() {
        let (column, _) = infer_named("sex", &["2", "1", "NA", "2"]);
        assert_eq!(column.inferred, ColumnKind::Numeric);
        let bits = column.booleans().unwrap();
        assert_eq!((bits[0], bits[1], bits[3]), (1.0, 0.0, 1.0));
        assert!(bits[2].is_nan());
        assert!(column.info().allowed.contains(&ColumnKind::Boolean));

        let (three, _) = infer_named("x", &["1", "2", "3"]);
        assert_eq!(three.booleans(), None);
        assert!(!three.info().allowed.contains(&ColumnKind::Boolean));
    }

    #[test]
    fn booleans_from_text() {
        let bits = |cells: &[&str]| infer_named("x", cells).0.booleans();
        assert_eq!(bits(&["no", "Yes", "no"]), Some(vec![0.0, 1.0, 0.0]));
        assert_eq!(bits(&["T", "F"]), Some(vec![1.0, 0.0]));
        assert_eq!(bits(&["female", "male"]), Some(vec![0.0, 1.0]));
        assert_eq!(bits(&["male", "female"]), Some(vec![1.0, 0.0]));
        let with_missing = bits(&["n", "NA", "y"]).unwrap();
        assert_eq!((with_missing[0], with_missing[2]), (0.0, 1.0));
        assert!(with_missing[1].is_nan());
        assert_eq!(bits(&["a", "b", "c"]), None);
    }

    #[test]
    fn allowed_kinds_follow_storage_and_include_the_inferred_one() {
        let (text, _) = infer_named("x", &["a", "b", "a"]);
        let info = text.info();
        assert_eq!(info.allowed, [ColumnKind::Categorical, ColumnKind::Boolean, ColumnKind::Identifier, ColumnKind::Text]);
        assert_eq!((info.inferred, info.distinct, info.missing), (ColumnKind::Categorical, 2, 0));
        assert_eq!(text.numbers(), None);

        let (flag, _) = infer_named("x", &["0", "1"]);
        assert_eq!(
            flag.info().allowed,
            [ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Boolean, ColumnKind::Identifier]
        );
        let (words, _) = infer_named("x", &["a", "b", "c"]);
        assert_eq!(words.info().allowed, [ColumnKind::Categorical, ColumnKind::Identifier, ColumnKind::Text]);
    }

    #[test]
    fn column_index_finds_exact_names() {
        let table = Table {
            columns: vec![infer_named("a", &["1"]).0, infer_named("b", &["x"]).0],
            n_rows: 1,
            preview: vec![],
            warnings: vec![],
            decimal_comma: false,
        };
        assert_eq!(table.column_index("b"), Some(1));
        assert_eq!(table.column_index("B"), None);
    }
}
