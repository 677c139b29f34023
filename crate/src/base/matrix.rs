//! What models learn from: a numeric feature matrix and a target, already
//! encoded by `prep`.

use ndarray::{Array2, ArrayView2, ShapeBuilder};

use super::Task;

/// Features in one `f32` block (memory is the limit in a tab), column-major
/// (Fortran order) so that each column is one contiguous slice: tree
/// learners scan one feature at a time, and the hand-written kernels sum over
/// column slices in a fixed order, which keeps native and wasm results
/// bit-identical. Row subsets travel as index lists (`Dataset::view`), never
/// as copies of this block.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureMatrix {
    data: Array2<f32>,
}

impl FeatureMatrix {
    /// Builds a matrix from columns of equal length `n_rows`.
    pub fn from_columns(n_rows: usize, columns: Vec<Vec<f32>>) -> Self {
        debug_assert!(columns.iter().all(|c| c.len() == n_rows));
        let n_cols = columns.len();
        let flat = if n_cols == 1 { columns.into_iter().next().unwrap_or_default() } else { columns.concat() };
        Self::from_column_major(n_rows, n_cols, flat)
    }

    /// Builds a matrix from rows of equal length `n_cols`.
    pub fn from_rows(rows: &[Vec<f32>], n_cols: usize) -> Self {
        let flat = (0..n_cols).flat_map(|j| rows.iter().map(move |r| r[j])).collect();
        Self::from_column_major(rows.len(), n_cols, flat)
    }

    fn from_column_major(n_rows: usize, n_cols: usize, flat: Vec<f32>) -> Self {
        let data = Array2::from_shape_vec((n_rows, n_cols).f(), flat).expect("one value per row and column");
        FeatureMatrix { data }
    }

    pub fn n_rows(&self) -> usize {
        self.data.nrows()
    }

    pub fn n_cols(&self) -> usize {
        self.data.ncols()
    }

    /// Column `j` as one slice, in row order.
    pub fn column(&self, j: usize) -> &[f32] {
        self.data.column(j).to_slice().expect("column-major storage keeps each column contiguous")
    }

    /// The values row by row (`n_rows × n_cols`, row-major), for a loop that
    /// reads every input of a row together (a network's layer, a softmax's
    /// scores).
    pub fn row_major(&self) -> Vec<f32> {
        let (n, d) = (self.n_rows(), self.n_cols());
        let mut rows = vec![0.0f32; n * d];
        for (j, col) in self.columns().enumerate() {
            for (r, &v) in col.iter().enumerate() {
                rows[r * d + j] = v;
            }
        }
        rows
    }

    /// Every column, in order.
    pub fn columns(&self) -> impl ExactSizeIterator<Item = &[f32]> + Clone + '_ {
        (0..self.n_cols()).map(|j| self.column(j))
    }

    /// The matrix as an `ndarray` view (rows × columns), for code that thinks
    /// in whole arrays rather than columns.
    pub fn array(&self) -> ArrayView2<'_, f32> {
        self.data.view()
    }

    /// For each column, its one value when every row holds the same (bit for
    /// bit), else `None`. A boundary grid holds all inputs but two at the
    /// slice, and models use this to work in the two that vary.
    pub fn held_values(&self) -> Vec<Option<f32>> {
        self.columns().map(|c| c.first().copied().filter(|&v| c.iter().all(|&w| w.to_bits() == v.to_bits()))).collect()
    }

    /// A new matrix of the rows at `rows`, in that order: for the few places
    /// that need rows of their own (a boundary grid's sample, a shuffled
    /// copy); fitting takes an index list instead.
    pub fn select_rows(&self, rows: &[usize]) -> FeatureMatrix {
        let flat = self.columns().flat_map(|c| rows.iter().map(move |&r| c[r])).collect();
        Self::from_column_major(rows.len(), self.n_cols(), flat)
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
