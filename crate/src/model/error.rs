use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a model could not be fitted, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum FitError {
    #[error("Setting '{name}' is {value}, but it must be {expected}.")]
    InvalidParam { name: String, value: String, expected: String },
    #[error("Unknown setting '{0}' for this model.")]
    UnknownParam(String),
    #[error("There are no training rows. Load a table with more rows.")]
    NoRows,
    #[error("There are no features to learn from. Include at least one column besides the target.")]
    NoFeatures,
    #[error("The training rows all have the same class ('{0}'); a classifier needs at least two classes.")]
    OneClass(String),
    #[error("Feature '{feature}' has a missing or infinite value at row {row}; impute it or exclude the column.")]
    NonFinite { feature: String, row: usize },
    #[error("This model does not do {0}.")]
    WrongTask(String),
    #[error(
        "There are {k} clusters to find but only {rows} training rows; choose at most {rows} clusters or load more rows."
    )]
    MoreClustersThanRows { k: usize, rows: usize },
    #[error(
        "A student learns {classes} probabilities for each of its {rows} rows, but was given {given} numbers; \
         it needs at least two classes and one probability per row and class."
    )]
    SoftTargets { rows: usize, classes: usize, given: usize },
}

/// Why a fitted model could not predict.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum PredictError {
    #[error("The model was trained on {expected} features but got {found}.")]
    FeatureCount { expected: usize, found: usize },
}

/// Why a fitted model could not be read back from its bytes.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum LoadError {
    #[error("The model's bytes are damaged or were written by another version of this page ({0}).")]
    Damaged(String),
    /// Read, but its parts do not fit together (a child index past the last
    /// node, weights of the wrong length): refused before it predicts.
    #[error("The model's fitted state is damaged: {0}.")]
    Inconsistent(String),
}

impl LoadError {
    /// `Ok` when `ok`, else [`LoadError::Inconsistent`] saying `why`.
    pub fn unless(ok: bool, why: impl FnOnce() -> String) -> Result<(), LoadError> {
        if ok {
            Ok(())
        } else {
            Err(LoadError::Inconsistent(why()))
        }
    }
}
