use crate::base::Task;
use crate::model::params::{choice, int, resolve};
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// How much each of the k neighbours counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Weights {
    /// Every neighbour counts the same.
    Uniform,
    /// A neighbour counts 1 / distance; a query that coincides with training rows
    /// uses only those rows (as scikit-learn does).
    Distance,
}

/// Settings of k-nearest neighbours, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KnnParams {
    pub k: usize,
    pub weights: Weights,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams { k: 5, weights: Weights::Uniform }
    }
}

impl KnnParams {
    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(task), values)?;
        let weights = match choice(&v, "weights") {
            "distance" => Weights::Distance,
            _ => Weights::Uniform,
        };
        // The spec's range guarantees 1..=100.
        Ok(KnnParams { k: int(&v, "k") as usize, weights })
    }
}

/// The hyperparameters as the page shows them.
pub fn specs(_task: Task) -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "k",
            label: "neighbours (k)",
            help: "How many of the closest training rows decide a prediction. Small k follows every training row; large k smooths the boundary.",
            kind: ParamKind::Int { min: 1, max: 100, default: 5, log_scale: true },
        },
        ParamSpec {
            key: "weights",
            label: "neighbour weights",
            help: "Uniform: each neighbour has one vote. Distance: closer neighbours count more (1 / distance).",
            kind: ParamKind::Choice { options: vec!["uniform", "distance"], default: "uniform" },
        },
    ]
}
