//! k-nearest neighbours for classification and regression: a prediction is the
//! (weighted) vote or mean of the k closest training rows, by Euclidean distance
//! on standardized inputs.
//!
//! The model *is* its training set, indexed once at fit by a k-d tree so that a
//! boundary grid of 65,536 queries over ~10k rows stays fast. It has no learned
//! importance and no own view: its natural picture is the decision boundary, and
//! [`KNearest::neighbours`] lets the page show the neighbours of a clicked point.

mod folded;
mod kdtree;
mod params;

use serde::{Deserialize, Serialize};

pub use params::{specs, KnnParams, Weights};

use folded::Folded;
use kdtree::{Candidate, KdTree, Nearest};

use crate::base::program::{neighbour_weight, Builder, Data, NotLowered, Op, Reg, Role};
use crate::base::{FeatureInfo, FeatureMatrix, Progress, Scaling, Target, Task};
use crate::model::params::require;
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, Complexity, DataView, Explanation, Fit, FitError, FittedModel,
    ModelInfo, ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "knn",
    name: "k-nearest neighbours",
    tasks: &[Task::Classification, Task::Regression],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: Some(Complexity {
        key: "k",
        values: &[1, 3, 5, 10, 20, 50, 100],
        cost_grows: false,
        zero_is_unlimited: false,
    }),
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<KnnParams>,
    load: load_boxed::<KnnParams>,
    to_json: to_json_boxed::<KnnParams>,
    from_json: from_json_boxed::<KnnParams>,
};

/// The training targets, by training row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Stored {
    Classes { y: Vec<u32>, n_classes: usize },
    Values(Vec<f64>),
}

/// Fewest queries for which folding the held inputs pays for building its tree.
const FOLD_MIN_QUERIES: usize = 1024;
/// Most varying inputs a folded search is built over (a boundary varies two).
const FOLD_MAX_VARYING: usize = 3;

/// A fitted k-nearest-neighbours model: the indexed training rows and their targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KNearest {
    tree: KdTree,
    target: Stored,
    k: usize,
    weights: Weights,
    n_features: usize,
}

impl Fit for KnnParams {
    type Model = KNearest;

    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        KnnParams::read(task, values)
    }

    fn check(&self) -> Result<(), FitError> {
        require(self.k >= 1, "neighbours (k)", self.k, "at least 1")
    }

    /// Indexes `train`. Nothing is random, so `_seed` changes nothing; it is taken
    /// to keep the contract the same for every model. A `k` larger than the
    /// training set uses every training row (scikit-learn refuses instead).
    fn fit_checked(&self, train: &DataView, _seed: u64, progress: &mut dyn Progress) -> Result<KNearest, FitError> {
        train.check_fit_ready()?;
        let data = train.to_dataset();
        let train = &*data;
        let target = match &train.target {
            Target::Classes { y, names } => Stored::Classes { y: y.clone(), n_classes: names.len() },
            Target::Values(v) => Stored::Values(v.clone()),
            Target::Unlabeled { .. } => return Err(FitError::WrongTask(Task::Clustering.name().to_string())),
        };
        let tree = KdTree::build(&train.x);
        progress.report(1, 1, "indexing the training rows");
        let k = self.k.min(tree.len());
        Ok(KNearest { tree, target, k, weights: self.weights, n_features: train.x.n_cols() })
    }
}

impl KNearest {
    /// The `k` training rows nearest to `query` (one value per input, scaled as the
    /// model's inputs are), nearest first, with their Euclidean distances. Ties go
    /// to the earlier training row. A query of the wrong length has no neighbours.
    pub fn neighbours(&self, query: &[f32], k: usize) -> Vec<(usize, f64)> {
        if query.len() != self.n_features || k == 0 {
            return Vec::new();
        }
        let mut nearest = Nearest::new(k.min(self.tree.len()));
        let mut found = Vec::new();
        self.tree.search(query, &mut nearest);
        nearest.drain_sorted(&mut found);
        found.iter().map(|c| (c.row as usize, c.dist2.sqrt())).collect()
    }

    /// When every query holds all but a few inputs at one value (a boundary
    /// grid over two inputs, at a slice), the search through a tree folded
    /// over the varying inputs ([`Folded`]): the same neighbours at the same
    /// distances at a fraction of the cost. `None` when that does not apply.
    fn fold_held_inputs(&self, x: &FeatureMatrix) -> Option<Folded> {
        if x.n_rows() < FOLD_MIN_QUERIES {
            return None;
        }
        Folded::new(&self.tree, &x.held_values())
    }

    /// Writes the weight of each neighbour into `weights`: 1 each (uniform), or
    /// [`neighbour_weight`] (1 / distance, and only the neighbours at distance
    /// 0 when there are some), as the exported code weighs them.
    fn weigh(&self, found: &[Candidate], weights: &mut Vec<f64>) {
        weights.clear();
        match self.weights {
            Weights::Uniform => weights.extend(found.iter().map(|_| 1.0)),
            Weights::Distance => {
                let any_zero = found.iter().any(|c| c.dist2 == 0.0);
                weights.extend(found.iter().map(|c| neighbour_weight(c.dist2, any_zero)))
            }
        }
    }
}

impl FittedModel for KNearest {
    /// The training rows as constants and [`Op::Nearest`]: a scan of every
    /// row finds the same k nearest as the page's k-d tree (the same
    /// distances, the same tie rule), then the vote or the mean, each
    /// neighbour weighed as `KNearest::weigh` does.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        if self.k == 0 || self.tree.len() < self.k {
            return Err(NotLowered("this kNN model has fewer training rows than neighbours".to_string()));
        }
        let mut points: Vec<(usize, &[f32])> = self.tree.points().collect();
        points.sort_by_key(|&(row, _)| row);
        let flat: Vec<f64> = points.iter().flat_map(|(_, p)| p.iter().map(|&v| f64::from(v))).collect();
        // The training rows stay exact: the neighbours are found in their distances.
        let points_at = b.constant("training_rows", Data::Real(flat));
        let (targets, classes) = match &self.target {
            Stored::Classes { y, n_classes } => {
                (b.constant("training_classes", Data::Index(points.iter().map(|&(r, _)| y[r]).collect())), *n_classes)
            }
            Stored::Values(v) => {
                (b.parameter("training_values", points.iter().map(|&(r, _)| v[r]).collect(), Role::Leaves), 0)
            }
        };
        let best = b.regs(2 * self.k);
        let dst = b.regs(classes.max(1));
        b.push(Op::Nearest {
            src: inputs,
            n: self.n_features,
            dst,
            rows: points.len(),
            k: self.k,
            points: points_at,
            targets,
            classes,
            best,
            by_distance: self.weights == Weights::Distance,
        });
        Ok(dst)
    }

    fn neighbours_of(&self, query: &[f32]) -> Option<Vec<usize>> {
        Some(self.neighbours(query, self.k).into_iter().map(|(row, _)| row).collect())
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let n = x.n_rows();
        // What each query's neighbours make of it: class shares, or a mean.
        let (mut shares, mut values) = match &self.target {
            Stored::Classes { n_classes, .. } => (vec![0.0f32; n * n_classes], Vec::new()),
            Stored::Values(_) => (Vec::new(), vec![0.0f64; n]),
        };
        let mut weights = Vec::with_capacity(self.k);
        let mut votes = Vec::new();
        let mut answer = |row: usize, found: &[Candidate]| {
            self.weigh(found, &mut weights);
            match &self.target {
                Stored::Classes { y, n_classes } => {
                    votes.clear();
                    votes.resize(*n_classes, 0.0f64);
                    for (c, w) in found.iter().zip(&weights) {
                        votes[y[c.row as usize] as usize] += w;
                    }
                    let total: f64 = votes.iter().sum();
                    for (share, v) in shares[row * n_classes..(row + 1) * n_classes].iter_mut().zip(&votes) {
                        *share = (v / total) as f32;
                    }
                }
                Stored::Values(v) => {
                    let sum: f64 = found.iter().zip(&weights).map(|(c, w)| w * v[c.row as usize]).sum();
                    values[row] = sum / weights.iter().sum::<f64>();
                }
            }
        };
        let mut nearest = Nearest::new(self.k);
        match self.fold_held_inputs(x) {
            // A boundary grid holds all but two inputs: search a tree folded over those two.
            Some(folded) => folded.search_grid(x, &mut nearest, &mut answer),
            None => {
                // Buffers reused by every query: the query row and the heap's sorted drain.
                let (mut query, mut found) = (vec![0.0f32; self.n_features], Vec::with_capacity(self.k));
                for row in 0..n {
                    for (q, column) in query.iter_mut().zip(x.columns()) {
                        *q = column[row];
                    }
                    self.tree.search(&query, &mut nearest);
                    nearest.drain_sorted(&mut found);
                    answer(row, &found);
                }
            }
        }
        Ok(match &self.target {
            Stored::Classes { n_classes, .. } => Predictions::Classes { proba: shares, n_classes: *n_classes },
            Stored::Values(_) => Predictions::Values(values),
        })
    }

    /// No own view and no importance: every input counts alike in the distance. The
    /// page shows kNN through its decision boundary and the neighbours of a point.
    fn explain(&self, _features: &[FeatureInfo], _target: &Target, _target_name: &str) -> Explanation {
        Explanation::default()
    }

    /// The stored training values and their targets: the model is its data.
    fn n_parameters(&self) -> usize {
        self.tree.len() * (self.n_features + 1)
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for KNearest {
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        use crate::model::LoadError;
        let n_rows = match &self.target {
            Stored::Classes { y, n_classes } => {
                LoadError::unless(y.iter().all(|&c| (c as usize) < *n_classes), || {
                    format!("a training row's class is not one of the {n_classes}")
                })?;
                y.len()
            }
            Stored::Values(v) => v.len(),
        };
        LoadError::unless(self.k > 0 && self.k <= n_rows, || format!("{} neighbours of {n_rows} rows", self.k))?;
        self.tree.check(self.n_features, n_rows)
    }
}
