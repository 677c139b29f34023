//! The base every layer stands on: the task, progress reports, the feature
//! matrix and target models learn from, model inputs in the person's terms,
//! number formatting, and the few statistics (standardization, seeded splits,
//! scores) shared by models and evaluation. It imports nothing from the crate.

mod feature;
mod fingerprint;
mod format;
mod matrix;
pub mod program;
mod sort;
mod split;
mod stats;
mod task;

pub use feature::{value_of, Encoding, FeatureInfo, FeatureValue, FeatureValues, Scaling, SplitRule};
pub use fingerprint::Fnv1a;
pub use format::{capitalize, format_count, format_number, format_significant, lower_first};
pub use matrix::{FeatureMatrix, Target};
pub use sort::sort_with;
pub use split::{
    grouped_k_folds, k_folds, shuffle_split, stratified_k_folds, stratified_split, time_ordered_folds, FoldError, Split,
};
pub use stats::{accuracy, dist2, dot, mean_absolute_error, r2_score, LogSum, Standard};
pub use task::{NoProgress, Progress, Task};
