//! Naive Bayes for classification, with a mixed likelihood: each input is assumed
//! independent of the others given the class, and modelled by its own kind.
//!
//! - An input whose training values are all 0 or 1 (one-hot levels, booleans, 0/1
//!   numbers) is a Bernoulli variable: P(x = 1 | class) = (ones + α) / (rows + 2α),
//!   scikit-learn's `BernoulliNB` with Laplace smoothing α. At prediction a value
//!   above 0.5 counts as 1.
//! - Any other input is Gaussian per class (mean and population variance), with
//!   scikit-learn `GaussianNB`'s `var_smoothing`: 1e-9 × the largest variance of any
//!   input is added to every variance, so an input constant within a class does
//!   not give infinite densities.
//! - An input constant over all training rows cannot tell classes apart and is left
//!   out (for a Gaussian input that is exactly what `GaussianNB`'s smoothing amounts
//!   to: the same density for every class).
//!
//! `fit` sees only numbers, not how columns were encoded, hence the 0/1 rule; the
//! explanation, which does know the encoding, groups a categorical column's one-hot
//! inputs back into one panel (each level's bar is that input's own Bernoulli
//! P(level | class), so a column's bars sum to about 1, not exactly). Priors are the class frequencies. Everything is in
//! log space; probabilities come from a log-sum-exp softmax.

mod params;

use serde::{Deserialize, Serialize};

pub use params::{specs, NaiveBayesParams};

use crate::base::program::{self, Builder, Data, NotLowered, Op, Reg, Role};
use crate::base::{Encoding, FeatureInfo, FeatureMatrix, Progress, Scaling, Target, Task};
use crate::model::params::{at_least, require};
use crate::model::view::{DistributionsView, FeatureDistribution, ModelView};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, DataView, Explanation, Fit, FitError, FittedModel, ModelInfo,
    ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "naive_bayes",
    name: "Naive Bayes",
    tasks: &[Task::Classification],
    // Gaussian naive Bayes is unaffected by scaling, and raw units make its view readable.
    scaling: Scaling::None,
    seeded: false,
    params: specs,
    complexity: None,
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<NaiveBayesParams>,
    load: load_boxed::<NaiveBayesParams>,
    to_json: to_json_boxed::<NaiveBayesParams>,
    from_json: from_json_boxed::<NaiveBayesParams>,
};

/// scikit-learn's default `var_smoothing`: the share of the largest input variance
/// added to every Gaussian variance.
const VAR_SMOOTHING: f64 = 1e-9;

/// One input's fitted distribution within one class.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum InputModel {
    /// Normal density; `var` includes the smoothing.
    Normal { mean: f64, var: f64 },
    /// P(x = 1 | class), smoothed.
    Bernoulli { p: f64 },
    /// Constant over the training rows: no say in the prediction.
    Ignored,
}

/// What one input adds to a class's log score, as [`Op::LogLikelihood`]
/// reads it: computed in one place for `predict` and the exported code.
#[derive(Clone, Copy, Debug, Default)]
struct Terms {
    /// 0 nothing, 1 `q − (x − p)² · s`, 2 `x > 0.5 ? p : q`.
    kind: u32,
    p: f64,
    q: f64,
    s: f64,
}

impl InputModel {
    fn terms(self) -> Terms {
        match self {
            // The normal density's log: −½ ln(2π var) − (x − mean)² / (2 var).
            InputModel::Normal { mean, var } => {
                Terms { kind: 1, p: mean, q: -0.5 * (2.0 * std::f64::consts::PI * var).ln(), s: 0.5 / var }
            }
            InputModel::Bernoulli { p } => Terms { kind: 2, p: p.ln(), q: (1.0 - p).ln(), s: 0.0 },
            InputModel::Ignored => Terms::default(),
        }
    }
}

/// A fitted naive Bayes classifier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayes {
    n_features: usize,
    /// ln P(class); −∞ for a class without training rows.
    log_prior: Vec<f64>,
    /// `inputs[class * n_features + input]`.
    inputs: Vec<InputModel>,
}

/// How an input is modelled, decided from its training values.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Gaussian,
    Bernoulli,
    Constant,
}

fn kind_of(col: &[f32]) -> Kind {
    let (lo, hi) = col.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if lo == hi {
        Kind::Constant
    } else if col.iter().all(|&v| v == 0.0 || v == 1.0) {
        Kind::Bernoulli
    } else {
        Kind::Gaussian
    }
}

/// Population variance, in f64.
fn variance(col: &[f32]) -> f64 {
    let n = col.len() as f64;
    let mean = col.iter().map(|&v| v as f64).sum::<f64>() / n;
    col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n
}

impl Fit for NaiveBayesParams {
    type Model = NaiveBayes;

    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        NaiveBayesParams::read(task, values)
    }

    fn check(&self) -> Result<(), FitError> {
        require(at_least(self.alpha, 0.0), "smoothing (alpha)", self.alpha, "a number from 0 up")
    }

    /// Counts, means and variances per class: one pass per input, no iteration.
    /// Nothing is random, so `_seed` changes nothing.
    fn fit_checked(&self, train: &DataView, _seed: u64, progress: &mut dyn Progress) -> Result<NaiveBayes, FitError> {
        train.check_fit_ready()?;
        let data = train.to_dataset();
        let train = &*data;
        let Target::Classes { y, names } = &train.target else {
            return Err(FitError::WrongTask("regression".into()));
        };
        let (n_classes, n_features) = (names.len(), train.x.n_cols());
        let mut counts = vec![0usize; n_classes];
        y.iter().for_each(|&c| counts[c as usize] += 1);
        let n = y.len() as f64;
        let log_prior = counts.iter().map(|&c| (c as f64 / n).ln()).collect();
        let epsilon = VAR_SMOOTHING * train.x.columns().map(variance).fold(0.0, f64::max);

        let mut inputs = vec![InputModel::Ignored; n_classes * n_features];
        // Per-class sums, reused across inputs.
        let mut sums = vec![0.0f64; n_classes];
        let mut squares = vec![0.0f64; n_classes];
        for (j, col) in train.x.columns().enumerate() {
            let kind = kind_of(col);
            if kind == Kind::Constant {
                continue;
            }
            sums.iter_mut().for_each(|s| *s = 0.0);
            for (&v, &c) in col.iter().zip(y) {
                sums[c as usize] += v as f64;
            }
            if kind == Kind::Gaussian {
                squares.iter_mut().for_each(|s| *s = 0.0);
                for (&v, &c) in col.iter().zip(y) {
                    let c = c as usize;
                    squares[c] += (v as f64 - sums[c] / counts[c] as f64).powi(2);
                }
            }
            for c in 0..n_classes {
                let rows = counts[c] as f64;
                inputs[c * n_features + j] = match kind {
                    // A class without rows gets mean 0; its prior of 0 keeps it from mattering.
                    Kind::Gaussian if counts[c] == 0 => InputModel::Normal { mean: 0.0, var: epsilon },
                    Kind::Gaussian => InputModel::Normal { mean: sums[c] / rows, var: squares[c] / rows + epsilon },
                    // For 0/1 values the sum is the count of ones.
                    _ => InputModel::Bernoulli { p: (sums[c] + self.alpha) / (rows + 2.0 * self.alpha) },
                };
            }
        }
        progress.report(1, 1, "counting per class");
        Ok(NaiveBayes { n_features, log_prior, inputs })
    }
}

impl NaiveBayes {
    fn n_classes(&self) -> usize {
        self.log_prior.len()
    }

    /// What the model learned about `input` for `class`.
    pub fn input_model(&self, class: usize, input: usize) -> InputModel {
        self.inputs[class * self.n_features + input]
    }
}

impl FittedModel for NaiveBayes {
    /// The log-likelihood per class ([`Op::LogLikelihood`], the page's terms
    /// computed here once, as `predict` computes them per call), then the
    /// softmax with its equal shares when every class is impossible.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        let (n, k) = (self.n_features, self.n_classes());
        let mut kind = vec![0u32; n];
        let (mut p, mut q, mut s) = (vec![0.0; n * k], vec![0.0; n * k], vec![0.0; n * k]);
        for c in 0..k {
            for (j, kind) in kind.iter_mut().enumerate() {
                let (i, t) = (c * n + j, self.input_model(c, j).terms());
                (*kind, p[i], q[i], s[i]) = ((*kind).max(t.kind), t.p, t.q, t.s);
            }
        }
        let dst = b.regs(k);
        let op = Op::LogLikelihood {
            src: inputs,
            n,
            dst,
            classes: k,
            // The priors stay exact: an empty class's −∞ has no byte code.
            prior: b.constant("log_prior", Data::Real(self.log_prior.clone())),
            kind: b.constant("kind", Data::Index(kind)),
            p: b.parameter("nb_p", p, Role::Weights),
            q: b.parameter("nb_q", q, Role::Weights),
            s: b.parameter("nb_s", s, Role::Weights),
        };
        b.push(op);
        b.push(Op::Softmax { dst, n: k, uniform: true });
        Ok(dst)
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let (n, k) = (x.n_rows(), self.n_classes());
        // Joint log likelihood, row-major; filled one input column at a time.
        let mut scores: Vec<f64> = (0..n).flat_map(|_| self.log_prior.iter().copied()).collect();
        for (j, col) in x.columns().enumerate() {
            for c in 0..k {
                match self.input_model(c, j) {
                    model @ InputModel::Normal { mean, .. } => {
                        let Terms { q: norm, s: half_precision, .. } = model.terms();
                        for (score, &v) in scores.iter_mut().skip(c).step_by(k).zip(col) {
                            let z = v as f64 - mean;
                            *score += norm - z * z * half_precision;
                        }
                    }
                    model @ InputModel::Bernoulli { .. } => {
                        let Terms { p: one, q: zero, .. } = model.terms();
                        for (score, &v) in scores.iter_mut().skip(c).step_by(k).zip(col) {
                            *score += if v > 0.5 { one } else { zero };
                        }
                    }
                    InputModel::Ignored => {}
                }
            }
        }
        // Scores all −∞ give equal probabilities rather than NaN; the exported
        // code's softmax (over `libm`'s `exp`), so page and code agree to the bit.
        scores.chunks_mut(k).for_each(program::softmax_or_uniform);
        Ok(Predictions::Classes { proba: scores.iter().map(|&p| p as f32).collect(), n_classes: k })
    }

    /// Each input's distribution per class, in the columns' own units; a categorical
    /// column's one-hot inputs become one panel of level probabilities.
    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        let k = self.n_classes();
        // A class without training rows has nothing to show: NaN, which the renderer skips.
        let fitted = |c: usize, j: usize| self.log_prior[c].is_finite().then(|| self.input_model(c, j));
        let normal = |j: usize| -> Vec<(f64, f64)> {
            (0..k)
                .map(|c| match fitted(c, j) {
                    Some(InputModel::Normal { mean, var }) => (mean, var.sqrt()),
                    _ => (f64::NAN, f64::NAN),
                })
                .collect()
        };
        let p_one = |j: usize| -> Vec<f64> {
            (0..k)
                .map(|c| match fitted(c, j) {
                    Some(InputModel::Bernoulli { p }) => p,
                    _ => f64::NAN,
                })
                .collect()
        };
        let d = self.n_features.min(features.len());
        let mut shown = Vec::new();
        let mut left_out = 0;
        let mut j = 0;
        while j < d {
            let info = &features[j];
            if let Encoding::Level(_) = info.encoding {
                // The run of one-hot inputs of this column, as one panel; levels never (or
                // always) seen in training are constant and left out.
                let end = (j..d)
                    .find(|&i| features[i].column != info.column || !matches!(features[i].encoding, Encoding::Level(_)))
                    .unwrap_or(d);
                let group: Vec<usize> = (j..end).filter(|&i| self.input_model(0, i) != InputModel::Ignored).collect();
                left_out += end - j - group.len();
                if !group.is_empty() {
                    let levels = group
                        .iter()
                        .map(|&i| match &features[i].encoding {
                            Encoding::Level(level) => level.clone(),
                            _ => features[i].label(),
                        })
                        .collect();
                    let columns: Vec<Vec<f64>> = group.iter().map(|&i| p_one(i)).collect();
                    let per_class = (0..k).map(|c| columns.iter().map(|col| col[c]).collect()).collect();
                    shown.push(FeatureDistribution::Levels { name: info.column.clone(), levels, per_class });
                }
                j = end;
                continue;
            }
            match self.input_model(0, j) {
                InputModel::Ignored => left_out += 1,
                InputModel::Normal { .. } => {
                    shown.push(FeatureDistribution::Normal { name: info.label(), per_class: normal(j) })
                }
                InputModel::Bernoulli { .. } => {
                    let levels = if info.encoding == Encoding::Flag { ["false", "true"] } else { ["0", "1"] };
                    shown.push(FeatureDistribution::Levels {
                        name: info.label(),
                        levels: levels.iter().map(|l| l.to_string()).collect(),
                        per_class: p_one(j).into_iter().map(|p| vec![1.0 - p, p]).collect(),
                    });
                }
            }
            j += 1;
        }
        let mut title = format!("What naive Bayes learned: each feature's distribution per {target_name}");
        if left_out > 0 {
            title.push_str(&format!(" ({left_out} constant input{} left out)", if left_out == 1 { "" } else { "s" }));
        }
        Explanation {
            views: vec![ModelView::Distributions(DistributionsView {
                title,
                classes: target.class_names().to_vec(),
                features: shown,
            })],
            feature_importance: None,
            importance_measure: "",
        }
    }

    /// The priors, plus per class a mean and variance for each Gaussian input and a
    /// probability for each Bernoulli input.
    fn n_parameters(&self) -> usize {
        let per_input = |m: &InputModel| match m {
            InputModel::Normal { .. } => 2,
            InputModel::Bernoulli { .. } => 1,
            InputModel::Ignored => 0,
        };
        self.n_classes() + self.inputs.iter().map(per_input).sum::<usize>()
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for NaiveBayes {
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        let classes = self.log_prior.len();
        crate::model::LoadError::unless(classes >= 2 && self.inputs.len() == classes * self.n_features, || {
            format!("{} input models for {classes} classes of {} inputs", self.inputs.len(), self.n_features)
        })
    }
}
