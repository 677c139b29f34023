//! Explanations as plain data. Models and the session build these views; the
//! renderers draw them without ever reaching into a model, so one view feeds the
//! diagram, the text and (later) exported code.

use serde::{Deserialize, Serialize};

mod contributions;
mod evaluation;
mod leaves;
mod pareto;
mod path;

pub use contributions::ContributionsView;
pub use evaluation::{
    ClassCurve, ConfusionView, Evaluation, LearningCurveView, PartialDependenceView, PdpGrid, ResidualsView, RocView,
};
pub use leaves::{LeafView, LeavesView, MAX_LEAVES};
pub use pareto::{pareto_front, ParetoPoint, ParetoView};
pub use path::{value_of, FeatureValue, FeatureValues, SliceControl};

/// Whether a target is predicted as a class or as a number, or the rows are
/// grouped without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    Classification,
    Regression,
    /// No target: similar rows are grouped into clusters.
    Clustering,
}

impl Task {
    /// The task's name as the page writes it (and as its `<option>` values are).
    pub fn name(self) -> &'static str {
        match self {
            Task::Classification => "classification",
            Task::Regression => "regression",
            Task::Clustering => "clustering",
        }
    }
}

/// A model's own picture of itself, as plain data. Each model says which views
/// it has; the page draws the first into `model-view-canvas`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ModelView {
    /// A single tree diagram.
    Tree(TreeView),
    /// A tree's leaves: how many training rows each holds, and what they are.
    Leaves(LeavesView),
    /// A few member trees of an ensemble, as small multiples.
    Trees { title: String, trees: Vec<TreeView> },
    /// Coefficients per output (class or target) and input.
    Coefficients(CoefficientsView),
    /// Curves over training progress (loss per round or epoch).
    Curves(CurvesView),
    /// A small neural network: layer sizes and weights.
    Network(NetworkView),
    /// Per-class distribution of each feature (naive Bayes).
    Distributions(DistributionsView),
}

/// Linear coefficients in the columns' terms. With standardized inputs they
/// say how much the output moves per standard deviation of the input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoefficientsView {
    pub title: String,
    /// One name per row of `values`: class names, or the target's name.
    pub outputs: Vec<String>,
    /// Input names, e.g. "bill_length_mm" or "island = Dream".
    pub inputs: Vec<String>,
    /// `values[output][input]`.
    pub values: Vec<Vec<f64>>,
    pub intercepts: Vec<f64>,
    /// What a unit of a coefficient means, for the axis.
    pub unit: String,
}

/// Named series of (x, y) points sharing axes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvesView {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A feed-forward network: `layers[0]` inputs, then hidden layers, then outputs;
/// `weights[l][j * layers[l] + i]` connects unit i of layer l to unit j of layer l + 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub title: String,
    pub layers: Vec<usize>,
    pub input_names: Vec<String>,
    pub output_names: Vec<String>,
    pub weights: Vec<Vec<f32>>,
}

/// For each feature, each class's fitted distribution: a normal (mean, std) for
/// numeric inputs, or level probabilities for categorical ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistributionsView {
    pub title: String,
    pub classes: Vec<String>,
    pub features: Vec<FeatureDistribution>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FeatureDistribution {
    /// `per_class[c] = (mean, std)`.
    Normal { name: String, per_class: Vec<(f64, f64)> },
    /// `per_class[c][level]` probabilities.
    Levels { name: String, levels: Vec<String>, per_class: Vec<Vec<f64>> },
}

/// A fitted tree, flattened: node 0 is the root, children refer by index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub nodes: Vec<TreeNodeView>,
    /// Class names in class-index order (empty for regression).
    pub class_names: Vec<String>,
    pub target_name: String,
    /// Smallest and largest training target value (regression), to scale the value bars.
    pub target_range: (f64, f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeNodeView {
    /// `None` for a leaf.
    pub split: Option<SplitView>,
    /// Training rows that reached this node.
    pub n_samples: usize,
    pub value: NodeValue,
    pub depth: usize,
}

/// A split: rows for which `rule` holds go to `left`, the others to `right`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitView {
    /// The column's own name, as the person sees it.
    pub feature: String,
    pub rule: SplitRule,
    pub left: usize,
    pub right: usize,
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

impl SplitView {
    /// The conditions of the left and right branch, e.g. `("petal_width ≤ 0.8", "petal_width > 0.8")`.
    pub fn branch_texts(&self) -> (String, String) {
        let f = &self.feature;
        match &self.rule {
            SplitRule::AtMost { threshold } => {
                let t = format_number(*threshold);
                (format!("{f} ≤ {t}"), format!("{f} > {t}"))
            }
            SplitRule::IsNot { level } => (format!("{f} ≠ {level}"), format!("{f} = {level}")),
            SplitRule::IsFalse => (format!("{f} is false"), format!("{f} is true")),
        }
    }
}

/// What a node predicts and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NodeValue {
    /// Training rows of each class in the node.
    Classes { counts: Vec<f64> },
    /// Mean training target in the node.
    Mean { mean: f64 },
}

impl NodeValue {
    /// Index of the majority class (ties go to the lower index, as in scikit-learn).
    pub fn majority(&self) -> Option<usize> {
        match self {
            NodeValue::Classes { counts } => {
                let mut best = 0;
                for (i, &c) in counts.iter().enumerate() {
                    if c > counts[best] {
                        best = i;
                    }
                }
                Some(best)
            }
            NodeValue::Mean { .. } => None,
        }
    }
}

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

/// A named numeric axis with its plotted range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisView {
    pub name: String,
    pub min: f64,
    pub max: f64,
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
}

/// Formats a number for people: 4 significant digits but never fewer than its
/// integer digits (a threshold of 12345.6 reads 12346, not 12350), no trailing
/// zeros, exponent form only for very large or very small magnitudes.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let integer_digits = if v == 0.0 { 1 } else { v.abs().log10().floor() as i32 + 1 };
    if !(-3..10).contains(&integer_digits) {
        return format!("{v:.3e}");
    }
    format_significant(v, integer_digits.max(4) as u32)
}

/// `v` rounded to `digits` significant digits, without trailing zeros; exponent form
/// only for very large or very small magnitudes.
pub fn format_significant(v: f64, digits: u32) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = digits.clamp(1, 15) as i32;
    let magnitude = |x: f64| x.abs().log10().floor() as i32;
    let step = 10f64.powi(magnitude(v) - digits + 1);
    let rounded = (v / step).round() * step;
    let mag = magnitude(rounded);
    if !(-4..9).contains(&mag) {
        return format!("{:.*e}", (digits - 1) as usize, rounded);
    }
    let decimals = (digits - 1 - mag).max(0) as usize;
    let s = format!("{rounded:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// Formats a count with thousands separators: 1797 → "1,797".
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_a_person_writes_them() {
        assert_eq!(format_number(2.45), "2.45");
        assert_eq!(format_number(206.5), "206.5");
        assert_eq!(format_number(0.8000001), "0.8");
        assert_eq!(format_number(12345.678), "12346");
        assert_eq!(format_number(-0.00012347), "-0.0001235");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_count(1797), "1,797");
        assert_eq!(format_count(1_000_000), "1,000,000");
        assert_eq!(format_count(12), "12");
        assert_eq!(capitalize("imputed"), "Imputed");
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(format_significant(0.123456, 3), "0.123");
        assert_eq!(format_significant(0.25, 3), "0.25");
        assert_eq!(format_significant(12345.6, 3), "12300");
        assert_eq!(format_significant(999.6, 3), "1000");
        assert_eq!(format_significant(-0.0004567, 3), "-0.000457");
        assert_eq!(format_significant(0.0, 3), "0");
        assert_eq!(format_significant(f64::NAN, 3), "n/a");
        assert_eq!(format_significant(1.5e-7, 3), "1.50e-7");
    }

    #[test]
    fn split_texts_use_the_column_name() {
        let s = SplitView { feature: "island".into(), rule: SplitRule::IsNot { level: "Biscoe".into() }, left: 1, right: 2 };
        assert_eq!(s.branch_texts(), ("island ≠ Biscoe".to_string(), "island = Biscoe".to_string()));
        let s = SplitView { feature: "flipper_length_mm".into(), rule: SplitRule::AtMost { threshold: 206.5 }, left: 1, right: 2 };
        assert_eq!(s.branch_texts().0, "flipper_length_mm ≤ 206.5");
    }
}
