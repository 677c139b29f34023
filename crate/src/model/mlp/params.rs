use crate::base::Task;
use crate::model::params::{choice, float, int, resolve};
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// The nonlinearity of the hidden units: the program's, so the page and
/// the exported code compute it alike.
pub use crate::base::program::Activation;

/// The architectures offered: hidden layer widths, input to output.
const HIDDEN_LAYERS: [&str; 8] = ["8", "16", "32", "64", "100", "16,16", "32,16", "64,32"];

/// Settings of a multilayer perceptron trained with Adam, validated: a value of
/// this type is always usable.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpParams {
    /// Width of each hidden layer, input side first (at least one layer).
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// L2 penalty on the weights (not the biases), as scikit-learn's `alpha`.
    pub alpha: f64,
    pub learning_rate: f64,
    /// Rows per mini-batch; clipped to the number of training rows.
    pub batch_size: usize,
    /// Most passes over the training rows.
    pub max_epochs: usize,
    /// Hold out a tenth of the rows and stop when their score stops improving.
    pub early_stopping: bool,
    /// Share of hidden units switched off at random in each training step.
    pub dropout: f64,
}

impl Default for MlpParams {
    fn default() -> Self {
        MlpParams {
            hidden: vec![32],
            activation: Activation::Relu,
            alpha: 1e-4,
            learning_rate: 1e-3,
            batch_size: 200,
            max_epochs: 200,
            early_stopping: false,
            dropout: 0.0,
        }
    }
}

impl MlpParams {
    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(task), values)?;
        // The specs' options and ranges guarantee these parse and are in range.
        let hidden = choice(&v, "hidden_layers").split(',').filter_map(|w| w.trim().parse().ok()).collect();
        let activation = match choice(&v, "activation") {
            "tanh" => Activation::Tanh,
            "logistic" => Activation::Logistic,
            _ => Activation::Relu,
        };
        Ok(MlpParams {
            hidden,
            activation,
            alpha: float(&v, "alpha"),
            learning_rate: float(&v, "learning_rate_init"),
            batch_size: int(&v, "batch_size") as usize,
            max_epochs: int(&v, "max_iter") as usize,
            early_stopping: choice(&v, "early_stopping") == "on",
            dropout: float(&v, "dropout"),
        })
    }
}

/// The network's hyperparameters as the page shows them, named as in scikit-learn.
pub fn specs(_task: Task) -> Vec<ParamSpec> {
    let d = MlpParams::default();
    vec![
        ParamSpec {
            key: "hidden_layers",
            label: "hidden layers",
            help: "Units in each hidden layer, input side first (\"32,16\" is two layers). More units can bend the boundary more, and overfit more.",
            kind: ParamKind::Choice { options: HIDDEN_LAYERS.to_vec(), default: "32" },
        },
        ParamSpec {
            key: "activation",
            label: "activation",
            help: "The bend each hidden unit applies to its weighted sum: relu (max(0, z)), tanh, or the logistic S-curve.",
            kind: ParamKind::Choice { options: vec!["relu", "tanh", "logistic"], default: "relu" },
        },
        ParamSpec {
            key: "alpha",
            label: "L2 penalty (alpha)",
            help: "Pulls every weight toward zero; larger values give a smoother, simpler function.",
            kind: ParamKind::Float { min: 1e-6, max: 10.0, default: d.alpha, log_scale: true },
        },
        ParamSpec {
            key: "learning_rate_init",
            label: "learning rate",
            help: "Step size of the Adam optimizer. Too small learns slowly; too large jumps around the optimum.",
            kind: ParamKind::Float { min: 1e-5, max: 1.0, default: d.learning_rate, log_scale: true },
        },
        ParamSpec {
            key: "batch_size",
            label: "batch size",
            help: "Training rows per weight update (at most all of them). Smaller batches update more often but noisier.",
            kind: ParamKind::Int { min: 1, max: 10_000, default: d.batch_size as i64, log_scale: true },
        },
        ParamSpec {
            key: "max_iter",
            label: "max epochs",
            help: "Most passes over the training rows. Training stops earlier once the loss stops improving for 10 epochs.",
            kind: ParamKind::Int { min: 1, max: 5_000, default: d.max_epochs as i64, log_scale: true },
        },
        ParamSpec {
            key: "early_stopping",
            label: "early stopping",
            help: "Hold out 10% of the training rows and keep the weights that scored best on them, stopping after 10 epochs without gain.",
            kind: ParamKind::Choice { options: vec!["off", "on"], default: "off" },
        },
        ParamSpec {
            key: "dropout",
            label: "dropout",
            help: "Share of hidden units switched off at random in each training step, so no unit can be relied on alone (not in scikit-learn).",
            kind: ParamKind::Float { min: 0.0, max: 0.5, default: d.dropout, log_scale: false },
        },
    ]
}
