//! Histogram gradient boosting for classification and regression, modelled on
//! scikit-learn's `HistGradientBoostingClassifier` / `Regressor`.
//!
//! Features are binned once to `u8` (`bins`); each round fits one small tree
//! (one per class for more than two classes) to the gradients of the loss
//! (`loss`) from histograms of those bins (`grower`), and adds its leaf values,
//! shrunk by the learning rate, to the raw scores. The first raw score is the
//! best constant: the mean, the log-odds of the prior, or the log-priors.

mod bins;
mod grower;
mod loss;
mod params;

use serde::{Deserialize, Serialize};

pub use params::{specs, BoostingParams, EarlyStopping};

use bins::BinMapper;
use grower::{Grower, Node, TreeSettings};
use loss::{Labels, Loss};
use params::{N_ITER_NO_CHANGE, TOL, VALIDATION_FRACTION};

use crate::base::program::{Builder, NotLowered, Op, Reg, Role};
use crate::base::{shuffle_split, stratified_split, FeatureInfo, FeatureMatrix, Progress, Scaling, Target, Task};
use crate::model::params::{at_least, require};
use crate::model::tree::{lower_flat_trees, FlatNode, ResolvedTree, Shape, Splits};
use crate::model::view::{CurvesView, ModelView, Series};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, Complexity, DataView, Explanation, Fit, FitError, FittedModel,
    ModelInfo, ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "gradient_boosting",
    name: "Gradient boosting (histogram)",
    tasks: &[Task::Classification, Task::Regression],
    scaling: Scaling::None,
    // The seed only picks the early-stopping validation rows (off by default below
    // 10,000 rows) and the rows that set the bin edges (above 200,000 rows).
    seeded: false,
    params: specs,
    complexity: Some(Complexity {
        key: "max_iter",
        values: &[5, 10, 25, 50, 100, 200, 500, 1000],
        cost_grows: true,
        zero_is_unlimited: false,
    }),
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<BoostingParams>,
    load: load_boxed::<BoostingParams>,
    to_json: to_json_boxed::<BoostingParams>,
    from_json: from_json_boxed::<BoostingParams>,
};

/// A fitted booster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradientBoosting {
    loss: Loss,
    /// The raw score(s) before any tree.
    baseline: Vec<f64>,
    /// `trees[round * n_outputs + output]`.
    trees: Vec<Vec<Node>>,
    n_features: usize,
    /// How training went; not needed to predict, so not part of the stored model.
    #[serde(skip)]
    history: History,
}

/// The training record the explanation shows.
#[derive(Clone, Debug, Default, PartialEq)]
struct History {
    /// Mean training loss before round 1, after round 1, …, after the last round.
    train_loss: Vec<f64>,
    /// The same on the held-out rows; empty without early stopping.
    validation_loss: Vec<f64>,
    /// Total split gain per feature, normalized to sum to 1.
    importances: Vec<f64>,
}

impl Fit for BoostingParams {
    type Model = GradientBoosting;

    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        BoostingParams::read(task, values)
    }

    fn check(&self) -> Result<(), FitError> {
        require(at_least(self.learning_rate, f64::MIN_POSITIVE), "learning rate", self.learning_rate, "a number above 0")?;
        require(self.max_iter >= 1, "rounds", self.max_iter, "at least 1")?;
        require(self.max_leaf_nodes >= 2, "max leaves per tree", self.max_leaf_nodes, "at least 2")?;
        require(self.min_samples_leaf >= 1, "min rows per leaf", self.min_samples_leaf, "at least 1")?;
        require(at_least(self.l2_regularization, 0.0), "L2 regularization", self.l2_regularization, "a number from 0 up")
    }

    /// Boosts on `train`. `seed` draws the validation rows when early stopping is on,
    /// and the rows the bin edges come from when there are more than 200,000.
    fn fit_checked(&self, train: &DataView, seed: u64, progress: &mut dyn Progress) -> Result<GradientBoosting, FitError> {
        train.check_fit_ready()?;
        let target = train.target();
        let loss = Loss::for_classes(target.class_names().len());
        let n_rows = train.n_rows();
        let held_out = self.stops_early(n_rows).then(|| match &*target {
            Target::Classes { y, names } => stratified_split(y, names.len(), VALIDATION_FRACTION, seed),
            Target::Values(_) | Target::Unlabeled { .. } => shuffle_split(n_rows, VALIDATION_FRACTION, seed),
        });
        // Too few rows to hold any out: boost on all of them, without early stopping.
        // The boosted rows stay a view (they are binned, never copied); the
        // validation rows, a tenth, are gathered once, as every round predicts them.
        let (fit_set, validation) = match held_out.filter(|s| !s.test.is_empty()) {
            Some(split) => (train.select(&split.train), Some(train.select(&split.test).to_dataset().into_owned())),
            None => (train.clone(), None),
        };
        let fit_target = fit_set.target();
        let labels = labels_of(&fit_target);
        let n = fit_set.n_rows();
        let k = loss.n_outputs();

        let mapper = BinMapper::fit(&fit_set, seed);
        let binned = mapper.transform(&fit_set);
        let baseline = loss.baseline(labels);
        let mut raw: Vec<f64> = baseline.iter().flat_map(|&b| std::iter::repeat_n(b, n)).collect();
        let mut grad = vec![0.0f32; n * k];
        let mut hess = vec![0.0f32; if loss.constant_hessian() { 0 } else { n * k }];
        let mut validation = validation.map(|v| {
            let raw: Vec<f64> = baseline.iter().flat_map(|&b| std::iter::repeat_n(b, v.x.n_rows())).collect();
            let first = loss.mean_loss(&raw, labels_of(&v.target));
            (v, raw, vec![first])
        });

        let settings = TreeSettings {
            max_leaf_nodes: self.max_leaf_nodes,
            max_depth: self.max_depth,
            min_samples_leaf: self.min_samples_leaf,
            l2_regularization: self.l2_regularization,
            learning_rate: self.learning_rate,
        };
        let mut grower = Grower::new(&binned, &mapper.thresholds, settings);
        let mut importances = vec![0.0; train.n_cols()];
        let mut trees = Vec::with_capacity(self.max_iter * k);
        let mut train_loss = Vec::with_capacity(self.max_iter + 1);
        for round in 0..self.max_iter {
            train_loss.push(loss.gradients(&raw, labels, &mut grad, &mut hess));
            for output in 0..k {
                let rows = output * n..(output + 1) * n;
                let h = (!hess.is_empty()).then(|| &hess[rows.clone()]);
                let tree = grower.grow(&grad[rows.clone()], h, &mut importances);
                grower.add_leaf_values(&mut raw[rows]);
                if let Some((v, v_raw, _)) = &mut validation {
                    let m = v.x.n_rows();
                    add_tree(&tree, &v.x, &mut v_raw[output * m..(output + 1) * m]);
                }
                trees.push(tree);
            }
            progress.report(round + 1, self.max_iter, "boosting rounds");
            if let Some((v, v_raw, v_loss)) = &mut validation {
                v_loss.push(loss.mean_loss(v_raw, labels_of(&v.target)));
                if no_recent_improvement(v_loss) {
                    progress.report(self.max_iter, self.max_iter, "boosting rounds");
                    break;
                }
            }
        }
        train_loss.push(loss.mean_loss(&raw, labels));
        normalize(&mut importances);
        let validation_loss = validation.map(|(_, _, l)| l).unwrap_or_default();
        Ok(GradientBoosting {
            loss,
            baseline,
            trees,
            n_features: train.n_cols(),
            history: History { train_loss, validation_loss, importances },
        })
    }
}

impl GradientBoosting {
    /// Rounds actually boosted (fewer than `max_iter` when early stopping ended them).
    pub fn n_rounds(&self) -> usize {
        self.trees.len() / self.loss.n_outputs()
    }

    /// The raw scores of every row of `x`, output-major. On a boundary
    /// plot's grid each tree, its splits on the held inputs resolved, paints
    /// its leaves' values rectangle by rectangle (a few dozen rectangles
    /// rather than 65,536 walks): each cell still adds the trees' values in
    /// their order, so the sums are the same bits.
    fn raw_scores(&self, x: &FeatureMatrix) -> Vec<f64> {
        let n = x.n_rows();
        let mut raw: Vec<f64> = self.baseline.iter().flat_map(|&b| std::iter::repeat_n(b, n)).collect();
        let shape = Shape::of(x);
        for (i, tree) in self.trees.iter().enumerate() {
            let output = i % self.loss.n_outputs();
            let raw = &mut raw[output * n..(output + 1) * n];
            match shape.grid() {
                Some(grid) => ResolvedTree::of(tree.as_slice(), shape.held()).paint(grid, x, raw),
                None => add_tree(tree, x, raw),
            }
        }
        raw
    }
}

/// The labels boosting fits; `fit` has already refused a target-less set
/// (`check_fit_ready`), which would have no labels to give.
fn labels_of(target: &Target) -> Labels<'_> {
    match target {
        Target::Classes { y, .. } => Labels::Classes(y),
        Target::Values(v) => Labels::Values(v),
        Target::Unlabeled { .. } => Labels::Values(&[]),
    }
}

/// Rows walked down a tree together by [`add_tree`].
const BLOCK: usize = 64;

/// Adds the leaf value `tree` gives each row of `x` to `raw[row]`.
///
/// Blocks of rows walk down the tree in lockstep, one level per pass, and leaves
/// lead back to themselves: every row takes exactly `depth` steps, so the loop has
/// no data-dependent exit to mispredict and the rows' walks overlap in the CPU.
fn add_tree(tree: &[Node], x: &FeatureMatrix, raw: &mut [f64]) {
    // (feature, threshold, left child); a leaf stays put as nothing exceeds +∞.
    let steps: Vec<(usize, f32, u32)> = tree
        .iter()
        .enumerate()
        .map(|(id, n)| if n.is_leaf() { (0, f32::INFINITY, id as u32) } else { (n.feature as usize, n.threshold, n.left) })
        .collect();
    // Children come after their parent, so one pass finds every depth.
    let mut depths = vec![0usize; tree.len()];
    for (id, n) in tree.iter().enumerate().filter(|(_, n)| !n.is_leaf()) {
        depths[n.left as usize] = depths[id] + 1;
        depths[n.left as usize + 1] = depths[id] + 1;
    }
    let depth = depths.iter().copied().max().unwrap_or(0);
    let columns: Vec<&[f32]> = x.columns().collect();
    let mut at = [0u32; BLOCK];
    for (block, raw) in raw.chunks_mut(BLOCK).enumerate() {
        let first = block * BLOCK;
        let at = &mut at[..raw.len()];
        at.fill(0);
        for _ in 0..depth {
            for (row, id) in (first..).zip(at.iter_mut()) {
                let (feature, threshold, left) = steps[*id as usize];
                *id = left + (columns[feature][row] > threshold) as u32;
            }
        }
        for (r, &id) in raw.iter_mut().zip(at.iter()) {
            *r += tree[id as usize].value;
        }
    }
}

/// A boosted tree for [`ResolvedTree`]: `x > threshold` goes right
/// (`left + 1`), which for an `f32` input and threshold is the CART rule
/// `x as f64 <= threshold as f64` going left, but for a missing value.
impl Splits for [Node] {
    fn value_width(&self) -> usize {
        1
    }

    fn split(&self, id: usize) -> Option<(u32, f64, u32, u32)> {
        let n = &self[id];
        (!n.is_leaf()).then_some((n.feature, f64::from(n.threshold), n.left, n.left + 1))
    }

    fn child(&self, id: usize, v: f32) -> usize {
        let n = &self[id];
        n.left as usize + usize::from(v > n.threshold)
    }

    fn add_leaf(&self, id: usize, out: &mut [f64]) {
        out[0] += self[id].value;
    }
}

/// scikit-learn's stopping rule on the validation loss (`losses[0]` is the
/// baseline's): stop when none of the last [`N_ITER_NO_CHANGE`] rounds beat the
/// loss one round before them by more than [`TOL`].
fn no_recent_improvement(losses: &[f64]) -> bool {
    if losses.len() <= N_ITER_NO_CHANGE {
        return false;
    }
    let reference = losses[losses.len() - N_ITER_NO_CHANGE - 1] - TOL;
    losses[losses.len() - N_ITER_NO_CHANGE..].iter().all(|&l| l >= reference)
}

/// Scales `v` to sum to 1 (left at zero when nothing was split).
fn normalize(v: &mut [f64]) {
    let total: f64 = v.iter().sum();
    if total > 0.0 {
        v.iter_mut().for_each(|x| *x /= total);
    }
}

impl FittedModel for GradientBoosting {
    /// The baseline, then every tree's leaf value added in the page's order
    /// (each tree adds to its own output; the others get `+ 0`, which changes
    /// no score), then the link: none, the sigmoid or the softmax.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        let k = self.loss.n_outputs();
        let dst = b.regs(k);
        let baseline = b.parameter("baseline", self.baseline.clone(), Role::Leaves);
        b.push(Op::Set { dst, values: baseline });
        let flat = self.trees.iter().enumerate().map(|(i, tree)| {
            let output = i % k;
            tree.iter()
                .map(|n| {
                    if n.is_leaf() {
                        let mut leaf = vec![0.0; k];
                        leaf[output] = n.value;
                        FlatNode::Leaf(leaf)
                    } else {
                        // The page sends `x > threshold` right (`left + 1`); an
                        // `f32` input against an `f32` threshold compares the
                        // same in `f64`, and the pipeline leaves no input missing.
                        FlatNode::Split {
                            feature: n.feature,
                            threshold: f64::from(n.threshold),
                            left: n.left,
                            right: n.left + 1,
                        }
                    }
                })
                .collect()
        });
        lower_flat_trees(flat, k, b, inputs, dst);
        Ok(match self.loss {
            Loss::HalfSquaredError => dst,
            Loss::Binomial => {
                let proba = b.regs(2);
                b.push(Op::Sigmoid { src: dst, dst: proba });
                proba
            }
            Loss::Multinomial { n_classes } => {
                b.push(Op::Softmax { dst, n: n_classes, uniform: false });
                dst
            }
        })
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        Ok(self.loss.predictions(&self.raw_scores(x), x.n_rows()))
    }

    fn explain(&self, _features: &[FeatureInfo], _target: &Target, _target_name: &str) -> Explanation {
        // The losses as people know them: log loss, or the mean squared error
        // (scikit-learn minimizes half of it).
        let (y_label, scale) = match self.loss {
            Loss::HalfSquaredError => ("mean squared error", 2.0),
            _ => ("log loss", 1.0),
        };
        let series = |name: &str, losses: &[f64]| Series {
            name: name.to_string(),
            points: losses.iter().enumerate().map(|(round, l)| (round as f64, l * scale)).collect(),
        };
        let mut curves = vec![series("training", &self.history.train_loss)];
        if !self.history.validation_loss.is_empty() {
            curves.push(series("validation (held out)", &self.history.validation_loss));
        }
        Explanation {
            views: vec![ModelView::Curves(CurvesView {
                title: "Training loss per round".to_string(),
                x_label: "boosting round".to_string(),
                y_label: y_label.to_string(),
                series: curves,
            })],
            feature_importance: (!self.history.importances.is_empty()).then(|| self.history.importances.clone()),
            importance_measure: "total split gain",
        }
    }

    /// Per split: feature and threshold; per leaf: its value; plus the baseline(s).
    fn n_parameters(&self) -> usize {
        let nodes = self.trees.iter().flatten();
        self.baseline.len() + nodes.map(|n| if n.is_leaf() { 1 } else { 2 }).sum::<usize>()
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for GradientBoosting {
    /// Each split tests an input there is and sends rows to its two children
    /// (`left`, `left + 1`), later nodes of the same tree, so every walk ends.
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        use crate::model::LoadError;
        let outputs = self.loss.n_outputs();
        LoadError::unless(outputs > 0 && self.baseline.len() == outputs, || {
            format!("{} starting scores for {outputs} outputs", self.baseline.len())
        })?;
        LoadError::unless(!self.trees.is_empty() && self.trees.len().is_multiple_of(outputs), || {
            format!("{} trees do not make whole rounds of {outputs}", self.trees.len())
        })?;
        for tree in &self.trees {
            LoadError::unless(!tree.is_empty(), || "a boosting tree has no nodes".into())?;
            for (id, node) in tree.iter().enumerate().filter(|(_, n)| !n.is_leaf()) {
                LoadError::unless((node.feature as usize) < self.n_features, || {
                    format!("a node tests input {} of {}", node.feature, self.n_features)
                })?;
                LoadError::unless(node.left as usize > id && (node.left as usize) + 1 < tree.len(), || {
                    format!(
                        "node {id}'s children ({}, {}) are not later nodes of the {}",
                        node.left,
                        node.left + 1,
                        tree.len()
                    )
                })?;
            }
        }
        Ok(())
    }
}
