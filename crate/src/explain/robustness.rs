//! Who the model fails and how it holds up, as plain data: the class report,
//! the reliability (calibration) chart, the worst-predicted test rows, the
//! scores per group of a column, the test score under noise, with an input
//! missing, and on a shifted split. The session builds them from any fitted
//! model's predictions through its pipeline; the renderers draw them.

use serde::{Deserialize, Serialize};

use super::ImportanceView;
use crate::eval::{CalibrationBin, ClassReport, GroupScores};
use crate::model::view::CurvesView;

/// scikit-learn's `classification_report` of the test rows, with the class names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassReportView {
    pub classes: Vec<String>,
    pub report: ClassReport,
}

/// How far to trust the model's probabilities: the test rows binned by the
/// probability of the class predicted, each bin's mean probability against
/// how often the prediction was right. On the diagonal, "70 %" is right 70 %
/// of the time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationView {
    pub title: String,
    pub bins: Vec<CalibrationBin>,
    /// [`crate::eval::brier_score`] of the test rows.
    pub brier: f64,
    /// What a learner should take from it, in one or two sentences.
    pub note: String,
}

/// The test rows the model got most wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorstRowsView {
    /// "confidence" (wrong with the highest probability) or "absolute error".
    pub measure: String,
    /// The feature columns, as in each row's `values`.
    pub columns: Vec<String>,
    pub rows: Vec<WorstRow>,
    /// How the rows were picked, for the card.
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorstRow {
    /// The table row (0-based), to trace it.
    pub row: usize,
    pub truth: String,
    pub predicted: String,
    /// The probability given to the wrong class, or the absolute error.
    pub how_wrong: f64,
    /// The row's feature values as the model saw them (missing imputed).
    pub values: Vec<String>,
}

/// The test score of each level of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupsView {
    pub column: String,
    /// Columns a person may group by (categorical or boolean), for the select.
    pub options: Vec<String>,
    /// Levels with their test rows, most rows first; rows missing the column
    /// are a group of their own, "(missing)".
    pub groups: Vec<GroupRow>,
    /// For two classes, the class whose rates TPR and FPR are.
    pub positive: Option<String>,
    /// Largest allowed gap between the groups' headline scores (accuracy or R²).
    pub margin: f64,
    /// Said when two groups differ by more than `margin`.
    pub warning: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub level: String,
    pub rows: usize,
    pub scores: GroupScores,
}

/// The test score as Gaussian noise is added to the numeric inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoiseView {
    /// x: noise in standard deviations of each feature; y: the test score.
    pub curves: CurvesView,
    pub lines: NoiseLines,
    /// How it was measured (repeats, rows, features left out).
    pub note: String,
}

/// What the lines of a [`NoiseView`] are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NoiseLines {
    /// One model: the first series has noise on all numeric features (drawn
    /// thick), the others on one feature each (thin); `clean` is the score
    /// without noise, marked.
    Features { clean: f64 },
    /// A comparison: one all-features series per model, alike.
    Models,
}

/// The model's robustness to inputs it does not get as trained: noise, and
/// one input missing at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RobustnessView {
    /// `None` without a numeric feature.
    pub noise: Option<NoiseView>,
    /// The drop in test score when each feature column is missing (so takes
    /// the pipeline's imputed value) in every test row.
    pub missing: ImportanceView,
}

/// Which rows of a column a shifted split trains on: the others test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ShiftRule {
    /// Rows whose number is at most the threshold.
    Below(f64),
    /// Rows whose number is above the threshold.
    Above(f64),
    /// Rows whose level is one of these.
    Levels(Vec<String>),
}

/// The same model trained on one side of a column and tested on the other,
/// beside the ordinary split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftView {
    pub column: String,
    pub rule: ShiftRule,
    /// "accuracy" or "R²".
    pub measure: String,
    /// The test score on the ordinary (random) split.
    pub ordinary: f64,
    /// The score on the rows the rule left out.
    pub shifted: f64,
    pub n_train: usize,
    pub n_test: usize,
    /// The two scores as bars, for the chart.
    pub bars: ImportanceView,
    /// The drop, in words.
    pub sentence: String,
}
