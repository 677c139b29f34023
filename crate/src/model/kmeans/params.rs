use crate::base::Task;
use crate::model::params::{float, int, resolve};
use crate::model::{FitError, ParamKind, ParamSpec, ParamValues};

/// Settings of k-means, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KMeansParams {
    /// Clusters to find.
    pub k: usize,
    /// Independent k-means++ starts; the one with the lowest inertia is kept.
    pub n_init: usize,
    /// Most Lloyd iterations per start.
    pub max_iter: usize,
    /// A start stops when the centroids move less than this (squared, summed)
    /// relative to the data's mean per-feature variance, as scikit-learn's `tol`.
    pub tol: f64,
}

impl Default for KMeansParams {
    fn default() -> Self {
        KMeansParams { k: 3, n_init: 3, max_iter: 300, tol: 1e-4 }
    }
}

impl KMeansParams {
    /// Reads and checks the page's values (see [`Fit::from_values`](crate::model::Fit::from_values)).
    pub(super) fn read(values: &ParamValues) -> Result<Self, FitError> {
        let v = resolve(&specs(Task::Clustering), values)?;
        // The specs' ranges guarantee positive, small counts.
        Ok(KMeansParams {
            k: int(&v, "k") as usize,
            n_init: int(&v, "n_init") as usize,
            max_iter: int(&v, "max_iter") as usize,
            tol: float(&v, "tol"),
        })
    }
}

/// The hyperparameters as the page shows them.
pub fn specs(_task: Task) -> Vec<ParamSpec> {
    let d = KMeansParams::default();
    vec![
        ParamSpec {
            key: "k",
            label: "clusters (k)",
            help: "How many groups to find. The elbow chart shows how much each extra cluster still tightens the groups.",
            kind: ParamKind::Int { min: 1, max: 20, default: d.k as i64, log_scale: false },
        },
        ParamSpec {
            key: "n_init",
            label: "restarts",
            help: "How many times to start from different k-means++ seeds; the tightest clustering (lowest inertia) is kept.",
            kind: ParamKind::Int { min: 1, max: 100, default: d.n_init as i64, log_scale: true },
        },
        ParamSpec {
            key: "max_iter",
            label: "max iterations",
            help: "Most rounds of assigning rows to the nearest centroid and moving each centroid to its rows' mean, per start.",
            kind: ParamKind::Int { min: 1, max: 1000, default: d.max_iter as i64, log_scale: true },
        },
        ParamSpec {
            key: "tol",
            label: "tolerance",
            help: "A start stops once the centroids move less than this (relative to the data's spread).",
            kind: ParamKind::Float { min: 1e-8, max: 0.1, default: d.tol, log_scale: true },
        },
    ]
}
