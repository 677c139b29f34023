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

impl Dataset {
    pub fn select_rows(&self, rows: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select_rows(rows),
            target: self.target.select_rows(rows),
            feature_names: self.feature_names.clone(),
        }
    }
}

/// Some rows of a [`Dataset`], by index, without copying it: a split's
/// training part, a fold, a learning curve's subset. Every model fits a view;
/// the whole dataset is a view of all its rows (`(&data).into()`).
///
/// A model reads the rows it needs through [`DataView::column`] and
/// [`DataView::target`], which borrow when the view holds every row in order
/// and gather otherwise, so the kernels keep working on contiguous column
/// slices in their fixed summation order: a fit on a view is bit-identical to
/// a fit on a copy of the same rows.
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
        if let Target::Classes { y, names } = &*self.target() {
            if y.iter().all(|&c| c == y[0]) {
                return Err(FitError::OneClass(names.get(y[0] as usize).cloned().unwrap_or_default()));
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

    pub fn feature_names(&self) -> &'a [String] {
        &self.data.feature_names
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

    /// Position in [`DataView::source`] of each of the view's rows.
    pub fn positions(&self) -> Cow<'_, [usize]> {
        match &self.rows {
            Some(rows) => Cow::Borrowed(rows),
            None => Cow::Owned((0..self.data.x.n_rows()).collect()),
        }
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

    /// Column `j` over the view's rows: borrowed for a whole dataset,
    /// gathered otherwise.
    pub fn column(&self, j: usize) -> Cow<'a, [f32]> {
        let col = self.data.x.column(j);
        match &self.rows {
            None => Cow::Borrowed(col),
            Some(rows) => Cow::Owned(rows.iter().map(|&r| col[r]).collect()),
        }
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
