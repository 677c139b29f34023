//! Ensembles of any registered models: a vote over classes (hard, or soft on
//! probabilities), an average of values, or a stack, where the members'
//! out-of-fold predictions feed a meta model that learns how far to trust
//! each. Every member sees the same input matrix (one pipeline for the whole
//! ensemble), so the ensemble is one [`FittedModel`] over one input matrix and
//! everything that explains a model (boundary, tracing, importance) explains
//! it unchanged.
//!
//! The rules follow scikit-learn's `VotingClassifier`, `VotingRegressor`,
//! `StackingClassifier` and `StackingRegressor` (`stack_method="predict_proba"`,
//! `passthrough=False`), which the conformance tests hold them to.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::view::{MembersView, ModelView};
use super::{find, DataView, Dataset, Explanation, FitError, FittedModel, LoadError, ModelSpec, ParamValues, PredictError};
use super::{ModelInfo, Predictions, CATALOG};
use crate::base::{
    k_folds, stratified_k_folds, Encoding, FeatureInfo, FeatureMatrix, FoldError, NoProgress, Progress, Scaling, Split,
    Target, Task,
};

/// Folds a stack's out-of-fold predictions are made on, unless asked otherwise.
pub const STACK_FOLDS: usize = 5;

/// How an ensemble combines its members, as the page asks for it (models by
/// registry id); [`EnsembleParams::new`] checks it against the task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EnsembleKind {
    /// Classes: the weighted majority of the members' classes (`soft: false`)
    /// or the class of the weighted mean of their probabilities.
    Vote { soft: bool },
    /// Values: the weighted mean of the members' values.
    Average,
    /// A meta model (registry id; `None` for logistic regression on classes,
    /// ridge on values) fitted on the members' out-of-fold predictions over
    /// `folds` folds of the training rows.
    Stack {
        meta: Option<String>,
        #[serde(default = "default_folds")]
        folds: usize,
    },
}

fn default_folds() -> usize {
    STACK_FOLDS
}

/// How a checked ensemble combines its members.
#[derive(Clone, Debug)]
pub enum Combine {
    Vote { soft: bool, weights: Vec<f64> },
    Average { weights: Vec<f64> },
    Stack { meta: &'static ModelSpec, folds: usize },
}

/// One member: a registered model with its settings.
#[derive(Clone, Debug)]
pub struct MemberSpec {
    pub spec: &'static ModelSpec,
    pub params: ParamValues,
}

/// Checked settings of an ensemble: at least two members that do the task, a
/// way to combine them that fits the task, one weight per member.
#[derive(Clone, Debug)]
pub struct EnsembleParams {
    task: Task,
    members: Vec<MemberSpec>,
    combine: Combine,
}

/// Why an ensemble cannot be built, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum EnsembleError {
    #[error("An ensemble needs at least two members, and {0} was picked. Tick two or more models.")]
    TooFewMembers(usize),
    #[error("There is no model named '{0}'.")]
    UnknownModel(String),
    #[error("{member} does not do {task}, so it cannot be a member here. Untick it.")]
    MemberTask { member: String, task: String },
    #[error("{meta} does not do {task}, so it cannot combine the members. Pick another meta model.")]
    MetaTask { meta: String, task: String },
    #[error("{kind} does not fit {task}: {hint}")]
    KindTask { kind: String, task: String, hint: String },
    #[error("There are {members} members but {weights} weights. Give one weight per member, or none.")]
    WeightCount { members: usize, weights: usize },
    #[error("Weight {index} is {value}; each weight must be a number of 0 or more.")]
    BadWeight { index: usize, value: String },
    #[error("Every weight is 0, so no member has a say. Give at least one member a weight above 0.")]
    ZeroWeights,
    #[error("A stack learns how far to trust each member itself; weights apply to a vote or an average. Clear them.")]
    WeightsWithStack,
    #[error("Member {member} could not be fitted: {error}")]
    Member { member: String, error: FitError },
    #[error("The meta model could not be fitted on the members' predictions: {0}")]
    Meta(FitError),
    #[error(transparent)]
    Folds(#[from] FoldError),
    #[error(transparent)]
    Predict(#[from] PredictError),
}

impl EnsembleParams {
    /// Checks what the page asked for against `task`: members by registry id
    /// with their settings, the kind, and the weights (finite, ≥ 0, not all
    /// 0, one per member; none for equal weights).
    pub fn new(
        task: Task,
        members: Vec<(String, ParamValues)>,
        kind: &EnsembleKind,
        weights: Option<Vec<f64>>,
    ) -> Result<EnsembleParams, EnsembleError> {
        if members.len() < 2 {
            return Err(EnsembleError::TooFewMembers(members.len()));
        }
        let members = members
            .into_iter()
            .map(|(id, params)| {
                let spec = find(&id).ok_or(EnsembleError::UnknownModel(id))?;
                if !spec.tasks.contains(&task) {
                    return Err(EnsembleError::MemberTask { member: spec.name.into(), task: task.name().into() });
                }
                Ok(MemberSpec { spec, params })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let weights = match (kind, weights) {
            (EnsembleKind::Stack { .. }, Some(_)) => return Err(EnsembleError::WeightsWithStack),
            (_, None) => vec![1.0; members.len()],
            (_, Some(w)) if w.len() != members.len() => {
                return Err(EnsembleError::WeightCount { members: members.len(), weights: w.len() })
            }
            (_, Some(w)) => {
                if let Some((index, v)) = w.iter().enumerate().find(|(_, v)| !v.is_finite() || **v < 0.0) {
                    return Err(EnsembleError::BadWeight { index: index + 1, value: v.to_string() });
                }
                if w.iter().all(|&v| v == 0.0) {
                    return Err(EnsembleError::ZeroWeights);
                }
                w
            }
        };
        let kind_task = |kind: &str, hint: &str| EnsembleError::KindTask {
            kind: kind.into(),
            task: task.name().into(),
            hint: hint.into(),
        };
        let combine = match (kind, task) {
            (_, Task::Clustering) => {
                return Err(kind_task("An ensemble", "clusters have no shared names to vote on or average."))
            }
            (EnsembleKind::Vote { soft }, Task::Classification) => Combine::Vote { soft: *soft, weights },
            (EnsembleKind::Vote { .. }, _) => return Err(kind_task("A vote", "values are averaged; pick 'average'.")),
            (EnsembleKind::Average, Task::Regression) => Combine::Average { weights },
            (EnsembleKind::Average, _) => return Err(kind_task("An average", "classes are voted on; pick 'vote'.")),
            (EnsembleKind::Stack { meta, folds }, _) => {
                let id = meta.clone().unwrap_or_else(|| default_meta(task).to_string());
                let meta = find(&id).ok_or(EnsembleError::UnknownModel(id))?;
                if !meta.tasks.contains(&task) {
                    return Err(EnsembleError::MetaTask { meta: meta.name.into(), task: task.name().into() });
                }
                if *folds < 2 {
                    return Err(FoldError::TooFewFolds(*folds).into());
                }
                Combine::Stack { meta, folds: *folds }
            }
        };
        Ok(EnsembleParams { task, members, combine })
    }

    pub fn members(&self) -> &[MemberSpec] {
        &self.members
    }

    pub fn combine(&self) -> &Combine {
        &self.combine
    }

    /// How the members want their numeric inputs: standardized when any
    /// member does, as every member sees the same matrix (a tree does not
    /// mind scaled inputs; kNN and logistic regression do mind raw ones).
    pub fn scaling(&self) -> Scaling {
        match self.members.iter().any(|m| m.spec.scaling == Scaling::Standardize) {
            true => Scaling::Standardize,
            false => Scaling::None,
        }
    }

    /// The ensemble's name: "soft vote of 3", "stack of 3 (Logistic regression)".
    pub fn name(&self) -> String {
        let n = self.members.len();
        match &self.combine {
            Combine::Vote { soft: true, .. } => format!("Soft vote of {n}"),
            Combine::Vote { soft: false, .. } => format!("Hard vote of {n}"),
            Combine::Average { .. } => format!("Average of {n}"),
            Combine::Stack { meta, .. } => format!("Stack of {n} ({})", meta.name),
        }
    }

    /// Fits every member on `train` with `seed`; a stack first fits each
    /// member on every fold of `train` to get its out-of-fold predictions,
    /// then fits the meta model on those, then refits the members on all of
    /// `train`, as scikit-learn's `StackingClassifier` does.
    pub fn fit(&self, train: &DataView, seed: u64, progress: &mut dyn Progress) -> Result<Ensemble, EnsembleError> {
        let n_classes = match train.target().as_ref() {
            Target::Classes { names, .. } => Some(names.len()),
            _ => None,
        };
        let n = self.members.len();
        let folds = match &self.combine {
            Combine::Stack { folds, .. } => *folds,
            _ => 0,
        };
        // Progress counts member fits: each member once, and once per fold in a stack.
        let total = n * (1 + folds);
        let mut done = 0;
        let combiner = match &self.combine {
            Combine::Vote { soft, weights } => Combiner::Vote { soft: *soft, weights: weights.clone() },
            Combine::Average { weights } => Combiner::Average { weights: weights.clone() },
            Combine::Stack { meta, folds } => {
                let target = train.target().into_owned();
                let splits = stack_folds(&target, *folds, seed)?;
                let mut out_of_fold = Vec::with_capacity(n);
                for member in &self.members {
                    let mut parts = Vec::with_capacity(splits.len());
                    for (f, split) in splits.iter().enumerate() {
                        progress.report(done, total, &format!("{} on fold {} of {folds}", member.spec.name, f + 1));
                        let model = fit_member(member, &train.select(&split.train), seed)?;
                        parts.push((&split.test, model.predict(&train.select(&split.test).to_dataset().x)?));
                        done += 1;
                    }
                    out_of_fold.push(scatter(&parts, train.n_rows(), n_classes));
                }
                let model = fit_meta(meta, &self.members, &out_of_fold, target, seed)?;
                Combiner::Stack { meta, folds: *folds, model }
            }
        };
        let mut members = Vec::with_capacity(n);
        for member in &self.members {
            progress.report(done, total, &format!("{} on every training row", member.spec.name));
            members.push(Member { spec: member.clone(), model: fit_member(member, train, seed)? });
            done += 1;
        }
        progress.report(total, total, "ensemble fitted");
        Ok(Ensemble { task: self.task, members, combiner, n_classes })
    }
}

/// The folds of the training rows (positions in the training view) a stack's
/// out-of-fold predictions come from: stratified for classes, seeded. The
/// conformance export hands these same folds to scikit-learn as `cv=`.
pub fn stack_folds(target: &Target, k: usize, seed: u64) -> Result<Vec<Split>, FoldError> {
    match target {
        Target::Classes { y, names } => stratified_k_folds(y, names.len(), k, seed),
        _ => k_folds(target.len(), k, seed),
    }
}

/// The meta model a stack gets unless the person picks another.
pub fn default_meta(task: Task) -> &'static str {
    match task {
        Task::Regression => "ridge",
        _ => "logistic_regression",
    }
}

/// The models a member or meta model may be for `task`, as the catalog
/// lists them (the page offers them without linking their code).
pub fn candidates(task: Task) -> impl Iterator<Item = &'static ModelInfo> {
    CATALOG.iter().copied().filter(move |m| m.tasks.contains(&task))
}

/// Fits a stack's meta model (with its default settings) on the members'
/// out-of-fold predictions of the training rows, whose `target` it learns.
fn fit_meta(
    meta: &ModelSpec,
    members: &[MemberSpec],
    out_of_fold: &[Predictions],
    target: Target,
    seed: u64,
) -> Result<Box<dyn FittedModel>, EnsembleError> {
    let data = Dataset {
        x: stack_inputs(out_of_fold, target.len()),
        feature_names: stack_input_names(members, target.class_names()),
        target,
    };
    (meta.fit)(&ParamValues::new(), &data.as_view(), seed, &mut NoProgress).map_err(EnsembleError::Meta)
}

/// Fits one member; the ensemble reports progress per member fit, not within one.
fn fit_member(member: &MemberSpec, train: &DataView, seed: u64) -> Result<Box<dyn FittedModel>, EnsembleError> {
    (member.spec.fit)(&member.params, train, seed, &mut NoProgress)
        .map_err(|error| EnsembleError::Member { member: member.spec.name.into(), error })
}

/// Each part's predictions (of the rows at positions `rows`) put back in row order.
fn scatter(parts: &[(&Vec<usize>, Predictions)], n_rows: usize, n_classes: Option<usize>) -> Predictions {
    match n_classes {
        Some(k) => {
            let mut all = vec![0.0f32; n_rows * k];
            for (rows, predicted) in parts {
                if let Predictions::Classes { proba, .. } = predicted {
                    for (i, &r) in rows.iter().enumerate() {
                        all[r * k..(r + 1) * k].copy_from_slice(&proba[i * k..(i + 1) * k]);
                    }
                }
            }
            Predictions::Classes { proba: all, n_classes: k }
        }
        None => {
            let mut all = vec![0.0f64; n_rows];
            for (rows, predicted) in parts {
                if let Predictions::Values(v) = predicted {
                    rows.iter().zip(v).for_each(|(&r, &p)| all[r] = p);
                }
            }
            Predictions::Values(all)
        }
    }
}

/// The probability columns of each member a stack reads: all of them, or for
/// two classes only the second (the first adds nothing, as it is one minus
/// the second), as scikit-learn's `StackingClassifier` drops it.
fn kept_classes(n_classes: usize) -> std::ops::Range<usize> {
    if n_classes == 2 {
        1..2
    } else {
        0..n_classes
    }
}

/// The meta model's inputs: each member's kept probabilities, or its value,
/// member after member.
fn stack_inputs(predicted: &[Predictions], n_rows: usize) -> FeatureMatrix {
    let mut columns = Vec::new();
    for p in predicted {
        match p {
            Predictions::Classes { proba, n_classes } => {
                for c in kept_classes(*n_classes) {
                    columns.push(proba.chunks(*n_classes).map(|row| row[c]).collect());
                }
            }
            Predictions::Values(v) => columns.push(v.iter().map(|&v| v as f32).collect()),
        }
    }
    FeatureMatrix::from_columns(n_rows, columns)
}

/// The meta model's inputs by name: "Decision tree: P(Adelie)", or the
/// member's name for a value.
fn stack_input_names(members: &[MemberSpec], class_names: &[String]) -> Vec<String> {
    members
        .iter()
        .flat_map(|m| match class_names.len() {
            0 => vec![m.spec.name.to_string()],
            k => kept_classes(k).map(|c| format!("{}: P({})", m.spec.name, class_names[c])).collect(),
        })
        .collect()
}

/// A fitted member.
pub struct Member {
    pub spec: MemberSpec,
    pub model: Box<dyn FittedModel>,
}

/// How a fitted ensemble combines its members: a stack holds its fitted meta model.
enum Combiner {
    Vote { soft: bool, weights: Vec<f64> },
    Average { weights: Vec<f64> },
    Stack { meta: &'static ModelSpec, folds: usize, model: Box<dyn FittedModel> },
}

/// A fitted ensemble: its members and how it combines them.
pub struct Ensemble {
    task: Task,
    members: Vec<Member>,
    combiner: Combiner,
    /// The number of classes, `None` for values.
    n_classes: Option<usize>,
}

impl Ensemble {
    /// The settings it was fitted with, to fit it again on other rows or columns.
    pub fn params(&self) -> EnsembleParams {
        let combine = match &self.combiner {
            Combiner::Vote { soft, weights } => Combine::Vote { soft: *soft, weights: weights.clone() },
            Combiner::Average { weights } => Combine::Average { weights: weights.clone() },
            Combiner::Stack { meta, folds, .. } => Combine::Stack { meta, folds: *folds },
        };
        EnsembleParams { task: self.task, members: self.members.iter().map(|m| m.spec.clone()).collect(), combine }
    }

    /// "Soft vote of 3", as [`EnsembleParams::name`].
    pub fn name(&self) -> String {
        self.params().name()
    }

    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Each member's predictions of `x`, in member order.
    pub fn member_predictions(&self, x: &FeatureMatrix) -> Result<Vec<Predictions>, PredictError> {
        self.members.iter().map(|m| m.model.predict(x)).collect()
    }

    /// The ensemble's prediction from its members' predictions of the same rows.
    pub fn combine(&self, predicted: &[Predictions], n_rows: usize) -> Result<Predictions, PredictError> {
        match &self.combiner {
            Combiner::Vote { soft, weights } => Ok(vote(predicted, weights, *soft, n_rows, self.n_classes.unwrap_or(0))),
            Combiner::Average { weights } => Ok(average(predicted, weights, n_rows)),
            Combiner::Stack { model, .. } => model.predict(&stack_inputs(predicted, n_rows)),
        }
    }

    /// How much each member counts, in member order: its share of the vote
    /// weights, or for a stack what the meta model learned of it (per member
    /// the summed |coefficient| over its probability columns as shares, the
    /// coefficient itself for one value per member, else the meta model's
    /// own importance summed per member). `None` for a meta model that shows
    /// neither.
    pub fn trust(&self, target: &Target, target_name: &str) -> Option<MembersView> {
        let names: Vec<String> = self.members.iter().map(|m| m.spec.spec.name.to_string()).collect();
        let shares = |w: &[f64]| {
            let total: f64 = w.iter().sum();
            w.iter().map(|v| v / total).collect::<Vec<f64>>()
        };
        let (weights, measure, title) = match &self.combiner {
            Combiner::Vote { weights, .. } | Combiner::Average { weights } => {
                (shares(weights), "share of the vote".to_string(), "How much each member counts".to_string())
            }
            Combiner::Stack { meta: spec, model: meta, .. } => {
                let specs: Vec<MemberSpec> = self.members.iter().map(|m| m.spec.clone()).collect();
                let inputs = stack_input_names(&specs, target.class_names());
                let features: Vec<FeatureInfo> =
                    inputs.iter().map(|c| FeatureInfo { column: c.clone(), encoding: Encoding::Value }).collect();
                let explained = meta.explain(&features, target, target_name);
                let per = inputs.len() / self.members.len().max(1);
                let coefficients = explained.views.iter().find_map(|v| match v {
                    ModelView::Coefficients(c) => Some(c.clone()),
                    _ => None,
                });
                let title = format!("How much the {} trusts each member", lower(spec.name));
                match (coefficients, explained.feature_importance) {
                    (Some(c), _) if per == 1 && c.values.len() == 1 => {
                        (c.values[0].clone(), "coefficient on the member's prediction".to_string(), title)
                    }
                    (Some(c), _) => {
                        let summed: Vec<f64> = (0..self.members.len())
                            .map(|m| c.values.iter().flat_map(|row| &row[m * per..(m + 1) * per]).map(|v| v.abs()).sum())
                            .collect();
                        (shares(&summed), "share of summed |coefficient|".to_string(), title)
                    }
                    (None, Some(importance)) => {
                        let summed: Vec<f64> =
                            (0..self.members.len()).map(|m| importance[m * per..(m + 1) * per].iter().sum()).collect();
                        (shares(&summed), format!("share of {}", explained.importance_measure), title)
                    }
                    (None, None) => return None,
                }
            }
        };
        Some(MembersView { title, members: names, weights, measure })
    }

    /// Reads back what [`FittedModel::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Ensemble, LoadError> {
        let damaged = |why: String| LoadError::Damaged(why);
        let stored: Stored = postcard::from_bytes(bytes).map_err(|e| damaged(e.to_string()))?;
        let members = stored
            .members
            .iter()
            .map(|m| {
                let spec = find(&m.id).ok_or_else(|| damaged(format!("no model '{}'", m.id)))?;
                Ok(Member { spec: MemberSpec { spec, params: m.params.clone() }, model: (spec.load)(&m.bytes)? })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        let ids = stored.members.iter().map(|m| (m.id.clone(), m.params.clone())).collect();
        let params =
            EnsembleParams::new(stored.task, ids, &stored.kind, stored.weights).map_err(|e| damaged(e.to_string()))?;
        let combiner = match (params.combine, &stored.meta) {
            (Combine::Vote { soft, weights }, None) => Combiner::Vote { soft, weights },
            (Combine::Average { weights }, None) => Combiner::Average { weights },
            (Combine::Stack { meta, folds }, Some(bytes)) => Combiner::Stack { meta, folds, model: (meta.load)(bytes)? },
            _ => return Err(damaged("a meta model where it does not belong, or a stack without one".into())),
        };
        Ok(Ensemble { task: stored.task, members, combiner, n_classes: stored.n_classes })
    }
}

/// A name inside a sentence: "Logistic regression" → "logistic regression".
fn lower(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => first.to_lowercase().chain(name.chars().skip(1)).collect(),
        _ => name.to_string(),
    }
}

/// A vote over classes: each member's weight goes to its class (hard) or is
/// spread over the classes by its probabilities (soft). The result is each
/// class's share of the weight, so the most voted class is the prediction,
/// ties to the lower class index as scikit-learn's `argmax` of the weighted
/// count.
fn vote(predicted: &[Predictions], weights: &[f64], soft: bool, n_rows: usize, n_classes: usize) -> Predictions {
    let total: f64 = weights.iter().sum();
    let mut counts = vec![0.0f64; n_rows * n_classes];
    for (p, &w) in predicted.iter().zip(weights) {
        let Predictions::Classes { proba, .. } = p else { continue };
        if soft {
            counts.iter_mut().zip(proba).for_each(|(c, &q)| *c += w * q as f64);
        } else if let Some(labels) = p.labels() {
            labels.iter().enumerate().for_each(|(r, &l)| counts[r * n_classes + l as usize] += w);
        }
    }
    Predictions::Classes { proba: counts.iter().map(|c| (c / total) as f32).collect(), n_classes }
}

/// The weighted mean of the members' values.
fn average(predicted: &[Predictions], weights: &[f64], n_rows: usize) -> Predictions {
    let total: f64 = weights.iter().sum();
    let mut sum = vec![0.0f64; n_rows];
    for (p, &w) in predicted.iter().zip(weights) {
        if let Predictions::Values(v) = p {
            sum.iter_mut().zip(v).for_each(|(s, &v)| *s += w * v);
        }
    }
    Predictions::Values(sum.iter().map(|s| s / total).collect())
}

/// What [`FittedModel::to_bytes`] writes: each member as its registry id,
/// settings and own bytes, how they combine, and the meta model's bytes.
#[derive(Serialize, Deserialize)]
struct Stored {
    task: Task,
    kind: EnsembleKind,
    weights: Option<Vec<f64>>,
    members: Vec<StoredMember>,
    meta: Option<Vec<u8>>,
    n_classes: Option<usize>,
}

#[derive(Serialize, Deserialize)]
struct StoredMember {
    id: String,
    params: ParamValues,
    bytes: Vec<u8>,
}

impl FittedModel for Ensemble {
    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        self.combine(&self.member_predictions(x)?, x.n_rows())
    }

    fn explain(&self, _features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        Explanation {
            views: self.trust(target, target_name).map(ModelView::Members).into_iter().collect(),
            feature_importance: None,
            importance_measure: "",
        }
    }

    fn n_parameters(&self) -> usize {
        self.members.iter().map(|m| m.model.n_parameters()).sum::<usize>()
            + match &self.combiner {
                Combiner::Stack { model, .. } => model.n_parameters(),
                _ => 0,
            }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let (kind, weights, meta) = match &self.combiner {
            Combiner::Vote { soft, weights } => (EnsembleKind::Vote { soft: *soft }, Some(weights.clone()), None),
            Combiner::Average { weights } => (EnsembleKind::Average, Some(weights.clone()), None),
            Combiner::Stack { meta, folds, model } => {
                (EnsembleKind::Stack { meta: Some(meta.id.into()), folds: *folds }, None, Some(model.to_bytes()))
            }
        };
        let stored = Stored {
            task: self.task,
            kind,
            weights,
            members: self
                .members
                .iter()
                .map(|m| StoredMember {
                    id: m.spec.spec.id.into(),
                    params: m.spec.params.clone(),
                    bytes: m.model.to_bytes(),
                })
                .collect(),
            meta,
            n_classes: self.n_classes,
        };
        postcard::to_allocvec(&stored).unwrap_or_default()
    }

    fn ensemble(&self) -> Option<&Ensemble> {
        Some(self)
    }
}

#[cfg(test)]
mod tests;
