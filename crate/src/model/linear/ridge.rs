//! Ridge regression: least squares with a penalty α‖w‖² that shrinks every
//! weight toward zero, in closed form.

use super::solve::fit_least_squares;
use super::{Kind, LinearModel};
use crate::base::{Progress, Scaling, Task};
use crate::model::params::{float, resolve};
use crate::model::{Dataset, FitError, FittedModel, ModelSpec, ParamKind, ParamSpec, ParamValues};

pub const SPEC: ModelSpec = ModelSpec {
    id: "ridge",
    name: "Ridge regression",
    tasks: &[Task::Regression],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: None,
    fit: fit_boxed,
};

/// Settings of ridge regression, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RidgeParams {
    /// Penalty on the squared weights; 0 is ordinary least squares.
    pub alpha: f64,
}

impl Default for RidgeParams {
    fn default() -> Self {
        RidgeParams { alpha: 1.0 }
    }
}

impl RidgeParams {
    pub fn from_values(values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(Task::Regression), values)?;
        Ok(RidgeParams { alpha: float(&v, "alpha") })
    }

    /// Minimizes ‖y − Xw − b‖² + α‖w‖² (scikit-learn's `Ridge`; the sum, not the
    /// mean, of squared errors, and the intercept not penalized).
    pub fn fit(&self, train: &Dataset) -> Result<LinearModel, FitError> {
        fit_least_squares(train, self.alpha, Kind::Ridge)
    }
}

pub fn specs(_: Task) -> Vec<ParamSpec> {
    vec![ParamSpec {
        key: "alpha",
        label: "alpha (penalty)",
        help:
            "How strongly weights are pulled toward zero. Larger values give smaller, steadier weights and a smoother fit.",
        kind: ParamKind::Float { min: 1e-4, max: 1e4, default: 1.0, log_scale: true },
    }]
}

fn fit_boxed(
    values: &ParamValues,
    train: &Dataset,
    _seed: u64,
    _: &mut dyn Progress,
) -> Result<Box<dyn FittedModel>, FitError> {
    Ok(Box::new(RidgeParams::from_values(values)?.fit(train)?))
}
