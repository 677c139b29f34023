use serde::{Deserialize, Serialize};

use super::{
    CodeExport, CounterfactualView, CrossValidation, DistillReport, DistillRequest, Folding, PredictionsCsv, SearchRequest,
    Searched, SessionError, Trial,
};
use crate::base::program::{Language, Precision};
use crate::base::{FeatureValues, Task};
use crate::data::{ColumnInfo, ColumnKind, Decoding, TextEncoding, ToyEdit, ToySpec};
use crate::eval::Metrics;
use crate::explain::{
    BoundaryView, Evaluation, EvaluationPart, EvaluationPiece, GroupsView, ImportanceView, NoiseView, OneFeatureView,
    PartialDependenceView, PointView, ShiftRule, ShiftView,
};
use crate::model::ensemble::EnsembleKind;
use crate::model::view::{MembersView, ModelView};
use crate::model::ParamValues;
use crate::prep::{ColumnDomain, PipelineReport, PipelineSpec};

/// Which row a press on the plot along one feature traces.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum AlongPick {
    /// This table row (from the rows table, a link or the host page).
    Row(usize),
    /// The drawn row nearest to this value of the feature, in the plot's
    /// units (a level's band at its index): a click or Enter at that place.
    /// Of rows equally near, the one with the lower table row index.
    Nearest(f64),
    /// This table row dragged to value `to` of the feature (plot units, a
    /// level's band at its index): a what-if, as a point dragged on the
    /// boundary plot ([`Request::Inspect`] with a row and a place). Within
    /// the row's own band, or at its own value, it is the row as it is.
    Moved { row: usize, to: f64 },
}

/// What the page asks the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Load one of the datasets bundled with the page.
    LoadBundled {
        name: String,
    },
    /// Load a file the person dropped or picked, in `encoding` if they chose
    /// one (else the one its bytes show).
    Load {
        name: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        encoding: Option<TextEncoding>,
    },
    /// Draw a toy dataset (circles, moons, …) and load it as a table.
    LoadToy(ToySpec),
    /// Add a point to the toy set loaded, or remove one, and read it again.
    EditToy(ToyEdit),
    Train(TrainRequest),
    /// Train several models on the same split, for a side-by-side comparison.
    Compare(CompareRequest),
    /// Combine several models into one (a vote, an average or a stack) on
    /// the table, target, columns, pipeline, split and seed of `base`; the
    /// ensemble becomes the trained model.
    Ensemble(EnsembleRequest),
    /// Recompute the boundary of the trained model over features `x` and `y`,
    /// the other features held at `slice` (a column left out at its typical
    /// value). `live` while a slider moves: a model too slow for the full grid
    /// at the pointer's pace gets a coarser one, and the full grid follows
    /// when the slider is let go. With `two_features`, the boundary of the
    /// same model refitted on `x` and `y` alone (same settings, split and
    /// seed): a picture of the whole model, with nothing held.
    Boundary {
        x: String,
        y: String,
        slice: FeatureValues,
        live: bool,
        #[serde(default)]
        two_features: bool,
    },
    /// Explain the model's prediction on the boundary plot over `x` and `y`:
    /// for table row `row`, at its own place or moved to `at` (a what-if), or
    /// for the plot's `slice` at `at`. Tracing a row at its own place answers
    /// with the plot redrawn at the row's own values. `two_features` as for
    /// [`Request::Boundary`].
    Inspect {
        x: String,
        y: String,
        at: Option<(f64, f64)>,
        row: Option<usize>,
        slice: FeatureValues,
        #[serde(default)]
        two_features: bool,
    },
    /// Trace a row on the plot along the model's only feature `feature`
    /// ([`TrainReport::one_feature`]), as a click on the boundary plot traces
    /// one: the answer is a [`Response::Inspected`], its point on the curve
    /// of the prediction. A row dragged along the feature
    /// ([`AlongPick::Moved`]) is the one-axis what-if.
    TraceAlong {
        feature: String,
        pick: AlongPick,
    },
    /// Read exactly these tokens (and empty cells) as missing in `column`,
    /// keeping the column's other tokens as values: the undo of "12 '?' read
    /// as missing" where "?" is a real value.
    SetMissing {
        column: String,
        missing: Vec<String>,
    },
    /// The partial dependence of the trained model on another feature (a column name).
    PartialDependence {
        feature: String,
    },
    /// One evaluation view of the trained model that its [`TrainReport`]
    /// listed as `pending`: the page asks for them one at a time, each after
    /// the last one came, so it can stop asking without stopping the worker.
    Evaluate(EvaluationPart),
    /// Score `request`'s model by `k`-fold cross-validation on its training
    /// rows (the test rows are left out), each fold prepared on its own.
    CrossValidate {
        request: TrainRequest,
        k: usize,
        #[serde(default)]
        folding: Folding,
    },
    /// Search some of a model's settings, each trial scored by k-fold
    /// cross-validation on the training rows. The worker answers with a
    /// [`Response::SearchTrial`] as each trial ends, then [`Response::Searched`].
    Search(SearchRequest),
    /// Distil the trained model (the teacher; after a distillation, still the
    /// same teacher) into a small student, which becomes the trained model.
    Distill(DistillRequest),
    /// The trained pipeline and model as dependency-free code in `language`,
    /// its learned numbers stored at `precision` (scored against the exact
    /// ones on the test rows when quantized).
    ExportCode {
        language: Language,
        #[serde(default)]
        precision: Precision,
    },
    /// The smallest change to table row `row`'s numeric features in
    /// `allowed` (every numeric feature when empty) that makes the trained
    /// classifier answer another class, with an arrow on the boundary plot
    /// over `x` and `y`.
    Counterfactual {
        row: usize,
        x: String,
        y: String,
        #[serde(default)]
        allowed: Vec<String>,
    },
    /// The trained model's test scores per level of categorical or boolean
    /// `column`, with a warning when two groups' scores differ by more than
    /// `margin` (a share: 0.1 is 10 points).
    Groups {
        column: String,
        margin: f64,
    },
    /// Train the trained model's request again (same settings, pipeline spec
    /// and seed) on the rows `rule` keeps of `column`, test it on the others,
    /// and set the score beside the ordinary split's.
    Shift {
        column: String,
        rule: ShiftRule,
    },
    /// The trained model's answer for every row of the loaded table, as CSV
    /// to download (`session::export`).
    Predictions,
    /// The trained model as a model file (JSON) to download.
    SaveModel,
    /// Install the model of a model file as the trained model on the table
    /// loaded, when its columns fit (`session::model_file`).
    LoadModel {
        json: String,
    },
    /// One piece of a job that splits ([`super::task`]), computed by a helper
    /// worker holding the same table; answered by [`Response::PieceDone`].
    Piece(super::task::Piece),
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
    /// The feature pipeline as the person set it; `None` for the model's
    /// default ([`PipelineSpec::default_for`] its scaling).
    #[serde(default)]
    pub pipeline: Option<PipelineSpec>,
    /// Share of the rows held out as test rows, 0.1 to 0.5 (stratified for classes).
    #[serde(default = "default_test_share")]
    pub test_share: f64,
}

fn default_test_share() -> f64 {
    super::TEST_FRACTION
}

/// The person's choice for one column: its kind and whether it is a feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnUse {
    pub name: String,
    pub kind: ColumnKind,
    pub included: bool,
}

impl ColumnUse {
    /// A column as the page first offers it: of its inferred kind, and a
    /// feature when that kind can be one.
    pub fn offered(name: &str, kind: ColumnKind) -> Self {
        ColumnUse { name: name.to_string(), kind, included: kind.is_feature() }
    }
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The trained model as code, answering [`Request::ExportCode`].
    Code(Box<CodeExport>),
    /// Sent once when the worker can take requests (earlier ones would be lost).
    Ready,
    Progress {
        done: u64,
        total: u64,
        what: String,
    },
    Loaded(DataSummary),
    /// The toy set after a point was added or removed: the same columns, so
    /// the person's choices stand, and the model is to be trained again.
    ToyEdited(DataSummary),
    Trained(Box<TrainReport>),
    Compared(Box<CompareReport>),
    /// An ensemble trained: it is now the session's trained model.
    Ensembled(Box<EnsembleReport>),
    Boundary(BoundaryView),
    Inspected(PointView),
    /// One column typed again after [`Request::SetMissing`].
    ColumnRetyped(ColumnUpdate),
    PartialDependence(PartialDependenceView),
    /// An evaluation view asked for by [`Request::Evaluate`].
    Evaluated(Box<EvaluationPiece>),
    CrossValidated(CrossValidation),
    /// One trial of a [`Request::Search`], sent as it ends, so the page draws
    /// the search live and keeps the trials so far if it is cancelled.
    SearchTrial(Trial),
    /// A search is over: every trial (as sent one by one) and the best.
    Searched(Searched),
    /// The student of a [`Request::Distill`], as any trained model, and how
    /// it compares with its teacher.
    Distilled(Box<DistillReport>),
    Counterfactual(CounterfactualView),
    Groups(GroupsView),
    Shifted(ShiftView),
    Predictions(PredictionsCsv),
    /// The trained model as a file: its name and JSON text.
    ModelSaved(super::SavedModel),
    /// A model file loaded: the trained model now, as after training.
    ModelLoaded(Box<super::LoadedModel>),
    /// A piece of a job that splits, answering [`Request::Piece`].
    PieceDone(super::task::PieceDone),
    Failed(SessionError),
}

/// A request's number, given by the page. The worker posts every message a
/// request causes (its progress, a search's trials, its answer or its
/// failure) as a [`Reply`] with this id, so the page routes each to the part
/// of the page that asked, never by guessing what it asked last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RequestId(pub u64);

/// What the worker posts: a [`Response`] and the request it belongs to;
/// `None` for what no request caused (`Ready`). The worker writes a
/// `Reply<&Response>` (its answer borrowed, the same bytes: `super::wire`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply<R = Response> {
    #[serde(default)]
    pub id: Option<RequestId>,
    pub response: R,
}

/// A column's new summary after its missing tokens changed; the rest of the
/// table is as it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnUpdate {
    pub index: usize,
    pub info: ColumnInfo,
    pub suggested_task: Task,
    /// The table's warnings, now.
    pub warnings: Vec<String>,
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
    /// How the file's text was read, so the person can check it and pick another encoding.
    pub decoding: Decoding,
    /// The table's bytes as read: their FNV-1a fingerprint (as a model file
    /// holds it) and count, so a link made with the person's own file can
    /// ask for that file and tell it from another.
    #[serde(default)]
    pub content_hash: String,
    #[serde(default)]
    pub n_bytes: u64,
    /// For a toy set, the points added or removed by hand since it was
    /// drawn, in order: with its `ToySpec`, what a link replays to get the
    /// same table. Empty for any other table.
    #[serde(default)]
    pub toy_edits: Vec<ToyEdit>,
}

/// A trained model, explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    pub model_name: String,
    pub metrics: Metrics,
    /// Rows without a target value, which neither trained nor tested the model.
    pub left_out: Option<LeftOut>,
    /// Why the model learned nothing (the same prediction for every training row), when it did.
    pub learned_nothing: Option<String>,
    /// What the pipeline did, in one sentence (its steps' summaries joined).
    pub prep_summary: String,
    /// What each step of the pipeline did, and the inputs the model sees.
    pub pipeline: PipelineReport,
    pub card: ModelCard,
    /// The model's own views, most telling first.
    pub views: Vec<ModelView>,
    /// The model's own importance (impurity, |standardized coefficient|);
    /// `None` for a model without one. Permutation importance is in `evaluation`.
    pub importance: Option<ImportanceView>,
    /// Features that can be boundary axes: the numeric ones, most important
    /// first, then the yes/no and categorical ones (drawn as bands).
    pub axis_options: Vec<String>,
    /// Over the first two axis options; `None` with fewer than two.
    pub boundary: Option<BoundaryView>,
    /// With a single feature (no second axis for a boundary): the prediction along it.
    #[serde(default)]
    pub one_feature: Option<OneFeatureView>,
    /// A control per feature column for the boundary plot's slice.
    pub slice: Vec<ColumnDomain>,
    /// How well the model does on the test rows, for any model.
    pub evaluation: Evaluation,
    /// The evaluation views still to come after this answer, in the order to
    /// ask for them ([`Request::Evaluate`]); their places in `evaluation` are
    /// `None` until then. Empty when the answer holds every view (a
    /// distillation, an ensemble, a model file).
    #[serde(default)]
    pub pending: Vec<EvaluationPart>,
}

/// Table rows left out of training and testing because their target is missing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    pub rows: usize,
    /// The target column they miss.
    pub target: String,
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

/// Models to compare on the table, target, columns, split and seed of `base`.
/// The model `base` names keeps its parameters; the others use their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRequest {
    pub base: TrainRequest,
    /// Registry ids, in the order to show them.
    pub models: Vec<String>,
    /// The boundary axes, or `None` for the first two numeric features.
    pub axes: Option<(String, String)>,
    /// The boundary slice every model is drawn at.
    pub slice: FeatureValues,
}

/// Every compared model, in the order asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareReport {
    pub rows: Vec<CompareRow>,
    /// Every model's test score with noise on all its numeric features, one
    /// line each; `None` for a clustering or without numeric features.
    #[serde(default)]
    pub noise: Option<NoiseView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    /// Registry id.
    pub model: String,
    pub name: String,
    pub outcome: Result<Compared, SessionError>,
}

impl CompareRow {
    /// The `model` of an ensemble's row (no registered model's id): the
    /// ensemble built on the same split joins a comparison as a row.
    pub const ENSEMBLE: &'static str = "ensemble";

    /// An ensemble's row, not a registered model's.
    pub fn is_ensemble(&self) -> bool {
        self.model == Self::ENSEMBLE
    }
}

/// One model of a comparison, trained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub metrics: Metrics,
    pub card: ModelCard,
    /// Time to fit, milliseconds, where it was trained.
    pub fit_ms: f64,
    /// On the comparison's shared axes and slice, at a coarser grid.
    pub boundary: Option<BoundaryView>,
    /// Why the model learned nothing, when it did.
    pub learned_nothing: Option<String>,
    /// The test score with noise of 0 to 1 standard deviation on every
    /// numeric feature (noise size, score), as its robustness card draws it.
    #[serde(default)]
    pub noise: Option<Vec<(f64, f64)>>,
}

/// An ensemble of registered models on `base`'s table, target, columns,
/// pipeline (`None`: the default, standard-scaled when any member wants
/// scaling), split and seed. The model `base` names keeps its settings as a
/// member; the others use their defaults, as in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnsembleRequest {
    pub base: TrainRequest,
    /// Registry ids of the members, at least two.
    pub members: Vec<String>,
    pub kind: EnsembleKind,
    /// One per member (finite, ≥ 0, not all 0); `None` for equal weights.
    pub weights: Option<Vec<f64>>,
    /// The axes of the members' small boundaries and the disagreement map,
    /// or `None` for the ensemble's first two.
    pub axes: Option<(String, String)>,
    /// The slice every small boundary is drawn at.
    pub slice: FeatureValues,
}

/// A trained ensemble: its own report as the trained model, each member on
/// the same split, axes and slice, how much each counts, and where they disagree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnsembleReport {
    /// The ensemble as the trained model (metrics, model card, boundary, evaluation).
    pub trained: TrainReport,
    pub members: Vec<MemberReport>,
    /// The vote's weights as shares, or the trust a stack's meta model puts
    /// in each member; `None` for a meta model that shows neither.
    pub trust: Option<MembersView>,
    /// The ensemble as a comparison row (its boundary at the members' grid),
    /// for the comparison table and the Pareto chart.
    pub row: CompareRow,
    /// Where the members disagree, over the same axes and slice.
    pub disagreement: Option<BoundaryView>,
}

/// One member of an ensemble, fitted inside it (same inputs and training rows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberReport {
    /// Registry id.
    pub model: String,
    pub name: String,
    pub metrics: Metrics,
    pub card: ModelCard,
    /// On the ensemble's axes and slice, at the comparison's grid.
    pub boundary: Option<BoundaryView>,
}
