//! How well a trained model does on rows it never saw, as plain data: the views
//! behind the page's evaluation cards. The session builds them for every model
//! from its predictions alone, so a model added later gets them for free.

use serde::{Deserialize, Serialize};

use super::{CalibrationView, ClassReportView, GroupsView, ImportanceView, RobustnessView, WorstRowsView};
use crate::model::view::CurvesView;

/// Every evaluation view of one trained model. A view that does not apply to
/// the task (a confusion matrix for a regression) is `None`, and so is every
/// view for a task without a target to score against.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Permutation importance on the test rows, with its spread over repeats.
    pub permutation: Option<ImportanceView>,
    pub confusion: Option<ConfusionView>,
    pub roc: Option<RocView>,
    pub residuals: Option<ResidualsView>,
    /// For [`Evaluation::pdp_features`]'s first entry.
    pub partial_dependence: Option<PartialDependenceView>,
    /// Columns a partial dependence can be asked for, most important first.
    pub pdp_features: Vec<String>,
    pub learning_curve: Option<LearningCurveView>,
    /// Per-class precision, recall and F1, balanced accuracy and log-loss.
    #[serde(default)]
    pub class_report: Option<ClassReportView>,
    #[serde(default)]
    pub calibration: Option<CalibrationView>,
    /// The ten test rows predicted worst.
    #[serde(default)]
    pub worst_rows: Option<WorstRowsView>,
    /// Scores per level of the first categorical column, at Train; others by
    /// `Request::Groups`.
    #[serde(default)]
    pub groups: Option<GroupsView>,
    /// Noise and missing inputs on the test rows.
    #[serde(default)]
    pub robustness: Option<RobustnessView>,
}

/// An evaluation view that costs more than the model's own answer (refits,
/// shuffles, a grid of predictions), computed after it on its own request
/// (`Request::Evaluate`) so the metrics and the boundary never wait for it,
/// and so the page can stop asking without stopping the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvaluationPart {
    /// Permutation importance, when the model ranks its features by its own
    /// importance (otherwise it ranks them by this one, and it comes with the model).
    Permutation,
    /// The partial dependence on this feature column (the first of `pdp_features`).
    PartialDependence { feature: String },
    /// Noise and missing inputs on the test rows.
    Robustness,
    /// The cross-validated learning curve (refits).
    LearningCurve,
}

/// One [`EvaluationPart`], computed: what fills its place in [`Evaluation`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EvaluationPiece {
    Permutation(Option<ImportanceView>),
    PartialDependence(PartialDependenceView),
    Robustness(Option<RobustnessView>),
    LearningCurve(Option<LearningCurveView>),
}

impl EvaluationPiece {
    /// The part this piece answers.
    pub fn part(&self) -> EvaluationPart {
        match self {
            EvaluationPiece::Permutation(_) => EvaluationPart::Permutation,
            EvaluationPiece::PartialDependence(view) => EvaluationPart::PartialDependence { feature: view.feature.clone() },
            EvaluationPiece::Robustness(_) => EvaluationPart::Robustness,
            EvaluationPiece::LearningCurve(_) => EvaluationPart::LearningCurve,
        }
    }
}

impl Evaluation {
    /// Puts a view computed after the model's answer in its place.
    pub fn apply(&mut self, piece: EvaluationPiece) {
        match piece {
            EvaluationPiece::Permutation(view) => self.permutation = view,
            EvaluationPiece::PartialDependence(view) => self.partial_dependence = Some(view),
            EvaluationPiece::Robustness(view) => self.robustness = view,
            EvaluationPiece::LearningCurve(view) => self.learning_curve = view,
        }
    }
}

/// Test rows by true class (rows) and predicted class (columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfusionView {
    pub title: String,
    /// The target's name, for the axes ("true species", "predicted species").
    pub target: String,
    pub classes: Vec<String>,
    /// `counts[truth][predicted]`.
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionView {
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }
}

/// One class's curve and the area under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassCurve {
    /// The positive class.
    pub class: String,
    /// Index of the class, so it keeps its color across views.
    pub class_index: usize,
    pub points: Vec<(f64, f64)>,
    /// AUC for ROC, average precision for precision–recall.
    pub area: f64,
    /// Share of test rows in the class: what a guess scores on precision.
    pub prevalence: f64,
}

/// ROC and precision–recall curves of the test rows' probabilities: the positive
/// class of a binary target, or every class against the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocView {
    pub title: String,
    /// (false-positive rate, true-positive rate).
    pub roc: Vec<ClassCurve>,
    /// (recall, precision), as steps.
    pub pr: Vec<ClassCurve>,
    /// Mean ROC AUC over the classes, for more than two classes.
    pub macro_auc: Option<f64>,
}

/// Predictions of a regression beside the truth, on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidualsView {
    pub title: String,
    /// The target's name, for the axes.
    pub target: String,
    pub actual: Vec<f64>,
    pub predicted: Vec<f64>,
}

/// Where the partial dependence is evaluated along the feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PdpGrid {
    /// Values in the column's own units.
    Values(Vec<f64>),
    /// The levels of a categorical or boolean column.
    Levels(Vec<String>),
}

impl PdpGrid {
    pub fn len(&self) -> usize {
        match self {
            PdpGrid::Values(v) => v.len(),
            PdpGrid::Levels(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The grid point `i` as a person reads it.
    pub fn label(&self, i: usize) -> String {
        match self {
            PdpGrid::Values(v) => v.get(i).map(|&x| crate::base::format_number(x)).unwrap_or_default(),
            PdpGrid::Levels(l) => l.get(i).cloned().unwrap_or_default(),
        }
    }
}

/// The model's average prediction as one feature moves over its range with every
/// other input of the rows kept as it is (the mean curve), and the same for a
/// sample of single rows (individual, "ICE", curves).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartialDependenceView {
    pub title: String,
    pub feature: String,
    /// What the curves measure ("predicted progression", "probability").
    pub y_label: String,
    pub grid: PdpGrid,
    /// One mean curve per output (a class, or the target), values at the grid.
    pub mean: Vec<(String, Vec<f64>)>,
    /// Single rows' curves for the first output, values at the grid.
    pub individual: Vec<Vec<f64>>,
    pub note: String,
}

/// Where the person's own setting sits on a learning curve's x axis, and how
/// it is said there ("yours: 5"; "yours: no limit", drawn right of the
/// deepest refit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChosenMark {
    pub at: f64,
    pub label: String,
}

/// Scores as the model is allowed more (a hyperparameter that adds depth,
/// rounds or epochs), or as it gets more training rows, cross-validated on the
/// training rows: where the two curves part, the model starts to learn the rows
/// it fits by heart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearningCurveView {
    /// Two series, each the mean over folds: "rows fitted" (scored on the rows
    /// each fold fitted) and "held-out fold".
    pub curves: CurvesView,
    /// The person's own setting, marked on the chart.
    pub chosen: Option<ChosenMark>,
    /// How the sweep was made and what was left out to keep it quick.
    pub note: String,
}

/// A cross-validation's score on each fold, drawn as a strip (one dot per
/// fold, the mean as a line, ± one sd as a band), so the spread behind
/// "0.95 ± 0.03" is seen: one bad fold, or all alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldScoresView {
    pub title: String,
    /// What a score measures: "accuracy" or "R²".
    pub measure: String,
    /// The held-out score of each fold, in fold order.
    pub scores: Vec<f64>,
    pub mean: f64,
    /// Standard deviation over the folds.
    pub sd: f64,
}
