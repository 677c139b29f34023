//! What models learn from: a numeric feature matrix and a target, already
//! encoded by `prep`.

use super::Task;

/// Features stored column by column (`f32`, as memory is the limit in a tab):
/// tree learners scan one feature at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureMatrix {
    n_rows: usize,
    columns: Vec<Vec<f32>>,
}

impl FeatureMatrix {
    /// Builds a matrix from columns of equal length.
    pub fn from_columns(n_rows: usize, columns: Vec<Vec<f32>>) -> Self {
        debug_assert!(columns.iter().all(|c| c.len() == n_rows));
        FeatureMatrix { n_rows, columns }
    }

    /// Builds a matrix from rows of equal length `n_cols`.
    pub fn from_rows(rows: &[Vec<f32>], n_cols: usize) -> Self {
        let columns = (0..n_cols).map(|j| rows.iter().map(|r| r[j]).collect()).collect();
        FeatureMatrix { n_rows: rows.len(), columns }
    }

    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    pub fn column(&self, j: usize) -> &[f32] {
        &self.columns[j]
    }

    pub fn columns(&self) -> &[Vec<f32>] {
        &self.columns
    }

    /// For each column, its one value when every row holds the same (bit for
    /// bit), else `None`. A boundary grid holds all inputs but two at the
    /// slice, and models use this to work in the two that vary.
    pub fn held_values(&self) -> Vec<Option<f32>> {
        self.columns.iter().map(|c| c.first().copied().filter(|&v| c.iter().all(|&w| w.to_bits() == v.to_bits()))).collect()
    }

    /// The rows at `rows`, in that order.
    pub fn select_rows(&self, rows: &[usize]) -> FeatureMatrix {
        let columns = self.columns.iter().map(|c| rows.iter().map(|&r| c[r]).collect()).collect();
        FeatureMatrix { n_rows: rows.len(), columns }
    }
}

/// What a model learns to predict: a class or a value per row, or nothing at
/// all (clustering). A clustering dataset carries only its row count, so no
/// supervised learner can read labels that are not there, and a column the
/// person compares the clusters against never reaches the model.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Class index of each row into `names`.
    Classes {
        y: Vec<u32>,
        names: Vec<String>,
    },
    Values(Vec<f64>),
    /// No target: the rows are to be grouped, not predicted.
    Unlabeled {
        n_rows: usize,
    },
}

impl Target {
    pub fn len(&self) -> usize {
        match self {
            Target::Classes { y, .. } => y.len(),
            Target::Values(v) => v.len(),
            Target::Unlabeled { n_rows } => *n_rows,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn select_rows(&self, rows: &[usize]) -> Target {
        match self {
            Target::Classes { y, names } => {
                Target::Classes { y: rows.iter().map(|&r| y[r]).collect(), names: names.clone() }
            }
            Target::Values(v) => Target::Values(rows.iter().map(|&r| v[r]).collect()),
            Target::Unlabeled { .. } => Target::Unlabeled { n_rows: rows.len() },
        }
    }

    /// The task this target makes.
    pub fn task(&self) -> Task {
        match self {
            Target::Classes { .. } => Task::Classification,
            Target::Values(_) => Task::Regression,
            Target::Unlabeled { .. } => Task::Clustering,
        }
    }

    pub fn class_names(&self) -> &[String] {
        match self {
            Target::Classes { names, .. } => names,
            Target::Values(_) | Target::Unlabeled { .. } => &[],
        }
    }
}
