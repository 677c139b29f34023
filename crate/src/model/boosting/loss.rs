//! The losses the booster minimizes, as scikit-learn's `_loss` module defines them:
//! their baseline (the best constant), per-row gradients and hessians with respect
//! to the raw scores, the mean loss, and the map from raw scores to predictions.
//!
//! Raw scores are stored output-major: `raw[k * n_rows + row]` for output `k`
//! (one output, or one per class for the multinomial loss).

use serde::{Deserialize, Serialize};

use crate::base::{program, LogSum};
use crate::model::Predictions;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Loss {
    /// ½(y − f)² on the value itself; the hessian is the constant 1.
    HalfSquaredError,
    /// Log loss on the log-odds of the second class.
    Binomial,
    /// Softmax cross-entropy on one raw score per class.
    Multinomial { n_classes: usize },
}

/// The training target as the loss reads it.
#[derive(Clone, Copy)]
pub enum Labels<'a> {
    Classes(&'a [u32]),
    Values(&'a [f64]),
}

impl Labels<'_> {
    pub fn len(&self) -> usize {
        match self {
            Labels::Classes(y) => y.len(),
            Labels::Values(y) => y.len(),
        }
    }
}

impl Loss {
    /// The loss for a target with `n_classes` classes (0 for a numeric target).
    pub fn for_classes(n_classes: usize) -> Self {
        match n_classes {
            0 => Loss::HalfSquaredError,
            1 | 2 => Loss::Binomial,
            n => Loss::Multinomial { n_classes: n },
        }
    }

    /// Raw scores per row, i.e. trees per boosting round.
    pub fn n_outputs(&self) -> usize {
        match self {
            Loss::Multinomial { n_classes } => *n_classes,
            _ => 1,
        }
    }

    /// Whether the hessian is the same for every row (it is then not stored).
    pub fn constant_hessian(&self) -> bool {
        matches!(self, Loss::HalfSquaredError)
    }

    /// The constant raw score(s) that minimize the loss on `labels`: the mean, the
    /// log-odds of the prior, or the centred log-priors. Priors are clipped to
    /// [ε, 1 − ε] so that a class absent from training gives a finite score.
    pub fn baseline(&self, labels: Labels) -> Vec<f64> {
        match labels {
            Labels::Values(y) => vec![y.iter().sum::<f64>() / y.len().max(1) as f64],
            Labels::Classes(y) => {
                let k = self.n_outputs().max(2);
                let mut counts = vec![0.0f64; k];
                y.iter().for_each(|&c| counts[c as usize] += 1.0);
                let prior = |c: f64| (c / y.len().max(1) as f64).clamp(f64::EPSILON, 1.0 - f64::EPSILON);
                match self {
                    Loss::Binomial => {
                        let p = prior(counts[1]);
                        vec![(p / (1.0 - p)).ln()]
                    }
                    _ => {
                        let logs: Vec<f64> = counts.iter().map(|&c| prior(c).ln()).collect();
                        let mean = logs.iter().sum::<f64>() / k as f64;
                        logs.iter().map(|l| l - mean).collect()
                    }
                }
            }
        }
    }

    /// Writes the gradient (and, unless constant, the hessian) of the loss at `raw`
    /// for every row and output, and returns the mean loss at `raw`: the training
    /// loss comes for the price of one logarithm per row.
    pub fn gradients(&self, raw: &[f64], labels: Labels, grad: &mut [f32], hess: &mut [f32]) -> f64 {
        let n = labels.len();
        let mut total = 0.0f64;
        match (self, labels) {
            (Loss::HalfSquaredError, Labels::Values(y)) => {
                for ((g, &f), &y) in grad.iter_mut().zip(raw).zip(y) {
                    let d = f - y;
                    *g = d as f32;
                    total += 0.5 * d * d;
                }
            }
            (Loss::Binomial, Labels::Classes(y)) => {
                let mut logs = LogSum::default();
                for (((g, h), &f), &y) in grad.iter_mut().zip(hess.iter_mut()).zip(raw).zip(y) {
                    let (p, e) = sigmoid_exp(f);
                    let y = y as f64;
                    *g = (p - y) as f32;
                    *h = (p * (1.0 - p)) as f32;
                    total += f.max(0.0) - y * f;
                    logs.add(1.0 + e);
                }
                total += logs.sum();
            }
            (Loss::Multinomial { n_classes }, Labels::Classes(y)) => {
                let mut p = vec![0.0f64; *n_classes];
                let mut logs = LogSum::default();
                for (row, &c) in y.iter().enumerate() {
                    let (max, sum) = softmax_at(raw, n, row, &mut p);
                    total += max - raw[c as usize * n + row];
                    logs.add(sum);
                    for (k, &pk) in p.iter().enumerate() {
                        let at = k * n + row;
                        grad[at] = (pk - (k == c as usize) as u8 as f64) as f32;
                        hess[at] = (pk * (1.0 - pk)) as f32;
                    }
                }
                total += logs.sum();
            }
            _ => unreachable!("the loss is chosen from the target's kind"),
        }
        total / n.max(1) as f64
    }

    /// The mean loss at `raw` (for the validation rows).
    pub fn mean_loss(&self, raw: &[f64], labels: Labels) -> f64 {
        let n = labels.len();
        let total: f64 = match (self, labels) {
            (Loss::HalfSquaredError, Labels::Values(y)) => raw.iter().zip(y).map(|(f, y)| 0.5 * (f - y) * (f - y)).sum(),
            (Loss::Binomial, Labels::Classes(y)) => {
                let mut logs = LogSum::default();
                let linear: f64 = raw
                    .iter()
                    .zip(y)
                    .map(|(&f, &y)| {
                        logs.add(1.0 + sigmoid_exp(f).1);
                        f.max(0.0) - y as f64 * f
                    })
                    .sum();
                linear + logs.sum()
            }
            (Loss::Multinomial { n_classes }, Labels::Classes(y)) => {
                let mut p = vec![0.0f64; *n_classes];
                let mut logs = LogSum::default();
                let linear: f64 = y
                    .iter()
                    .enumerate()
                    .map(|(row, &c)| {
                        let (max, sum) = softmax_at(raw, n, row, &mut p);
                        logs.add(sum);
                        max - raw[c as usize * n + row]
                    })
                    .sum();
                linear + logs.sum()
            }
            _ => unreachable!("the loss is chosen from the target's kind"),
        };
        total / n.max(1) as f64
    }

    /// Predictions from raw scores of `n` rows: values, or class probabilities.
    pub fn predictions(&self, raw: &[f64], n: usize) -> Predictions {
        match self {
            Loss::HalfSquaredError => Predictions::Values(raw.to_vec()),
            Loss::Binomial => Predictions::Classes {
                proba: raw
                    .iter()
                    .flat_map(|&f| {
                        // The exported code's sigmoid (over `libm`'s `exp`), so
                        // page and code agree to the bit.
                        let p = program::sigmoid(f);
                        [(1.0 - p) as f32, p as f32]
                    })
                    .collect(),
                n_classes: 2,
            },
            Loss::Multinomial { n_classes } => {
                // The exported code's softmax (over `libm`'s `exp`), so page
                // and code agree to the bit.
                let mut p = vec![0.0f64; *n_classes];
                let mut proba = Vec::with_capacity(n * n_classes);
                for row in 0..n {
                    p.iter_mut().enumerate().for_each(|(k, pk)| *pk = raw[k * n + row]);
                    program::softmax_in_place(&mut p);
                    proba.extend(p.iter().map(|&v| v as f32));
                }
                Predictions::Classes { proba, n_classes: *n_classes }
            }
        }
    }
}

/// σ(f) and e^−|f|, from one exponential and without overflow. The log loss
/// of a row is its softplus log(1 + eᶠ) = max(f, 0) + ln(1 + e^−|f|) less y·f.
fn sigmoid_exp(f: f64) -> (f64, f64) {
    let e = (-f.abs()).exp();
    let p = if f >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
    (p, e)
}

/// Softmax of row `row` of output-major scores into `p`; returns the largest
/// score and Σ exp(score − largest) (in [1, classes]): log Σ exp(score) is the
/// largest plus the logarithm of that sum.
fn softmax_at(raw: &[f64], n: usize, row: usize, p: &mut [f64]) -> (f64, f64) {
    let max = (0..p.len()).map(|k| raw[k * n + row]).fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for (k, pk) in p.iter_mut().enumerate() {
        *pk = (raw[k * n + row] - max).exp();
        sum += *pk;
    }
    p.iter_mut().for_each(|pk| *pk /= sum);
    (max, sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_are_the_best_constants() {
        // Mean of 1, 2, 6 = 3.
        assert_eq!(Loss::HalfSquaredError.baseline(Labels::Values(&[1., 2., 6.])), vec![3.0]);
        // P(class 1) = 1/4 → log-odds ln(1/3).
        let b = Loss::Binomial.baseline(Labels::Classes(&[0, 0, 0, 1]));
        assert!((b[0] - (1.0f64 / 3.0).ln()).abs() < 1e-12);
        // Priors 1/2, 1/4, 1/4: logs centred on their mean (ln ½ + 2 ln ¼)/3 = −(5/3) ln 2.
        let b = Loss::Multinomial { n_classes: 3 }.baseline(Labels::Classes(&[0, 0, 1, 2]));
        let ln2 = 2f64.ln();
        for (got, want) in b.iter().zip([-ln2 + 5.0 / 3.0 * ln2, -2.0 * ln2 + 5.0 / 3.0 * ln2, -ln2 / 3.0]) {
            assert!((got - want).abs() < 1e-12, "{b:?}");
        }
    }

    #[test]
    fn gradients_and_losses_by_hand() {
        // Binomial at f = 0: p = ½, gradient p − y, hessian ¼, loss ln 2 per row.
        let (mut g, mut h) = (vec![0.0; 2], vec![0.0; 2]);
        let loss = Loss::Binomial.gradients(&[0.0, 0.0], Labels::Classes(&[0, 1]), &mut g, &mut h);
        assert_eq!((g, h), (vec![0.5, -0.5], vec![0.25, 0.25]));
        assert!((loss - 2f64.ln()).abs() < 1e-12);
        // Multinomial, 3 classes all at 0: p = ⅓ each, loss ln 3, hessian 2/9.
        let (mut g, mut h) = (vec![0.0; 3], vec![0.0; 3]);
        let m = Loss::Multinomial { n_classes: 3 };
        let loss = m.gradients(&[0.0; 3], Labels::Classes(&[2]), &mut g, &mut h);
        assert!((loss - 3f64.ln()).abs() < 1e-12);
        assert_eq!(g, vec![1.0 / 3.0, 1.0 / 3.0, -2.0 / 3.0]);
        assert_eq!(h[0], 2.0 / 9.0);
        assert!((m.mean_loss(&[0.0; 3], Labels::Classes(&[2])) - loss).abs() < 1e-15);
        // Squared error at f = 3 for y = 1, 5: gradients 2, −2, loss ½(4 + 4)/2 = 2.
        let mut g = vec![0.0; 2];
        let loss = Loss::HalfSquaredError.gradients(&[3.0, 3.0], Labels::Values(&[1.0, 5.0]), &mut g, &mut []);
        assert_eq!((g, loss), (vec![2.0, -2.0], 2.0));
    }

    #[test]
    fn extreme_scores_stay_finite() {
        assert_eq!(sigmoid_exp(800.0), (1.0, 0.0));
        assert_eq!(sigmoid_exp(-800.0), (0.0, 0.0));
        // Log loss 800 for the wrong class at f = 800, 0 for the right one.
        let mean = Loss::Binomial.mean_loss(&[800.0, -800.0], Labels::Classes(&[0, 0]));
        assert_eq!(mean, 400.0);
        let Predictions::Classes { proba, .. } = Loss::Multinomial { n_classes: 2 }.predictions(&[900.0, -900.0], 1) else {
            unreachable!()
        };
        assert_eq!(proba, vec![1.0, 0.0]);
    }
}
