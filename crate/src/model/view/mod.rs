//! How a fitted model describes itself, as plain data: the vocabulary in which
//! each model hands its own picture (tree, coefficients, curves, network,
//! distributions) to `explain` and `render`, which never reach into a model.

use serde::{Deserialize, Serialize};

use crate::base::{format_number, SplitRule};

mod leaves;

pub use leaves::{LeafView, LeavesView, MAX_LEAVES};

/// A model's own picture of itself, as plain data. Each model says which views
/// it has; the page draws a tree into `tree-canvas`, the first other view into
/// `model-view-canvas` and any further ones in canvases of their own beside it.
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
    /// How much an ensemble counts on each member.
    Members(MembersView),
}

/// One number per member of an ensemble: its share of the vote, or what a
/// stack's meta model learned of it ("how much each member is trusted").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembersView {
    pub title: String,
    pub members: Vec<String>,
    /// One per member; shares sum to 1, a ridge meta model's coefficients may be negative.
    pub weights: Vec<f64>,
    /// What a weight measures, for the axis.
    pub measure: String,
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

impl TreeView {
    /// The root's question, as its left branch reads ("flipper_length_mm ≤ 206.5"):
    /// the first thing a text alternative says of the tree. `None` for a lone leaf.
    pub fn first_question(&self) -> Option<String> {
        self.nodes.first().and_then(|root| root.split.as_ref()).map(|s| s.branch_texts().0)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_texts_use_the_column_name() {
        let s = SplitView { feature: "island".into(), rule: SplitRule::IsNot { level: "Biscoe".into() }, left: 1, right: 2 };
        assert_eq!(s.branch_texts(), ("island ≠ Biscoe".to_string(), "island = Biscoe".to_string()));
        let s = SplitView {
            feature: "flipper_length_mm".into(),
            rule: SplitRule::AtMost { threshold: 206.5 },
            left: 1,
            right: 2,
        };
        assert_eq!(s.branch_texts().0, "flipper_length_mm ≤ 206.5");
    }
}
