//! What models learn from: a numeric feature matrix and a target, already
//! encoded by `prep`.

use super::FitError;
use crate::base::{FeatureMatrix, Target, Task};

/// Features and target of the same rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub x: FeatureMatrix,
    pub target: Target,
    /// Names of the columns of `x`, for error messages.
    pub feature_names: Vec<String>,
}

impl Dataset {
    /// The task of a supervised learner's target, or [`FitError::WrongTask`]
    /// for a clustering dataset, which has nothing to predict.
    pub fn supervised_task(&self) -> Result<Task, FitError> {
        match self.target.task() {
            Task::Clustering => Err(FitError::WrongTask(Task::Clustering.name().to_string())),
            task => Ok(task),
        }
    }

    pub fn select_rows(&self, rows: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select_rows(rows),
            target: self.target.select_rows(rows),
            feature_names: self.feature_names.clone(),
        }
    }

    /// The checks every supervised learner needs before it starts: a target to
    /// learn, the checks of [`Dataset::check_features_ready`], and two classes
    /// for a classifier.
    pub fn check_fit_ready(&self) -> Result<(), FitError> {
        self.supervised_task()?;
        self.check_features_ready()?;
        if let Target::Classes { y, names } = &self.target {
            if y.iter().all(|&c| c == y[0]) {
                return Err(FitError::OneClass(names.get(y[0] as usize).cloned().unwrap_or_default()));
            }
        }
        Ok(())
    }

    /// The checks every learner needs, with or without a target: rows,
    /// features and finite values.
    pub fn check_features_ready(&self) -> Result<(), FitError> {
        if self.x.n_rows() == 0 {
            return Err(FitError::NoRows);
        }
        if self.x.n_cols() == 0 {
            return Err(FitError::NoFeatures);
        }
        for (j, col) in self.x.columns().enumerate() {
            if let Some(row) = col.iter().position(|v| !v.is_finite()) {
                return Err(FitError::NonFinite { feature: self.feature_names[j].clone(), row: row + 1 });
            }
        }
        Ok(())
    }
}
