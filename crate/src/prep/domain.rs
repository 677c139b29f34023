//! The feature columns' domains on the training rows.

use serde::{Deserialize, Serialize};

use crate::base::FeatureValue;

/// How close a number must be to the slice's to count as near it, as a share
/// of the column's training range: see [`ColumnDomain::near`].
pub const NEAR_SHARE: f64 = 0.1;

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

    /// Whether `a` is near the slice's value `b` in this column: the same
    /// level or flag, or for a number within [`NEAR_SHARE`] of the column's
    /// training range (a tenth of its slider), a rule a person can see. The
    /// boundary plot draws rows near its slice in every held feature bold.
    pub fn near(&self, a: &FeatureValue, b: &FeatureValue) -> bool {
        match (self, a, b) {
            (ColumnDomain::Number { min, max, .. }, FeatureValue::Number(a), FeatureValue::Number(b)) => {
                (a - b).abs() <= (max - min) * NEAR_SHARE
            }
            (ColumnDomain::Number { .. }, _, _) => false,
            _ => a == b,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_the_slice_is_the_same_level_or_a_tenth_of_the_range() {
        let mass = ColumnDomain::Number { column: "body_mass_g".into(), min: 2700.0, max: 6300.0, value: 4050.0 };
        let n = FeatureValue::Number;
        // A tenth of 3,600 g is 360 g, either side.
        assert!(mass.near(&n(4400.0), &n(4050.0)));
        assert!(mass.near(&n(3690.0), &n(4050.0)));
        assert!(!mass.near(&n(4411.0), &n(4050.0)));
        assert!(!mass.near(&n(f64::NAN), &n(4050.0)));
        assert!(!mass.near(&FeatureValue::Flag(true), &n(4050.0)));
        // A column with one value in training: only that value is near it.
        let flat = ColumnDomain::Number { column: "year".into(), min: 2008.0, max: 2008.0, value: 2008.0 };
        assert!(flat.near(&n(2008.0), &n(2008.0)) && !flat.near(&n(2009.0), &n(2008.0)));
        let island = ColumnDomain::Levels {
            column: "island".into(),
            levels: vec!["Biscoe".into(), "Dream".into(), "Torgersen".into()],
            value: "Biscoe".into(),
        };
        let level = |l: &str| FeatureValue::Level(l.into());
        assert!(island.near(&level("Biscoe"), &level("Biscoe")));
        assert!(!island.near(&level("Dream"), &level("Biscoe")));
        let sex = ColumnDomain::Flag { column: "male".into(), value: true };
        assert!(sex.near(&FeatureValue::Flag(true), &FeatureValue::Flag(true)));
        assert!(!sex.near(&FeatureValue::Flag(false), &FeatureValue::Flag(true)));
    }
}
