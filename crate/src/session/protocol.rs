use serde::{Deserialize, Serialize};

use super::SessionError;
use crate::data::{ColumnInfo, ColumnKind};
use crate::eval::Metrics;
use crate::explain::{BoundaryView, ImportanceView, ModelView, PointView, Task};
use crate::model::ParamValues;

/// What the page asks the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Load one of the datasets bundled with the page.
    LoadBundled { name: String },
    /// Load a file the person dropped or picked.
    Load {
        name: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    Train(TrainRequest),
    /// Recompute the boundary of the trained model over two other features.
    Boundary { x: String, y: String },
    /// Explain the model's prediction at a point of the boundary plot over
    /// features `x` and `y` (the other features at the plot's slice).
    Inspect { x: String, y: String, at: (f64, f64) },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainRequest {
    /// The target column. For clustering it is optional (empty for none): a
    /// named column is never a feature, only compared with the clusters.
    pub target: String,
    pub task: Task,
    /// How each column is used; columns not listed are not features.
    pub columns: Vec<ColumnUse>,
    /// Registry id of the model.
    pub model: String,
    pub params: ParamValues,
    pub seed: u64,
}

/// The person's choice for one column: its kind and whether it is a feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnUse {
    pub name: String,
    pub kind: ColumnKind,
    pub included: bool,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Sent once when the worker can take requests (earlier ones would be lost).
    Ready,
    Progress { done: u64, total: u64, what: String },
    Loaded(DataSummary),
    Trained(Box<TrainReport>),
    Boundary(BoundaryView),
    Inspected(PointView),
    Failed(SessionError),
}

/// A loaded table, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    pub name: String,
    pub n_rows: usize,
    pub n_cols: usize,
    pub columns: Vec<ColumnInfo>,
    /// Index of the column to offer as the target: the dataset's own for a
    /// bundled one, else the last column.
    pub default_target: usize,
    /// The task each column would suggest as a target.
    pub suggested_task: Vec<Task>,
    pub preview: Vec<Vec<String>>,
    pub warnings: Vec<String>,
}

/// A trained model, explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    pub model_name: String,
    pub metrics: Metrics,
    /// What the default preprocessing did, in one sentence.
    pub prep_summary: String,
    pub card: ModelCard,
    /// The model's own views, most telling first.
    pub views: Vec<ModelView>,
    pub importance: Option<ImportanceView>,
    /// Numeric features that can be boundary axes, most important first.
    pub axis_options: Vec<String>,
    /// Over the first two axis options; `None` with fewer than two.
    pub boundary: Option<BoundaryView>,
}

/// How "micro" a model is: what it learned, what it weighs, how fast it answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub n_parameters: usize,
    /// Size of the fitted model serialized compactly (postcard).
    pub bytes: usize,
    /// Inference time per row, in microseconds, where it was trained.
    pub micros_per_row: f64,
}
