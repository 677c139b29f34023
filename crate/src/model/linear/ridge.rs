//! Ridge regression: least squares with a penalty α‖w‖² that shrinks every
//! weight toward zero, in closed form.

use super::solve::fit_least_squares;
use super::{Kind, LinearModel};
use crate::base::{Progress, Scaling, Task};
use crate::model::params::{at_least, float, require, resolve};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, DataView, Fit, FitError, ModelInfo, ModelSpec, ParamKind,
    ParamSpec, ParamValues,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "ridge",
    name: "Ridge regression",
    tasks: &[Task::Regression],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: None,
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<RidgeParams>,
    load: load_boxed::<RidgeParams>,
    to_json: to_json_boxed::<RidgeParams>,
    from_json: from_json_boxed::<RidgeParams>,
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

impl Fit for RidgeParams {
    type Model = LinearModel;

    fn from_values(_task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(Task::Regression), values)?;
        Ok(RidgeParams { alpha: float(&v, "alpha") })
    }

    fn check(&self) -> Result<(), FitError> {
        require(at_least(self.alpha, 0.0), "alpha (penalty)", self.alpha, "a number from 0 up")
    }

    /// Minimizes ‖y − Xw − b‖² + α‖w‖² (scikit-learn's `Ridge`; the sum, not the
    /// mean, of squared errors, and the intercept not penalized).
    fn fit_checked(&self, train: &DataView, _seed: u64, _progress: &mut dyn Progress) -> Result<LinearModel, FitError> {
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
