//! k-means clustering: k centroids placed so that the rows' squared distances
//! to their nearest centroid (the inertia) are as small as Lloyd's algorithm
//! gets them from greedy k-means++ starts, on standardized inputs. It needs no
//! target; each row's cluster is its nearest centroid.
//!
//! What it shows: the clusters as regions of the boundary plot with the
//! centroids marked, the elbow (inertia for k = 1, 2, … on a sample of the
//! training rows, to judge whether the chosen k is worth it), and as importance
//! each input's share of the between-cluster variance: the inputs that tell
//! the clusters apart.

mod lloyd;
mod params;

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use params::{specs, KMeansParams};

pub use lloyd::Clustering;
use lloyd::{best_of, lloyd, plus_plus, Centers, Rows};

use crate::base::program::{Builder, NotLowered, Op, Reg, Role};
use crate::base::{format_count, FeatureInfo, FeatureMatrix, Progress, Scaling, Target, Task};
use crate::model::params::{at_least, require};
use crate::model::view::{CurvesView, ModelView, Series};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, DataView, Explanation, Fit, FitError, FittedModel, ModelInfo,
    ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    // The elbow view is its own curve over k; a learning curve needs a target.
    complexity: None,
    id: "kmeans",
    name: "k-means",
    tasks: &[Task::Clustering],
    scaling: Scaling::Standardize,
    seeded: true,
    params: specs,
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<KMeansParams>,
    load: load_boxed::<KMeansParams>,
    to_json: to_json_boxed::<KMeansParams>,
    from_json: from_json_boxed::<KMeansParams>,
};

/// Training rows the elbow is computed on at most: enough for its shape (50
/// rows per cluster at k = 10), few enough that refitting for ten values of k
/// stays a small part of the fit (natively about 3 ms with one start per k,
/// against about 15 ms for the 8k-row fit it accompanies in the benchmark).
pub const ELBOW_ROWS: usize = 500;
/// The elbow covers k = 1 up to at least this (or the rows there are).
const ELBOW_K: usize = 10;

/// A fitted k-means model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KMeans {
    /// `k × n_features`, row-major, in the model's (standardized) input units.
    centroids: Vec<f32>,
    k: usize,
    n_features: usize,
    /// Training rows per cluster.
    sizes: Vec<usize>,
    /// Sum of squared distances of the training rows to their centroid.
    inertia: f64,
    /// (k, inertia per row) on `elbow_rows` (at most [`ELBOW_ROWS`]) training rows.
    elbow: Vec<(usize, f64)>,
    elbow_rows: usize,
    /// Lloyd rounds of the kept start (0 in a model file written before it was kept).
    #[serde(default)]
    rounds: usize,
}

impl Fit for KMeansParams {
    type Model = KMeans;

    fn from_values(_task: Task, values: &ParamValues) -> Result<Self, FitError> {
        KMeansParams::read(values)
    }

    fn check(&self) -> Result<(), FitError> {
        require(self.k >= 1, "clusters (k)", self.k, "at least 1")?;
        require(self.n_init >= 1, "restarts", self.n_init, "at least 1")?;
        require(self.max_iter >= 1, "max iterations", self.max_iter, "at least 1")?;
        require(at_least(self.tol, 0.0), "tolerance", self.tol, "a number from 0 up")
    }

    /// Clusters the rows of `train`, which must have no target (a labelled set
    /// is a task k-means does not do). `seed` draws the k-means++ starts and the
    /// elbow's sample.
    fn fit_checked(&self, train: &DataView, seed: u64, progress: &mut dyn Progress) -> Result<KMeans, FitError> {
        let task = train.source().target.task();
        if task != Task::Clustering {
            return Err(FitError::WrongTask(task.name().to_string()));
        }
        train.check_features_ready()?;
        let data = train.to_dataset();
        let train = &*data;
        let n = train.x.n_rows();
        if self.k > n {
            return Err(FitError::MoreClustersThanRows { k: self.k, rows: n });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let rows = Rows::gather(&train.x, None);
        let steps = ELBOW_K.max(self.k) + 1;
        progress.report(0, steps, "finding the clusters");
        let best = best_of(&rows, self.k, self.n_init, self.max_iter, self.tol, &mut rng);

        // The elbow: every k on one seeded sample, a few starts each.
        let sampled: Option<Vec<usize>> = (n > ELBOW_ROWS).then(|| {
            let mut picked = sample(&mut rng, n, ELBOW_ROWS).into_vec();
            picked.sort_unstable();
            picked
        });
        let sample_rows = Rows::gather(&train.x, sampled.as_deref());
        let mut elbow = Vec::new();
        for k in 1..=ELBOW_K.max(self.k).min(sample_rows.n) {
            progress.report(k, steps, "computing the elbow");
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(k as u64);
            let run = best_of(&sample_rows, k, self.n_init.min(3), self.max_iter, self.tol, &mut rng);
            elbow.push((k, run.inertia / sample_rows.n as f64));
        }
        progress.report(steps, steps, "computing the elbow");
        Ok(KMeans {
            centroids: best.centroids,
            k: self.k,
            n_features: rows.d,
            sizes: best.sizes,
            inertia: best.inertia,
            elbow,
            elbow_rows: sample_rows.n,
            rounds: best.rounds,
        })
    }
}

/// A k-means++ start (`k × d` centroids, row-major) as a fit draws it: see
/// [`KMeansParams::start`]. Only made there, so it always has `k` centroids of
/// one width.
#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    centroids: Vec<f32>,
    k: usize,
    d: usize,
}

impl Start {
    /// The centroids, `k × d`, row-major.
    pub fn centroids(&self) -> &[f32] {
        &self.centroids
    }
}

impl KMeansParams {
    /// The k-means++ start a fit with `seed` runs Lloyd's rounds from first
    /// (the only one with `n_init` = 1), on the rows of `x` as the fit sees
    /// them. With [`KMeansParams::run_from`] it lets the benchmark give
    /// scikit-learn's `KMeans(init=…)` the very start ours runs from, so the
    /// rounds and their cost compare like with like.
    pub fn start(&self, x: &FeatureMatrix, seed: u64) -> Result<Start, FitError> {
        self.check()?;
        if x.n_rows() == 0 {
            return Err(FitError::NoRows);
        }
        if self.k > x.n_rows() {
            return Err(FitError::MoreClustersThanRows { k: self.k, rows: x.n_rows() });
        }
        let rows = Rows::gather(x, None);
        let centroids = plus_plus(&rows, self.k, &mut ChaCha8Rng::seed_from_u64(seed));
        Ok(Start { centroids, k: self.k, d: rows.d })
    }

    /// Lloyd's rounds on the rows of `x` from `start` alone, as a fit runs
    /// them (the rows copied row-major, the tolerance scaled by their
    /// variance): no k-means++, no restarts, no elbow. scikit-learn's
    /// `KMeans(init=start, n_init=1)`.
    pub fn run_from(&self, x: &FeatureMatrix, start: &Start) -> Result<Clustering, FitError> {
        self.check()?;
        if x.n_rows() == 0 {
            return Err(FitError::NoRows);
        }
        if x.n_cols() != start.d {
            return Err(FitError::InvalidParam {
                name: "start".into(),
                value: format!("a start of {} inputs", start.d),
                expected: format!("one of the rows' {} inputs", x.n_cols()),
            });
        }
        let rows = Rows::gather(x, None);
        Ok(lloyd(&rows, start.centroids.clone(), start.k, self.max_iter, rows.tolerance(self.tol)))
    }
}

impl KMeans {
    /// Sum of squared distances of the training rows to their nearest centroid.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Lloyd rounds the kept start ran (scikit-learn's `n_iter_`): what the
    /// benchmark divides the fit time by for the cost of a round.
    pub fn rounds(&self) -> usize {
        self.rounds
    }

    /// The nearest centroid of each row of `x`.
    pub fn labels(&self, x: &FeatureMatrix) -> Result<Vec<u32>, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let rows = Rows::gather(x, None);
        let centers = Centers::new(&self.centroids, self.k, self.n_features);
        Ok((0..rows.n).map(|i| centers.nearest_two(rows.row(i)).0 as u32).collect())
    }

    /// Each input's share of the between-cluster sum of squares
    /// `Σ_c n_c (μ_cj − μ_j)²`: how far apart the centroids sit along it.
    fn separation(&self) -> Option<Vec<f64>> {
        let total = self.sizes.iter().sum::<usize>() as f64;
        let d = self.n_features;
        let spread: Vec<f64> = (0..d)
            .map(|j| {
                let column = || self.sizes.iter().enumerate().map(|(c, &n)| (n as f64, self.centroids[c * d + j] as f64));
                let mean = column().map(|(n, v)| n * v).sum::<f64>() / total;
                column().map(|(n, v)| n * (v - mean).powi(2)).sum()
            })
            .collect();
        let sum: f64 = spread.iter().sum();
        (sum > 0.0).then(|| spread.iter().map(|s| s / sum).collect())
    }
}

impl FittedModel for KMeans {
    /// [`Op::Distances`] to the centroids (summed as `Centers::distances`
    /// sums them) and [`Op::ArgMin`] (ties to the lower cluster, as
    /// `Centers::nearest_two`): the cluster's index.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        let points = b.parameter("centroids", self.centroids.iter().map(|&v| f64::from(v)).collect(), Role::Weights);
        let dst = b.regs(self.k);
        b.push(Op::Distances { src: inputs, n: self.n_features, dst, count: self.k, points });
        let cluster = b.regs(1);
        b.push(Op::ArgMin { src: dst, n: self.k, dst: cluster });
        Ok(cluster)
    }

    /// Each row's cluster as one-hot "probabilities": k-means assigns hard,
    /// so the boundary plot colors every region at full confidence.
    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        let labels = self.labels(x)?;
        let mut proba = vec![0.0f32; labels.len() * self.k];
        for (row, &c) in labels.iter().enumerate() {
            proba[row * self.k + c as usize] = 1.0;
        }
        Ok(Predictions::Classes { proba, n_classes: self.k })
    }

    fn explain(&self, _features: &[FeatureInfo], _target: &Target, _target_name: &str) -> Explanation {
        let (lo, hi) =
            self.elbow.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| (lo.min(v), hi.max(v)));
        let mut series = vec![Series {
            name: "inertia per row".to_string(),
            points: self.elbow.iter().map(|&(k, v)| (k as f64, v)).collect(),
        }];
        if lo.is_finite() {
            series.push(Series {
                name: format!("chosen k = {}", self.k),
                points: vec![(self.k as f64, lo), (self.k as f64, hi)],
            });
        }
        let rows = if self.elbow_rows < ELBOW_ROWS {
            "the training rows".to_string()
        } else {
            format!("a sample of {} training rows", format_count(self.elbow_rows))
        };
        let elbow = CurvesView {
            title: format!("Elbow: how much each extra cluster tightens the groups (on {rows})"),
            x_label: "clusters (k)".to_string(),
            y_label: "inertia per row (squared distance to the centroid)".to_string(),
            series,
        };
        Explanation {
            views: vec![ModelView::Curves(elbow)],
            feature_importance: self.separation(),
            importance_measure: "between-cluster variance",
        }
    }

    /// A centroid's coordinates are all k-means learns.
    fn n_parameters(&self) -> usize {
        self.k * self.n_features
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    fn centroids(&self) -> Option<Vec<Vec<f32>>> {
        Some(self.centroids.chunks(self.n_features.max(1)).map(<[f32]>::to_vec).collect())
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for KMeans {
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        crate::model::LoadError::unless(
            self.k > 0 && self.centroids.len() == self.k * self.n_features && self.sizes.len() == self.k,
            || {
                format!(
                    "{} centre numbers and {} sizes for {} clusters of {} inputs",
                    self.centroids.len(),
                    self.sizes.len(),
                    self.k,
                    self.n_features
                )
            },
        )
    }
}
