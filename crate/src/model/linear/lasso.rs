//! The lasso: least squares with a penalty α‖w‖₁ that sets weak weights to
//! exactly zero, fitted by cyclic coordinate descent as scikit-learn's `Lasso`.

use super::solve::column_means;
use super::{regression_target, Kind, LinearModel};
use crate::base::{Progress, Scaling, Task};
use crate::model::params::{at_least, float, int, require, resolve};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, DataView, Fit, FitError, ModelInfo, ModelSpec, ParamKind,
    ParamSpec, ParamValues,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "lasso",
    name: "Lasso regression",
    tasks: &[Task::Regression],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: None,
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<LassoParams>,
    load: load_boxed::<LassoParams>,
    to_json: to_json_boxed::<LassoParams>,
    from_json: from_json_boxed::<LassoParams>,
};

/// Settings of the lasso, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LassoParams {
    /// Penalty on the absolute weights.
    pub alpha: f64,
    /// Most passes over the inputs.
    pub max_iter: usize,
    /// Stop when the duality gap falls below `tol · ‖y − ȳ‖²`.
    pub tol: f64,
}

impl Default for LassoParams {
    fn default() -> Self {
        LassoParams { alpha: 1.0, max_iter: 1000, tol: 1e-4 }
    }
}

pub fn specs(_: Task) -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "alpha",
            label: "alpha (penalty)",
            help: "How strongly weights are pulled toward zero; larger values switch more inputs off entirely.",
            kind: ParamKind::Float { min: 1e-4, max: 1e3, default: 1.0, log_scale: true },
        },
        ParamSpec {
            key: "max_iter",
            label: "max passes",
            help: "Most passes over the inputs before the solver stops, converged or not.",
            kind: ParamKind::Int { min: 1, max: 100_000, default: 1000, log_scale: true },
        },
        ParamSpec {
            key: "tol",
            label: "tolerance",
            help: "How close to the optimum the solver must get (relative duality gap) before it stops.",
            kind: ParamKind::Float { min: 1e-10, max: 1e-1, default: 1e-4, log_scale: true },
        },
    ]
}

impl Fit for LassoParams {
    type Model = LinearModel;

    fn from_values(_task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(Task::Regression), values)?;
        // The spec's range keeps max_iter positive.
        Ok(LassoParams { alpha: float(&v, "alpha"), max_iter: int(&v, "max_iter") as usize, tol: float(&v, "tol") })
    }

    fn check(&self) -> Result<(), FitError> {
        require(at_least(self.alpha, 0.0), "alpha (penalty)", self.alpha, "a number from 0 up")?;
        require(self.max_iter >= 1, "max passes", self.max_iter, "at least 1")?;
        require(at_least(self.tol, f64::MIN_POSITIVE), "tolerance", self.tol, "a number above 0")
    }

    /// Minimizes (1/2n)‖y − Xw − b‖² + α‖w‖₁ on centered data, one weight at a
    /// time in input order, as scikit-learn's `enet_coordinate_descent`: each
    /// update soft-thresholds the input's correlation with the residual. When the
    /// largest weight change in a pass is small relative to the largest weight,
    /// the duality gap is checked, and the fit stops once it is below
    /// `tol · ‖y − ȳ‖²`. The visiting order is fixed, so the seed changes nothing.
    fn fit_checked(&self, train: &DataView, _seed: u64, progress: &mut dyn Progress) -> Result<LinearModel, FitError> {
        train.check_fit_ready()?;
        let data = train.to_dataset();
        let train = &*data;
        let y = regression_target(train, "the lasso")?;
        let x = &train.x;
        let (n, p) = (x.n_rows(), x.n_cols());
        let means = column_means(x);
        let y_mean = y.iter().sum::<f64>() / n as f64;
        // Residual of the centered problem; with w = 0 it is y − ȳ.
        let mut residual: Vec<f64> = y.iter().map(|v| v - y_mean).collect();
        let col_norms: Vec<f64> =
            x.columns().zip(&means).map(|(c, &m)| c.iter().map(|&v| (v as f64 - m).powi(2)).sum()).collect();
        // scikit-learn scales the objective by n: ½‖r‖² + (α·n)‖w‖₁.
        let l1 = self.alpha * n as f64;
        let gap_tol = self.tol * residual.iter().map(|r| r * r).sum::<f64>();
        let mut w = vec![0.0; p];
        for pass in 0..self.max_iter {
            let (mut w_max, mut dw_max) = (0.0f64, 0.0f64);
            for j in 0..p {
                if col_norms[j] == 0.0 {
                    continue;
                }
                let (col, m, old) = (x.column(j), means[j], w[j]);
                // ⟨xⱼ − mⱼ, r⟩ + wⱼ‖xⱼ − mⱼ‖²: the correlation with wⱼ's own part put back.
                // The residual of centered data sums to zero, so the mean drops out of the dot.
                let rho = col.iter().zip(&residual).map(|(&v, r)| v as f64 * r).sum::<f64>() + old * col_norms[j];
                let new = rho.signum() * (rho.abs() - l1).max(0.0) / col_norms[j];
                if new != old {
                    let delta = new - old;
                    residual.iter_mut().zip(col).for_each(|(r, &v)| *r -= delta * (v as f64 - m));
                    w[j] = new;
                }
                dw_max = dw_max.max((new - old).abs());
                w_max = w_max.max(new.abs());
            }
            progress.report(pass + 1, self.max_iter, "coordinate descent");
            if (w_max == 0.0 || dw_max / w_max < self.tol || pass + 1 == self.max_iter)
                && duality_gap(x, &means, &residual, &w, l1, y, y_mean) < gap_tol
            {
                break;
            }
        }
        let intercept = y_mean - w.iter().zip(&means).map(|(w, m)| w * m).sum::<f64>();
        Ok(LinearModel { kind: Kind::Lasso, coef: w, intercepts: vec![intercept], n_features: p })
    }
}

/// The duality gap of ½‖r‖² + λ‖w‖₁ at `w` with residual `r` (scikit-learn's
/// formula): zero exactly at the optimum, and an upper bound on how far the
/// objective is from it.
fn duality_gap(
    x: &crate::base::FeatureMatrix,
    means: &[f64],
    residual: &[f64],
    w: &[f64],
    l1: f64,
    y: &[f64],
    y_mean: f64,
) -> f64 {
    let dual_norm = x
        .columns()
        .zip(means)
        .map(|(c, &m)| c.iter().zip(residual).map(|(&v, r)| (v as f64 - m) * r).sum::<f64>().abs())
        .fold(0.0, f64::max);
    let r_norm2: f64 = residual.iter().map(|r| r * r).sum();
    let (scale, gap) = if dual_norm > l1 {
        let s = l1 / dual_norm;
        (s, 0.5 * r_norm2 * (1.0 + s * s))
    } else {
        (1.0, r_norm2)
    };
    let r_dot_y: f64 = residual.iter().zip(y).map(|(r, v)| r * (v - y_mean)).sum();
    gap + l1 * w.iter().map(|v| v.abs()).sum::<f64>() - scale * r_dot_y
}
