use crate::base::Task;
use crate::model::params::{choice, float, int, max_depth_spec, resolve, MaxDepth};
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// Rows above which `early_stopping = "auto"` turns early stopping on (as scikit-learn).
pub const AUTO_EARLY_STOPPING_ROWS: usize = 10_000;
/// Share of the training rows held out to score early stopping.
pub const VALIDATION_FRACTION: f64 = 0.1;
/// Rounds without an improvement of more than [`TOL`] after which boosting stops.
pub const N_ITER_NO_CHANGE: usize = 10;
/// Smallest decrease of the validation loss that counts as an improvement.
pub const TOL: f64 = 1e-7;

/// Whether boosting stops once the validation loss stops improving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EarlyStopping {
    /// On when there are more than `AUTO_EARLY_STOPPING_ROWS` training rows.
    Auto,
    On,
    Off,
}

/// Settings of histogram gradient boosting, validated: a value of this type is
/// always usable. Defaults are scikit-learn's `HistGradientBoosting*`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoostingParams {
    /// Shrinkage of every leaf value.
    pub learning_rate: f64,
    /// Boosting rounds (one tree per class per round for more than two classes).
    pub max_iter: usize,
    pub max_leaf_nodes: usize,
    pub max_depth: MaxDepth,
    pub min_samples_leaf: usize,
    /// λ in the leaf value −G / (H + λ).
    pub l2_regularization: f64,
    pub early_stopping: EarlyStopping,
}

impl Default for BoostingParams {
    fn default() -> Self {
        BoostingParams {
            learning_rate: 0.1,
            max_iter: 100,
            max_leaf_nodes: 31,
            max_depth: MaxDepth::Unlimited,
            min_samples_leaf: 20,
            l2_regularization: 0.0,
            early_stopping: EarlyStopping::Auto,
        }
    }
}

impl BoostingParams {
    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(task), values)?;
        Ok(BoostingParams {
            learning_rate: float(&v, "learning_rate"),
            max_iter: int(&v, "max_iter") as usize,
            max_leaf_nodes: int(&v, "max_leaf_nodes") as usize,
            max_depth: MaxDepth::levels(int(&v, "max_depth") as usize),
            min_samples_leaf: int(&v, "min_samples_leaf") as usize,
            l2_regularization: float(&v, "l2_regularization"),
            early_stopping: match choice(&v, "early_stopping") {
                "on" => EarlyStopping::On,
                "off" => EarlyStopping::Off,
                _ => EarlyStopping::Auto,
            },
        })
    }

    /// Whether early stopping is on for `n_rows` training rows.
    pub fn stops_early(&self, n_rows: usize) -> bool {
        match self.early_stopping {
            EarlyStopping::On => true,
            EarlyStopping::Off => false,
            EarlyStopping::Auto => n_rows > AUTO_EARLY_STOPPING_ROWS,
        }
    }
}

/// The booster's hyperparameters as the page shows them.
pub fn specs(_task: Task) -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "learning_rate",
            label: "learning rate",
            help: "How much of each new tree is added. Smaller steps need more rounds but generalize better.",
            kind: ParamKind::Float { min: 0.001, max: 1.0, default: 0.1, log_scale: true },
        },
        ParamSpec {
            key: "max_iter",
            label: "rounds",
            help: "How many boosting rounds (trees, or one tree per class) at most.",
            kind: ParamKind::Int { min: 1, max: 1000, default: 100, log_scale: true },
        },
        ParamSpec {
            key: "max_leaf_nodes",
            label: "max leaves per tree",
            help: "Each tree grows its most useful split first until it has this many leaves.",
            kind: ParamKind::Int { min: 2, max: 256, default: 31, log_scale: true },
        },
        max_depth_spec(20, 0, "How many questions a tree may ask in a row; 0 means no limit (the leaf count limits it)."),
        ParamSpec {
            key: "min_samples_leaf",
            label: "min rows per leaf",
            help: "Each leaf must hold at least this many training rows; larger values smooth the model.",
            kind: ParamKind::Int { min: 1, max: 1000, default: 20, log_scale: true },
        },
        ParamSpec {
            key: "l2_regularization",
            label: "L2 regularization",
            help: "Shrinks leaf values toward zero, more so in leaves with few rows.",
            kind: ParamKind::Float { min: 0.0, max: 100.0, default: 0.0, log_scale: false },
        },
        ParamSpec {
            key: "early_stopping",
            label: "early stopping",
            help: "Hold out 10% of the training rows and stop when their loss has not improved for 10 rounds; auto = on above 10,000 rows.",
            kind: ParamKind::Choice { options: vec!["auto", "on", "off"], default: "auto" },
        },
    ]
}
