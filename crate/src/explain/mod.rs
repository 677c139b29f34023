//! Explanations as plain data: a row's path and its words, the boundary plot,
//! a linear score taken apart, a row's counterfactual, evaluation views, the comparison's Pareto
//! chart and a hyperparameter search's trials. The session builds these (with the models' own views from
//! `model::view`); the renderers draw them without ever reaching into a model.

use serde::{Deserialize, Serialize};

use crate::base::FeatureValues;
use crate::model::view::MembersView;

mod contributions;
pub mod counterfactual;
mod evaluation;
mod pareto;
mod path;
mod robustness;
mod search;

pub use contributions::ContributionsView;
pub use evaluation::{
    ChosenMark, ClassCurve, ConfusionView, Evaluation, EvaluationPart, EvaluationPiece, FoldScoresView, LearningCurveView,
    PartialDependenceView, PdpGrid, ResidualsView, RocView,
};
pub use pareto::{pareto_front, ParetoPoint, ParetoView};
pub use robustness::{
    CalibrationView, ClassReportView, GroupRow, GroupsView, NoiseLines, NoiseView, RobustnessView, ShiftRule, ShiftView,
    WorstRow, WorstRowsView,
};
pub use search::{SearchView, SearchedSetting, SettingScale, TrialPoint};

/// One score per input column, sorted from most to least important.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportanceView {
    pub title: String,
    /// What the score measures, for the axis label.
    pub measure: String,
    pub items: Vec<(String, f64)>,
    /// Standard deviation of each item's score over seeded repeats (permutation
    /// importance), drawn as whiskers; `None` for a score measured once.
    pub spread: Option<Vec<f64>>,
}

impl ImportanceView {
    /// An ensemble's weight per member as a bar chart, drawn as importance is:
    /// a member is to an ensemble what a feature is to a model.
    pub fn of_members(view: &MembersView) -> ImportanceView {
        ImportanceView {
            title: view.title.clone(),
            measure: view.measure.clone(),
            items: view.members.iter().cloned().zip(view.weights.iter().copied()).collect(),
            spread: None,
        }
    }
}

/// A named axis with its plotted range: numeric, or with `levels` a
/// categorical (or yes/no) feature drawn as bands, level `i` centred on `i`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisView {
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// The bands' level names, bottom (or left) first; empty for a numeric axis.
    #[serde(default)]
    pub levels: Vec<String>,
}

/// How points and regions are colored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Legend {
    /// Class names in class-index order; colors come from the theme's palette.
    Classes(Vec<String>),
    /// A continuous target drawn with a sequential color map.
    Scale { name: String, min: f64, max: f64 },
}

/// The decision boundary over two features: a grid of predictions already
/// colored as RGBA (row 0 at the top, i.e. at `y.max`), and the data on top.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundaryView {
    pub title: String,
    pub x: AxisView,
    pub y: AxisView,
    pub grid_width: u32,
    pub grid_height: u32,
    #[serde(with = "serde_bytes")]
    pub rgba: Vec<u8>,
    pub points: PointSet,
    pub legend: Legend,
    /// How the features not on the axes are held (the slice), said on the plot.
    pub note: String,
    /// A clustering's centroids in axis units, marked on the plot (empty for
    /// other models).
    #[serde(default)]
    pub centroids: Vec<(f64, f64)>,
    /// Every feature column's value on the slice the grid was predicted at
    /// (the axes' entries are overridden by the grid): what the page's slice
    /// controls show after a trace moved them.
    #[serde(default)]
    pub slice: FeatureValues,
}

/// The prediction along a model's only feature, where a boundary plot has no
/// second axis: a curve per class (its probability) or of the predicted
/// value, with the rows on top (for values at their true value, for classes
/// as a rug under the curves in their class's colour).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OneFeatureView {
    pub title: String,
    /// The feature, numeric or with levels (then the curves are a point per level).
    pub feature: AxisView,
    /// What the curves measure ("probability", "predicted price").
    pub y_label: String,
    /// Where along the feature the curves are evaluated (a level's index for levels).
    pub xs: Vec<f64>,
    /// One curve per class, or one of the predicted value, at `xs`.
    pub curves: Vec<(String, Vec<f64>)>,
    /// The rows: `x` along the feature (jittered within a level), `y` the
    /// true value (for classes, unused), `value` the class index or value.
    pub rows: PointSet,
    /// Classes (curve `i` in class `i`'s colour) or a value's scale.
    pub legend: Legend,
    pub note: String,
}

/// One point of the boundary plot, explained: where it is, what the model
/// predicts there and why, in the forms the model allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointView {
    pub x: f64,
    pub y: f64,
    /// The table row explained, when the person picked a data point (or dragged
    /// one away from its place); `None` for a place on the plot's slice.
    pub row: Option<usize>,
    /// The training rows the prediction rests on: position in axis units and
    /// value (class index, or target value) as in [`PointSet`].
    pub neighbours: Vec<(f32, f32, f32)>,
    /// The nodes of the model's tree diagram the row visits, root first
    /// (empty for a model without one).
    pub path: Vec<usize>,
    /// A linear model's score taken apart, input by input.
    pub contributions: Option<ContributionsView>,
    /// The explanation in words, in the columns' names and units.
    pub text: String,
    /// When tracing the row moved the slice to the row's own values: the plot
    /// at that slice, where the row sits on the ground the model gives it.
    #[serde(default)]
    pub boundary: Option<Box<BoundaryView>>,
    /// Where the smallest change that gives another class takes the point,
    /// in axis units, once the person asked for it: drawn as an arrow.
    #[serde(default)]
    pub counterfactual: Option<(f64, f64)>,
    /// For an ensemble, what each member predicts there: the row traced
    /// through each member and the vote.
    #[serde(default)]
    pub members: Vec<MemberVote>,
    /// The row was moved away from its own place (a what-if): its words say
    /// what the model would predict there and for the row as it is, and it
    /// has no counterfactual of its own place to offer.
    #[serde(default)]
    pub what_if: bool,
}

/// One member of an ensemble at a traced point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberVote {
    pub name: String,
    /// Its prediction in words: "Adelie (probability 0.9)".
    pub said: String,
    /// Its weight in the vote, or the trust a stack's meta model puts in it.
    pub weight: Option<f64>,
}

/// Points to draw, as parallel arrays. `value` is the class index for
/// classification and the target value for regression.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PointSet {
    /// Table row of each point, so a click on one explains that row.
    pub rows: Vec<u32>,
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    pub value: Vec<f32>,
    pub is_test: Vec<bool>,
    /// Whether each point's row is near the plot's slice in the held
    /// features the note names; the others are drawn faded, as the ground
    /// under them is not what the model says for them. Empty: all near.
    #[serde(default)]
    pub near: Vec<bool>,
}
