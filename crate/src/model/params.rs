//! Hyperparameters as data: each model declares specs, the page builds its
//! controls from them, and fitting reads values checked against them.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::num::NonZeroUsize;

use serde::{Deserialize, Serialize};

use super::FitError;

/// A hyperparameter the person can set.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    /// Key in [`ParamValues`].
    pub key: &'static str,
    pub label: &'static str,
    /// One sentence on what it does to the model.
    pub help: &'static str,
    pub kind: ParamKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamKind {
    /// A whole number. `log_scale` when its effect goes by ratios (rows per
    /// leaf: 1, 2, 4 … 1000), so that a search spreads its trials that way.
    Int {
        min: i64,
        max: i64,
        default: i64,
        log_scale: bool,
    },
    Float {
        min: f64,
        max: f64,
        default: f64,
        log_scale: bool,
    },
    Choice {
        options: Vec<&'static str>,
        default: &'static str,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Choice(String),
}

/// Values by key, as the page sends them.
pub type ParamValues = BTreeMap<String, ParamValue>;

impl ParamSpec {
    pub fn default_value(&self) -> ParamValue {
        match &self.kind {
            ParamKind::Int { default, .. } => ParamValue::Int(*default),
            ParamKind::Float { default, .. } => ParamValue::Float(*default),
            ParamKind::Choice { default, .. } => ParamValue::Choice(default.to_string()),
        }
    }

    /// Checks `value` against the spec, saying what is allowed when it is not.
    pub fn check(&self, value: &ParamValue) -> Result<(), FitError> {
        let invalid =
            |value: String, expected: String| FitError::InvalidParam { name: self.label.to_string(), value, expected };
        match (&self.kind, value) {
            (ParamKind::Int { min, max, .. }, ParamValue::Int(v)) if v < min || v > max => {
                Err(invalid(v.to_string(), format!("a whole number from {min} to {max}")))
            }
            (ParamKind::Float { min, max, .. }, ParamValue::Float(v)) if !(v >= min && v <= max) => {
                Err(invalid(v.to_string(), format!("a number from {min} to {max}")))
            }
            (ParamKind::Choice { options, .. }, ParamValue::Choice(v)) if !options.contains(&v.as_str()) => {
                Err(invalid(format!("'{v}'"), format!("one of {}", options.join(", "))))
            }
            (ParamKind::Int { .. }, ParamValue::Int(_))
            | (ParamKind::Float { .. }, ParamValue::Float(_))
            | (ParamKind::Choice { .. }, ParamValue::Choice(_)) => Ok(()),
            (_, other) => Err(invalid(format!("{other:?}"), "a value of the setting's own kind".to_string())),
        }
    }
}

/// Fills in defaults for keys not given and checks every value; unknown keys
/// are an error so that a typo in a shared link does not pass silently.
pub fn resolve(specs: &[ParamSpec], values: &ParamValues) -> Result<ParamValues, FitError> {
    if let Some(unknown) = values.keys().find(|k| !specs.iter().any(|s| s.key == k.as_str())) {
        return Err(FitError::UnknownParam(unknown.clone()));
    }
    let mut out = ParamValues::new();
    for spec in specs {
        let value = values.get(spec.key).cloned().unwrap_or_else(|| spec.default_value());
        spec.check(&value)?;
        out.insert(spec.key.to_string(), value);
    }
    Ok(out)
}

/// Reads a resolved integer value.
pub fn int(values: &ParamValues, key: &str) -> i64 {
    match values.get(key) {
        Some(ParamValue::Int(v)) => *v,
        _ => unreachable!("resolve() guarantees '{key}' is an Int"),
    }
}

/// Reads a resolved floating-point value.
pub fn float(values: &ParamValues, key: &str) -> f64 {
    match values.get(key) {
        Some(ParamValue::Float(v)) => *v,
        _ => unreachable!("resolve() guarantees '{key}' is a Float"),
    }
}

/// Reads a resolved choice value.
pub fn choice<'a>(values: &'a ParamValues, key: &str) -> &'a str {
    match values.get(key) {
        Some(ParamValue::Choice(v)) => v,
        _ => unreachable!("resolve() guarantees '{key}' is a Choice"),
    }
}

/// The error for typed setting `name` when `holds` is false: its value and
/// what it must be, as the page's own check says them.
pub fn require(holds: bool, name: &str, value: impl Display, expected: &str) -> Result<(), FitError> {
    if holds {
        return Ok(());
    }
    Err(FitError::InvalidParam { name: name.to_string(), value: value.to_string(), expected: expected.to_string() })
}

/// `v` is a number at least `min` (not NaN, not infinite).
pub fn at_least(v: f64, min: f64) -> bool {
    v.is_finite() && v >= min
}

/// How deep a tree may grow, one spelling for every tree learner (the single
/// tree, the forest's members, boosting's trees): the page's 0, and
/// [`MaxDepth::levels`]`(0)`, mean no limit. The root has depth 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MaxDepth {
    Unlimited,
    AtMost(NonZeroUsize),
}

impl MaxDepth {
    /// At most `levels` questions in a row; 0 for no limit.
    pub fn levels(levels: usize) -> Self {
        NonZeroUsize::new(levels).map_or(MaxDepth::Unlimited, MaxDepth::AtMost)
    }

    /// Whether a node at `depth` may still split.
    pub fn allows_split_at(self, depth: usize) -> bool {
        match self {
            MaxDepth::Unlimited => true,
            MaxDepth::AtMost(limit) => depth < limit.get(),
        }
    }
}

/// The spec of a tree learner's depth, the same words for every tree learner.
pub fn max_depth_spec(max: i64, default: i64, what: &'static str) -> ParamSpec {
    ParamSpec {
        key: "max_depth",
        label: "max depth",
        help: what,
        kind: ParamKind::Int { min: 0, max, default, log_scale: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth() -> ParamSpec {
        ParamSpec {
            key: "max_depth",
            label: "max depth",
            help: "",
            kind: ParamKind::Int { min: 1, max: 20, default: 5, log_scale: false },
        }
    }

    #[test]
    fn zero_levels_is_the_one_spelling_of_no_limit() {
        assert_eq!(MaxDepth::levels(0), MaxDepth::Unlimited);
        assert!(MaxDepth::levels(0).allows_split_at(1000));
        assert!(MaxDepth::levels(2).allows_split_at(1) && !MaxDepth::levels(2).allows_split_at(2));
    }

    #[test]
    fn defaults_fill_in_and_bad_values_name_the_range() {
        let resolved = resolve(&[depth()], &ParamValues::new()).unwrap();
        assert_eq!(resolved["max_depth"], ParamValue::Int(5));
        let bad: ParamValues = [("max_depth".to_string(), ParamValue::Int(0))].into();
        let err = resolve(&[depth()], &bad).unwrap_err();
        assert_eq!(err.to_string(), "Setting 'max depth' is 0, but it must be a whole number from 1 to 20.");
        let unknown: ParamValues = [("depth".to_string(), ParamValue::Int(3))].into();
        assert_eq!(resolve(&[depth()], &unknown).unwrap_err(), FitError::UnknownParam("depth".into()));
        let wrong_kind: ParamValues = [("max_depth".to_string(), ParamValue::Float(3.0))].into();
        assert!(resolve(&[depth()], &wrong_kind).is_err());
    }
}
