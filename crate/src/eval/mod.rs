//! Honest evaluation: seeded splits and the scores people compare models by.

mod classification;
mod cluster;
mod metrics;
mod permutation;
mod report;
pub mod search;
mod uncertainty;

pub use classification::{confusion_matrix, precision_recall_curve, roc_curve, Curve};
pub use cluster::{adjusted_rand_index, inertia, silhouette};
pub use metrics::{Agreement, Metrics};
pub use permutation::{permutation_importance, Shuffled};
pub use report::{
    brier_score, calibration_bins, class_group_scores, class_report, log_loss, value_group_scores, CalibrationBin,
    ClassReport, ClassScores, GroupScores,
};
pub use uncertainty::{accuracy_standard_error, r2_standard_error, standings, Standing, BOOTSTRAP_ROUNDS, SUPPORTED_BEYOND};
