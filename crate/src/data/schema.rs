//! What a column means: its kind, inferred from its cells, and the views of its
//! storage (numbers, booleans, categories) that the kinds need.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Categories, Column, ColumnData, ColumnInfo, Table, MISSING_CODE};

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
        }
    }

    /// Whether a column of this kind is offered as a model feature by default.
    pub fn is_feature(self) -> bool {
        matches!(self, Self::Numeric | Self::Categorical | Self::Boolean)
    }
}

/// Cells that mean "no value", compared after trimming and case-sensitively
/// (so a category named "Null" or "na" stays a category).
pub(super) fn is_missing(cell: &str) -> bool {
    matches!(
        cell,
        "" | "NA" | "N/A" | "n/a" | "null" | "NULL" | "NaN" | "nan" | "?"
    )
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
    let integer = unsigned.split_once('.').map_or(unsigned, |(int, frac)| {
        if frac.bytes().all(|b| b.is_ascii_digit()) { int } else { "" }
    });
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    first_ok && rest.peek().is_some() && rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// What typing the columns noticed that the table-level warnings need.
#[derive(Debug, Default)]
pub(super) struct Notes {
    pub warnings: Vec<String>,
    /// A cell that was read with a decimal comma and its value, as an example.
    pub decimal_comma: Option<(String, f32)>,
}

/// Types one column from its trimmed cells. `raw_name` is the header cell as
/// written (before it was made unique or given a name), because an empty or
/// "id"-like header is evidence of an identifier.
pub(super) fn infer_column(
    name: String,
    raw_name: &str,
    cells: &[&str],
    decimal_comma: bool,
    notes: &mut Notes,
) -> Column {
    let mut values = Vec::with_capacity(cells.len());
    let mut first_text = None;
    let mut first_non_finite = None;
    let mut first_decimal_comma = None;
    let mut first_thousands = None;
    let mut numbers = 0;
    for (row, &cell) in cells.iter().enumerate() {
        if is_missing(cell) {
            values.push(f32::NAN);
            continue;
        }
        match parse_number(cell, decimal_comma) {
            Some(value) if value.is_finite() => {
                numbers += 1;
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
                first_non_finite.get_or_insert((row, cell));
                values.push(f32::NAN);
            }
            None => {
                first_text.get_or_insert((row, cell));
                values.push(f32::NAN);
            }
        }
    }

    let Some((text_row, text_cell)) = first_text else {
        if let Some((row, cell)) = first_non_finite {
            notes.warnings.push(format!(
                "Column '{name}' has values that are not finite numbers (e.g. row {}: '{cell}'); they are treated as missing.",
                row + 1
            ));
        }
        if let Some((cell, value)) = first_thousands {
            notes.warnings.push(format!("Column '{name}' writes numbers with thousands separators (e.g. '{cell}' = {value}); read as numbers."));
        }
        if let Some((cell, value)) = first_decimal_comma {
            notes
                .decimal_comma
                .get_or_insert_with(|| (cell.to_owned(), value));
        }
        let inferred = numeric_kind(raw_name, &values, cells, numbers);
        let missing = cells.len() - numbers;
        return Column {
            name,
            data: ColumnData::Numeric(values),
            missing,
            inferred,
        };
    };

    let column = text_column(name, cells);
    if numbers > 0 {
        notes.warnings.push(format!(
            "Column '{}' mixes numbers and text (e.g. row {}: '{text_cell}'); treated as {}.",
            column.name,
            text_row + 1,
            column.inferred.label()
        ));
    }
    column
}

/// The kind of a column whose present cells are all numbers (`present` of them).
fn numeric_kind(raw_name: &str, values: &[f32], cells: &[&str], present: usize) -> ColumnKind {
    if present == 0 {
        return ColumnKind::Empty;
    }
    if sorted_distinct(values) == [0.0, 1.0] {
        return ColumnKind::Boolean;
    }
    // Distinctness is judged on the text: large integer keys collide in f32.
    let is_key = || {
        let mut seen = HashSet::with_capacity(present);
        values.iter().all(|v| v.is_nan() || v.fract() == 0.0)
            && cells
                .iter()
                .filter(|cell| !is_missing(cell))
                .all(|cell| seen.insert(*cell))
    };
    if looks_like_id(raw_name) && is_key() {
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
        || [" id", "_id", "-id"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
        || camel_id
}

/// Dictionary-encodes the cells (levels in order of first appearance) and
/// infers the kind of a column that is not all numbers.
fn text_column(name: String, cells: &[&str]) -> Column {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut levels: Vec<String> = Vec::new();
    let mut missing = 0;
    let mut chars = 0;
    let codes = cells
        .iter()
        .map(|&cell| {
            if is_missing(cell) {
                missing += 1;
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

    let present = cells.len() - missing;
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
    Column {
        name,
        data: ColumnData::Text { codes, levels },
        missing,
        inferred,
    }
}

/// Words read as true, case-insensitively, when a text column is used as boolean.
const TRUE_WORDS: [&str; 5] = ["true", "yes", "y", "t", "1"];

/// Whether two levels are a yes/no pair spelled as words.
fn is_boolean_pair(levels: &[String]) -> bool {
    const PAIRS: [[&str; 2]; 4] = [["true", "false"], ["yes", "no"], ["y", "n"], ["t", "f"]];
    let lower: Vec<String> = levels.iter().map(|level| level.to_lowercase()).collect();
    PAIRS
        .iter()
        .any(|pair| pair.iter().all(|word| lower.iter().any(|l| l == word)))
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
            ColumnData::Numeric(_) => &[
                ColumnKind::Numeric,
                ColumnKind::Categorical,
                ColumnKind::Boolean,
                ColumnKind::Identifier,
            ],
            ColumnData::Text { .. } => &[
                ColumnKind::Categorical,
                ColumnKind::Boolean,
                ColumnKind::Identifier,
                ColumnKind::Text,
            ],
        };
        let allowed = if distinct == 0 {
            vec![ColumnKind::Empty]
        } else {
            readable
                .iter()
                .copied()
                .filter(|&kind| kind != ColumnKind::Boolean || distinct == 2)
                .collect()
        };
        ColumnInfo {
            name: self.name.clone(),
            inferred: self.inferred,
            missing: self.missing,
            allowed,
            distinct,
        }
    }

    /// The values of a numerically stored column (`NaN` where missing).
    pub fn numbers(&self) -> Option<&[f32]> {
        match &self.data {
            ColumnData::Numeric(values) => Some(values),
            ColumnData::Text { .. } => None,
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
                let is_true = |level: &str| {
                    TRUE_WORDS
                        .iter()
                        .any(|word| level.eq_ignore_ascii_case(word))
                };
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
        }
    }

    /// The column as categories. Numbers become levels sorted numerically and
    /// written the shortest way that reads back the same ("3", "2.5").
    pub fn categories(&self) -> Categories {
        match &self.data {
            ColumnData::Text { codes, levels } => Categories {
                codes: codes.clone(),
                levels: levels.clone(),
            },
            ColumnData::Numeric(values) => {
                let distinct = sorted_distinct(values);
                let codes = values
                    .iter()
                    .map(|v| {
                        distinct
                            .binary_search_by(|level| level.total_cmp(v))
                            .map_or(MISSING_CODE, |i| u32::try_from(i).unwrap_or(MISSING_CODE))
                    })
                    .collect();
                Categories {
                    codes,
                    levels: distinct.iter().map(f32::to_string).collect(),
                }
            }
        }
    }

    /// Number of distinct present values.
    pub fn distinct(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(values) => sorted_distinct(values).len(),
            ColumnData::Text { levels, .. } => levels.len(),
        }
    }
}

impl Table {
    /// Position of the column with exactly this name (names are unique).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer_named(raw_name: &str, cells: &[&str]) -> (Column, Notes) {
        let mut notes = Notes::default();
        let column = infer_column(raw_name.to_owned(), raw_name, cells, false, &mut notes);
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
        assert_eq!(
            labels,
            [
                "numeric",
                "categorical",
                "boolean",
                "identifier",
                "text",
                "all-missing"
            ]
        );
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
        for token in ["", "NA", "N/A", "n/a", "null", "NULL", "NaN", "nan", "?"] {
            assert!(is_missing(token), "{token:?}");
        }
        for token in ["na", "Null", "none", "-", "0", "NA "] {
            assert!(!is_missing(token), "{token:?}");
        }
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
        assert_eq!(table.warnings, ["Column 'price' writes numbers with thousands separators (e.g. '1,234' = 1234); read as numbers."]);
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
        assert!(notes.warnings.is_empty());
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
        assert_eq!(
            column.info().allowed,
            [
                ColumnKind::Numeric,
                ColumnKind::Categorical,
                ColumnKind::Identifier
            ]
        );
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
        for name in [
            "",
            "id",
            "ID",
            "index",
            "#",
            "Unnamed: 0",
            "customer_id",
            "Row ID",
            "PassengerId",
            "UserID",
        ] {
            assert_eq!(kind(name, &cells), ColumnKind::Identifier, "{name:?}");
        }
        for name in ["age", "valid", "VALID", "paid", "idea"] {
            assert_eq!(kind(name, &cells), ColumnKind::Numeric, "{name:?}");
        }
        assert_eq!(kind("id", &["1", "2", "2"]), ColumnKind::Numeric, "repeats");
        assert_eq!(
            kind("id", &["1.5", "2", "3"]),
            ColumnKind::Numeric,
            "fractions"
        );
        // 123456789 and 123456790 are the same f32 but different keys.
        assert_eq!(
            kind("id", &["123456789", "123456790"]),
            ColumnKind::Identifier
        );
    }

    #[test]
    fn infinities_become_missing_with_a_warning() {
        let (column, notes) = infer_named("x", &["1", "inf", "2", "1e39"]);
        assert_eq!(column.inferred, ColumnKind::Numeric);
        assert_eq!(column.missing, 2);
        assert_eq!(
            notes.warnings,
            ["Column 'x' has values that are not finite numbers (e.g. row 2: 'inf'); they are treated as missing."]
        );
        let (column, _) = infer_named("x", &["inf", "-inf"]);
        assert_eq!(column.inferred, ColumnKind::Empty);
    }

    #[test]
    fn word_pairs_are_boolean() {
        assert_eq!(
            kind("ok", &["Yes", "No", "yes"]),
            ColumnKind::Categorical,
            "three levels"
        );
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
        assert_eq!(
            kind("code", &unique[..9]),
            ColumnKind::Categorical,
            "too few rows to call it a key"
        );

        let mut many = numbered(25);
        many.extend(numbered(20));
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(kind("word", &many), ColumnKind::Text, "25 distinct of 45");

        let mut some = numbered(21);
        some.extend(numbered(21));
        let some: Vec<&str> = some.iter().map(String::as_str).collect();
        assert_eq!(
            kind("word", &some),
            ColumnKind::Categorical,
            "21 distinct of 42 is not more than half"
        );

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
            notes.warnings,
            ["Column 'x' mixes numbers and text (e.g. row 3: 'abc'); treated as categorical."]
        );
        let Categories { codes, levels } = column.categories();
        assert_eq!(levels, ["1", "2", "abc", "3"]);
        assert_eq!(codes, [0, 1, 2, 3, MISSING_CODE]);
        assert!(infer_named("x", &["a", "b"]).1.warnings.is_empty());
    }

    #[test]
    fn decimal_comma_is_noted_only_when_used() {
        let mut notes = Notes::default();
        let column = infer_column("w".to_owned(), "w", &["2.5", "1,5"], true, &mut notes);
        assert_eq!(column.numbers(), Some(&[2.5, 1.5][..]));
        assert_eq!(notes.decimal_comma, Some(("1,5".to_owned(), 1.5)));

        let mut notes = Notes::default();
        infer_column("w".to_owned(), "w", &["2.5", "1"], true, &mut notes);
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
        assert_eq!(
            info.allowed,
            [
                ColumnKind::Categorical,
                ColumnKind::Boolean,
                ColumnKind::Identifier,
                ColumnKind::Text
            ]
        );
        assert_eq!(
            (info.inferred, info.distinct, info.missing),
            (ColumnKind::Categorical, 2, 0)
        );
        assert_eq!(text.numbers(), None);

        let (flag, _) = infer_named("x", &["0", "1"]);
        assert_eq!(
            flag.info().allowed,
            [
                ColumnKind::Numeric,
                ColumnKind::Categorical,
                ColumnKind::Boolean,
                ColumnKind::Identifier
            ]
        );
        let (words, _) = infer_named("x", &["a", "b", "c"]);
        assert_eq!(
            words.info().allowed,
            [
                ColumnKind::Categorical,
                ColumnKind::Identifier,
                ColumnKind::Text
            ]
        );
    }

    #[test]
    fn column_index_finds_exact_names() {
        let table = Table {
            columns: vec![infer_named("a", &["1"]).0, infer_named("b", &["x"]).0],
            n_rows: 1,
            preview: vec![],
            warnings: vec![],
        };
        assert_eq!(table.column_index("b"), Some(1));
        assert_eq!(table.column_index("B"), None);
    }
}
