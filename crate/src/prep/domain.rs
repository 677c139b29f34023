//! The feature columns' domains on the training rows.

use serde::{Deserialize, Serialize};

use crate::base::FeatureValue;

/// The values a feature column takes on the training rows and its typical one
/// (median or most frequent): what a slider of the boundary plot's slice
/// spans and where it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ColumnDomain {
    /// A slider over the training range.
    Number { column: String, min: f64, max: f64, value: f64 },
    /// A yes/no choice.
    Flag { column: String, value: bool },
    /// A choice among the levels seen in training.
    Levels { column: String, levels: Vec<String>, value: String },
}

impl ColumnDomain {
    pub fn column(&self) -> &str {
        match self {
            ColumnDomain::Number { column, .. }
            | ColumnDomain::Flag { column, .. }
            | ColumnDomain::Levels { column, .. } => column,
        }
    }

    /// The column's typical value.
    pub fn typical(&self) -> FeatureValue {
        match self {
            ColumnDomain::Number { value, .. } => FeatureValue::Number(*value),
            ColumnDomain::Flag { value, .. } => FeatureValue::Flag(*value),
            ColumnDomain::Levels { value, .. } => FeatureValue::Level(value.clone()),
        }
    }
}
