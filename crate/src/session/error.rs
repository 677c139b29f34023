use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::base::FoldError;
use crate::data::DataError;
use crate::eval::search::SearchError;
use crate::model::ensemble::EnsembleError;
use crate::model::{FitError, LoadError, PredictError};
use crate::prep::PrepError;

/// Everything that can go wrong answering a request, typed by layer. The page
/// shows the message; the variant tells tests and embedding pages what happened.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum SessionError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Prep(#[from] PrepError),
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error(transparent)]
    Predict(#[from] PredictError),
    #[error(transparent)]
    Folds(#[from] FoldError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Ensemble(#[from] EnsembleError),
    #[error("Cross-validation scores predictions against a target, and a clustering has none to score.")]
    NothingToValidate,
    #[error("There is no fold {fold} of {k}: the folds are numbered from 0.")]
    NoSuchFold { fold: usize, k: usize },
    #[error("There is no piece {index} of a job of {count}: the pieces are numbered from 0.")]
    NoSuchPiece { index: usize, count: usize },
    #[error("'{column}' cannot order the rows in time: {why}. Pick a number or date column with a value in every row.")]
    NotAnOrder { column: String, why: String },
    #[error("The test share must be between 10 % and 50 % of the rows, not {} %. Pick a share in that range.", crate::base::format_number(.0 * 100.0))]
    TestShare(f64),
    #[error("No table is loaded yet. Pick a dataset or drop a CSV file first.")]
    NoTable,
    #[error("Train a model first.")]
    NotTrained,
    #[error("This model cannot be exported as code: {0}.")]
    NotExportable(String),
    #[error("There is no bundled dataset named '{0}'.")]
    UnknownDataset(String),
    #[error("There is no model named '{0}'.")]
    UnknownModel(String),
    #[error("There is no column named '{0}'.")]
    UnknownColumn(String),
    #[error("Pick a target column: {0} predicts one. Only clustering works without a target.")]
    NoTarget(String),
    #[error(
        "'{0}' cannot be a boundary axis: it is not a numeric, yes/no or categorical feature of the trained model \
         (a category with more than 12 levels is too many bands to read)."
    )]
    NotAnAxis(String),
    #[error("'{0}' is on both axes of the boundary plot; pick two different features.")]
    SameAxes(String),
    #[error(
        "'{0}' is not the trained model's only feature: a plot along one feature is drawn for a model of one \
         feature. Trace a row on the boundary plot instead."
    )]
    NotOnlyFeature(String),
    #[error("No row has a value of '{0}' to trace: it is missing in every row the model was trained or tested on.")]
    NoRowDrawn(String),
    #[error("Row {0} is not one the model was trained or tested on (its target is missing).")]
    UnknownRow(usize),
    #[error("Pick at least one model to compare.")]
    NothingToCompare,
    #[error("'{0}' is not a feature of the trained model; pick one of its features.")]
    NotAFeature(String),
    #[error("The student cannot be trained: {0}.")]
    StudentSetting(String),
    #[error("A clustering has no answers for a student to learn; distil a model that predicts a target.")]
    NothingToDistill,
    #[error(
        "The student learned from its teacher on every feature; refitting it on two features would teach it the truth \
         instead. Untick 'these two features only', or train a model on two features and distil that."
    )]
    DistilledRefit,
    #[error(
        "The student learned from its teacher's answers; a shifted split would train it on the truth instead. Shift \
         the teacher (train it again), then distil."
    )]
    DistilledShift,
    #[error("Points can be added by hand to a toy dataset only. Draw toy data first.")]
    NotAToy,
    #[error("A counterfactual asks which change gives another class; this model predicts a number. Train a classifier.")]
    CounterfactualForClasses,
    #[error("'{0}' cannot be changed: only the model's numeric features can. Pick among those.")]
    CannotChange(String),
    #[error("None of the features allowed to change varies over the training rows; allow another numeric feature.")]
    NothingToChange,
    #[error("No change of {0} within six standard deviations gives another class. Allow more features to change.")]
    NoCounterfactual(String),
    #[error("The groups' margin must be between 0 and 1 (a share of the score, 0.1 for 10 points), not {0}.")]
    GroupMargin(f64),
    #[error("'{0}' is not a categorical or yes/no column, so its values do not make groups; pick one that is.")]
    NotAGroupColumn(String),
    #[error("Cannot split the rows by '{column}': {why}.")]
    ShiftRule { column: String, why: String },
    #[error("That split leaves {rows} rows to the {side} side; each side needs at least {min}. Move the threshold or pick other levels.")]
    ShiftTooFew { side: String, rows: usize, min: usize },
    #[error("That split trains on no row of class '{class}', so the model could never predict it. Move the threshold or pick other levels.")]
    ShiftLacksClass { class: String },
    #[error(
        "An ensemble cannot be saved as a model file yet: each member would need one. Save one of its models, or a \
         student distilled from it."
    )]
    EnsembleNotSaved,
    #[error("The {0} holds a number a model file cannot write (an infinity or NaN), so it cannot be saved.")]
    NotSavable(String),
    #[error("This model was trained on '{0}'. Load that table (or one with the same columns) first, then load the model file again.")]
    ModelNeedsTable(String),
    #[error("This table does not fit the model trained on '{dataset}': {why}. Load '{dataset}', or a table with the same columns, then the model file again.")]
    ModelTableDiffers { dataset: String, why: String },
    #[error("This model file was made by a newer Micro Models, format {found}; this page reads up to {reads}. Open it in a newer version of the page.")]
    ModelFileVersion { found: u64, reads: u64 },
    #[error("This model file cannot be read: {0}. Save the model again from the page that trained it.")]
    ModelFileDamaged(String),
    #[error("Something went wrong inside Micro Models ({0}). Please reload the page; your file never left this browser.")]
    Internal(String),
}
