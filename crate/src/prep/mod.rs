//! From typed columns to model inputs: the target, and the feature pipeline
//! (impute, encode, aggregate, then scale, bin, poly, PCA as the person lists
//! them). The pipeline learns every statistic (medians, levels, scales,
//! components, target means) on the training rows only, so nothing about the
//! test rows leaks into the model.

mod domain;
mod error;
mod input;
mod pipeline;
mod spec;

pub use domain::{ColumnDomain, NEAR_SHARE};
pub use error::PrepError;
pub use input::MAX_BINS;
pub use pipeline::{prep_summary, Pipeline, RawRows, DATE_PARTS, HISTOGRAM_BINS};
pub use spec::{
    BeforeAfter, Binning, CategoryEncoding, Fill, GroupStat, Histogram, Keep, PcaReport, PipelineReport, PipelineSpec,
    Scaler, StepReport, StepSpec, MAX_EXAMPLES,
};

use crate::base::{Target, Task};
use crate::data::{Table, MISSING_CODE};

/// More classes than this is not a classification a small model can learn here.
pub const MAX_CLASSES: usize = 50;

/// How many groups a numeric target is cut into when classification is asked
/// of it and it has too many values to learn each as a class.
pub const VALUE_GROUPS: usize = 4;

/// Whether `distinct` values over `present` rows are too many classes to learn
/// from: more than [`MAX_CLASSES`], or one per row (an identifier, or scores
/// that never repeat).
pub fn too_many_classes(distinct: usize, present: usize) -> bool {
    distinct > MAX_CLASSES || (distinct == present && present > 2)
}

/// Builds the target from column `column` for `task`, dropping rows where it
/// is missing. Returns the target and the table rows it covers. For
/// clustering, the column is one the clusters are compared with, read as
/// classes like a classification target but however many there are. A
/// numeric column with too many values to learn each as a class is learned
/// as [`VALUE_GROUPS`] groups of its values (see [`value_groups`]).
pub fn target(table: &Table, column: usize, task: Task) -> Result<(Target, Vec<usize>), PrepError> {
    let col = &table.columns[column];
    let (target, rows) = match task {
        Task::Regression => {
            let values = col.numbers().ok_or_else(|| PrepError::TargetNotNumeric(col.name.clone()))?;
            let rows: Vec<usize> = (0..table.n_rows).filter(|&r| values[r].is_finite()).collect();
            (Target::Values(rows.iter().map(|&r| values[r] as f64).collect()), rows)
        }
        Task::Classification | Task::Clustering => {
            let cats = col.categories();
            let rows: Vec<usize> = (0..table.n_rows).filter(|&r| cats.codes[r] != MISSING_CODE).collect();
            // Keep only levels that occur, renumbered densely in level order.
            let mut dense = vec![u32::MAX; cats.levels.len()];
            for &r in &rows {
                dense[cats.codes[r] as usize] = 0;
            }
            let mut names = Vec::new();
            for (level, slot) in dense.iter_mut().enumerate() {
                if *slot == 0 {
                    *slot = names.len() as u32;
                    names.push(cats.levels[level].clone());
                }
            }
            let y = rows.iter().map(|&r| dense[cats.codes[r] as usize]).collect();
            (Target::Classes { y, names }, rows)
        }
    };
    let target = match (target, col.numbers()) {
        (Target::Classes { names, .. }, Some(values))
            if task == Task::Classification && too_many_classes(names.len(), rows.len()) =>
        {
            value_groups(&col.name, &rows.iter().map(|&r| values[r]).collect::<Vec<_>>())
        }
        (target, _) => target,
    };
    match &target {
        _ if rows.is_empty() => Err(PrepError::TargetAllMissing(col.name.clone())),
        // Clusters can be compared with any grouping, even one class or one per row.
        _ if task == Task::Clustering => Ok((target, rows)),
        Target::Classes { names, .. } if names.len() < 2 => {
            Err(PrepError::OneClass { column: col.name.clone(), class: names[0].clone() })
        }
        // A class per row (an identifier) or scores of classes leave too few
        // rows per class to learn from (numbers were grouped above).
        Target::Classes { names, .. } if too_many_classes(names.len(), rows.len()) => {
            Err(PrepError::TooManyClasses { column: col.name.clone(), classes: names.len() })
        }
        _ => Ok((target, rows)),
    }
}

/// A numeric target's present `values` as up to [`VALUE_GROUPS`] classes of
/// about equal size, cut at their quartiles and named by their ranges in the
/// column's own numbers ("age ≤ 21", "21 < age ≤ 28", …, "age > 39"): what
/// "predict age as classes" can mean. The cuts are read from every row with a
/// value, test rows included; they say where the groups lie, not how features
/// relate to them, so no model learns from the test rows through them.
pub fn value_groups(name: &str, values: &[f32]) -> Target {
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    let mut cuts: Vec<f32> =
        (1..VALUE_GROUPS).filter_map(|k| sorted.get((k * n).div_ceil(VALUE_GROUPS).max(1) - 1).copied()).collect();
    cuts.dedup();
    // The top group holds the values above the last cut: never an empty one.
    cuts.retain(|&cut| sorted.last().is_some_and(|&max| cut < max));
    let y = values.iter().map(|&v| cuts.iter().take_while(|&&cut| v > cut).count() as u32).collect();
    let number = |v: f32| crate::base::format_number(f64::from(v));
    let names = (0..=cuts.len())
        .map(|k| match (k.checked_sub(1).map(|i| cuts[i]), cuts.get(k)) {
            (None, Some(&high)) => format!("{name} ≤ {}", number(high)),
            (Some(low), Some(&high)) => format!("{} < {name} ≤ {}", number(low), number(high)),
            (Some(low), None) => format!("{name} > {}", number(low)),
            (None, None) => name.to_string(),
        })
        .collect();
    Target::Classes { y, names }
}

#[cfg(test)]
mod tests;
