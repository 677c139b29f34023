//! Cross-validation of a training request on its training rows: the honest
//! score for choosing settings, since the test rows are kept for the final
//! model alone. Each fold fits the whole preparation (imputation, encoding,
//! scaling) anew on its own training part, so no fold's score has seen its
//! test rows, not even through a median or a standard deviation.

use serde::{Deserialize, Serialize};

use super::{plan, score, Plan, SessionError, TrainRequest};
use crate::base::{k_folds, stratified_k_folds, NoProgress, Progress, Split, Target};
use crate::data::{ColumnKind, Table};
use crate::eval::Metrics;
use crate::model::{self, Dataset, ModelSpec};
use crate::prep::Pipeline;

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
}

impl CrossValidation {
    fn of(measure: &str, scores: Vec<f64>, n_rows: usize) -> CrossValidation {
        let k = scores.len() as f64;
        let mean = scores.iter().sum::<f64>() / k;
        let sd =
            if scores.len() > 1 { (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt() } else { 0.0 };
        CrossValidation { measure: measure.to_string(), scores, mean, sd, n_rows }
    }
}

/// Scores `req`'s model by `k`-fold cross-validation on the request's
/// training rows (stratified for classes, shuffled with the request's seed
/// otherwise; each fold's model takes the seed too).
pub fn cross_validate(
    table: &Table,
    req: &TrainRequest,
    k: usize,
    progress: &mut dyn Progress,
) -> Result<CrossValidation, SessionError> {
    let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
    let Plan { target, rows, split, features, .. } = plan(table, req)?;
    // Only the training rows take part: their table rows and targets.
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let target = target.select_rows(&split.train);
    let folds = match &target {
        Target::Classes { y, names } => stratified_k_folds(y, names.len(), k, req.seed)?,
        Target::Values(y) => k_folds(y.len(), k, req.seed)?,
        Target::Unlabeled { .. } => return Err(SessionError::NothingToValidate),
    };
    let mut scores = Vec::with_capacity(folds.len());
    for (f, fold) in folds.iter().enumerate() {
        progress.report(f, folds.len(), &format!("cross-validating: fold {} of {}", f + 1, folds.len()));
        scores.push(fold_score(table, spec, req, &features, &train_rows, &target, fold)?);
    }
    progress.report(folds.len(), folds.len(), "cross-validating");
    let measure = if matches!(target, Target::Classes { .. }) { "accuracy" } else { "R²" };
    Ok(CrossValidation::of(measure, scores, train_rows.len()))
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
