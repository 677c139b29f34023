//! What a column's storage can be read as, whatever its kind: numbers, dates,
//! booleans, categories, and the summary the page shows.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::ColumnKind;
use crate::data::{dates, Categories, Column, ColumnData, ColumnInfo, Table, TokenCount, MISSING_CODE};

/// Words read as true, case-insensitively, when a text column is used as boolean.
const TRUE_WORDS: [&str; 5] = ["true", "yes", "y", "t", "1"];

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
                let mut seen: HashSet<u32, BuildHasherDefault<BitsHasher>> = HashSet::default();
                values.iter().filter(|v| !v.is_nan()).filter(|v| seen.insert(v.to_bits())).count()
            }
            ColumnData::Text { levels, .. } => levels.len(),
        }
    }
}

/// Hashes a number's 32 bits by one multiplication, its high half folded
/// onto the low half that picks the bucket (the bits of a whole number end
/// in zeros). The keys are values of the person's own file, not an
/// attacker's, and std's SipHash was most of the time the page took to
/// summarize a million-row file's columns.
#[derive(Default)]
struct BitsHasher(u64);

impl Hasher for BitsHasher {
    fn write_u32(&mut self, bits: u32) {
        let product = u64::from(bits).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = product ^ (product >> 32);
    }

    /// Only `u32` keys are hashed; any other bytes go through `write_u32` one by one.
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u32(self.0 as u32 ^ u32::from(byte));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Table {
    /// Position of the column with exactly this name (names are unique).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column.name == name)
    }
}
