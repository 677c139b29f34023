//! Cross-validation of a training request on its training rows: the honest
//! score for choosing settings, since the test rows are kept for the final
//! model alone. Each fold fits the whole preparation (imputation, encoding,
//! scaling) anew on its own training part, so no fold's score has seen its
//! test rows, not even through a median or a standard deviation.

use serde::{Deserialize, Serialize};

use super::{pipeline_spec, plan, Plan, SessionError, TrainRequest};
use crate::base::{
    accuracy, grouped_k_folds, k_folds, r2_score, stratified_k_folds, time_ordered_folds, NoProgress, Progress, Split,
    Target,
};
use crate::data::{ColumnKind, Table};
use crate::model::{self, Dataset, FittedModel, ModelSpec, ParamValues, Predictions};
use crate::prep::{Pipeline, PipelineSpec};

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
    /// The folds' scores, in fold order, summed up: what the whole
    /// cross-validation answers, and what the page joins from the scores of
    /// folds computed by several workers ([`super::task`]).
    pub(super) fn of(measure: &str, scores: Vec<f64>, n_rows: usize, folding: Folding) -> CrossValidation {
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
    let folds = Folds::prepare(table, req, k, folding)?;
    folds.score(&req.params, req.seed, progress)
}

/// A request's training rows cut into folds, each fold's data prepared by a
/// pipeline fitted on its own training part. The preparation does not depend
/// on the model's settings, so a search prepares the folds once and scores
/// every trial's settings on them.
pub struct Folds {
    spec: &'static ModelSpec,
    folds: Vec<Split>,
    /// Each fold's view of the training rows, prepared on its training part.
    data: Vec<Dataset>,
    measure: &'static str,
    n_rows: usize,
    /// The training rows the folds' rows were sampled from (`n_rows` when all).
    n_sampled_from: usize,
    folding: Folding,
}

impl Folds {
    pub fn prepare(table: &Table, req: &TrainRequest, k: usize, folding: &Folding) -> Result<Folds, SessionError> {
        Self::prepare_sampled(table, req, k, folding, usize::MAX)
    }

    /// [`prepare`](Self::prepare) on at most `max_rows` of the training rows,
    /// a sample seeded by the request's seed (all of them when fewer): what a
    /// view that refits many times (the learning curve) folds on a big file.
    pub fn prepare_sampled(
        table: &Table,
        req: &TrainRequest,
        k: usize,
        folding: &Folding,
        max_rows: usize,
    ) -> Result<Folds, SessionError> {
        Self::prepare_only(table, req, k, folding, max_rows, None)
    }

    /// The folds with fold `only`'s data alone prepared (every fold's when
    /// `None`): a worker that scores one fold fits one pipeline, not `k`.
    fn prepare_only(
        table: &Table,
        req: &TrainRequest,
        k: usize,
        folding: &Folding,
        max_rows: usize,
        only: Option<usize>,
    ) -> Result<Folds, SessionError> {
        let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
        let Plan { target, rows, split, features, .. } = plan(table, req)?;
        // Only the training rows take part (or a sample of them): their table rows and targets.
        let kept: Vec<usize> = super::evaluate::sample_rows(split.train.len(), max_rows, req.seed)
            .into_iter()
            .map(|i| split.train[i])
            .collect();
        let train_rows: Vec<usize> = kept.iter().map(|&i| rows[i]).collect();
        let target = target.select_rows(&kept);
        let mut folds = cut(table, &train_rows, &target, k, folding, req.seed)?;
        if let Some(f) = only {
            let fold = folds.get(f).cloned().ok_or(SessionError::NoSuchFold { fold: f, k: folds.len() })?;
            folds = vec![fold];
        }
        let steps = pipeline_spec(req, spec);
        let data = folds
            .iter()
            .map(|fold| fold_data(table, &steps, &features, &train_rows, &target, fold))
            .collect::<Result<Vec<_>, _>>()?;
        let measure = if matches!(target, Target::Classes { .. }) { "accuracy" } else { "R²" };
        Ok(Folds {
            spec,
            folds,
            data,
            measure,
            n_rows: train_rows.len(),
            n_sampled_from: split.train.len(),
            folding: folding.clone(),
        })
    }

    /// Fold `fold` of [`prepare`](Self::prepare)'s folds alone, scored with
    /// the request's settings and seed: the same fit and the same score as
    /// that fold's in [`cross_validate`], so scores computed apart and joined
    /// in fold order are the whole cross-validation's, bit for bit.
    pub fn score_one(
        table: &Table,
        req: &TrainRequest,
        k: usize,
        folding: &Folding,
        fold: usize,
    ) -> Result<(&'static str, f64, usize), SessionError> {
        let folds = Self::prepare_only(table, req, k, folding, usize::MAX, Some(fold))?;
        let cv = folds.score(&req.params, req.seed, &mut NoProgress)?;
        let score = cv.scores.first().copied().ok_or(SessionError::NoSuchFold { fold, k })?;
        Ok((folds.measure, score, folds.n_rows))
    }

    /// The folds, as row numbers among the training rows (for exporting them
    /// to scikit-learn, which must score on the same folds).
    pub fn splits(&self) -> &[Split] {
        &self.folds
    }

    /// Training rows the folds cut (the test rows are not among them).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Training rows of the request, of which the folds may hold a sample.
    pub fn n_sampled_from(&self) -> usize {
        self.n_sampled_from
    }

    /// "accuracy" or "R²": what a fold's score measures.
    pub fn measure(&self) -> &'static str {
        self.measure
    }

    /// Each fold with its data (all training rows, prepared on the fold's
    /// training part), for views that score more than the held-out fold.
    pub fn prepared(&self) -> impl Iterator<Item = (&Split, &Dataset)> {
        self.folds.iter().zip(&self.data)
    }

    /// Fits the model with `params` on each fold's training part and scores
    /// its test part.
    pub fn score(
        &self,
        params: &ParamValues,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<CrossValidation, SessionError> {
        let n = self.folds.len();
        let mut scores = Vec::with_capacity(n);
        for (f, (fold, data)) in self.folds.iter().zip(&self.data).enumerate() {
            progress.report(f, n, &format!("cross-validating: fold {} of {n}", f + 1));
            let model = (self.spec.fit)(params, &data.view(&fold.train), seed, &mut NoProgress)?;
            scores.push(test_score(model.as_ref(), data, &fold.test)?);
        }
        progress.report(n, n, "cross-validating");
        Ok(CrossValidation::of(self.measure, scores, self.n_rows, self.folding.clone()))
    }
}

/// Cuts the training rows (`train_rows`, with their `target`) into `k` folds as `folding` asks.
fn cut(
    table: &Table,
    train_rows: &[usize],
    target: &Target,
    k: usize,
    folding: &Folding,
    seed: u64,
) -> Result<Vec<Split>, SessionError> {
    let column = |name: &str| {
        table.column_index(name).map(|i| &table.columns[i]).ok_or_else(|| SessionError::UnknownColumn(name.to_string()))
    };
    Ok(match (target, folding) {
        (Target::Unlabeled { .. }, _) => return Err(SessionError::NothingToValidate),
        (Target::Classes { y, names }, Folding::Shuffled) => stratified_k_folds(y, names.len(), k, seed)?,
        (Target::Values(y), Folding::Shuffled) => k_folds(y.len(), k, seed)?,
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
    })
}

/// The model's score on rows `test` of `data`: accuracy for classes, R² for values.
fn test_score(model: &dyn FittedModel, data: &Dataset, test: &[usize]) -> Result<f64, SessionError> {
    let x = data.x.select_rows(test);
    let predicted = model.predict(&x)?;
    match (data.target.select_rows(test), predicted) {
        (Target::Classes { y, .. }, p @ Predictions::Classes { .. }) => Ok(accuracy(&y, &p.labels().unwrap_or_default())),
        (Target::Values(y), Predictions::Values(p)) => Ok(r2_score(&y, &p)),
        _ => Err(SessionError::NothingToValidate),
    }
}

/// The training rows as one fold's model sees them: prepared by the
/// request's pipeline fitted on the fold's training part alone (its target
/// too, for target encoding).
fn fold_data(
    table: &Table,
    steps: &PipelineSpec,
    features: &[(usize, ColumnKind)],
    train_rows: &[usize],
    target: &Target,
    fold: &Split,
) -> Result<Dataset, SessionError> {
    let fitted_on: Vec<usize> = fold.train.iter().map(|&i| train_rows[i]).collect();
    let pipeline = Pipeline::fit(table, features, &fitted_on, &target.select_rows(&fold.train), steps)?;
    Ok(Dataset {
        x: pipeline.transform(table, train_rows),
        target: target.clone(),
        feature_names: pipeline.features().iter().map(|f| f.column.clone()).collect(),
    })
}

#[cfg(test)]
pub(super) mod tests;
