//! Ordinary least squares: the weights that minimize the squared error, in
//! closed form.

use super::solve::fit_least_squares;
use super::{Kind, LinearModel};
use crate::base::{Progress, Scaling, Task};
use crate::model::params::resolve;
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, DataView, Fit, FitError, ModelInfo, ModelSpec, ParamSpec,
    ParamValues,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "linear_regression",
    name: "Linear regression (least squares)",
    tasks: &[Task::Regression],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: None,
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<OlsParams>,
    load: load_boxed::<OlsParams>,
    to_json: to_json_boxed::<OlsParams>,
    from_json: from_json_boxed::<OlsParams>,
};

/// Least squares has nothing to set.
pub fn specs(_: Task) -> Vec<ParamSpec> {
    Vec::new()
}

/// Minimizes ‖y − Xw − b‖² exactly (scikit-learn's `LinearRegression`). The
/// seed changes nothing: the solution is unique (or, for redundant inputs, the
/// smallest one).
/// Ordinary least squares has no settings.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OlsParams;

impl Fit for OlsParams {
    type Model = LinearModel;

    fn from_values(_task: Task, values: &ParamValues) -> Result<Self, FitError> {
        resolve(&specs(Task::Regression), values)?;
        Ok(OlsParams)
    }

    fn check(&self) -> Result<(), FitError> {
        Ok(())
    }

    /// Minimizes ‖y − Xw − b‖² (scikit-learn's `LinearRegression`); nothing is
    /// random or iterated.
    fn fit_checked(&self, train: &DataView, _seed: u64, _: &mut dyn Progress) -> Result<LinearModel, FitError> {
        fit_least_squares(train, 0.0, Kind::LeastSquares)
    }
}
