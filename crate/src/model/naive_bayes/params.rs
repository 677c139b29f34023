use crate::base::Task;
use crate::model::params::{float, resolve};
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// Settings of naive Bayes, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NaiveBayesParams {
    /// Laplace smoothing of the 0/1 inputs: `alpha` imaginary rows with each value
    /// per class, so a level never seen with a class is unlikely, not impossible.
    pub alpha: f64,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        NaiveBayesParams { alpha: 1.0 }
    }
}

impl NaiveBayesParams {
    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(task), values)?;
        Ok(NaiveBayesParams { alpha: float(&v, "alpha") })
    }
}

/// The hyperparameters as the page shows them.
pub fn specs(_task: Task) -> Vec<ParamSpec> {
    vec![ParamSpec {
        key: "alpha",
        label: "smoothing (alpha)",
        help: "Imaginary rows added to every category count, so a category never seen with a class does not rule that class out.",
        kind: ParamKind::Float { min: 0.001, max: 100.0, default: 1.0, log_scale: true },
    }]
}
