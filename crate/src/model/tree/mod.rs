//! CART decision trees for classification and regression.

pub(crate) mod algorithm;
mod params;

use serde::{Deserialize, Serialize};

pub use params::{specs, Criterion, TreeParams};

use algorithm::{grow, Features, Grown, Labels, Node, Presorted, Sample, Unweighted};

use crate::explain::{FeatureInfo, ModelView, NodeValue, SplitView, Task, TreeNodeView, TreeView};
use crate::model::{
    Dataset, Explanation, FeatureMatrix, FitError, FittedModel, ModelSpec, ParamValues, PredictError, Predictions,
    Progress, Scaling, Target,
};

pub const SPEC: ModelSpec = ModelSpec {
    id: "decision_tree",
    name: "Decision tree (CART)",
    tasks: &[Task::Classification, Task::Regression],
    scaling: Scaling::None,
    seeded: false,
    params: specs,
    fit: fit_boxed,
};

/// A fitted CART tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionTree {
    grown: Grown,
    /// Classification or regression: `fit` refuses clustering, so the matches
    /// below treat every task but classification as regression.
    task: Task,
    n_features: usize,
}

fn fit_boxed(values: &ParamValues, train: &Dataset, seed: u64, progress: &mut dyn Progress) -> Result<Box<dyn FittedModel>, FitError> {
    let task = train.target.supervised_task()?;
    let params = TreeParams::from_values(task, values)?;
    Ok(Box::new(DecisionTree::fit(&params, train, seed, progress)?))
}

impl DecisionTree {
    /// Grows a tree on `train`. CART as used here is deterministic: every
    /// feature is examined at every node, so `_seed` changes nothing; it is
    /// taken to keep the contract the same for every model.
    pub fn fit(params: &TreeParams, train: &Dataset, _seed: u64, progress: &mut dyn Progress) -> Result<Self, FitError> {
        train.check_fit_ready()?;
        let (labels, task) = match &train.target {
            Target::Classes { y, names } => (Labels::Classes { y, n_classes: names.len() }, Task::Classification),
            Target::Values(v) => (Labels::Values(v), Task::Regression),
            Target::Unlabeled { .. } => return Err(FitError::WrongTask(Task::Clustering.name().to_string())),
        };
        if (task == Task::Regression) != (params.criterion == Criterion::SquaredError) {
            return Err(FitError::WrongTask(format!("{:?} with the {:?} criterion", task, params.criterion).to_lowercase()));
        }
        let sample = Sample { labels, weights: Unweighted };
        let grown = grow(Presorted::new(&train.x), sample, params, Features::All, progress);
        Ok(DecisionTree::from_grown(grown, task, train.x.n_cols()))
    }

    /// Wraps a tree grown elsewhere (a forest's member) on `n_features` inputs.
    pub(crate) fn from_grown(grown: Grown, task: Task, n_features: usize) -> Self {
        DecisionTree { grown, task, n_features }
    }

    pub fn nodes(&self) -> &[Node] {
        &self.grown.nodes
    }

    pub fn importances(&self) -> &[f64] {
        &self.grown.importances
    }

    fn value(&self, node: usize) -> &[f64] {
        let w = self.grown.value_width;
        &self.grown.values[node * w..(node + 1) * w]
    }

    /// The leaf each row of `x` lands in.
    fn leaf_of(&self, x: &FeatureMatrix, row: usize) -> usize {
        let nodes = &self.grown.nodes;
        let mut id = 0;
        while !nodes[id].is_leaf() {
            let node = &nodes[id];
            id = if x.column(node.feature as usize)[row] as f64 <= node.threshold { node.left } else { node.right } as usize;
        }
        id
    }

    /// Adds this tree's prediction for row `row` of `x` to `out`: the leaf's
    /// class proportions (one per class), or its mean (one number). A forest
    /// sums these over its members.
    pub(crate) fn add_prediction(&self, x: &FeatureMatrix, row: usize, out: &mut [f64]) {
        let leaf = self.leaf_of(x, row);
        let value = self.value(leaf);
        match self.task {
            Task::Classification => {
                let n = self.grown.nodes[leaf].n_samples as f64;
                out.iter_mut().zip(value).for_each(|(o, c)| *o += c / n);
            }
            _ => out[0] += value[0],
        }
    }

    /// The diagram of this tree in the columns' own terms.
    pub(crate) fn view(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> TreeView {
        let nodes = self
            .grown
            .nodes
            .iter()
            .enumerate()
            .map(|(id, node)| TreeNodeView {
                split: (!node.is_leaf()).then(|| {
                    let feature = &features[node.feature as usize];
                    SplitView {
                        feature: feature.column.clone(),
                        rule: feature.split_rule(node.threshold),
                        left: node.left as usize,
                        right: node.right as usize,
                    }
                }),
                n_samples: node.n_samples as usize,
                value: match self.task {
                    Task::Classification => NodeValue::Classes { counts: self.value(id).to_vec() },
                    _ => NodeValue::Mean { mean: self.value(id)[0] },
                },
                depth: node.depth as usize,
            })
            .collect();
        let target_range = match target {
            Target::Values(v) => v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x))),
            Target::Classes { .. } | Target::Unlabeled { .. } => (0.0, 0.0),
        };
        TreeView { nodes, class_names: target.class_names().to_vec(), target_name: target_name.to_string(), target_range }
    }
}

impl FittedModel for DecisionTree {
    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let rows = 0..x.n_rows();
        Ok(match self.task {
            Task::Classification => {
                let n_classes = self.grown.value_width;
                let mut proba = Vec::with_capacity(x.n_rows() * n_classes);
                let mut p = vec![0.0; n_classes];
                for row in rows {
                    p.iter_mut().for_each(|v| *v = 0.0);
                    self.add_prediction(x, row, &mut p);
                    proba.extend(p.iter().map(|&v| v as f32));
                }
                Predictions::Classes { proba, n_classes }
            }
            _ => Predictions::Values(rows.map(|row| self.value(self.leaf_of(x, row))[0]).collect()),
        })
    }

    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        Explanation {
            views: vec![ModelView::Tree(self.view(features, target, target_name))],
            feature_importance: Some(self.grown.importances.clone()),
            importance_measure: "impurity decrease",
        }
    }

    /// Per split: feature and threshold; per leaf: its stored value(s).
    fn n_parameters(&self) -> usize {
        let nodes = &self.grown.nodes;
        let leaves = nodes.iter().filter(|n| n.is_leaf()).count();
        2 * (nodes.len() - leaves) + leaves * self.grown.value_width
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
