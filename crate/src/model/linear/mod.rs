//! Linear models: ordinary least squares, ridge, lasso and logistic regression.
//!
//! All four see standardized inputs ([`Scaling::Standardize`](crate::base::Scaling::Standardize)) and learn one
//! weight per input and output plus an intercept per output, so a coefficient
//! says how far the output moves per standard deviation of its input and
//! |coefficient| compares inputs fairly. They share the fitted type
//! [`LinearModel`] and differ only in the objective they minimize:
//!
//! | model | objective (intercept never penalized) | solver |
//! |---|---|---|
//! | `linear_regression` | ‖y − Xw − b‖² | normal equations, Cholesky |
//! | `ridge` | ‖y − Xw − b‖² + α‖w‖² | normal equations, Cholesky |
//! | `lasso` | (1/2n)‖y − Xw − b‖² + α‖w‖₁ | cyclic coordinate descent |
//! | `logistic_regression` | C·Σ sᵢ·lossᵢ + ½‖W‖² or ‖W‖₁ | L-BFGS (L2), OWL-QN (L1) |
//!
//! These are scikit-learn's `LinearRegression`, `Ridge`, `Lasso` and
//! `LogisticRegression`, objective for objective.

mod lasso;
mod lbfgs;
mod logistic;
mod ols;
mod ridge;
mod solve;

pub use lasso::{LassoParams, SPEC as LASSO};
pub use logistic::{ClassWeight, LogisticParams, Penalty, SPEC as LOGISTIC};
pub use ols::{OlsParams, SPEC as OLS};
pub use ridge::{RidgeParams, SPEC as RIDGE};

use serde::{Deserialize, Serialize};

use crate::base::program::{sigmoid, softmax_in_place, Builder, NotLowered, Op, Reg, Role};
use crate::base::{Encoding, FeatureInfo, FeatureMatrix, Target};
use crate::model::view::{CoefficientsView, ModelView};
use crate::model::{Dataset, Explanation, FitError, FittedModel, PredictError, Predictions};

/// Which objective produced a [`LinearModel`]; it decides how scores become
/// predictions and what the explanation is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    LeastSquares,
    Ridge,
    Lasso,
    Logistic,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Kind::LeastSquares => "Linear regression coefficients",
            Kind::Ridge => "Ridge regression coefficients",
            Kind::Lasso => "Lasso coefficients",
            Kind::Logistic => "Logistic regression coefficients",
        }
    }
}

/// A fitted linear model: `score[output] = intercept[output] + Σⱼ coef[output][j]·xⱼ`.
///
/// Regression has one output, the prediction itself. Binary logistic regression
/// has one output, the log-odds of the second class; multinomial logistic
/// regression one output per class, turned into probabilities by a softmax.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    kind: Kind,
    /// `coef[output * n_features + input]`.
    coef: Vec<f64>,
    intercepts: Vec<f64>,
    n_features: usize,
}

impl LinearModel {
    /// Coefficients of `output`, one per input.
    pub fn coefficients(&self, output: usize) -> &[f64] {
        &self.coef[output * self.n_features..(output + 1) * self.n_features]
    }

    pub fn intercepts(&self) -> &[f64] {
        &self.intercepts
    }

    fn n_outputs(&self) -> usize {
        self.intercepts.len()
    }
}

impl FittedModel for LinearModel {
    /// The scores as `linear_scores` sums them, then the sigmoid or softmax.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        let k = self.n_outputs();
        let dst = b.regs(k);
        let op = Op::Affine {
            src: inputs,
            n: self.n_features,
            dst,
            outputs: k,
            weights: b.parameter("coef", self.coef.clone(), Role::Weights),
            bias: Some(b.parameter("intercepts", self.intercepts.clone(), Role::Weights)),
            center: None,
            round: false,
        };
        b.push(op);
        Ok(match (self.kind, k) {
            (Kind::Logistic, 1) => {
                let proba = b.regs(2);
                b.push(Op::Sigmoid { src: dst, dst: proba });
                proba
            }
            (Kind::Logistic, _) => {
                b.push(Op::Softmax { dst, n: k, uniform: false });
                dst
            }
            _ => dst,
        })
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let mut scores = Vec::new();
        linear_scores(x, &self.coef, &self.intercepts, &mut scores);
        Ok(match (self.kind, self.n_outputs()) {
            (Kind::Logistic, 1) => Predictions::Classes {
                proba: scores
                    .iter()
                    .flat_map(|&z| {
                        let p = sigmoid(z);
                        [(1.0 - p) as f32, p as f32]
                    })
                    .collect(),
                n_classes: 2,
            },
            (Kind::Logistic, k) => {
                scores.chunks_exact_mut(k).for_each(|row| {
                    softmax_in_place(row);
                });
                Predictions::Classes { proba: scores.iter().map(|&p| p as f32).collect(), n_classes: k }
            }
            _ => Predictions::Values(scores),
        })
    }

    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        let p = self.n_features.max(1);
        let names = target.class_names();
        let outputs = match self.kind {
            Kind::Logistic if self.n_outputs() == 1 => {
                vec![format!("log-odds of {}", names.get(1).map_or("class 2", |n| n))]
            }
            Kind::Logistic => (0..self.n_outputs())
                .map(|k| format!("log-odds of {}", names.get(k).map_or_else(|| format!("class {}", k + 1), Clone::clone)))
                .collect(),
            _ => vec![target_name.to_string()],
        };
        let moved = if self.kind == Kind::Logistic { "log-odds".to_string() } else { target_name.to_string() };
        let binary_inputs = features.iter().any(|f| f.encoding != Encoding::Value);
        let unit = format!(
            "change in {moved} per standard deviation of the input{}",
            if binary_inputs { " (per 0 → 1 for yes/no and category inputs)" } else { "" }
        );
        let mut importance = vec![0.0; self.n_features];
        for row in self.coef.chunks(p) {
            importance.iter_mut().zip(row).for_each(|(sum, w)| *sum += w.abs());
        }
        let total: f64 = importance.iter().sum();
        let feature_importance = (total > 0.0 && total.is_finite()).then(|| importance.iter().map(|v| v / total).collect());
        Explanation {
            views: vec![ModelView::Coefficients(CoefficientsView {
                title: self.kind.title().to_string(),
                outputs,
                inputs: features.iter().map(FeatureInfo::label).collect(),
                values: self.coef.chunks(p).map(<[f64]>::to_vec).collect(),
                intercepts: self.intercepts.clone(),
                unit,
            })],
            feature_importance,
            importance_measure: "|standardized coefficient|",
        }
    }

    /// A weight per input and output, and an intercept per output.
    fn n_parameters(&self) -> usize {
        self.coef.len() + self.intercepts.len()
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

/// The target values of a regression set, or the typed error for a classifier's.
fn regression_target<'a>(train: &'a Dataset, model: &str) -> Result<&'a [f64], FitError> {
    match &train.target {
        Target::Values(y) => Ok(y),
        Target::Classes { .. } => Err(FitError::WrongTask(format!("classification ({model} predicts numbers)"))),
        Target::Unlabeled { .. } => Err(FitError::WrongTask(format!("clustering ({model} predicts numbers)"))),
    }
}

/// `out[row * k + output] = intercepts[output] + Σⱼ coef[output * p + j] · x[row, j]`
/// with `k = intercepts.len()`, summed in f64 one column at a time (the matrix is
/// stored by column). `out` is resized as needed, so callers can reuse it.
fn linear_scores(x: &FeatureMatrix, coef: &[f64], intercepts: &[f64], out: &mut Vec<f64>) {
    let (k, p) = (intercepts.len(), x.n_cols());
    out.clear();
    for _ in 0..x.n_rows() {
        out.extend_from_slice(intercepts);
    }
    if k == 1 {
        for (col, &w) in x.columns().zip(coef) {
            out.iter_mut().zip(col).for_each(|(o, &v)| *o += w * v as f64);
        }
        return;
    }
    let mut column_weights = vec![0.0; k];
    for (j, col) in x.columns().enumerate() {
        column_weights.iter_mut().enumerate().for_each(|(c, w)| *w = coef[c * p + j]);
        for (row, &v) in out.chunks_exact_mut(k).zip(col) {
            let v = v as f64;
            row.iter_mut().zip(&column_weights).for_each(|(o, w)| *o += w * v);
        }
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for LinearModel {
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        crate::model::LoadError::unless(
            self.n_outputs() > 0 && self.coef.len() == self.n_outputs() * self.n_features,
            || format!("{} coefficients for {} outputs of {} inputs", self.coef.len(), self.n_outputs(), self.n_features),
        )
    }
}
