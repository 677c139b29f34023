//! Random forests for classification and regression: many CART trees, each
//! grown on a bootstrap sample of the rows and choosing every split among a
//! random subset of the features, voting (averaging) together. Follows
//! scikit-learn's `RandomForestClassifier` / `RandomForestRegressor`.

mod params;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use params::{specs, ForestParams, MaxFeatures};

use super::tree::algorithm::{grow, Features, Labels, Presorted, Sample, Unweighted};
use super::tree::{lower_trees, DecisionTree, Shape};
use crate::base::program::{Builder, NotLowered, Op, Reg};
use crate::base::{
    accuracy, format_count, format_significant, r2_score, FeatureInfo, FeatureMatrix, NoProgress, Progress, Scaling, Target,
    Task,
};
use crate::model::params::require;
use crate::model::view::ModelView;
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, Complexity, DataView, Explanation, Fit, FitError, FittedModel,
    ModelInfo, ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "random_forest",
    name: "Random forest",
    tasks: &[Task::Classification, Task::Regression],
    scaling: Scaling::None,
    seeded: true,
    params: specs,
    complexity: Some(Complexity {
        key: "n_estimators",
        values: &[1, 3, 10, 30, 100, 300],
        cost_grows: true,
        zero_is_unlimited: false,
    }),
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<ForestParams>,
    load: load_boxed::<ForestParams>,
    to_json: to_json_boxed::<ForestParams>,
    from_json: from_json_boxed::<ForestParams>,
};

/// Member trees drawn in the model's view.
const SHOWN_TREES: usize = 4;

/// A fitted random forest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RandomForest {
    trees: Vec<DecisionTree>,
    /// Classification or regression (`fit` refuses clustering), as in the trees.
    task: Task,
    n_features: usize,
    /// Numbers per prediction: classes, or 1.
    width: usize,
    /// Mean over the trees of each tree's normalized impurity decrease.
    importances: Vec<f64>,
    oob_score: Option<f64>,
}

impl Fit for ForestParams {
    type Model = RandomForest;

    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        ForestParams::read(task, values)
    }

    fn check(&self) -> Result<(), FitError> {
        require(self.n_estimators >= 1, "trees", self.n_estimators, "at least 1")?;
        self.tree.check()
    }

    /// Grows `params.n_estimators` trees on `train`. Tree `t` draws its
    /// bootstrap sample and its features from ChaCha stream `t` of `seed`, so
    /// the forest is the same for the same seed, and each tree's draws do not
    /// depend on how many trees come before it.
    fn fit_checked(&self, train: &DataView, seed: u64, progress: &mut dyn Progress) -> Result<RandomForest, FitError> {
        train.check_fit_ready()?;
        let target = train.target();
        let (labels, task) = match &*target {
            Target::Classes { y, names } => (Labels::Classes { y, n_classes: names.len() }, Task::Classification),
            Target::Values(v) => (Labels::Values(v), Task::Regression),
            Target::Unlabeled { .. } => return Err(FitError::WrongTask(Task::Clustering.name().to_string())),
        };
        let (n, n_features) = (train.n_rows(), train.n_cols());
        let per_node = self.max_features.count(n_features);
        let width = labels.value_width();
        // The sort at the root is the costly part of growing a tree: done once here.
        let presorted = Presorted::new(&train.source().x, train.rows());
        let mut oob = self.bootstrap.then(|| OutOfBag::new(n, width));
        let mut counts = vec![0u32; n];
        let mut trees = Vec::with_capacity(self.n_estimators);
        for t in 0..self.n_estimators {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(t as u64);
            let grown = if self.bootstrap {
                // n draws with replacement; each row then counts as often as it was drawn.
                counts.iter_mut().for_each(|c| *c = 0);
                for _ in 0..n {
                    counts[rng.random_range(0..n)] += 1;
                }
                let features = Features::Random { per_node, rng: &mut rng };
                let sample = Sample { labels, weights: counts.as_slice() };
                grow(presorted.resample(&counts), sample, &self.tree, features, &mut NoProgress)
            } else {
                let features = Features::Random { per_node, rng: &mut rng };
                let sample = Sample { labels, weights: Unweighted };
                grow(presorted.clone(), sample, &self.tree, features, &mut NoProgress)
            };
            let tree = DecisionTree::from_grown(grown, task, n_features);
            if let Some(oob) = oob.as_mut() {
                oob.add(&tree, train, &counts);
            }
            trees.push(tree);
            progress.report(t + 1, self.n_estimators, "growing the trees");
        }
        let importances = mean_importances(&trees, n_features);
        let oob_score = oob.and_then(|o| o.score(&target, task));
        Ok(RandomForest { trees, task, n_features, width, importances, oob_score })
    }
}

impl RandomForest {
    /// Accuracy (classification) or R² (regression) of each training row's
    /// prediction by only the trees that did not draw it: a test score without
    /// a test set. `None` without bootstrap.
    pub fn oob_score(&self) -> Option<f64> {
        self.oob_score
    }

    pub fn trees(&self) -> &[DecisionTree] {
        &self.trees
    }

    pub fn importances(&self) -> &[f64] {
        &self.importances
    }

    fn title(&self, target_name: &str) -> String {
        let n = self.trees.len();
        let trees = format!("{} {}", format_count(n), if n == 1 { "tree" } else { "trees" });
        let oob = match (self.oob_score, self.task) {
            (Some(s), Task::Classification) => format!(" · out-of-bag accuracy {}", format_significant(s, 3)),
            (Some(s), _) => format!(" · out-of-bag R² {}", format_significant(s, 3)),
            (None, _) => String::new(),
        };
        format!("Random forest of {trees} for {target_name}{oob}")
    }
}

/// Each training row's summed predictions over the trees that left it out of
/// their bootstrap sample, and how many trees that was.
struct OutOfBag {
    sums: Vec<f64>,
    votes: Vec<u32>,
    width: usize,
}

impl OutOfBag {
    fn new(n: usize, width: usize) -> Self {
        OutOfBag { sums: vec![0.0; n * width], votes: vec![0; n], width }
    }

    /// Adds `tree`'s predictions for the rows of `train` it did not draw (`counts` 0).
    fn add(&mut self, tree: &DecisionTree, train: &DataView, counts: &[u32]) {
        let (x, rows) = (&train.source().x, train.rows());
        for (row, _) in counts.iter().enumerate().filter(|(_, &c)| c == 0) {
            let at = rows.map_or(row, |rows| rows[row]);
            tree.add_prediction(x, at, &mut self.sums[row * self.width..(row + 1) * self.width]);
            self.votes[row] += 1;
        }
    }

    /// The score over rows left out by at least one tree (scikit-learn scores
    /// the others as all-zero predictions, with a warning; with more than a
    /// handful of trees there are none). `None` if no row was ever left out.
    fn score(&self, target: &Target, task: Task) -> Option<f64> {
        let rows: Vec<usize> = (0..self.votes.len()).filter(|&r| self.votes[r] > 0).collect();
        if rows.is_empty() {
            return None;
        }
        let sums: Vec<f64> = rows.iter().flat_map(|&r| &self.sums[r * self.width..(r + 1) * self.width]).copied().collect();
        let predicted = average(&sums, self.width, rows.iter().map(|&r| self.votes[r] as f64), task);
        Some(match (target.select_rows(&rows), predicted) {
            (Target::Classes { y, .. }, p) => accuracy(&y, &p.labels()?),
            (Target::Values(y), Predictions::Values(p)) => r2_score(&y, &p),
            _ => return None,
        })
    }
}

/// Per-row sums of member predictions (`width` numbers a row), each divided by
/// its row's count of trees: class probabilities or values.
fn average(sums: &[f64], width: usize, counts: impl Iterator<Item = f64>, task: Task) -> Predictions {
    let means = sums.chunks(width).zip(counts).flat_map(|(s, n)| s.iter().map(move |v| v / n));
    match task {
        Task::Classification => Predictions::Classes { proba: means.map(|v| v as f32).collect(), n_classes: width },
        _ => Predictions::Values(means.collect()),
    }
}

/// scikit-learn's `feature_importances_`: the mean of the trees' normalized
/// importances over trees that split at all, normalized again.
fn mean_importances(trees: &[DecisionTree], n_features: usize) -> Vec<f64> {
    let mut mean = vec![0.0; n_features];
    for tree in trees.iter().filter(|t| t.nodes().len() > 1) {
        mean.iter_mut().zip(tree.importances()).for_each(|(m, i)| *m += i);
    }
    let total: f64 = mean.iter().sum();
    if total > 0.0 {
        mean.iter_mut().for_each(|m| *m /= total);
    }
    mean
}

impl FittedModel for RandomForest {
    /// The trees' summed leaf values divided by the tree count, as `average`.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        let dst = lower_trees(&self.trees, b, inputs);
        b.push(Op::Divide { dst, n: self.width, by: self.trees.len() as f64 });
        Ok(dst)
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let w = self.width;
        let mut sums = vec![0.0; x.n_rows() * w];
        // Tree by tree, so each tree's nodes stay in cache over all rows.
        let shape = Shape::of(x);
        for tree in &self.trees {
            tree.walker(&shape).add_all(x, &mut sums);
        }
        let n_trees = self.trees.len() as f64;
        Ok(average(&sums, w, std::iter::repeat(n_trees), self.task))
    }

    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        let trees = self.trees.iter().take(SHOWN_TREES).map(|t| t.view(features, target, target_name)).collect();
        Explanation {
            views: vec![ModelView::Trees { title: self.title(target_name), trees }],
            feature_importance: Some(self.importances.clone()),
            importance_measure: "mean impurity decrease",
        }
    }

    /// Every member tree's splits and leaf values.
    fn n_parameters(&self) -> usize {
        self.trees.iter().map(|t| t.n_parameters()).sum()
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for RandomForest {
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        use crate::model::LoadError;
        LoadError::unless(!self.trees.is_empty(), || "a forest has no trees".into())?;
        LoadError::unless(self.importances.len() == self.n_features, || {
            format!("a forest on {} inputs has {} importances", self.n_features, self.importances.len())
        })?;
        for tree in &self.trees {
            tree.check_stored()?;
            LoadError::unless(tree.n_features == self.n_features && tree.grown.value_width == self.width, || {
                "a tree of the forest has another shape than the forest".into()
            })?;
        }
        Ok(())
    }
}
