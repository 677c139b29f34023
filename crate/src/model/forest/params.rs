use crate::base::Task;
use crate::model::params::{choice, int, max_depth_spec, resolve, MaxDepth};
use crate::model::tree::TreeParams;
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// How many features each node of a member tree may choose from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxFeatures {
    Sqrt,
    Log2,
    All,
}

impl MaxFeatures {
    /// Features drawn per node out of `n_features`, as scikit-learn counts them:
    /// `max(1, int(sqrt(n)))`, `max(1, int(log2(n)))`, or all.
    pub fn count(self, n_features: usize) -> usize {
        let n = n_features as f64;
        let drawn = match self {
            MaxFeatures::Sqrt => n.sqrt() as usize,
            MaxFeatures::Log2 => n.log2() as usize,
            MaxFeatures::All => n_features,
        };
        drawn.clamp(1, n_features.max(1))
    }
}

/// Settings of a random forest, validated: a value of this type is always usable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForestParams {
    pub n_estimators: usize,
    /// Settings of every member tree (Gini or squared error, by task).
    pub tree: TreeParams,
    pub max_features: MaxFeatures,
    /// Each tree learns from a bootstrap sample (rows drawn with replacement)
    /// instead of every row; this also gives the out-of-bag score.
    pub bootstrap: bool,
}

impl ForestParams {
    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(task), values)?;
        // The specs' ranges guarantee these are positive and small.
        let tree = TreeParams {
            max_depth: MaxDepth::levels(int(&v, "max_depth") as usize),
            min_samples_leaf: int(&v, "min_samples_leaf") as usize,
            ..TreeParams::default_for(task)
        };
        Ok(ForestParams {
            n_estimators: int(&v, "n_estimators") as usize,
            tree,
            max_features: match choice(&v, "max_features") {
                "sqrt" => MaxFeatures::Sqrt,
                "log2" => MaxFeatures::Log2,
                _ => MaxFeatures::All,
            },
            bootstrap: choice(&v, "bootstrap") == "true",
        })
    }
}

/// The forest's hyperparameters as the page shows them; the defaults are
/// scikit-learn's, except a finite depth (its default grows every tree out).
pub fn specs(task: Task) -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "n_estimators",
            label: "trees",
            help: "How many trees vote. More trees give a steadier forest and take longer to train.",
            kind: ParamKind::Int { min: 1, max: 500, default: 100, log_scale: true },
        },
        max_depth_spec(
            30,
            10,
            "How many questions each tree may ask in a row; 0 means no limit (scikit-learn's None), the trees then grow until their leaves are pure.",
        ),
        ParamSpec {
            key: "min_samples_leaf",
            label: "min rows per leaf",
            help: "Each leaf must hold at least this many distinct training rows; larger values smooth the forest.",
            kind: ParamKind::Int { min: 1, max: 1000, default: 1, log_scale: true },
        },
        ParamSpec {
            key: "max_features",
            label: "features per split",
            help: "How many features each question may choose from, drawn at random per node: √n or log₂ n of the n features decorrelates the trees; all makes them more alike.",
            kind: ParamKind::Choice {
                options: vec!["sqrt", "log2", "all"],
                default: match task {
                    Task::Classification => "sqrt",
                    Task::Regression | Task::Clustering => "all",
                },
            },
        },
        ParamSpec {
            key: "bootstrap",
            label: "bootstrap",
            help: "Whether each tree learns from rows drawn with replacement (and is scored on the rows it did not draw: the out-of-bag score).",
            kind: ParamKind::Choice { options: vec!["true", "false"], default: "true" },
        },
    ]
}
