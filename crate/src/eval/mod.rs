//! Honest evaluation: seeded splits and the scores people compare models by.

mod classification;
mod cluster;
mod metrics;
mod permutation;
mod split;

pub use classification::{confusion_matrix, precision_recall_curve, roc_curve, Curve};
pub use cluster::{adjusted_rand_index, inertia, silhouette};
pub use metrics::{accuracy, mean_absolute_error, r2_score, Agreement, Metrics};
pub use permutation::permutation_importance;
pub use split::{shuffle_split, stratified_split, Split};
