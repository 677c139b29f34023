//! The worker protocol and the state behind it. The page sends a [`Request`],
//! the worker answers with [`Response`]s: `Progress` while it works, then one
//! result or a typed error. Everything here is plain Rust, so the whole
//! protocol is tested natively; `web::worker` only moves messages.

mod boundary;
pub mod bundled;
mod code;
mod counterfactual;
pub mod distill;
mod ensemble;
mod error;
mod evaluate;
mod export;
pub mod model_file;
mod protocol;
mod robust;
pub mod search;
pub mod task;
mod validate;
pub mod wire;
pub use robust::{
    CALIBRATION_BINS, GROUP_MARGIN, GROUP_MIN_ROWS, MAX_NOISE_REPEATS, MIN_NOISE_REPEATS, NOISE_FEATURES, NOISE_STEPS,
    SHIFT_MIN_ROWS, WORST_ROWS,
};
pub use search::{best_trial, SearchRequest, Searched, Trial};
pub use validate::{cross_validate, CrossValidation, Folding, Folds};

pub use boundary::GRID as FULL_GRID;
pub use code::{CodeExport, Quantization};
pub use counterfactual::{Change, CounterfactualView};
pub use distill::{DistillReport, DistillRequest, DistillSummary, Fidelity, Student};
pub use error::SessionError;
pub use export::{PredictionsCsv, NO_TARGET};
pub use model_file::{LoadedModel, ModelFile, SavedModel};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use protocol::{
    AlongPick, ColumnUpdate, ColumnUse, CompareReport, CompareRequest, CompareRow, Compared, DataSummary, EnsembleReport,
    EnsembleRequest, LeftOut, MemberReport, ModelCard, Reply, Request, RequestId, Response, TrainReport, TrainRequest,
};

use crate::base::{
    accuracy, format_count, mean_absolute_error, r2_score, shuffle_split, sort_with, stratified_split, FeatureMatrix,
    FeatureValue, Progress, Split, Target, Task,
};
use crate::data::{
    read_source, ByteSource, Column, ColumnInfo, ColumnKind, ReadFile, Table, TextEncoding, ToyEdit, ToyTable,
};
use crate::eval::{
    accuracy_standard_error, adjusted_rand_index, inertia, r2_standard_error, silhouette, Agreement, Metrics,
};
use crate::explain::{BoundaryView, Evaluation, EvaluationPart, EvaluationPiece, ImportanceView, PointView};
use crate::model::ensemble::EnsembleParams;
use crate::model::view::{CoefficientsView, ModelView, TreeView};
use crate::model::{self, Dataset, Explanation, FittedModel, ModelSpec, ParamValues, Predictions};
use crate::prep::{self, ColumnDomain, Pipeline, PipelineSpec};

/// Share of rows held out for testing, unless the person picks another.
pub const TEST_FRACTION: f64 = 0.2;
/// The test shares a person may pick: under a tenth tests on too few rows to
/// tell models apart, over a half trains on fewer rows than it tests.
pub const TEST_SHARES: std::ops::RangeInclusive<f64> = 0.1..=0.5;

/// Milliseconds since some fixed origin: `performance.now()` in the browser,
/// `native_clock` elsewhere. The core never reads a clock by itself, as
/// `std::time` panics on wasm32.
pub type Clock = fn() -> f64;

/// A clock for native runs (tests, benchmarks, examples).
#[cfg(not(target_arch = "wasm32"))]
pub fn native_clock() -> f64 {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

/// What the worker remembers between requests.
pub struct Session {
    clock: Clock,
    table: Option<Table>,
    trained: Option<Trained>,
    /// The trained model refitted on the boundary plot's two axes only, for
    /// the "these two features only" switch; kept for the axes it was fitted on.
    refitted: Option<Trained>,
    /// How long the trained model's last full-size boundary took, ms: what
    /// sets the grid of a live one.
    full_boundary_ms: std::cell::Cell<f64>,
    /// The model a distillation learned from, kept from the first
    /// distillation so that distilling again (another student) learns from
    /// the same teacher, while the session's trained model is the student.
    /// Training another model drops it.
    teacher: Option<Trained>,
    /// The toy set loaded, as drawn and edited by hand; `None` for a file or
    /// a bundled dataset.
    toy: Option<ToyTable>,
    /// The table loaded's name and content hash, for a model file.
    source: Option<model_file::Source>,
    /// A search's folds, kept between the trial pieces a helper is dealt.
    kept_folds: search::KeptFolds,
    /// A learning curve's folds, kept between the curve pieces a helper is dealt.
    kept_curve: evaluate::KeptCurve,
}

/// A fitted model with everything needed to explain it again.
struct Trained {
    model: Box<dyn FittedModel>,
    pipeline: Pipeline,
    model_name: String,
    /// Features and target of every row with a target, and how they split.
    data: Dataset,
    split: Split,
    /// Table row of each row of `data`.
    rows: Vec<usize>,
    target_name: String,
    /// The slice's controls at their starting values.
    slice: Vec<ColumnDomain>,
    /// The model's own views a single prediction can be traced through.
    tree: Option<TreeView>,
    coefficients: Option<CoefficientsView>,
    /// The request's seed, for the evaluation's samples.
    seed: u64,
    /// Each row's cluster, for a clustering model (the points' colors).
    clusters: Option<Vec<u32>>,
    /// What trained it, to refit it on two features with the same settings,
    /// split and seed.
    request: TrainRequest,
    metrics: Metrics,
    /// Each feature column's importance, most important first (the model's
    /// own, else permutation importance); `None` without one (a clustering).
    importance: Option<Vec<(String, f64)>>,
    /// For a model refitted on the boundary plot's axes only, which.
    refit: Option<Refit>,
}

/// The axes a model was refitted on, and how the model on every feature did.
struct Refit {
    x: String,
    y: String,
    full: Metrics,
}

impl Trained {
    /// Orders the slice controls most important first (the page shows those
    /// first, and the boundary asks whether a row is near the slice in them)
    /// and keeps the importance.
    fn rank(&mut self, importance: &ImportanceView) {
        let rank = |c: &ColumnDomain| importance.items.iter().position(|(n, _)| n == c.column()).unwrap_or(usize::MAX);
        self.slice.sort_by_key(rank);
        self.importance = Some(importance.items.clone());
    }
}

impl Session {
    pub fn new(clock: Clock) -> Self {
        Session {
            clock,
            table: None,
            trained: None,
            refitted: None,
            full_boundary_ms: std::cell::Cell::new(0.0),
            teacher: None,
            toy: None,
            source: None,
            kept_folds: search::KeptFolds::default(),
            kept_curve: evaluate::KeptCurve::default(),
        }
    }

    /// Answers one request. A failed request leaves the session as it was, so
    /// a bad file never unloads the table already loaded. A search's trials,
    /// streamed one by one through [`handle_streaming`](Self::handle_streaming),
    /// are all in its final answer too.
    /// The trained pipeline and model as one program, as "Export as code" emits it.
    pub fn program(&self) -> Result<crate::base::program::Program, SessionError> {
        code::program(self.trained.as_ref().ok_or(SessionError::NotTrained)?)
    }

    /// The trained model's test rows as the exported code takes them, and the
    /// page's predictions for them: what the code must give back.
    pub fn exported_test_rows(&self) -> Result<(Vec<Vec<f32>>, Predictions), SessionError> {
        match (self.table.as_ref(), self.trained.as_ref()) {
            (Some(table), Some(trained)) => code::test_rows(table, trained),
            (None, _) => Err(SessionError::NoTable),
            (_, None) => Err(SessionError::NotTrained),
        }
    }

    pub fn handle(&mut self, request: Request, progress: &mut dyn Progress) -> Response {
        self.handle_streaming(request, progress, &mut |_| {})
    }

    /// [`handle`](Self::handle), giving the answers that come before the last
    /// one to `sink` as they are ready: a search's trials
    /// ([`Response::SearchTrial`]), which the worker posts at once. Progress
    /// stays apart: it is throttled, trials never are.
    pub fn handle_streaming(
        &mut self,
        request: Request,
        progress: &mut dyn Progress,
        sink: &mut dyn FnMut(Response),
    ) -> Response {
        // Only a search's trials, one after another, use the kept folds.
        if !matches!(&request, Request::Piece(task::Piece::Trial { .. })) {
            self.kept_folds.clear();
        }
        // Only a learning curve's pieces, one after another, use its kept folds.
        if !matches!(&request, Request::Piece(task::Piece::Curve { .. })) {
            self.kept_curve.clear();
        }
        let result = match request {
            Request::LoadBundled { name } => match bundled::bytes(&name) {
                Some(bytes) => self.load(&name, bytes, None, progress),
                None => Err(SessionError::UnknownDataset(name)),
            },
            Request::Load { name, bytes, encoding } => self.load(&name, &bytes, encoding, progress),
            Request::LoadToy(spec) => {
                ToyTable::draw(&spec).map_err(SessionError::from).and_then(|toy| self.load_toy(toy, progress))
            }
            Request::EditToy(edit) => self.edit_toy(&edit, progress),
            Request::Train(req) => self.train(&req, progress),
            Request::Compare(req) => self.compare(&req, progress),
            Request::Ensemble(req) => self.ensemble(&req, progress),
            Request::Boundary { x, y, slice, live, two_features } => {
                let plot = Plot { x: &x, y: &y, two_features };
                self.boundary(plot, &slice, live, progress).map(Response::Boundary)
            }
            Request::Inspect { x, y, at, row, slice, two_features } => {
                let plot = Plot { x: &x, y: &y, two_features };
                self.inspect(plot, at, row, &slice, progress).map(Response::Inspected)
            }
            Request::TraceAlong { feature, pick } => match (&self.table, &self.trained) {
                (Some(table), Some(trained)) => {
                    boundary::trace_along(table, trained, &feature, pick).map(Response::Inspected)
                }
                (None, _) => Err(SessionError::NoTable),
                (_, None) => Err(SessionError::NotTrained),
            },
            Request::SetMissing { column, missing } => self.set_missing(&column, &missing).map(Response::ColumnRetyped),
            Request::PartialDependence { feature } => self.partial_dependence(&feature).map(Response::PartialDependence),
            Request::Evaluate(part) => self.evaluate(&part, progress).map(|piece| Response::Evaluated(Box::new(piece))),
            Request::CrossValidate { request, k, folding } => match self.table.as_ref() {
                Some(table) => {
                    validate::cross_validate(table, &request, k, &folding, progress).map(Response::CrossValidated)
                }
                None => Err(SessionError::NoTable),
            },
            Request::Piece(piece) => match self.table.as_ref() {
                Some(table) => {
                    piece.compute(table, self.clock, &mut self.kept_folds, &mut self.kept_curve).map(Response::PieceDone)
                }
                None => Err(SessionError::NoTable),
            },
            Request::Counterfactual { row, x, y, allowed } => match (self.table.as_ref(), self.trained.as_ref()) {
                (Some(table), Some(trained)) => {
                    counterfactual::counterfactual(table, trained, row, (&x, &y), &allowed).map(Response::Counterfactual)
                }
                (None, _) => Err(SessionError::NoTable),
                (_, None) => Err(SessionError::NotTrained),
            },
            Request::Distill(req) => self.distill(&req, progress).map(|report| Response::Distilled(Box::new(report))),
            Request::ExportCode { language, precision } => match (self.table.as_ref(), self.trained.as_ref()) {
                (Some(table), Some(trained)) => {
                    code::export(table, trained, language, precision).map(|c| Response::Code(Box::new(c)))
                }
                (None, _) => Err(SessionError::NoTable),
                (_, None) => Err(SessionError::NotTrained),
            },
            Request::Search(req) => match self.table.as_ref() {
                Some(table) => search::run(table, &req, progress, &mut |trial| sink(Response::SearchTrial(trial.clone())))
                    .map(Response::Searched),
                None => Err(SessionError::NoTable),
            },
            Request::Groups { column, margin } => self.groups(&column, margin).map(Response::Groups),
            Request::Shift { column, rule } => self.shift(&column, &rule, progress).map(Response::Shifted),
            Request::Predictions => match (self.table.as_ref(), self.trained.as_ref()) {
                (Some(table), Some(trained)) => export::predictions_csv(table, trained).map(Response::Predictions),
                (None, _) => Err(SessionError::NoTable),
                (_, None) => Err(SessionError::NotTrained),
            },
            Request::SaveModel => self.save_model().map(Response::ModelSaved),
            Request::LoadModel { json } => {
                self.load_model(&json, progress).map(|loaded| Response::ModelLoaded(Box::new(loaded)))
            }
        };
        result.unwrap_or_else(Response::Failed)
    }

    fn load(
        &mut self,
        name: &str,
        mut bytes: &[u8],
        encoding: Option<TextEncoding>,
        progress: &mut dyn Progress,
    ) -> Result<Response, SessionError> {
        self.load_source(name, &mut bytes, encoding, progress)
    }

    /// Loads a file read from `source` in chunks (the page's worker reads
    /// the dropped `File` itself this way, never whole).
    pub fn load_source(
        &mut self,
        name: &str,
        source: &mut dyn ByteSource,
        encoding: Option<TextEncoding>,
        progress: &mut dyn Progress,
    ) -> Result<Response, SessionError> {
        let n_bytes = source.size();
        crate::data::check_file_size(n_bytes)?;
        let ReadFile { table, fingerprint } = read_source(source, encoding, progress)?;
        let summary = DataSummary {
            name: name.to_string(),
            n_rows: table.n_rows,
            n_cols: table.columns.len(),
            columns: table.columns.iter().map(Column::info).collect(),
            default_target: bundled::target(name)
                .and_then(|t| table.column_index(t))
                .unwrap_or(table.columns.len().saturating_sub(1)),
            suggested_task: table.columns.iter().map(suggest_task).collect(),
            preview: table.preview.clone(),
            warnings: table.warnings.clone(),
            decoding: table.decoding.clone(),
            content_hash: fingerprint.hex(),
            n_bytes,
            toy_edits: Vec::new(),
        };
        self.table = Some(table);
        self.source = Some(model_file::Source { name: name.to_string(), hash: summary.content_hash.clone() });
        self.trained = None;
        self.refitted = None;
        self.teacher = None;
        self.toy = None;
        Ok(Response::Loaded(summary))
    }

    /// Loads a toy set's table and keeps its lines for edits by hand.
    fn load_toy(&mut self, toy: ToyTable, progress: &mut dyn Progress) -> Result<Response, SessionError> {
        let mut loaded = self.load(&toy.name(), toy.csv().as_bytes(), None, progress)?;
        if let Response::Loaded(summary) = &mut loaded {
            summary.toy_edits = toy.edits().to_vec();
        }
        self.toy = Some(toy);
        Ok(loaded)
    }

    /// Adds or removes a point of the toy set and reads its table again. The
    /// model trained on the old table is dropped (the page retrains); a
    /// refused edit changes nothing.
    fn edit_toy(&mut self, edit: &ToyEdit, progress: &mut dyn Progress) -> Result<Response, SessionError> {
        let mut toy = self.toy.clone().ok_or(SessionError::NotAToy)?;
        toy.edit(edit)?;
        match self.load_toy(toy, progress)? {
            Response::Loaded(summary) => Ok(Response::ToyEdited(summary)),
            other => Ok(other),
        }
    }

    /// Types a column again with the person's missing tokens. The model
    /// trained on the old column no longer matches the table, so it is dropped.
    fn set_missing(&mut self, name: &str, missing: &[String]) -> Result<ColumnUpdate, SessionError> {
        let table = self.table.as_mut().ok_or(SessionError::NoTable)?;
        let index = table.column_index(name).ok_or_else(|| SessionError::UnknownColumn(name.to_string()))?;
        let column = table.set_missing(index, missing).ok_or_else(|| SessionError::UnknownColumn(name.to_string()))?;
        let update = ColumnUpdate {
            index,
            info: column.info(),
            suggested_task: suggest_task(column),
            warnings: table.warnings.clone(),
        };
        self.trained = None;
        self.refitted = None;
        self.teacher = None;
        Ok(update)
    }

    /// Fits the model and answers with what needs the model alone (metrics,
    /// card, its own views, the boundary): the costly evaluation views are
    /// listed as `pending`, for [`Request::Evaluate`], the learning curve last.
    fn train(&mut self, req: &TrainRequest, progress: &mut dyn Progress) -> Result<Response, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let fitted = fit(table, req, self.clock, progress)?;
        let curve = curve_applies(&fitted);
        let mut report = self.install(fitted, Staging::ModelFirst, progress)?;
        if curve {
            report.pending.push(EvaluationPart::LearningCurve);
        }
        Ok(Response::Trained(Box::new(report)))
    }

    /// One evaluation view of the trained model, as [`install`](Self::install)
    /// with [`Staging::Whole`] computes it.
    fn evaluate(&self, part: &EvaluationPart, progress: &mut dyn Progress) -> Result<EvaluationPiece, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        if matches!(trained.data.target, Target::Unlabeled { .. }) {
            return Err(SessionError::NothingToValidate);
        }
        Ok(match part {
            EvaluationPart::Permutation => {
                let test = trained.data.select_rows(&trained.split.test);
                let test_rows: Vec<usize> = trained.split.test.iter().map(|&i| trained.rows[i]).collect();
                EvaluationPiece::Permutation(evaluate::permutation(
                    table,
                    &trained.pipeline,
                    trained.model.as_ref(),
                    &test,
                    &test_rows,
                    trained.seed,
                )?)
            }
            EvaluationPart::PartialDependence { feature } => {
                EvaluationPiece::PartialDependence(evaluate::partial_dependence(table, trained, feature)?)
            }
            EvaluationPart::Robustness => EvaluationPiece::Robustness(robust::robustness(table, trained)?),
            EvaluationPart::LearningCurve => EvaluationPiece::LearningCurve(match model::find(&trained.request.model) {
                // The model refitted at other settings: only a registered one
                // has them (an ensemble or a student answers without a curve).
                Some(spec) if trained.model.ensemble().is_none() && self.teacher.is_none() => {
                    evaluate::learning_curve(table, spec, &trained.request, progress)?
                }
                _ => None,
            }),
        })
    }

    /// Makes a fitted model the session's trained one and explains it: its
    /// scores on the test rows, importance, boundary and partial dependence.
    /// Training, distillation, ensembles and model files share it; the
    /// teacher a distillation kept goes with the model it taught. With
    /// [`Staging::ModelFirst`] the costly views are left for
    /// [`Request::Evaluate`] and listed in the report's `pending`.
    fn install(&mut self, fitted: Fit, staging: Staging, progress: &mut dyn Progress) -> Result<TrainReport, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let Fit {
            mut trained,
            metrics,
            card,
            explanation,
            importance,
            test,
            test_predicted,
            feature_columns,
            learned_nothing,
            rows_without_target,
            pipeline_note: fitted_note,
            ..
        } = fitted;
        let (model, pipeline) = (trained.model.as_ref(), &trained.pipeline);
        let (seed, target_name) = (trained.seed, trained.target_name.clone());
        let test_rows: Vec<usize> = trained.split.test.iter().map(|&i| trained.rows[i]).collect();
        let clustering = matches!(test.target, Target::Unlabeled { .. });
        let mut pending = Vec::new();
        // Permutation importance ranks the axes of a model without its own
        // importance, so it comes with that model's answer.
        let permutation_later = matches!(staging, Staging::ModelFirst) && importance.is_some();
        let (permutation, evaluate::TestViews { confusion, roc, residuals }) = match (&test.target, &test_predicted) {
            // Without a target there is no test score to explain: k-means shows its elbow instead.
            (Target::Unlabeled { .. }, _) | (_, None) => (None, evaluate::TestViews::default()),
            (_, Some(predicted)) if permutation_later => {
                pending.push(EvaluationPart::Permutation);
                (None, evaluate::scores(&test, predicted, &target_name))
            }
            (_, Some(predicted)) => (
                evaluate::permutation(table, pipeline, model, &test, &test_rows, seed)?,
                evaluate::scores(&test, predicted, &target_name),
            ),
        };
        // Boundary axes and partial dependence features, most important first
        // (the model's own importance where it has one).
        let ranking = importance.as_ref().or(permutation.as_ref());
        let rank = |c: &usize| ranking.and_then(|imp| imp.items.iter().position(|(n, _)| *n == table.columns[*c].name));
        let only_feature = feature_columns.len() == 1;
        let mut pdp_columns = feature_columns;
        sort_with(&mut pdp_columns, &|a, b| rank(a).cmp(&rank(b)));
        let axis_names: Vec<String> =
            axis_columns(table, &trained, pdp_columns.clone()).iter().map(|&c| table.columns[c].name.clone()).collect();
        // A clustering's "prediction" is a cluster id, not a quantity to trace along a feature.
        let pdp_features: Vec<String> = pdp_columns
            .into_iter()
            .filter(|&c| !clustering && pipeline.input_sources().iter().any(|s| s.contains(&c)))
            .map(|c| table.columns[c].name.clone())
            .collect();
        let prep_summary = match &fitted_note {
            Some(note) => format!("{} {note}", pipeline.summary()),
            None => pipeline.summary(),
        };
        let pipeline_report = pipeline.report().clone();
        if let (None, Some(permutation)) = (&importance, &permutation) {
            trained.rank(permutation);
        }
        let slice = trained.slice.clone();
        let model_name = trained.model_name.clone();
        self.trained = Some(trained);
        self.refitted = None;
        self.teacher = None;
        let boundary = match axis_names.as_slice() {
            [x, y, ..] => Some(self.boundary(Plot { x, y, two_features: false }, &[], false, progress)?),
            _ => None,
        };
        let one_feature = match (&self.table, &self.trained, axis_names.as_slice()) {
            (Some(table), Some(trained), [only]) if only_feature => Some(boundary::one_feature(table, trained, only)?),
            _ => None,
        };
        let partial_dependence = match pdp_features.first() {
            Some(feature) if matches!(staging, Staging::ModelFirst) => {
                pending.push(EvaluationPart::PartialDependence { feature: feature.clone() });
                None
            }
            Some(feature) => Some(self.partial_dependence(feature)?),
            None => None,
        };
        // Who it fails and how it holds up; a clustering has no target to fail.
        let (failures, groups, robustness) = match (&self.table, &self.trained, test_predicted) {
            (Some(table), Some(trained), Some(predicted)) if !clustering => {
                let tested = robust::TestPredictions::new(trained, test, predicted);
                (
                    Some(robust::failures(table, trained, &tested)?),
                    match robust::first_group_column(table, trained) {
                        Some(column) => Some(robust::groups(table, trained, &tested, &column, GROUP_MARGIN)?),
                        None => None,
                    },
                    match staging {
                        Staging::ModelFirst => {
                            pending.push(EvaluationPart::Robustness);
                            None
                        }
                        Staging::Whole { .. } => robust::robustness(table, trained)?,
                    },
                )
            }
            _ => (None, None, None),
        };
        let (class_report, calibration, worst_rows) = match failures {
            Some(f) => (f.class_report, f.calibration, f.worst_rows),
            None => (None, None, None),
        };
        let learning_curve = match staging {
            Staging::Whole { learning_curve } => learning_curve,
            Staging::ModelFirst => None,
        };
        let evaluation = Evaluation {
            permutation,
            confusion,
            roc,
            residuals,
            partial_dependence,
            pdp_features,
            learning_curve,
            class_report,
            calibration,
            worst_rows,
            groups,
            robustness,
        };
        Ok(TrainReport {
            model_name,
            metrics,
            left_out: (rows_without_target > 0).then_some(LeftOut { rows: rows_without_target, target: target_name }),
            learned_nothing,
            prep_summary,
            pipeline: pipeline_report,
            card,
            views: explanation.views,
            importance,
            axis_options: axis_names,
            boundary,
            one_feature,
            slice,
            evaluation,
            pending,
        })
    }

    /// Trains each model on the same split and draws its boundary on the same
    /// axes and slice. The model being explored stays as it is; a model that
    /// fails says why in its own row.
    fn compare(&self, req: &CompareRequest, progress: &mut dyn Progress) -> Result<Response, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        if req.models.is_empty() {
            return Err(SessionError::NothingToCompare);
        }
        let rows = req
            .models
            .iter()
            .enumerate()
            .map(|(index, id)| compare_member(table, req, (index, id), self.clock, progress))
            .collect();
        Ok(Response::Compared(Box::new(compared(req, rows))))
    }

    fn groups(&self, column: &str, margin: f64) -> Result<crate::explain::GroupsView, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        if matches!(trained.data.target, Target::Unlabeled { .. }) {
            return Err(SessionError::NothingToValidate);
        }
        robust::groups(table, trained, &robust::TestPredictions::of(trained)?, column, margin)
    }

    fn shift(
        &self,
        column: &str,
        rule: &crate::explain::ShiftRule,
        progress: &mut dyn Progress,
    ) -> Result<crate::explain::ShiftView, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        if matches!(trained.data.target, Target::Unlabeled { .. }) {
            return Err(SessionError::NothingToValidate);
        }
        // A kept teacher means the trained model is its student, which a
        // shifted split would train on the truth instead of its teacher.
        if self.teacher.is_some() {
            return Err(SessionError::DistilledShift);
        }
        robust::shift(table, trained, column, rule, self.clock, progress)
    }

    fn partial_dependence(&self, feature: &str) -> Result<crate::explain::PartialDependenceView, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        evaluate::partial_dependence(table, trained, feature)
    }

    /// The model the boundary plot shows: the trained one, or with
    /// `two_features` the same model (same settings, split and seed) refitted
    /// on the plot's two axes only, so the picture is the whole model. The
    /// refit is kept for those axes.
    fn shown(&mut self, plot: &Plot, progress: &mut dyn Progress) -> Result<(&Table, &Trained), SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        if !plot.two_features {
            return Ok((table, trained));
        }
        // A kept teacher means the trained model is its student.
        if self.teacher.is_some() {
            return Err(SessionError::DistilledRefit);
        }
        let fitted_here = |t: &Trained| t.refit.as_ref().is_some_and(|r| r.x == plot.x && r.y == plot.y);
        if !self.refitted.as_ref().is_some_and(fitted_here) {
            boundary::check_axes(table, trained, plot.x, plot.y)?;
            let mut req = trained.request.clone();
            for u in &mut req.columns {
                u.included = u.name == plot.x || u.name == plot.y;
            }
            req.pipeline = req.pipeline.map(|spec| on_two_columns(spec, plot.x, plot.y));
            let mut refit = refit(table, trained, &req, self.clock, progress, None)?.trained;
            refit.refit = Some(Refit { x: plot.x.to_string(), y: plot.y.to_string(), full: trained.metrics.clone() });
            self.refitted = Some(refit);
        }
        let refitted = self.refitted.as_ref().ok_or_else(|| SessionError::Internal("the refit was just stored".into()))?;
        Ok((table, refitted))
    }

    fn boundary(
        &mut self,
        plot: Plot,
        slice: &[(String, FeatureValue)],
        live: bool,
        progress: &mut dyn Progress,
    ) -> Result<BoundaryView, SessionError> {
        let grid = if live { boundary::live_grid(self.full_boundary_ms.get()) } else { boundary::GRID };
        let clock = self.clock;
        let (table, trained) = self.shown(&plot, progress)?;
        let start = clock();
        let view = boundary::compute(table, trained, plot.x, plot.y, slice, grid)?;
        if grid == boundary::GRID {
            self.full_boundary_ms.set(clock() - start);
        }
        Ok(view)
    }

    fn inspect(
        &mut self,
        plot: Plot,
        at: Option<(f64, f64)>,
        row: Option<usize>,
        slice: &[(String, FeatureValue)],
        progress: &mut dyn Progress,
    ) -> Result<PointView, SessionError> {
        let (table, trained) = self.shown(&plot, progress)?;
        boundary::inspect(table, trained, boundary::Probe { x: plot.x, y: plot.y, at, row, slice })
    }
}

/// The boundary plot a request is about: its axes, and whether it shows the
/// model refitted on them alone.
struct Plot<'a> {
    x: &'a str,
    y: &'a str,
    two_features: bool,
}

/// A model fitted on a request's split, scored and measured.
struct Fit {
    /// The registered model fitted; `None` for an ensemble.
    spec: Option<&'static ModelSpec>,
    trained: Trained,
    metrics: Metrics,
    card: ModelCard,
    explanation: Explanation,
    /// The model's own importance by feature column, if it has one.
    importance: Option<ImportanceView>,
    /// The test rows, which every evaluation view predicts.
    test: Dataset,
    /// The model's predictions of `test`, made once with the metrics' and
    /// read by every view that needs no other rows (`None` for clusters).
    test_predicted: Option<Predictions>,
    /// Table columns used as features.
    feature_columns: Vec<usize>,
    /// Time to fit, milliseconds.
    fit_ms: f64,
    /// Why the model learned nothing, when it did.
    learned_nothing: Option<String>,
    /// Table rows left out because their target is missing.
    rows_without_target: usize,
    /// What the pipeline summary adds: why an ensemble's members see the inputs they see.
    pipeline_note: Option<String>,
}

/// How much of the evaluation [`Session::install`] computes before it answers.
enum Staging {
    /// Every view, with this learning curve: the answer holds them all (a
    /// distillation, an ensemble, a model file, which the page shows at once).
    Whole { learning_curve: Option<crate::explain::LearningCurveView> },
    /// What the model's answer needs; the costly views are left `pending`.
    ModelFirst,
}

/// Whether a fitted model gets a learning curve: a registered model (an
/// ensemble has no one complexity setting) with a target to score.
fn curve_applies(fitted: &Fit) -> bool {
    fitted.spec.is_some() && !matches!(fitted.test.target, Target::Unlabeled { .. })
}

/// What a request trains: its registered model, or an ensemble of several.
#[derive(Clone, Copy)]
enum Learner<'a> {
    Model(&'static ModelSpec),
    Ensemble(&'a EnsembleParams),
}

/// Prepares the table for `req`, fits its model on the training rows, and
/// scores, measures and explains it: what training one model and comparing
/// several share.
fn fit(table: &Table, req: &TrainRequest, clock: Clock, progress: &mut dyn Progress) -> Result<Fit, SessionError> {
    let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
    if !spec.tasks.contains(&req.task) {
        return Err(SessionError::Fit(model::FitError::WrongTask(req.task.name().to_string())));
    }
    fit_as(table, req, Learner::Model(spec), clock, progress, None)
}

/// Fits what `trained` is again (its model, or its ensemble of the same
/// members) for `req`, on the split `resplit` chooses, if any: the refit on
/// two features and the shifted split.
fn refit(
    table: &Table,
    trained: &Trained,
    req: &TrainRequest,
    clock: Clock,
    progress: &mut dyn Progress,
    resplit: Option<&Resplit>,
) -> Result<Fit, SessionError> {
    match trained.model.ensemble() {
        Some(ensemble) => fit_as(table, req, Learner::Ensemble(&ensemble.params()), clock, progress, resplit),
        None => {
            let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
            fit_as(table, req, Learner::Model(spec), clock, progress, resplit)
        }
    }
}

/// Another split of a request's rows than its seeded one: given the target
/// and the table row of each of its rows, the rows (by place) to train and
/// test on, or why there is none (a shifted split with too few rows).
type Resplit<'a> = dyn Fn(&Target, &[usize]) -> Result<Split, SessionError> + 'a;

/// [`fit`] for a learner: `req`'s model, or an ensemble, on `req`'s table,
/// target, columns, pipeline and seed, and on `req`'s split or the one
/// `resplit` chooses.
fn fit_as(
    table: &Table,
    req: &TrainRequest,
    learner: Learner,
    clock: Clock,
    progress: &mut dyn Progress,
    resplit: Option<&Resplit>,
) -> Result<Fit, SessionError> {
    let (pipeline_spec, pipeline_note) = match learner {
        Learner::Model(spec) => (pipeline_spec(req, spec), None),
        Learner::Ensemble(params) => ensemble::pipeline_spec(req, params),
    };
    let prepared = prepare_with(table, req, &pipeline_spec, resplit)?;
    let train = prepared.data.view(&prepared.split.train);
    let start = clock();
    let model: Box<dyn FittedModel> = match learner {
        Learner::Model(spec) => (spec.fit)(&req.params, &train, req.seed, progress)?,
        Learner::Ensemble(params) => Box::new(params.fit(&train, req.seed, progress)?),
    };
    let fit_ms = clock() - start;
    let (spec, model_name) = match learner {
        Learner::Model(spec) => (Some(spec), spec.name.to_string()),
        Learner::Ensemble(params) => (None, params.name()),
    };
    let mut fitted = measure(table, req, spec, model_name, prepared, model, fit_ms, clock)?;
    fitted.pipeline_note = pipeline_note;
    Ok(fitted)
}

/// Scores, measures and explains `model`, fitted for `req` (as the
/// registered model `spec`, or an ensemble without one, called `model_name`)
/// on `prepared`'s training rows in `fit_ms`.
#[allow(clippy::too_many_arguments)]
fn measure(
    table: &Table,
    req: &TrainRequest,
    spec: Option<&'static ModelSpec>,
    model_name: String,
    prepared: Prepared,
    model: Box<dyn FittedModel>,
    fit_ms: f64,
    clock: Clock,
) -> Result<Fit, SessionError> {
    let Prepared { pipeline, data, split, rows, feature_columns, compared } = prepared;

    let test = data.select_rows(&split.test);
    let (metrics, clusters, learned_nothing, test_predicted) = match &data.target {
        Target::Unlabeled { .. } => {
            let (metrics, clusters) = score_clusters(model.as_ref(), &data, &split, compared.as_ref(), req.seed)?;
            (metrics, Some(clusters), None, None)
        }
        _ => {
            let Scored { metrics, constant, test_predicted } = score(model.as_ref(), &data, &split, req.seed)?;
            let why = match spec {
                Some(spec) => constant.then(|| why_nothing_learned(spec, req.task, &req.params, split.train.len())),
                None => constant.then(|| format!("{model_name} gives every training row the same prediction.")),
            };
            (metrics, None, why, Some(test_predicted))
        }
    };
    let rows_without_target = table.n_rows - rows.len();
    let card = ModelCard {
        n_parameters: model.n_parameters(),
        bytes: model.to_bytes().len(),
        micros_per_row: micros_per_row(model.as_ref(), &data.x, clock)?,
    };
    let explanation = model.explain(&pipeline.features(), &data.target, &req.target);
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let slice = pipeline.slice_controls(table, &train_rows);
    let tree = explanation.views.iter().find_map(|v| match v {
        ModelView::Tree(t) => Some(t.clone()),
        _ => None,
    });
    let coefficients = explanation.views.iter().find_map(|v| match v {
        ModelView::Coefficients(c) => Some(c.clone()),
        _ => None,
    });
    let importance = explanation
        .feature_importance
        .as_ref()
        .map(|imp| column_importance(table, &pipeline, imp, explanation.importance_measure));
    let mut trained = Trained {
        model,
        pipeline,
        model_name,
        data,
        split,
        rows,
        target_name: req.target.clone(),
        slice,
        tree,
        coefficients,
        seed: req.seed,
        clusters,
        request: req.clone(),
        metrics: metrics.clone(),
        importance: None,
        refit: None,
    };
    if let Some(importance) = &importance {
        trained.rank(importance);
    }
    Ok(Fit {
        spec,
        trained,
        metrics,
        card,
        explanation,
        importance,
        test,
        test_predicted,
        feature_columns,
        fit_ms,
        learned_nothing,
        rows_without_target,
        pipeline_note: None,
    })
}

/// The feature columns that can be a boundary axis, in the order given:
/// numeric ones first, so the plot opens over two numbers where there are
/// two, then the yes/no and categorical ones drawn as bands.
fn axis_columns(table: &Table, trained: &Trained, feature_columns: Vec<usize>) -> Vec<usize> {
    let (numbers, bands): (Vec<usize>, Vec<usize>) = feature_columns
        .into_iter()
        .filter(|&c| boundary::Axis::of(table, trained, &table.columns[c].name).is_ok())
        .partition(|&c| trained.pipeline.is_number(c));
    numbers.into_iter().chain(bands).collect()
}

/// Member `index` (model `id`) of a comparison, trained and drawn on its own: what the
/// whole comparison puts in that row, whichever worker computes it. Without
/// axes from the page, the member's first two possible axes in column order:
/// they depend only on the columns' coding and training values, which every
/// member shares (their pipelines differ only in scaling), so members picked
/// apart land on the same axes.
pub(crate) fn compare_member(
    table: &Table,
    req: &CompareRequest,
    (index, id): (usize, &str),
    clock: Clock,
    progress: &mut dyn Progress,
) -> CompareRow {
    let name = model::find(id).map_or_else(|| id.to_string(), |m| m.name.to_string());
    let mut one = req.base.clone();
    if id != req.base.model {
        one.model = id.to_string();
        one.params = ParamValues::new();
    }
    let mut stage = Stage { inner: progress, index, count: req.models.len(), name: &name };
    let outcome = fit(table, &one, clock, &mut stage).and_then(|f| {
        let axes = req.axes.clone().or_else(|| {
            let names: Vec<String> = axis_columns(table, &f.trained, f.feature_columns.clone())
                .iter()
                .map(|&c| table.columns[c].name.clone())
                .collect();
            match names.as_slice() {
                [x, y, ..] => Some((x.clone(), y.clone())),
                _ => None,
            }
        });
        let boundary = match &axes {
            Some((x, y)) => Some(boundary::compute(table, &f.trained, x, y, &req.slice, boundary::SMALL_GRID)?),
            None => None,
        };
        let noise = robust::noise_of_all(table, &f.trained)?;
        Ok(Compared {
            metrics: f.metrics,
            card: f.card,
            fit_ms: f.fit_ms,
            boundary,
            learned_nothing: f.learned_nothing,
            noise,
        })
    });
    CompareRow { model: id.to_string(), name, outcome }
}

/// A comparison's answer from its rows, in the request's order: the rows and
/// every model's noise curve on one chart.
pub(crate) fn compared(req: &CompareRequest, rows: Vec<CompareRow>) -> CompareReport {
    let curves = rows
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().and_then(|c| c.noise.clone()).map(|n| (r.name.clone(), n)))
        .collect();
    let measure = if req.base.task == Task::Regression { "R²" } else { "accuracy" };
    CompareReport { rows, noise: robust::compared_noise(curves, measure) }
}

/// One model's share of a comparison's progress bar, named.
struct Stage<'a> {
    inner: &'a mut dyn Progress,
    index: usize,
    count: usize,
    name: &'a str,
}

impl Progress for Stage<'_> {
    fn report(&mut self, done: usize, total: usize, what: &str) {
        // Each model gets 1,000 steps of the bar, whatever its own count.
        let within = (done.min(total) * 1000).checked_div(total).unwrap_or(0);
        let what = format!("comparing: {} ({} of {}), {what}", self.name, self.index + 1, self.count);
        self.inner.report(self.index * 1000 + within, self.count * 1000, &what);
    }
}

/// A table made ready for a model: encoded features and target of every row
/// that has a target (every row, for clustering), and the seeded split of those rows.
pub struct Prepared {
    pub pipeline: Pipeline,
    pub data: Dataset,
    pub split: Split,
    /// Table row of each row of `data`.
    pub rows: Vec<usize>,
    /// Table columns used as features.
    pub feature_columns: Vec<usize>,
    /// For clustering, the column the person compares the clusters with.
    pub compared: Option<ComparedColumn>,
}

/// A column's classes, to compare clusters with; never a feature.
pub struct ComparedColumn {
    pub column: String,
    /// Class of each row in `rows` (rows of the prepared data that have a value).
    pub y: Vec<u32>,
    pub rows: Vec<usize>,
}

/// Builds the target, splits its rows (stratified for classes) with the
/// request's seed, and fits the request's pipeline (the model's default
/// without one) on the training rows.
/// Clustering uses every row, and reads a named target column only to
/// compare the clusters with. The conformance tests and the scikit-learn
/// export use this same path.
pub fn prepare(table: &Table, req: &TrainRequest, spec: &ModelSpec) -> Result<Prepared, SessionError> {
    prepare_with(table, req, &pipeline_spec(req, spec), None)
}

/// [`prepare`] for an ensemble: every member sees the inputs of one
/// pipeline, the request's own or the default standard-scaled when any member
/// wants scaling. The ensemble conformance tests and their export use it.
pub fn prepare_ensemble(table: &Table, req: &TrainRequest, params: &EnsembleParams) -> Result<Prepared, SessionError> {
    prepare_with(table, req, &ensemble::pipeline_spec(req, params).0, None)
}

/// [`prepare`] with the pipeline `steps`, on the split `resplit` chooses, if any.
fn prepare_with(
    table: &Table,
    req: &TrainRequest,
    steps: &PipelineSpec,
    resplit: Option<&Resplit>,
) -> Result<Prepared, SessionError> {
    let Plan { target, rows, compared, mut split, features } = plan(table, req)?;
    if let Some(resplit) = resplit {
        split = resplit(&target, &rows)?;
    }
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let pipeline = Pipeline::fit(table, &features, &train_rows, &target.select_rows(&split.train), steps)?;
    let data = Dataset {
        x: pipeline.transform(table, &rows),
        target,
        feature_names: pipeline.features().iter().map(|f| f.column.clone()).collect(),
    };
    let feature_columns = features.iter().map(|&(c, _)| c).collect();
    Ok(Prepared { pipeline, data, split, rows, feature_columns, compared })
}

/// `spec` as it applies to a refit on columns `x` and `y` alone: steps
/// naming other inputs keep only those two (and are left out when they named
/// neither, rather than falling back to every input), an aggregate (which
/// groups by a category, never an axis) is left out, and a PCA keeps at most
/// two components.
fn on_two_columns(spec: PipelineSpec, x: &str, y: &str) -> PipelineSpec {
    use prep::{Keep, StepSpec};
    let axes = |columns: Vec<String>| -> Option<Vec<String>> {
        let named = !columns.is_empty();
        let kept: Vec<String> = columns.into_iter().filter(|c| c == x || c == y).collect();
        (!named || !kept.is_empty()).then_some(kept)
    };
    let steps = spec
        .steps
        .into_iter()
        .filter_map(|step| match step {
            StepSpec::Scale { scaler, columns } => axes(columns).map(|columns| StepSpec::Scale { scaler, columns }),
            StepSpec::Bin { binning, bins, columns } => {
                axes(columns).map(|columns| StepSpec::Bin { binning, bins, columns })
            }
            StepSpec::Poly { columns } => axes(columns).map(|columns| StepSpec::Poly { columns }),
            StepSpec::Aggregate { .. } => None,
            StepSpec::Pca { keep: Keep::Components(k) } => Some(StepSpec::Pca { keep: Keep::Components(k.min(2)) }),
            other => Some(other),
        })
        .collect();
    PipelineSpec { steps }
}

/// The pipeline a request asks for: its own, or what the model always got.
fn pipeline_spec(req: &TrainRequest, spec: &ModelSpec) -> PipelineSpec {
    req.pipeline.clone().unwrap_or_else(|| PipelineSpec::default_for(spec.scaling))
}

/// What a request asks of a table before anything is fitted: the target and
/// the table rows that have one, the seeded split of those rows, and the
/// feature columns with their kinds. Training and cross-validation share it.
struct Plan {
    target: Target,
    /// Table row of each row of `target`.
    rows: Vec<usize>,
    compared: Option<ComparedColumn>,
    split: Split,
    features: Vec<(usize, ColumnKind)>,
}

fn plan(table: &Table, req: &TrainRequest) -> Result<Plan, SessionError> {
    let column = |name: &str| table.column_index(name).ok_or_else(|| SessionError::UnknownColumn(name.to_string()));
    let (target, rows, compared) = match req.task {
        Task::Clustering => {
            let compared = match req.target.as_str() {
                "" => None,
                name => {
                    let (Target::Classes { y, .. }, rows) = prep::target(table, column(name)?, Task::Clustering)? else {
                        return Err(SessionError::Internal("a compared column reads as classes".into()));
                    };
                    Some(ComparedColumn { column: name.to_string(), y, rows })
                }
            };
            (Target::Unlabeled { n_rows: table.n_rows }, (0..table.n_rows).collect(), compared)
        }
        task if req.target.is_empty() => return Err(SessionError::NoTarget(task.name().to_string())),
        task => {
            let (target, rows) = prep::target(table, column(&req.target)?, task)?;
            (target, rows, None)
        }
    };
    if !TEST_SHARES.contains(&req.test_share) {
        return Err(SessionError::TestShare(req.test_share));
    }
    let split = match &target {
        Target::Classes { y, names } => stratified_split(y, names.len(), req.test_share, req.seed),
        Target::Values(_) | Target::Unlabeled { .. } => shuffle_split(target.len(), req.test_share, req.seed),
    };
    let mut features = Vec::new();
    for u in req.columns.iter().filter(|u| u.included && u.name != req.target) {
        features.push((column(&u.name)?, u.kind));
    }
    Ok(Plan { target, rows, compared, split, features })
}

/// Classification for text, boolean and small-integer targets (like a digit
/// label), regression for other numbers.
pub fn suggest_task(column: &Column) -> Task {
    match (column.inferred, column.numbers()) {
        (ColumnKind::Numeric, Some(values)) => {
            let integers = values.iter().filter(|v| !v.is_nan()).all(|v| v.fract() == 0.0);
            if integers && column.distinct() <= 20 {
                Task::Classification
            } else {
                Task::Regression
            }
        }
        _ => Task::Classification,
    }
}

/// The task to show for a target of `n_rows` table rows, and what to say
/// about it: the suggested task (with why, when that is not obvious), or the
/// one the person `chosen` where the column can be learned that way; where it
/// cannot, the task stays as it was and the hint says why, in words a student
/// follows.
pub fn task_hint(info: &ColumnInfo, n_rows: usize, suggested: Task, chosen: Option<Task>) -> (Task, Option<String>) {
    let name = &info.name;
    let numeric = info.inferred == ColumnKind::Numeric;
    match chosen.unwrap_or(suggested) {
        Task::Classification if numeric && prep::too_many_classes(info.distinct, n_rows.saturating_sub(info.missing)) => (
            Task::Classification,
            Some(format!(
                "'{name}' holds {} different numbers, too many to learn each as a class, so it is cut into {} groups of \
                 about equal size, named by their ranges ('{name} ≤ …', …, '{name} > …'), and the model predicts the \
                 group. Choose regression to predict the number itself.",
                format_count(info.distinct),
                prep::VALUE_GROUPS
            )),
        ),
        Task::Classification if numeric && suggested == Task::Classification => (
            Task::Classification,
            Some(format!(
                "'{name}' holds only {} different whole numbers, so classification is suggested. Choose regression to \
                 predict it as a number.",
                info.distinct
            )),
        ),
        Task::Classification if numeric => (
            Task::Classification,
            Some(format!(
                "Each of the {} different values of '{name}' is a class of its own: the model picks one of them, never a \
                 value in between, and learns nothing from their order.",
                info.distinct
            )),
        ),
        Task::Regression if !numeric => (
            suggested,
            Some(format!(
                "Regression predicts a number, but '{name}' is {}, not numeric, so it stays {}.",
                info.inferred.label(),
                suggested.name()
            )),
        ),
        task => (task, None),
    }
}

/// What [`score`] finds from one prediction of every row.
struct Scored {
    metrics: Metrics,
    /// The model gives every training row the same prediction: it learned nothing.
    constant: bool,
    /// The predictions of the test rows, in the split's order.
    test_predicted: Predictions,
}

/// Train and test scores from one prediction of every row, the test score's
/// standard error (a bootstrap from `seed` for R²), and whether the model
/// gives every training row the same prediction: it learned nothing.
fn score(model: &dyn FittedModel, data: &Dataset, split: &Split, seed: u64) -> Result<Scored, SessionError> {
    let predicted = model.predict(&data.x)?;
    let (p_train, p_test) = (predicted.select_rows(&split.train), predicted.select_rows(&split.test));
    let constant = match &p_train {
        Predictions::Classes { proba, n_classes } => proba.chunks(*n_classes).all(|p| p == &proba[..*n_classes]),
        Predictions::Values(v) => v.iter().all(|&p| p == v[0]),
    };
    let (train, test) = (data.target.select_rows(&split.train), data.target.select_rows(&split.test));
    let metrics = match (&train, &test, p_train, &p_test) {
        (Target::Classes { y: yt, .. }, Target::Classes { y: ys, .. }, pt, ps) => {
            let test_accuracy = accuracy(ys, &ps.labels().unwrap_or_default());
            Metrics::Classification {
                train_accuracy: accuracy(yt, &pt.labels().unwrap_or_default()),
                test_accuracy,
                test_se: accuracy_standard_error(test_accuracy, ys.len()),
                n_train: yt.len(),
                n_test: ys.len(),
            }
        }
        (Target::Values(yt), Target::Values(ys), Predictions::Values(pt), Predictions::Values(ps)) => Metrics::Regression {
            train_r2: r2_score(yt, &pt),
            test_r2: r2_score(ys, ps),
            test_se: r2_standard_error(ys, ps, seed),
            train_mae: mean_absolute_error(yt, &pt),
            test_mae: mean_absolute_error(ys, ps),
            n_train: yt.len(),
            n_test: ys.len(),
        },
        _ => return Err(SessionError::Internal("predictions do not match the target's kind".into())),
    };
    Ok(Scored { metrics, constant, test_predicted: p_test })
}

/// Why a model that gives every training row the same prediction learned
/// nothing, in its own settings' words where one of them forbids every split
/// on `n_train` rows (the keys mean the same in every tree learner).
pub fn why_nothing_learned(spec: &ModelSpec, task: Task, params: &ParamValues, n_train: usize) -> String {
    let setting = |key: &str| {
        let p = (spec.params)(task).into_iter().find(|p| p.key == key)?;
        match params.get(key).cloned().unwrap_or_else(|| p.default_value()) {
            model::ParamValue::Int(v) => Some((p.label, usize::try_from(v).unwrap_or(0))),
            _ => None,
        }
    };
    let rows = format_count(n_train);
    let why = if let Some((label, leaf)) = setting("min_samples_leaf").filter(|&(_, leaf)| n_train < 2 * leaf) {
        format!(
            "with {rows} training rows no split can leave {leaf} rows ('{label}') on each side. Set '{label}' to {} or less",
            (n_train / 2).max(1)
        )
    } else if let Some((label, split)) = setting("min_samples_split").filter(|&(_, split)| n_train < split) {
        format!("it has {rows} training rows, fewer than '{label}' ({split}), so it never splits. Lower '{label}'")
    } else {
        "no feature changed its answer with these settings".to_string()
    };
    format!("{} learned nothing: it gives every training row the same prediction; {why}.", spec.name)
}

/// Rows the silhouette is computed on at most: it compares every pair.
const SILHOUETTE_ROWS: usize = 2000;

/// A clustering's scores (inertia per row on the training and the test rows,
/// the silhouette on a seeded sample of training rows, agreement with the
/// compared column over every row) and each row's cluster.
fn score_clusters(
    model: &dyn FittedModel,
    data: &Dataset,
    split: &Split,
    compared: Option<&ComparedColumn>,
    seed: u64,
) -> Result<(Metrics, Vec<u32>), SessionError> {
    let predicted = model.predict(&data.x)?;
    let (Some(labels), Some(centroids)) = (predicted.labels(), model.centroids()) else {
        return Err(SessionError::Internal("a clustering model gives clusters and centroids".into()));
    };
    let per_row = |rows: &[usize]| {
        let x = data.x.select_rows(rows);
        let l: Vec<u32> = rows.iter().map(|&r| labels[r]).collect();
        inertia(&x, &centroids, &l) / rows.len().max(1) as f64
    };
    let mut sample = split.train.clone();
    if sample.len() > SILHOUETTE_ROWS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        sample = rand::seq::index::sample(&mut rng, sample.len(), SILHOUETTE_ROWS).iter().map(|i| split.train[i]).collect();
        sample.sort_unstable();
    }
    let sample_labels: Vec<u32> = sample.iter().map(|&r| labels[r]).collect();
    let agreement = compared.map(|c| Agreement {
        column: c.column.clone(),
        adjusted_rand_index: adjusted_rand_index(&c.rows.iter().map(|&r| labels[r]).collect::<Vec<_>>(), &c.y),
    });
    let metrics = Metrics::Clustering {
        train_inertia: per_row(&split.train),
        test_inertia: per_row(&split.test),
        n_clusters: centroids.len(),
        silhouette: silhouette(&data.x.select_rows(&sample), &sample_labels),
        agreement,
        n_train: split.train.len(),
        n_test: split.test.len(),
    };
    Ok((metrics, labels))
}

/// Rows the inference time is measured on at most: enough for a steady
/// per-row time, few enough that a million-row table does not wait for a
/// whole extra prediction of every row before its answer.
const TIMING_ROWS: usize = 10_000;

/// Inference time per row: predictions over the first [`TIMING_ROWS`] rows,
/// repeated until the clock has seen at least 20 ms (or 50 rounds), so a
/// coarse browser timer still gives a meaningful number.
fn micros_per_row(model: &dyn FittedModel, x: &FeatureMatrix, clock: Clock) -> Result<f64, SessionError> {
    let sample;
    let x = if x.n_rows() > TIMING_ROWS {
        sample = x.select_rows(&(0..TIMING_ROWS).collect::<Vec<_>>());
        &sample
    } else {
        x
    };
    let start = clock();
    let mut rounds = 0usize;
    let mut elapsed = 0.0;
    while rounds < 50 && (rounds == 0 || elapsed < 20.0) {
        model.predict(x)?;
        rounds += 1;
        elapsed = clock() - start;
    }
    Ok(elapsed * 1e3 / (rounds * x.n_rows().max(1)) as f64)
}

/// Sums the model's per-input importances by table column, so a one-hot encoded
/// column gets one bar under its own name. An input made of several columns
/// ("PC1", "age × fare") keeps a bar of its own: its share cannot be split
/// among them.
fn column_importance(table: &Table, pipeline: &Pipeline, per_input: &[f64], measure: &str) -> ImportanceView {
    let mut items: Vec<(String, f64)> = Vec::new();
    let names = pipeline.features();
    for ((sources, info), &score) in pipeline.input_sources().iter().zip(&names).zip(per_input) {
        let name = match sources.as_slice() {
            [column] => table.columns[*column].name.clone(),
            _ => info.label(),
        };
        let name = &name;
        match items.iter_mut().find(|(n, _)| n == name) {
            Some(item) => item.1 += score,
            None => items.push((name.clone(), score)),
        }
    }
    sort_with(&mut items, &|a, b| b.1.total_cmp(&a.1));
    ImportanceView {
        title: format!("Feature importance ({measure})"),
        measure: format!("share of {measure}"),
        items,
        spread: None,
    }
}

// Native only: they time with `native_clock`; wasm is covered by crate/tests/wasm.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
