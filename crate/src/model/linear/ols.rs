//! Ordinary least squares: the weights that minimize the squared error, in
//! closed form.

use super::solve::fit_least_squares;
use super::Kind;
use crate::base::{Progress, Scaling, Task};
use crate::model::params::resolve;
use crate::model::{Dataset, FitError, FittedModel, ModelSpec, ParamSpec, ParamValues};

pub const SPEC: ModelSpec = ModelSpec {
    id: "linear_regression",
    name: "Linear regression (least squares)",
    tasks: &[Task::Regression],
    scaling: Scaling::Standardize,
    seeded: false,
    params: specs,
    complexity: None,
    fit: fit_boxed,
};

/// Least squares has nothing to set.
pub fn specs(_: Task) -> Vec<ParamSpec> {
    Vec::new()
}

/// Minimizes ‖y − Xw − b‖² exactly (scikit-learn's `LinearRegression`). The
/// seed changes nothing: the solution is unique (or, for redundant inputs, the
/// smallest one).
fn fit_boxed(
    values: &ParamValues,
    train: &Dataset,
    _seed: u64,
    _: &mut dyn Progress,
) -> Result<Box<dyn FittedModel>, FitError> {
    resolve(&specs(Task::Regression), values)?;
    Ok(Box::new(fit_least_squares(train, 0.0, Kind::LeastSquares)?))
}
