use crate::base::Task;
use crate::model::params::{choice, float, int, max_depth_spec, resolve, MaxDepth};
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// How a split's quality is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    Gini,
    Entropy,
    SquaredError,
}

/// Settings of a CART tree, validated: a value of this type is always usable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeParams {
    pub criterion: Criterion,
    pub max_depth: MaxDepth,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// Cost-complexity pruning strength: splits that lower the weighted
    /// impurity by less than this per extra leaf are pruned (0: none).
    pub ccp_alpha: f64,
}

impl TreeParams {
    pub fn default_for(task: Task) -> Self {
        TreeParams {
            criterion: match task {
                Task::Classification => Criterion::Gini,
                Task::Regression | Task::Clustering => Criterion::SquaredError,
            },
            max_depth: MaxDepth::levels(5),
            min_samples_split: 2,
            min_samples_leaf: 1,
            ccp_alpha: 0.0,
        }
    }

    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(task), values)?;
        let criterion = match task {
            Task::Regression | Task::Clustering => Criterion::SquaredError,
            Task::Classification => match choice(&v, "criterion") {
                "entropy" => Criterion::Entropy,
                _ => Criterion::Gini,
            },
        };
        // The specs' ranges guarantee these are positive and small.
        Ok(TreeParams {
            criterion,
            max_depth: MaxDepth::levels(int(&v, "max_depth") as usize),
            min_samples_split: int(&v, "min_samples_split") as usize,
            min_samples_leaf: int(&v, "min_samples_leaf") as usize,
            ccp_alpha: float(&v, "ccp_alpha"),
        })
    }
}

/// The tree's hyperparameters as the page shows them.
pub fn specs(task: Task) -> Vec<ParamSpec> {
    let mut specs = Vec::new();
    if task == Task::Classification {
        specs.push(ParamSpec {
            key: "criterion",
            label: "split criterion",
            help: "How the purity of a node is measured: Gini impurity or entropy (information gain).",
            kind: ParamKind::Choice { options: vec!["gini", "entropy"], default: "gini" },
        });
    }
    specs.extend([
        max_depth_spec(
            20,
            5,
            "How many questions the tree may ask in a row; 0 means no limit. Deeper trees fit the training rows better and generalize worse.",
        ),
        ParamSpec {
            key: "min_samples_leaf",
            label: "min rows per leaf",
            help: "Each leaf must hold at least this many training rows; larger values smooth the boundary.",
            kind: ParamKind::Int { min: 1, max: 1000, default: 1, log_scale: true },
        },
        ParamSpec {
            key: "min_samples_split",
            label: "min rows to split",
            help: "A node with fewer training rows than this becomes a leaf.",
            kind: ParamKind::Int { min: 2, max: 1000, default: 2, log_scale: true },
        },
        ParamSpec {
            key: "ccp_alpha",
            label: "pruning (ccp α)",
            help: "Cost-complexity pruning: after growing, splits that lower the impurity by less than this per extra leaf are cut back. 0 keeps the whole tree; for classes 0.01 usually leaves a much smaller one (for a number, the impurity is in squared target units).",
            kind: ParamKind::Float { min: 0.0, max: 1e6, default: 0.0, log_scale: false },
        },
    ]);
    specs
}
