//! The model contract every micro model follows, and the registry that lists
//! them. The page's model list and its controls come from the catalog (each
//! model's [`ModelInfo`]); the worker fits and reads models through the
//! registry. Adding a model means a folder here and one entry in `models!`.

pub mod boosting;
pub mod catalog;
pub mod dataset;
pub mod ensemble;
mod error;
pub mod forest;
pub mod kmeans;
pub mod knn;
pub mod linear;
pub mod mlp;
pub mod naive_bayes;
pub mod params;
pub mod tree;
pub mod view;

pub use catalog::{Complexity, ModelInfo};
pub use dataset::{DataView, Dataset};
pub use error::{FitError, LoadError, PredictError};
pub use params::{ParamKind, ParamSpec, ParamValue, ParamValues};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::base::program::{Builder, NotLowered, Reg};
use crate::base::{FeatureInfo, FeatureMatrix, Progress, Target, Task};
use view::ModelView;

/// What a fitted model predicts for each row.
#[derive(Clone, Debug, PartialEq)]
pub enum Predictions {
    /// Class probabilities, row-major: `proba[row * n_classes + class]`.
    Classes {
        proba: Vec<f32>,
        n_classes: usize,
    },
    Values(Vec<f64>),
}

impl Predictions {
    /// The predictions of rows `rows`, in that order.
    pub fn select_rows(&self, rows: &[usize]) -> Predictions {
        match self {
            Predictions::Classes { proba, n_classes } => Predictions::Classes {
                proba: rows.iter().flat_map(|&r| &proba[r * n_classes..(r + 1) * n_classes]).copied().collect(),
                n_classes: *n_classes,
            },
            Predictions::Values(v) => Predictions::Values(rows.iter().map(|&r| v[r]).collect()),
        }
    }

    /// The most probable class of each row (ties to the lower index).
    pub fn labels(&self) -> Option<Vec<u32>> {
        match self {
            Predictions::Classes { proba, n_classes } => Some(
                proba
                    .chunks(*n_classes)
                    .map(|p| {
                        let mut best = 0;
                        for (i, &v) in p.iter().enumerate() {
                            if v > p[best] {
                                best = i;
                            }
                        }
                        best as u32
                    })
                    .collect(),
            ),
            Predictions::Values(_) => None,
        }
    }
}

/// What a fitted model can show about itself, as plain data for the renderers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation {
    /// The model's own views, most telling first.
    pub views: Vec<ModelView>,
    /// The model's own importance per input (after encoding), summing to 1
    /// when present (impurity decrease, |standardized coefficient|, …).
    pub feature_importance: Option<Vec<f64>>,
    /// What `feature_importance` measures, for the chart's title.
    pub importance_measure: &'static str,
}

/// A model after fitting: it predicts, explains itself and says how big it is.
pub trait FittedModel {
    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError>;
    /// `features` names the model's inputs in the person's terms; `target_name`
    /// and `class_names` the target.
    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation;
    /// Numbers the model learned (thresholds, coefficients, weights, …).
    fn n_parameters(&self) -> usize;
    /// The fitted model in a compact binary form (postcard); its length is the
    /// model's size on the model card.
    fn to_bytes(&self) -> Vec<u8>;
    /// The training rows (indices into the training set) a prediction at
    /// `query` rests on, for models that predict from neighbours.
    fn neighbours_of(&self, _query: &[f32]) -> Option<Vec<usize>> {
        None
    }
    /// The centres a clustering model groups rows around, one per cluster, in
    /// the model's input units.
    fn centroids(&self) -> Option<Vec<Vec<f32>>> {
        None
    }
    /// The ensemble this model is, so a row can be traced through each
    /// member and the vote, and the ensemble refitted with the same members.
    fn ensemble(&self) -> Option<&ensemble::Ensemble> {
        None
    }
    /// The fitted model as program ops over its inputs in registers
    /// `inputs..inputs + n_features`, for export as code; the first register
    /// of its answer (the class probabilities, or the value). Each model
    /// lowers itself beside its `predict`, op for op, so the program gives
    /// the page's bits.
    fn lower(&self, _b: &mut Builder, _inputs: Reg) -> Result<Reg, NotLowered> {
        Err(NotLowered("this model cannot be exported as code yet".to_string()))
    }
}

/// A model kind in the registry: what the page shows of it (its
/// [`ModelInfo`], in the catalog) and the functions that fit and read it.
/// Only the worker's session reaches these functions; the page reads the
/// catalog alone, so its wasm links none of the models.
pub struct ModelSpec {
    /// The model's id, name, tasks and settings, as the page lists them.
    pub info: &'static ModelInfo,
    /// Validates `values` against the specs, then fits on `train`.
    pub fit: FitFn,
    /// Reads back what [`FittedModel::to_bytes`] wrote.
    pub load: LoadFn,
    /// Writes the fitted model (as [`FittedModel::to_bytes`] holds it) as
    /// readable JSON: a model file's fitted state.
    pub to_json: ToJsonFn,
    /// Reads back and checks what `to_json` wrote.
    pub from_json: FromJsonFn,
}

/// A model kind reads as its catalog entry (`spec.id`, `spec.params`), so
/// the session names a model's metadata one way whichever it holds.
impl std::ops::Deref for ModelSpec {
    type Target = ModelInfo;

    fn deref(&self) -> &ModelInfo {
        self.info
    }
}

/// A model kind shows as its id: its functions say nothing in a debug print.
impl std::fmt::Debug for ModelSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelSpec").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Fits a model from the page's values on a training set with a seed.
pub type FitFn = fn(&ParamValues, &DataView, u64, &mut dyn Progress) -> Result<Box<dyn FittedModel>, FitError>;

/// Reads a fitted model back from the bytes of [`FittedModel::to_bytes`].
pub type LoadFn = fn(&[u8]) -> Result<Box<dyn FittedModel>, LoadError>;

/// Writes a fitted model's bytes as readable JSON.
pub type ToJsonFn = fn(&[u8]) -> Result<serde_json::Value, LoadError>;

/// Reads a fitted model back from the JSON of a [`ToJsonFn`].
pub type FromJsonFn = fn(serde_json::Value) -> Result<Box<dyn FittedModel>, LoadError>;

/// A fitted model as it is stored and read back: serialized, and checked
/// after reading, so that a damaged or hand-edited file is refused with a
/// reason instead of panicking at its first prediction (a child index past
/// the last node, weights of the wrong length). Deserializing checks only
/// the types; this checks that the parts fit together.
pub trait Stored: FittedModel + Serialize + DeserializeOwned {
    /// Whether every index and length in the model is one prediction can follow.
    fn check_stored(&self) -> Result<(), LoadError>;
}

/// The one way every model fits: its typed settings, read from the page's
/// values and checked against its specs, fit a training set with a seed and a
/// progress sink. The seed is taken even by deterministic models, so that
/// cross-validation, search and ensembles drive every model alike.
///
/// As linfa's `ParamGuard`: settings built in code may hold any value, but
/// [`Fit::fit`] checks them with [`Fit::check`] before the model's own
/// [`Fit::fit_checked`] runs, so no model ever fits settings outside the
/// ranges it can honour.
pub trait Fit: Sized {
    type Model: Stored + 'static;

    /// Reads and checks the page's values for `task`: the way from untrusted
    /// values to settings, naming the setting and its range when one is out.
    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError>;

    /// Whether these settings can be fitted, saying which one cannot and why.
    fn check(&self) -> Result<(), FitError>;

    /// Fits checked settings; call [`Fit::fit`] instead.
    fn fit_checked(&self, train: &DataView, seed: u64, progress: &mut dyn Progress) -> Result<Self::Model, FitError>;

    /// Fits the rows of `train`: a [`Dataset`] (all its rows) or a
    /// [`DataView`] of some of them.
    fn fit<'a>(
        &self,
        train: impl Into<DataView<'a>>,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<Self::Model, FitError> {
        self.check()?;
        self.fit_checked(&train.into(), seed, progress)
    }
}

/// The registry's [`FitFn`] for settings `P`.
pub fn fit_boxed<P: Fit>(
    values: &ParamValues,
    train: &DataView,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<Box<dyn FittedModel>, FitError> {
    let params = P::from_values(train.source().target.task(), values)?;
    Ok(Box::new(params.fit(train, seed, progress)?))
}

/// The registry's [`LoadFn`] for settings `P`.
pub fn load_boxed<P: Fit>(bytes: &[u8]) -> Result<Box<dyn FittedModel>, LoadError> {
    let model: P::Model = postcard::from_bytes(bytes).map_err(|e| LoadError::Damaged(e.to_string()))?;
    model.check_stored()?;
    Ok(Box::new(model))
}

/// The registry's [`ToJsonFn`] for settings `P`: the model's bytes read back
/// as its own type, so the JSON names every field.
pub fn to_json_boxed<P: Fit>(bytes: &[u8]) -> Result<serde_json::Value, LoadError> {
    let model: P::Model = postcard::from_bytes(bytes).map_err(|e| LoadError::Damaged(e.to_string()))?;
    serde_json::to_value(&model).map_err(|e| LoadError::Damaged(e.to_string()))
}

/// The registry's [`FromJsonFn`] for settings `P`.
pub fn from_json_boxed<P: Fit>(json: serde_json::Value) -> Result<Box<dyn FittedModel>, LoadError> {
    let model: P::Model = serde_json::from_value(json).map_err(|e| LoadError::Damaged(e.to_string()))?;
    model.check_stored()?;
    Ok(Box::new(model))
}

/// Lists every model once, as the fitting registry and as the page's
/// catalog, in the order the page lists them: one list, so the two cannot
/// disagree. The catalog takes each entry's `info` alone, so a binary that
/// reads only [`CATALOG`] links no model's code.
macro_rules! models {
    ($($spec:expr),* $(,)?) => {
        /// Every model the page offers, with the functions that fit it.
        pub static REGISTRY: &[ModelSpec] = &[$($spec),*];
        /// Every model the page offers, as the page shows it (no code).
        pub static CATALOG: &[&ModelInfo] = &[$($spec.info),*];
    };
}

models![
    tree::SPEC,
    forest::SPEC,
    boosting::SPEC,
    linear::OLS,
    linear::RIDGE,
    linear::LASSO,
    linear::LOGISTIC,
    knn::SPEC,
    naive_bayes::SPEC,
    mlp::SPEC,
    kmeans::SPEC,
];

/// Looks a model up by its id, with the functions that fit it.
pub fn find(id: &str) -> Option<&'static ModelSpec> {
    REGISTRY.iter().find(|m| m.id == id)
}
