//! The trained model as a file: one readable JSON document holding what
//! trained it (dataset, columns, target, pipeline spec, model and settings,
//! seed and split), the fitted pipeline, the model's fitted state and its
//! scores. Saving writes it; loading checks the format's version and every
//! index in it, rebuilds the pipeline and model, and installs them as the
//! trained model on the table loaded, as if just trained there.
//!
//! A load that fails leaves the session as it was: nothing is installed
//! until the file, the model and the table have all been checked.

use serde::{Deserialize, Serialize};

use super::{measure, plan, Prepared, Session, SessionError, TrainReport, TrainRequest};
use crate::base::{Progress, Target, Task};
use crate::data::{ColumnKind, Table};
use crate::eval::Metrics;
use crate::model::{self, Dataset};
use crate::prep::{Pipeline, PrepError};

/// What the file says it is, so another JSON file is told apart from a
/// damaged model file.
pub const FORMAT: &str = "micro-models/model";
/// The newest format this page reads and the one it writes. A file of a
/// higher version is refused by number, not read as well as can be.
pub const FORMAT_VERSION: u64 = 1;

/// A trained model as a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written.
    pub version: u64,
    pub dataset: DatasetInfo,
    /// The target's classes in the model's order (empty for a number or a clustering).
    pub classes: Vec<String>,
    /// What trained it: target, task, columns and their kinds, registry id,
    /// settings, seed, pipeline spec and test share.
    pub request: TrainRequest,
    pub split: SplitInfo,
    /// The pipeline as fitted on the training rows: fills, levels and their
    /// groups, scalers, bin edges, components.
    pub pipeline: Pipeline,
    pub model: ModelState,
    /// The scores when it was saved, on its own table.
    pub metrics: Metrics,
}

/// The table a model was trained on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// As the page named it: a bundled dataset's name or the file's.
    pub name: String,
    /// FNV-1a (64 bits, hex) of the table's bytes as read, to tell the same
    /// table from another with the same columns.
    pub content_hash: String,
    /// The columns the model reads, the target first.
    pub columns: Vec<ColumnInfoSaved>,
}

/// One column the model reads, as it read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfoSaved {
    pub name: String,
    pub kind: ColumnKind,
    /// A text column's levels, in the table's order (what its codes index).
    #[serde(default)]
    pub levels: Vec<String>,
}

/// How the rows were split into training and test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitInfo {
    pub seed: u64,
    pub test_share: f64,
    /// In words: stratified by class or shuffled, seeded.
    pub how: String,
    pub n_train: usize,
    pub n_test: usize,
}

/// The fitted model: its registry id and name, and its fitted state as the
/// model's own types write it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelState {
    pub id: String,
    /// As the page shows it (a distilled student names its teacher).
    pub name: String,
    pub params: model::ParamValues,
    pub state: serde_json::Value,
}

/// A model file written for download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    /// `<dataset>-<model>.model.json`.
    pub file_name: String,
    pub json: String,
}

/// A model file loaded and installed as the trained model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadedModel {
    /// What trained it, for the page's controls.
    pub request: TrainRequest,
    /// The model on the table loaded, as after training.
    pub report: TrainReport,
    /// The table it was trained on.
    pub dataset: String,
    /// Said when the table loaded is not the one it was trained on (same
    /// columns, other rows): the scores are this table's.
    pub note: Option<String>,
}

/// A table's fingerprint in a model file: [`Fnv1a`](crate::base::Fnv1a)
/// of its bytes (the reader computes it as it reads a file).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hash = crate::base::Fnv1a::default();
    hash.update(bytes);
    hash.hex()
}

/// A file name's part from free text: letters, digits, `-` and `_` kept.
fn file_part(text: &str) -> String {
    let kept: String = text.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    kept.trim_matches('_').to_string()
}

impl Session {
    /// The trained model as a [`ModelFile`]'s JSON. An ensemble is refused:
    /// its members would each need a file of their own.
    pub(super) fn save_model(&self) -> Result<SavedModel, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        if trained.model.ensemble().is_some() {
            return Err(SessionError::EnsembleNotSaved);
        }
        let req = &trained.request;
        let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
        let bytes = trained.model.to_bytes();
        let state = (spec.to_json)(&bytes)?;
        // Written only if it reads back to the same model: JSON holds no ∞ or NaN.
        if (spec.from_json)(state.clone())?.to_bytes() != bytes {
            return Err(SessionError::NotSavable(trained.model_name.clone()));
        }
        let source = self.source.clone().unwrap_or_default();
        let classes = match &trained.data.target {
            Target::Classes { names, .. } => names.clone(),
            Target::Values(_) | Target::Unlabeled { .. } => Vec::new(),
        };
        let used = std::iter::once(req.target.as_str())
            .filter(|t| !t.is_empty())
            .chain(req.columns.iter().filter(|u| u.included && u.name != req.target).map(|u| u.name.as_str()));
        let columns = used
            .filter_map(|name| table.column_index(name).map(|i| (name, &table.columns[i])))
            .map(|(name, column)| ColumnInfoSaved {
                name: name.to_string(),
                kind: req.columns.iter().find(|u| u.name == name).map_or(column.inferred, |u| u.kind),
                levels: match &column.data {
                    crate::data::ColumnData::Text { levels, .. } => levels.clone(),
                    _ => Vec::new(),
                },
            })
            .collect();
        let how = match req.task {
            Task::Classification => "stratified by class, shuffled with the seed",
            Task::Regression | Task::Clustering => "shuffled with the seed",
        };
        let file = ModelFile {
            format: FORMAT.to_string(),
            version: FORMAT_VERSION,
            dataset: DatasetInfo { name: source.name.clone(), content_hash: source.hash, columns },
            classes,
            request: req.clone(),
            split: SplitInfo {
                seed: req.seed,
                test_share: req.test_share,
                how: how.to_string(),
                n_train: trained.split.train.len(),
                n_test: trained.split.test.len(),
            },
            pipeline: trained.pipeline.clone(),
            model: ModelState {
                id: spec.id.to_string(),
                name: trained.model_name.clone(),
                params: req.params.clone(),
                state,
            },
            metrics: trained.metrics.clone(),
        };
        let json = serde_json::to_string_pretty(&file).map_err(|e| SessionError::Internal(e.to_string()))?;
        let file_name = format!("{}-{}.model.json", file_part(&source.name), file_part(spec.id));
        Ok(SavedModel { file_name, json })
    }

    /// Reads a model file, checks it, and installs its model on the table
    /// loaded. Nothing changes until every check has passed.
    pub(super) fn load_model(&mut self, json: &str, progress: &mut dyn Progress) -> Result<LoadedModel, SessionError> {
        let file = read(json)?;
        let spec = model::find(&file.model.id).ok_or_else(|| SessionError::UnknownModel(file.model.id.clone()))?;
        let req = TrainRequest { model: file.model.id.clone(), params: file.model.params.clone(), ..file.request.clone() };
        if !spec.tasks.contains(&req.task) {
            return Err(damaged(format!("the model '{}' does not do {}", spec.id, req.task.name())));
        }
        file.pipeline.check()?;
        let model = (spec.from_json)(file.model.state.clone())?;
        let table = self.table.as_ref().ok_or_else(|| SessionError::ModelNeedsTable(file.dataset.name.clone()))?;
        let prepared = prepared_on(table, &req, &file).map_err(|e| match e {
            SessionError::Prep(PrepError::TableDiffers(why)) => {
                SessionError::ModelTableDiffers { dataset: file.dataset.name.clone(), why }
            }
            other => other,
        })?;
        // The model reads the pipeline's inputs and answers as its target asks:
        // as many classes, clusters, or a number.
        let first: Vec<usize> = (0..prepared.data.x.n_rows().min(1)).collect();
        let fits = match (model.predict(&prepared.data.x.select_rows(&first))?, &prepared.data.target) {
            (model::Predictions::Classes { n_classes, .. }, Target::Classes { names, .. }) => n_classes == names.len(),
            (model::Predictions::Classes { .. }, Target::Unlabeled { .. }) => true,
            (model::Predictions::Values(_), Target::Values(_)) => true,
            _ => false,
        };
        if !fits {
            return Err(damaged(format!("its model's answers do not fit a {} target", req.task.name())));
        }
        let mut fitted = measure(table, &req, Some(spec), file.model.name.clone(), prepared, model, 0.0, self.clock)?;
        fitted.trained.model_name = file.model.name.clone();
        let note = match &self.source {
            Some(source) if source.hash != file.dataset.content_hash => Some(format!(
                "This model was trained on '{}'; the table loaded has the same columns but other rows, so the scores \
                 below are on this table's rows.",
                file.dataset.name
            )),
            _ => None,
        };
        let report = self.install(fitted, super::Staging::Whole { learning_curve: None }, progress)?;
        Ok(LoadedModel { request: req, report, dataset: file.dataset.name, note })
    }
}

/// The table as `file`'s model reads it: its pipeline moved onto `table`'s
/// columns, the request's rows, target and seeded split, the inputs encoded.
fn prepared_on(table: &Table, req: &TrainRequest, file: &ModelFile) -> Result<Prepared, SessionError> {
    let target_column = table.column_index(&req.target);
    if !req.target.is_empty() && target_column.is_none() {
        return Err(PrepError::TableDiffers(format!("it has no target column '{}'", req.target)).into());
    }
    let pipeline = file.pipeline.on_table(table)?;
    let plan = plan(table, req)?;
    if let Target::Classes { names, .. } = &plan.target {
        if req.task == Task::Classification && !file.classes.is_empty() && *names != file.classes {
            return Err(PrepError::TableDiffers(format!(
                "the target '{}' has the classes {} here, the model knows {}",
                req.target,
                names.join(", "),
                file.classes.join(", ")
            ))
            .into());
        }
    }
    let feature_columns: Vec<usize> = plan.features.iter().map(|&(c, _)| c).collect();
    if feature_columns != pipeline.feature_columns() {
        return Err(damaged("its columns and its pipeline's columns differ".into()));
    }
    let data = Dataset {
        x: pipeline.transform(table, &plan.rows),
        target: plan.target,
        feature_names: pipeline.features().iter().map(|f| f.column.clone()).collect(),
    };
    Ok(Prepared { pipeline, data, split: plan.split, rows: plan.rows, feature_columns, compared: plan.compared })
}

/// The file's JSON as a [`ModelFile`], its format and version checked first
/// so that a newer file is told by its number, whatever else it holds.
fn read(json: &str) -> Result<ModelFile, SessionError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| damaged(format!("it is not JSON ({e})")))?;
    if value.get("format").and_then(serde_json::Value::as_str) != Some(FORMAT) {
        return Err(damaged("it is not a Micro Models model file (no \"format\": \"micro-models/model\")".into()));
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(version) if version > FORMAT_VERSION => {
            return Err(SessionError::ModelFileVersion { found: version, reads: FORMAT_VERSION })
        }
        Some(_) => {}
        None => return Err(damaged("it has no format version".into())),
    }
    serde_json::from_value(value).map_err(|e| damaged(e.to_string()))
}

fn damaged(why: String) -> SessionError {
    SessionError::ModelFileDamaged(why)
}

/// The table loaded: its name as the page gave it and its content hash.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Source {
    pub name: String,
    pub hash: String,
}

// Native only: training times with `native_clock`.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
