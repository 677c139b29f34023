use serde::{Deserialize, Serialize};

/// The scores shown for a fitted model, on the training and the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Metrics {
    Classification { train_accuracy: f64, test_accuracy: f64, n_train: usize, n_test: usize },
    Regression { train_r2: f64, test_r2: f64, train_mae: f64, test_mae: f64, n_train: usize, n_test: usize },
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

/// Share of rows whose predicted class equals the true one (NaN for no rows).
pub fn accuracy(truth: &[u32], predicted: &[u32]) -> f64 {
    let hits = truth.iter().zip(predicted).filter(|(a, b)| a == b).count();
    hits as f64 / truth.len() as f64
}

/// Coefficient of determination: 1 − SSE / SST. A constant truth gives 1 for a
/// perfect prediction and 0 otherwise, as in scikit-learn.
pub fn r2_score(truth: &[f64], predicted: &[f64]) -> f64 {
    let n = truth.len() as f64;
    let mean = truth.iter().sum::<f64>() / n;
    let sse: f64 = truth.iter().zip(predicted).map(|(t, p)| (t - p) * (t - p)).sum();
    let sst: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    if sst == 0.0 {
        return if sse == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - sse / sst
}

pub fn mean_absolute_error(truth: &[f64], predicted: &[f64]) -> f64 {
    truth.iter().zip(predicted).map(|(t, p)| (t - p).abs()).sum::<f64>() / truth.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_values() {
        assert_eq!(accuracy(&[0, 1, 1, 2], &[0, 1, 2, 2]), 0.75);
        // truth mean 2.5, SST = 5; SSE = 0.25 + 0 + 0 + 1 = 1.25 → R² = 0.75.
        assert_eq!(r2_score(&[1., 2., 3., 4.], &[1.5, 2., 3., 3.]), 0.75);
        assert_eq!(mean_absolute_error(&[1., 2., 3., 4.], &[1.5, 2., 3., 3.]), 0.375);
        assert_eq!(r2_score(&[2., 2.], &[2., 2.]), 1.0);
    }
}
