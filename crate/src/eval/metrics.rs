use serde::{Deserialize, Serialize};

/// The scores shown for a fitted model, on the training and the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Metrics {
    /// `test_se`: the test accuracy's standard error (see [`super::accuracy_standard_error`]).
    Classification { train_accuracy: f64, test_accuracy: f64, test_se: f64, n_train: usize, n_test: usize },
    /// `test_se`: the test R²'s standard error (see [`super::r2_standard_error`]).
    Regression { train_r2: f64, test_r2: f64, test_se: f64, train_mae: f64, test_mae: f64, n_train: usize, n_test: usize },
    /// Inertia per row (mean squared distance to the row's centroid, in the
    /// model's standardized units) on the training and test rows; the
    /// silhouette on a sample of training rows; and, when the person picked a
    /// column to compare with, the clusters' agreement with it.
    Clustering {
        train_inertia: f64,
        test_inertia: f64,
        n_clusters: usize,
        silhouette: Option<f64>,
        agreement: Option<Agreement>,
        n_train: usize,
        n_test: usize,
    },
}

/// How well clusters match a column's values: the adjusted Rand index over
/// every row that has a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub column: String,
    pub adjusted_rand_index: f64,
}
