//! Model inputs in the person's terms: which column an input came from and how
//! it was encoded, the value a column holds, and how a model wants its numeric
//! inputs presented.

use serde::{Deserialize, Serialize};

use super::format_number;

/// A model input in the person's terms: which column it came from and how it
/// was encoded, so that a split on it can be stated in the column's own words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    pub column: String,
    pub encoding: Encoding,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Encoding {
    /// The column's own numeric value, in its own units.
    Value,
    /// 1 when the categorical column equals this level, else 0 (one-hot).
    Level(String),
    /// 1 for true, 0 for false.
    Flag,
}

impl FeatureInfo {
    /// The input's name for a chart: the column, or "column = level".
    pub fn label(&self) -> String {
        match &self.encoding {
            Encoding::Level(level) => format!("{} = {level}", self.column),
            Encoding::Value | Encoding::Flag => self.column.clone(),
        }
    }

    /// The rule "value ≤ threshold" on this feature, said in the column's terms.
    pub fn split_rule(&self, threshold: f64) -> SplitRule {
        match &self.encoding {
            Encoding::Value => SplitRule::AtMost { threshold },
            Encoding::Level(level) => SplitRule::IsNot { level: level.clone() },
            Encoding::Flag => SplitRule::IsFalse,
        }
    }
}

/// The condition of a split, in the column's own terms and units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SplitRule {
    /// Numeric column: `feature ≤ threshold`.
    AtMost { threshold: f64 },
    /// One level of a categorical column: `feature ≠ level`.
    IsNot { level: String },
    /// Boolean column: `feature` is false.
    IsFalse,
}

/// The value of one feature column, in the column's own terms: what a slider
/// sets, what a data row holds after imputation, what a tree's split tests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FeatureValue {
    Number(f64),
    Flag(bool),
    Level(String),
}

impl FeatureValue {
    /// The value as a person reads it: "210", "true", "Biscoe".
    pub fn text(&self) -> String {
        match self {
            FeatureValue::Number(v) => format_number(*v),
            FeatureValue::Flag(b) => b.to_string(),
            FeatureValue::Level(l) => l.clone(),
        }
    }
}

/// Values of some feature columns, by column name. A column left out takes its
/// typical value (training median or most frequent).
pub type FeatureValues = Vec<(String, FeatureValue)>;

/// Looks `column` up in `values`.
pub fn value_of<'a>(values: &'a [(String, FeatureValue)], column: &str) -> Option<&'a FeatureValue> {
    values.iter().find(|(name, _)| name == column).map(|(_, v)| v)
}

/// How the default preprocessing must present numeric inputs to a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scaling {
    /// Raw values in the column's units (trees split on thresholds).
    None,
    /// Zero mean and unit variance on the training rows (distances, gradients, penalties).
    Standardize,
}
