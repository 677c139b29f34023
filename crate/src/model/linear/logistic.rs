//! Logistic regression, binary and multinomial, with an L2 or L1 penalty: the
//! objective of scikit-learn's `LogisticRegression`,
//!
//!   C · Σᵢ sᵢ · lossᵢ + ½‖W‖²   (L2)   or   C · Σᵢ sᵢ · lossᵢ + ‖W‖₁   (L1),
//!
//! where lossᵢ is the log-loss of row i (sigmoid for two classes, softmax over
//! all classes otherwise), sᵢ its class weight, and the intercepts are not
//! penalized. The solvers minimize the same objective divided by C·Σsᵢ (a mean
//! loss, as scikit-learn's solvers do), which has the same minimizer and better
//! scaled gradients.

use super::lbfgs::{minimize, Stop, L1};
use super::{linear_scores, softmax_in_place, Kind, LinearModel};
use crate::base::{FeatureMatrix, LogSum, Progress, Scaling, Target, Task};
use crate::model::params::{at_least, choice, float, int, require, resolve};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, DataView, Fit, FitError, ModelInfo, ModelSpec, ParamKind,
    ParamSpec, ParamValues,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "logistic_regression",
    name: "Logistic regression",
    tasks: &[Task::Classification],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: None,
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<LogisticParams>,
    load: load_boxed::<LogisticParams>,
    to_json: to_json_boxed::<LogisticParams>,
    from_json: from_json_boxed::<LogisticParams>,
};

/// Which penalty keeps the weights small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Penalty {
    /// ½‖W‖²: every weight shrinks, none becomes zero.
    L2,
    /// ‖W‖₁: weak inputs get a weight of exactly zero.
    L1,
}

/// How much each row counts in the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassWeight {
    /// Every row counts once.
    None,
    /// Rows of class c count n / (k · n_c), so each class weighs the same in total.
    Balanced,
}

/// Settings of logistic regression, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogisticParams {
    pub penalty: Penalty,
    /// Inverse penalty strength: larger C fits the training rows more closely.
    pub c: f64,
    pub class_weight: ClassWeight,
    /// Most solver iterations.
    pub max_iter: usize,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams { penalty: Penalty::L2, c: 1.0, class_weight: ClassWeight::None, max_iter: 1000 }
    }
}

/// The gradient entry (of the mean loss) below which the solution counts as
/// converged: far tighter than scikit-learn's default 1e-4, so the weights agree
/// with its optimum to several digits instead of to the solver's tolerance.
const GTOL: f64 = 1e-7;

pub fn specs(_: Task) -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "penalty",
            label: "penalty",
            help: "L2 shrinks every weight a little; L1 sets the weights of weak inputs to exactly zero.",
            kind: ParamKind::Choice { options: vec!["l2", "l1"], default: "l2" },
        },
        ParamSpec {
            key: "C",
            label: "C (inverse penalty)",
            help: "How closely to fit the training rows. Smaller C means a stronger penalty, smaller weights and a smoother boundary.",
            kind: ParamKind::Float { min: 1e-4, max: 1e4, default: 1.0, log_scale: true },
        },
        ParamSpec {
            key: "class_weight",
            label: "class weights",
            help: "'balanced' weighs rows by the inverse of their class's frequency, so rare classes count as much as common ones.",
            kind: ParamKind::Choice { options: vec!["none", "balanced"], default: "none" },
        },
        ParamSpec {
            key: "max_iter",
            label: "max iterations",
            help: "Most solver iterations before it stops, converged or not.",
            kind: ParamKind::Int { min: 1, max: 100_000, default: 1000, log_scale: true },
        },
    ]
}

impl Fit for LogisticParams {
    type Model = LinearModel;

    fn from_values(_task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(Task::Classification), values)?;
        Ok(LogisticParams {
            penalty: if choice(&v, "penalty") == "l1" { Penalty::L1 } else { Penalty::L2 },
            c: float(&v, "C"),
            class_weight: if choice(&v, "class_weight") == "balanced" { ClassWeight::Balanced } else { ClassWeight::None },
            max_iter: int(&v, "max_iter") as usize,
        })
    }

    fn check(&self) -> Result<(), FitError> {
        require(at_least(self.c, f64::MIN_POSITIVE), "C (inverse penalty)", self.c, "a number above 0")?;
        require(self.max_iter >= 1, "max iterations", self.max_iter, "at least 1")
    }

    /// Fits from all-zero weights. Both solvers are deterministic, so the seed
    /// changes nothing. Two classes get one weight vector (the log-odds of the
    /// second); more get one per class, with a softmax, as scikit-learn does.
    fn fit_checked(&self, train: &DataView, _seed: u64, progress: &mut dyn Progress) -> Result<LinearModel, FitError> {
        train.check_fit_ready()?;
        let data = train.to_dataset();
        let train = &*data;
        let Target::Classes { y, names } = &train.target else {
            return Err(FitError::WrongTask("regression (logistic regression predicts classes)".into()));
        };
        let n_classes = names.len().max(2);
        let row_weights = self.row_weights(y, n_classes);
        Ok(self.minimize(&train.x, Labels::Hard(y), n_classes, &row_weights, progress))
    }
}

/// What each row's log-loss is measured against.
#[derive(Clone, Copy, Debug)]
enum Labels<'a> {
    /// One class per row: the ordinary log-loss.
    Hard(&'a [u32]),
    /// A probability per row and class, row-major (`n × n_classes`): the
    /// cross-entropy against them, as a student learns a teacher's
    /// probabilities in knowledge distillation.
    Soft(&'a [f32]),
}

impl LogisticParams {
    /// Fits soft targets: `proba[row * n_classes + class]`, each row summing
    /// to 1, for the rows of `x`. The objective is the one above with each
    /// row's log-loss against its probability vector (−Σ_c q_c log p_c), so a
    /// one-hot `proba` gives exactly the ordinary fit; class weights do not
    /// apply (there is no class per row to weigh).
    pub fn fit_soft(
        &self,
        x: &FeatureMatrix,
        proba: &[f32],
        n_classes: usize,
        progress: &mut dyn Progress,
    ) -> Result<LinearModel, FitError> {
        self.check()?;
        if x.n_rows() == 0 {
            return Err(FitError::NoRows);
        }
        if n_classes < 2 || proba.len() != x.n_rows() * n_classes {
            return Err(FitError::SoftTargets { rows: x.n_rows(), classes: n_classes, given: proba.len() });
        }
        Ok(self.minimize(x, Labels::Soft(proba), n_classes, &vec![1.0; x.n_rows()], progress))
    }

    /// Minimizes the penalized weighted mean log-loss against `labels`.
    fn minimize(
        &self,
        x: &FeatureMatrix,
        labels: Labels,
        n_classes: usize,
        row_weights: &[f64],
        progress: &mut dyn Progress,
    ) -> LinearModel {
        let outputs = if n_classes == 2 { 1 } else { n_classes };
        let p = x.n_cols();
        let total: f64 = row_weights.iter().sum();
        let mut objective = Objective {
            x,
            labels,
            n_classes,
            row_weights: row_weights.iter().map(|w| w / total).collect(),
            outputs,
            l2: match self.penalty {
                Penalty::L2 => 1.0 / (self.c * total),
                Penalty::L1 => 0.0,
            },
            scores: Vec::new(),
            rows: if outputs > 1 { x.row_major() } else { Vec::new() },
        };
        let mut theta = vec![0.0; outputs * (p + 1)];
        let stop = Stop { max_iter: self.max_iter, gtol: GTOL, ftol: 1e-15 };
        let l1 = match self.penalty {
            Penalty::L2 => None,
            Penalty::L1 => Some(L1 { n: outputs * p, weight: 1.0 / (self.c * total), blocks: outputs }),
        };
        minimize(|t, g| objective.evaluate(t, g), &mut theta, l1.as_ref(), &stop, progress);
        let intercepts = theta.split_off(outputs * p);
        LinearModel { kind: Kind::Logistic, coef: theta, intercepts, n_features: p }
    }
}

impl LogisticParams {
    /// sᵢ per row: 1, or n / (k · n_c) for a row of class c when balanced
    /// (scikit-learn's `compute_class_weight("balanced")`, k counting the classes present).
    pub(super) fn row_weights(&self, y: &[u32], n_classes: usize) -> Vec<f64> {
        match self.class_weight {
            ClassWeight::None => vec![1.0; y.len()],
            ClassWeight::Balanced => {
                let mut counts = vec![0usize; n_classes];
                y.iter().for_each(|&c| counts[c as usize] += 1);
                let present = counts.iter().filter(|&&c| c > 0).count() as f64;
                let n = y.len() as f64;
                y.iter().map(|&c| n / (present * counts[c as usize] as f64)).collect()
            }
        }
    }
}

/// The penalized mean log-loss and its gradient, over parameters laid out as
/// `[coef (outputs × p, by output), intercepts (outputs)]`, the layout of
/// [`LinearModel`].
struct Objective<'a> {
    x: &'a FeatureMatrix,
    labels: Labels<'a>,
    n_classes: usize,
    /// sᵢ / Σs, so the loss is a weighted mean.
    row_weights: Vec<f64>,
    outputs: usize,
    /// Coefficient of ½‖W‖² in the scaled objective: 1 / (C · Σs).
    l2: f64,
    /// The binary loss's scores, then residuals, per row (reused between calls).
    scores: Vec<f64>,
    /// With more than two classes, the rows row-major (`n × p`): the softmax
    /// loss reads each row once per evaluation (see [`Objective::softmax`]).
    /// Empty for two classes.
    rows: Vec<f32>,
}

impl Objective<'_> {
    /// The target probability of class `c` in row `r`.
    fn target(&self, r: usize, c: usize) -> f64 {
        match self.labels {
            Labels::Hard(y) => f64::from(u8::from(y[r] as usize == c)),
            Labels::Soft(proba) => proba[r * self.n_classes + c] as f64,
        }
    }

    fn evaluate(&mut self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (k, p) = (self.outputs, self.x.n_cols());
        let (coef, intercepts) = theta.split_at(k * p);
        let (g_coef, g_intercepts) = grad.split_at_mut(k * p);
        let mut loss = if k == 1 {
            self.binary(coef, intercepts, g_coef, g_intercepts)
        } else {
            self.softmax(coef, intercepts, g_coef, g_intercepts)
        };
        loss += 0.5 * self.l2 * coef.iter().map(|v| v * v).sum::<f64>();
        g_coef.iter_mut().zip(coef).for_each(|(g, w)| *g += self.l2 * w);
        loss
    }

    /// The unpenalized sigmoid loss and its gradient (into `g_coef`,
    /// `g_intercepts`), a column at a time over the scores.
    fn binary(&mut self, coef: &[f64], intercepts: &[f64], g_coef: &mut [f64], g_intercepts: &mut [f64]) -> f64 {
        linear_scores(self.x, coef, intercepts, &mut self.scores);
        let mut loss = 0.0;
        let mut softplus = LogSum::default();
        // Loss per row, and its derivative by the score (probability − target),
        // weighted, written over the scores.
        for r in 0..self.scores.len() {
            let (z, w, target) = (self.scores[r], self.row_weights[r], self.target(r, 1));
            // One exponential serves both the loss log(1 + eᶻ) − y·z and σ(z).
            let e = libm::exp(-z.abs());
            loss += w * (z.max(0.0) - target * z);
            softplus.add_weighted(w, 1.0 + e);
            let p = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
            self.scores[r] = w * (p - target);
        }
        loss += softplus.sum();
        g_intercepts[0] = self.scores.iter().fold(0.0, |g, r| g + r);
        for (g, col) in g_coef.iter_mut().zip(self.x.columns()) {
            *g = col.iter().zip(&self.scores).map(|(&v, r)| v as f64 * r).sum();
        }
        loss
    }

    /// The unpenalized softmax loss and its gradient (into `g_coef`,
    /// `g_intercepts`) in one pass over the rows: a row's scores, its softmax
    /// and its share of the gradient while its inputs are at hand. Every sum
    /// adds its terms in the order the column-at-a-time passes did (a score
    /// over the inputs in order, a gradient entry over the rows in order), so
    /// the fit is the same to the bit, at one read of the rows instead of one
    /// pass over every row's scores per input and class.
    fn softmax(&mut self, coef: &[f64], intercepts: &[f64], g_coef: &mut [f64], g_intercepts: &mut [f64]) -> f64 {
        let (k, p) = (self.outputs, self.x.n_cols());
        // The weights and their gradient input by input (`p × k`), so a row's
        // k scores and k gradient entries per input are contiguous.
        let by_input: Vec<f64> = (0..p * k).map(|i| coef[i % k * p + i / k]).collect();
        let mut g_by_input = vec![0.0; p * k];
        g_intercepts.fill(0.0);
        let mut loss = 0.0;
        // The rows' log-normalizers, one logarithm per run of rows (as the binary loss).
        let mut normalizers = LogSum::default();
        let mut z = vec![0.0; k];
        for (r, &w) in self.row_weights.iter().enumerate() {
            let row = &self.rows[r * p..(r + 1) * p];
            z.copy_from_slice(intercepts);
            for (&v, weights) in row.iter().zip(by_input.chunks_exact(k)) {
                let v = v as f64;
                z.iter_mut().zip(weights).for_each(|(z, w)| *z += w * v);
            }
            // −Σ q_c log p_c = logsumexp(z) − Σ q_c z_c; its gradient is p − q.
            let expected: f64 = z.iter().enumerate().map(|(c, z)| self.target(r, c) * z).sum();
            let (max, sum) = softmax_in_place(&mut z);
            loss += w * (max - expected);
            normalizers.add_weighted(w, sum);
            for (c, (z, g)) in z.iter_mut().zip(g_intercepts.iter_mut()).enumerate() {
                *z = w * (*z - self.target(r, c));
                *g += *z;
            }
            for (&v, g) in row.iter().zip(g_by_input.chunks_exact_mut(k)) {
                let v = v as f64;
                g.iter_mut().zip(&z).for_each(|(g, r)| *g += v * r);
            }
        }
        for (i, g) in g_by_input.into_iter().enumerate() {
            g_coef[i % k * p + i / k] = g;
        }
        loss + normalizers.sum()
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// The softmax loss and gradient as they were computed before the one-pass
    /// form: the scores a column at a time, then the rows, then the gradient
    /// a column at a time.
    fn by_columns(o: &Objective, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (k, p) = (o.outputs, o.x.n_cols());
        let (coef, intercepts) = theta.split_at(k * p);
        let mut scores = Vec::new();
        linear_scores(o.x, coef, intercepts, &mut scores);
        let mut loss = 0.0;
        let mut normalizers = LogSum::default();
        for (r, (row, &w)) in scores.chunks_exact_mut(k).zip(&o.row_weights).enumerate() {
            let expected: f64 = row.iter().enumerate().map(|(c, z)| o.target(r, c) * z).sum();
            let (max, sum) = softmax_in_place(row);
            loss += w * (max - expected);
            normalizers.add_weighted(w, sum);
            row.iter_mut().enumerate().for_each(|(c, v)| *v = w * (*v - o.target(r, c)));
        }
        loss += normalizers.sum();
        loss += 0.5 * o.l2 * coef.iter().map(|v| v * v).sum::<f64>();
        let (g_coef, g_intercepts) = grad.split_at_mut(k * p);
        g_intercepts.fill(0.0);
        for row in scores.chunks_exact(k) {
            g_intercepts.iter_mut().zip(row).for_each(|(g, r)| *g += r);
        }
        let mut sums = vec![0.0; k];
        for (j, col) in o.x.columns().enumerate() {
            sums.fill(0.0);
            for (row, &v) in scores.chunks_exact(k).zip(col) {
                sums.iter_mut().zip(row).for_each(|(s, r)| *s += v as f64 * r);
            }
            for (c, s) in sums.iter().enumerate() {
                g_coef[c * p + j] = s + o.l2 * coef[c * p + j];
            }
        }
        loss
    }

    #[test]
    fn the_one_pass_softmax_loss_is_the_column_passes_to_the_bit() {
        // Inputs over many magnitudes, soft targets, uneven row weights and
        // weights large enough that the scores' sums round differently in any
        // other order.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (n, p, k) = (3001, 7, 4);
        let x = FeatureMatrix::from_columns(
            n,
            (0..p).map(|j| (0..n).map(|_| rng.random_range(-1.0..1.0f32) * 10f32.powi(j as i32 - 3)).collect()).collect(),
        );
        let proba: Vec<f32> = (0..n)
            .flat_map(|_| {
                let raw: Vec<f32> = (0..k).map(|_| rng.random_range(0.0..1.0f32)).collect();
                let total: f32 = raw.iter().sum();
                raw.into_iter().map(move |v| v / total)
            })
            .collect();
        let weights: Vec<f64> = (0..n).map(|_| rng.random_range(0.1..3.0)).collect();
        let total: f64 = weights.iter().sum();
        let mut objective = Objective {
            x: &x,
            labels: Labels::Soft(&proba),
            n_classes: k,
            row_weights: weights.iter().map(|w| w / total).collect(),
            outputs: k,
            l2: 0.37,
            scores: Vec::new(),
            rows: x.row_major(),
        };
        for _ in 0..5 {
            let theta: Vec<f64> = (0..k * (p + 1)).map(|_| rng.random_range(-30.0..30.0)).collect();
            let (mut fast, mut slow) = (vec![0.0; theta.len()], vec![0.0; theta.len()]);
            let loss = objective.evaluate(&theta, &mut fast);
            assert_eq!(loss.to_bits(), by_columns(&objective, &theta, &mut slow).to_bits());
            assert_eq!(
                fast.iter().map(|g| g.to_bits()).collect::<Vec<_>>(),
                slow.iter().map(|g| g.to_bits()).collect::<Vec<_>>()
            );
        }
    }
}
