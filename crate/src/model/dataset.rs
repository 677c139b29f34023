//! What models learn from: a numeric feature matrix and a target, already
//! encoded by `prep`, and views of some of its rows.

use std::borrow::Cow;

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

/// Some rows of a [`Dataset`], by index, without copying it: a split's
/// training part, a fold, a learning curve's subset. Every model fits a view;
/// the whole dataset is a view of all its rows ([`Dataset::as_view`]).
///
/// A model reads the view's rows in place through [`DataView::source`] and
/// [`DataView::rows`] (trees, boosting), or gathers them once with
/// [`DataView::to_dataset`], which borrows when the view holds every row in
/// order; either way the kernels keep working on contiguous column slices in
/// their fixed summation order, so a fit on a view is bit-identical to a fit
/// on a copy of the same rows.
#[derive(Clone, Debug)]
pub struct DataView<'a> {
    data: &'a Dataset,
    /// Positions in `data`, in the view's order; `None` for all rows in order.
    rows: Option<Cow<'a, [usize]>>,
}

impl<'a> From<&'a Dataset> for DataView<'a> {
    fn from(data: &'a Dataset) -> Self {
        DataView { data, rows: None }
    }
}

impl<'a> From<&DataView<'a>> for DataView<'a> {
    fn from(view: &DataView<'a>) -> Self {
        view.clone()
    }
}

impl Dataset {
    /// Every row, as a view.
    pub fn as_view(&self) -> DataView<'_> {
        self.into()
    }

    /// The rows at `rows` (positions into this dataset, in that order), without copying.
    pub fn view<'a>(&'a self, rows: &'a [usize]) -> DataView<'a> {
        DataView { data: self, rows: Some(Cow::Borrowed(rows)) }
    }

    /// A copy of the rows at `rows`, for the few places that keep rows of
    /// their own (a test part predicted by every evaluation view).
    pub fn select_rows(&self, rows: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select_rows(rows),
            target: self.target.select_rows(rows),
            feature_names: self.feature_names.clone(),
        }
    }
}

impl<'a> DataView<'a> {
    /// The task of a supervised learner's target, or [`FitError::WrongTask`]
    /// for a clustering dataset, which has nothing to predict.
    pub fn supervised_task(&self) -> Result<Task, FitError> {
        match self.data.target.task() {
            Task::Clustering => Err(FitError::WrongTask(Task::Clustering.name().to_string())),
            task => Ok(task),
        }
    }

    /// The checks every supervised learner needs before it starts: a target to
    /// learn, the checks of [`DataView::check_features_ready`], and two classes
    /// for a classifier.
    pub fn check_fit_ready(&self) -> Result<(), FitError> {
        self.supervised_task()?;
        self.check_features_ready()?;
        if let Target::Classes { y, names } = &self.data.target {
            let class = |i: usize| y[self.rows.as_ref().map_or(i, |rows| rows[i])];
            let first = class(0);
            if (1..self.n_rows()).all(|i| class(i) == first) {
                return Err(FitError::OneClass(names.get(first as usize).cloned().unwrap_or_default()));
            }
        }
        Ok(())
    }

    /// The checks every learner needs, with or without a target: rows,
    /// features and finite values.
    pub fn check_features_ready(&self) -> Result<(), FitError> {
        if self.n_rows() == 0 {
            return Err(FitError::NoRows);
        }
        if self.n_cols() == 0 {
            return Err(FitError::NoFeatures);
        }
        for (j, col) in self.data.x.columns().enumerate() {
            let bad = match &self.rows {
                None => col.iter().position(|v| !v.is_finite()),
                Some(rows) => rows.iter().position(|&r| !col[r].is_finite()),
            };
            if let Some(row) = bad {
                return Err(FitError::NonFinite { feature: self.data.feature_names[j].clone(), row: row + 1 });
            }
        }
        Ok(())
    }

    pub fn n_rows(&self) -> usize {
        self.rows.as_ref().map_or(self.data.x.n_rows(), |r| r.len())
    }

    pub fn n_cols(&self) -> usize {
        self.data.x.n_cols()
    }

    /// The dataset the view's rows come from.
    pub fn source(&self) -> &'a Dataset {
        self.data
    }

    /// Position in [`DataView::source`] of each of the view's rows; `None`
    /// when the view holds every row in order.
    pub fn rows(&self) -> Option<&[usize]> {
        self.rows.as_deref()
    }

    /// Rows `rows` of this view (positions into the view), still without
    /// copying the data: a fold of a training part, a bootstrap sample.
    pub fn select(&self, rows: &[usize]) -> DataView<'a> {
        let positions = match &self.rows {
            Some(own) => rows.iter().map(|&r| own[r]).collect(),
            None => rows.to_vec(),
        };
        DataView { data: self.data, rows: Some(Cow::Owned(positions)) }
    }

    /// The target over the view's rows: borrowed for a whole dataset,
    /// gathered otherwise.
    pub fn target(&self) -> Cow<'a, Target> {
        match &self.rows {
            None => Cow::Borrowed(&self.data.target),
            Some(rows) => Cow::Owned(self.data.target.select_rows(rows)),
        }
    }

    /// The view as a dataset of its own: borrowed for a whole dataset, built
    /// otherwise. For a model that keeps its training rows in a layout of its
    /// own anyway (kNN's index, k-means' blocks, the network's row-major
    /// batches), this is the one gather its fit makes.
    pub fn to_dataset(&self) -> Cow<'a, Dataset> {
        match &self.rows {
            None => Cow::Borrowed(self.data),
            Some(rows) => Cow::Owned(self.data.select_rows(rows)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three_rows() -> Dataset {
        Dataset {
            x: FeatureMatrix::from_columns(3, vec![vec![f32::NAN, 2.0, 3.0]]),
            target: Target::Classes { y: vec![0, 1, 1], names: vec!["no".into(), "yes".into()] },
            feature_names: vec!["a".into()],
        }
    }

    #[test]
    fn a_view_is_checked_on_its_own_rows_only() {
        let data = three_rows();
        // The missing value sits in row 1 of the whole set, outside the view.
        assert_eq!(data.view(&[1, 2]).check_fit_ready(), Err(FitError::OneClass("yes".into())));
        assert_eq!(data.view(&[2, 0, 1]).check_fit_ready(), Err(FitError::NonFinite { feature: "a".into(), row: 2 }));
        let view = data.view(&[0, 1, 2]).select(&[1, 2]);
        assert_eq!(view.rows(), Some(&[1, 2][..]));
        assert_eq!(view.target().into_owned(), Target::Classes { y: vec![1, 1], names: vec!["no".into(), "yes".into()] });
        // A whole dataset is borrowed, never copied.
        assert!(matches!(data.as_view().to_dataset(), Cow::Borrowed(_)));
    }
}
