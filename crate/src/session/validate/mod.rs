//! Cross-validation of a training request on its training rows: the honest
//! score for choosing settings, since the test rows are kept for the final
//! model alone. Each fold fits the whole preparation (imputation, encoding,
//! scaling) anew on its own training part, so no fold's score has seen its
//! test rows, not even through a median or a standard deviation.

use serde::{Deserialize, Serialize};

use super::{plan, score, Plan, SessionError, TrainRequest};
use crate::base::{grouped_k_folds, k_folds, stratified_k_folds, time_ordered_folds, NoProgress, Progress, Split, Target};
use crate::data::{ColumnKind, Table};
use crate::eval::Metrics;
use crate::model::{self, Dataset, ModelSpec};
use crate::prep::Pipeline;

/// How the training rows are cut into folds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Folding {
    /// At random (seeded), stratified for classes.
    #[default]
    Shuffled,
    /// Keeping the rows of each value of this column together (one patient,
    /// one family), so no fold is tested on a group it trained on.
    Grouped(String),
    /// In the order of this number or date column, each fold trained on the
    /// rows before its test rows: the past predicts the future, never the
    /// other way round.
    TimeOrdered(String),
}

/// A score per fold and what they add up to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// "accuracy" or "R²".
    pub measure: String,
    /// The test score of each fold, in fold order.
    pub scores: Vec<f64>,
    pub mean: f64,
    /// Standard deviation over the folds (n − 1), the spread a person reads
    /// as "± over folds".
    pub sd: f64,
    /// Training rows cross-validated (the test rows are not among them).
    pub n_rows: usize,
    /// How the rows were cut into folds.
    pub folding: Folding,
}

impl CrossValidation {
    fn of(measure: &str, scores: Vec<f64>, n_rows: usize, folding: Folding) -> CrossValidation {
        let k = scores.len() as f64;
        let mean = scores.iter().sum::<f64>() / k;
        let sd =
            if scores.len() > 1 { (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt() } else { 0.0 };
        CrossValidation { measure: measure.to_string(), scores, mean, sd, n_rows, folding }
    }
}

/// Scores `req`'s model by `k`-fold cross-validation on the request's
/// training rows (stratified for classes, shuffled with the request's seed
/// otherwise; each fold's model takes the seed too).
pub fn cross_validate(
    table: &Table,
    req: &TrainRequest,
    k: usize,
    folding: &Folding,
    progress: &mut dyn Progress,
) -> Result<CrossValidation, SessionError> {
    let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
    let Plan { target, rows, split, features, .. } = plan(table, req)?;
    // Only the training rows take part: their table rows and targets.
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let target = target.select_rows(&split.train);
    let column = |name: &str| {
        table.column_index(name).map(|i| &table.columns[i]).ok_or_else(|| SessionError::UnknownColumn(name.to_string()))
    };
    let folds = match (&target, folding) {
        (Target::Unlabeled { .. }, _) => return Err(SessionError::NothingToValidate),
        (Target::Classes { y, names }, Folding::Shuffled) => stratified_k_folds(y, names.len(), k, req.seed)?,
        (Target::Values(y), Folding::Shuffled) => k_folds(y.len(), k, req.seed)?,
        (_, Folding::Grouped(name)) => {
            // A missing value is a group of its own.
            let codes = column(name)?.categories().codes;
            grouped_k_folds(&train_rows.iter().map(|&r| codes[r]).collect::<Vec<u32>>(), k)?
        }
        (_, Folding::TimeOrdered(name)) => {
            let col = column(name)?;
            let values = col.numbers().or_else(|| col.dates()).ok_or_else(|| SessionError::NotAnOrder {
                column: name.clone(),
                why: "it holds neither numbers nor dates".into(),
            })?;
            let order: Vec<f64> = train_rows.iter().map(|&r| values[r] as f64).collect();
            let missing = order.iter().filter(|v| v.is_nan()).count();
            if missing > 0 {
                return Err(SessionError::NotAnOrder {
                    column: name.clone(),
                    why: match missing {
                        1 => "one training row has no value in it, so it has no place in time".into(),
                        n => format!("{n} training rows have no value in it, so they have no place in time"),
                    },
                });
            }
            time_ordered_folds(&order, k)?
        }
    };
    let mut scores = Vec::with_capacity(folds.len());
    for (f, fold) in folds.iter().enumerate() {
        progress.report(f, folds.len(), &format!("cross-validating: fold {} of {}", f + 1, folds.len()));
        scores.push(fold_score(table, spec, req, &features, &train_rows, &target, fold)?);
    }
    progress.report(folds.len(), folds.len(), "cross-validating");
    let measure = if matches!(target, Target::Classes { .. }) { "accuracy" } else { "R²" };
    Ok(CrossValidation::of(measure, scores, train_rows.len(), folding.clone()))
}

/// Fits the preparation and the model on one fold's training part and
/// scores its test part, as a training run would on the whole split.
fn fold_score(
    table: &Table,
    spec: &ModelSpec,
    req: &TrainRequest,
    features: &[(usize, ColumnKind)],
    train_rows: &[usize],
    target: &Target,
    fold: &Split,
) -> Result<f64, SessionError> {
    let data = fold_data(table, spec, features, train_rows, target, fold)?;
    let model = (spec.fit)(&req.params, &data.view(&fold.train), req.seed, &mut NoProgress)?;
    let (metrics, _) = score(model.as_ref(), &data, fold, req.seed)?;
    match metrics {
        Metrics::Classification { test_accuracy, .. } => Ok(test_accuracy),
        Metrics::Regression { test_r2, .. } => Ok(test_r2),
        Metrics::Clustering { .. } => Err(SessionError::NothingToValidate),
    }
}

/// The training rows as one fold's model sees them: prepared by a pipeline
/// fitted on the fold's training part alone.
fn fold_data(
    table: &Table,
    spec: &ModelSpec,
    features: &[(usize, ColumnKind)],
    train_rows: &[usize],
    target: &Target,
    fold: &Split,
) -> Result<Dataset, SessionError> {
    let fitted_on: Vec<usize> = fold.train.iter().map(|&i| train_rows[i]).collect();
    let pipeline = Pipeline::fit(table, features, &fitted_on, spec.scaling)?;
    Ok(Dataset {
        x: pipeline.transform(table, train_rows),
        target: target.clone(),
        feature_names: pipeline.features().iter().map(|f| f.column.clone()).collect(),
    })
}

#[cfg(test)]
mod tests;
