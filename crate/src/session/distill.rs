//! Knowledge distillation: a small student learns what the trained model (the
//! teacher: any registered model or an ensemble) answers, rather than the
//! truth, so it can stand in for the teacher at a fraction of its size and
//! time. The student sees the teacher's inputs (the same fitted pipeline), the
//! training rows plus synthetic rows drawn near them (so it learns the
//! teacher's boundary between the rows too), and the teacher's answers on all
//! of them: hard labels for a tree, probabilities for a logistic or network
//! student, values for a regression.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{measure, micros_per_row, plan, prepare, ModelCard, Prepared, Session, SessionError, TrainReport, Trained};
use crate::base::{accuracy, capitalize, lower_first, r2_score, FeatureMatrix, Progress, Scaling, Standard, Target, Task};
use crate::eval::Metrics;
use crate::model::linear::{LogisticParams, RidgeParams};
use crate::model::mlp::MlpParams;
use crate::model::params::MaxDepth;
use crate::model::tree::TreeParams;
use crate::model::{self, Dataset, Fit, FittedModel, ModelSpec, ParamValue, ParamValues, Predictions};
use crate::prep::{PipelineSpec, RawRows, Scaler, StepSpec};

/// How far a synthetic row strays from the real row it is drawn from: each
/// numeric input moves by up to this share of its standard deviation over the
/// training rows, either way (uniformly). Near enough that the row is still
/// one the teacher could meet, far enough to fill the space between rows.
pub const JITTER_SHARE: f64 = 0.25;
/// The most synthetic rows a distillation may ask for: more adds time, not fidelity.
pub const MAX_SYNTHETIC_ROWS: usize = 20_000;
/// The deepest tree student: deeper trees are no longer small to read.
pub const MAX_STUDENT_DEPTH: usize = 8;
/// The widest network student (one hidden layer).
pub const MAX_STUDENT_UNITS: usize = 64;

/// The small model that learns the teacher's answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Student {
    /// A decision tree of at most `max_depth` levels (1 to 8), learning the
    /// teacher's labels (or values).
    Tree { max_depth: usize },
    /// Logistic regression on the teacher's probabilities; for values, ridge
    /// regression on the teacher's values.
    Logistic,
    /// A network with one hidden layer of `hidden` units (1 to 64), on the
    /// teacher's probabilities (or values).
    Mlp { hidden: usize },
}

impl Student {
    fn check(self) -> Result<(), SessionError> {
        match self {
            Student::Tree { max_depth } if !(1..=MAX_STUDENT_DEPTH).contains(&max_depth) => {
                Err(SessionError::StudentSetting(format!(
                    "a tree student's depth is {max_depth}; pick a depth from 1 to {MAX_STUDENT_DEPTH}"
                )))
            }
            Student::Mlp { hidden } if !(1..=MAX_STUDENT_UNITS).contains(&hidden) => Err(SessionError::StudentSetting(
                format!("a network student has {hidden} hidden units; pick 1 to {MAX_STUDENT_UNITS}"),
            )),
            _ => Ok(()),
        }
    }

    /// The registered model the student is, for its card and its settings.
    fn spec(self, task: Task) -> &'static ModelSpec {
        match (self, task) {
            (Student::Tree { .. }, _) => &model::tree::SPEC,
            (Student::Logistic, Task::Classification) => &model::linear::LOGISTIC,
            (Student::Logistic, _) => &model::linear::RIDGE,
            (Student::Mlp { .. }, _) => &model::mlp::SPEC,
        }
    }

    /// The student's settings, as the page would send them.
    fn values(self) -> ParamValues {
        match self {
            Student::Tree { max_depth } => [("max_depth".to_string(), ParamValue::Int(max_depth as i64))].into(),
            Student::Logistic => ParamValues::new(),
            Student::Mlp { hidden } => [("hidden_layers".to_string(), ParamValue::Choice(hidden.to_string()))].into(),
        }
    }

    /// The student in a few words: "depth-4 decision tree", "logistic
    /// regression", "network with 8 hidden units".
    pub fn label(self, task: Task) -> String {
        match (self, task) {
            (Student::Tree { max_depth }, _) => format!("depth-{max_depth} decision tree"),
            (Student::Logistic, Task::Classification) => "logistic regression".to_string(),
            (Student::Logistic, _) => "ridge regression".to_string(),
            (Student::Mlp { hidden: 1 }, _) => "network with 1 hidden unit".to_string(),
            (Student::Mlp { hidden }, _) => format!("network with {hidden} hidden units"),
        }
    }

    /// Fits the student to the teacher's answers `taught` on the rows of `x`.
    fn fit(
        self,
        x: FeatureMatrix,
        taught: Predictions,
        teacher_target: &Target,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<Box<dyn FittedModel>, SessionError> {
        let labels = taught.labels();
        let feature_names = (0..x.n_cols()).map(|j| format!("input {}", j + 1)).collect();
        let target = match (&taught, labels) {
            (Predictions::Classes { .. }, Some(y)) => Target::Classes { y, names: teacher_target.class_names().to_vec() },
            (Predictions::Values(v), _) => Target::Values(v.clone()),
            _ => return Err(SessionError::Internal("class predictions have labels".into())),
        };
        let task = target.task();
        let data = Dataset { x, target, feature_names };
        Ok(match (self, &taught, &data.target) {
            (Student::Tree { max_depth }, _, _) => {
                let params = TreeParams { max_depth: MaxDepth::levels(max_depth), ..TreeParams::default_for(task) };
                Box::new(params.fit(&data, seed, progress)?)
            }
            (Student::Logistic, Predictions::Classes { proba, n_classes }, _) => {
                Box::new(LogisticParams::default().fit_soft(&data.x, proba, *n_classes, progress)?)
            }
            (Student::Logistic, _, _) => Box::new(RidgeParams::default().fit(&data, seed, progress)?),
            (Student::Mlp { hidden }, Predictions::Classes { proba, .. }, Target::Classes { y, .. }) => {
                let params = MlpParams { hidden: vec![hidden], ..MlpParams::default() };
                Box::new(params.fit_soft(&data.x, proba, y, seed, progress)?)
            }
            (Student::Mlp { hidden }, _, _) => {
                Box::new(MlpParams { hidden: vec![hidden], ..MlpParams::default() }.fit(&data, seed, progress)?)
            }
        })
    }
}

/// Distil the session's trained model (the teacher) into `student`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistillRequest {
    pub student: Student,
    /// Rows drawn near the training rows (see [`jitter`]), added to them,
    /// 0 to [`MAX_SYNTHETIC_ROWS`].
    pub synthetic_rows: usize,
    /// Seeds the synthetic rows and the student's own fit.
    pub seed: u64,
}

/// The student, trained and explained as any trained model, and how it
/// compares with its teacher.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistillReport {
    pub student: TrainReport,
    pub summary: DistillSummary,
}

/// How well a student stands in for its teacher, and what it saves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistillSummary {
    /// The teacher's name, as its model card says it.
    pub teacher: String,
    /// The student in a few words ([`Student::label`]).
    pub student: String,
    pub fidelity: Fidelity,
    /// Both scored against the truth on the same test rows.
    pub teacher_metrics: Metrics,
    pub student_metrics: Metrics,
    pub teacher_card: ModelCard,
    pub student_card: ModelCard,
    /// Training rows and synthetic rows the student learned from.
    pub training_rows: usize,
    pub synthetic_rows: usize,
    /// [`JITTER_SHARE`], for the page to say how the synthetic rows were drawn.
    pub jitter_share: f64,
}

/// How closely the student answers as the teacher does on the test rows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fidelity {
    /// Share of test rows where both predict the same class.
    Agreement(f64),
    /// R² of the student's values against the teacher's.
    R2(f64),
}

impl DistillSummary {
    /// How many times faster the student predicts a row.
    pub fn speedup(&self) -> f64 {
        self.teacher_card.micros_per_row / self.student_card.micros_per_row
    }

    /// How many times smaller the student is, in bytes.
    pub fn shrink(&self) -> f64 {
        self.teacher_card.bytes as f64 / self.student_card.bytes.max(1) as f64
    }
}

/// `n` synthetic rows near the rows of `raw`: each a real row drawn at
/// random (seeded), its numeric columns (`numeric`, table columns) each moved
/// uniformly by up to `share` of that column's standard deviation over `raw`,
/// either way. Categories, flags and dates stay the real row's, and so does a
/// missing value (the pipeline imputes it), so every synthetic row is one the
/// table could hold.
pub fn jitter(raw: &RawRows, numeric: &[usize], n: usize, share: f64, seed: u64) -> RawRows {
    if raw.is_empty() {
        return raw.clone();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let drawn: Vec<usize> = (0..n).map(|_| rng.random_range(0..raw.len())).collect();
    let mut rows = raw.select(&drawn);
    for &column in numeric {
        let Some(values) = raw.numbers(column) else { continue };
        let reach = share * Standard::fit(values.iter().filter(|v| !v.is_nan()).map(|&v| v as f64)).std;
        let moved = drawn.iter().map(|&r| (values[r] as f64 + reach * rng.random_range(-1.0..=1.0)) as f32).collect();
        rows.set_numbers(column, moved);
    }
    rows
}

/// `spec` with its inputs standardized, for a student that wants them so (a
/// linear model, a network) taught by one that does not (a forest): unscaled
/// scaling steps become standard ones, and without any, one is added.
fn standardized(mut spec: PipelineSpec) -> PipelineSpec {
    let mut scaled = false;
    for step in &mut spec.steps {
        if let StepSpec::Scale { scaler, .. } = step {
            scaled = true;
            if *scaler == Scaler::None {
                *scaler = Scaler::Standard;
            }
        }
    }
    if !scaled {
        spec.steps.push(StepSpec::Scale { scaler: Scaler::Standard, columns: Vec::new() });
    }
    spec
}

/// The rows of `a`, then the rows of `b` (same columns).
fn stack(a: &FeatureMatrix, b: &FeatureMatrix) -> FeatureMatrix {
    let columns = a.columns().zip(b.columns()).map(|(x, y)| [x, y].concat()).collect();
    FeatureMatrix::from_columns(a.n_rows() + b.n_rows(), columns)
}

/// How closely `student` answers as `teacher` on the same rows.
fn fidelity(teacher: &Predictions, student: &Predictions) -> Result<Fidelity, SessionError> {
    match (teacher, student) {
        (Predictions::Values(t), Predictions::Values(s)) => Ok(Fidelity::R2(r2_score(t, s))),
        (t, s) => match (t.labels(), s.labels()) {
            (Some(t), Some(s)) => Ok(Fidelity::Agreement(accuracy(&t, &s))),
            _ => Err(SessionError::Internal("teacher and student predict alike".into())),
        },
    }
}

/// The model card of a trained model, measured now.
fn card(model: &dyn FittedModel, x: &FeatureMatrix, clock: super::Clock) -> Result<ModelCard, SessionError> {
    Ok(ModelCard {
        n_parameters: model.n_parameters(),
        bytes: model.to_bytes().len(),
        micros_per_row: micros_per_row(model, x, clock)?,
    })
}

impl Session {
    /// Distils the teacher (the trained model, or the one an earlier
    /// distillation kept) into a student, which becomes the trained model.
    pub(super) fn distill(
        &mut self,
        req: &DistillRequest,
        progress: &mut dyn Progress,
    ) -> Result<DistillReport, SessionError> {
        req.student.check()?;
        if req.synthetic_rows > MAX_SYNTHETIC_ROWS {
            return Err(SessionError::StudentSetting(format!(
                "{} synthetic rows asked for; pick at most {MAX_SYNTHETIC_ROWS}",
                req.synthetic_rows
            )));
        }
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let teacher = self.teacher.as_ref().or(self.trained.as_ref()).ok_or(SessionError::NotTrained)?;
        if matches!(teacher.data.target, Target::Unlabeled { .. }) {
            return Err(SessionError::NothingToDistill);
        }
        let Trained { data, split, pipeline, rows, .. } = teacher;
        let task = data.target.task();
        let spec = req.student.spec(task);
        // The student is a registered model trained on the teacher's split.
        let mut student_req = teacher.request.clone();
        student_req.model = spec.id.to_string();
        student_req.params = req.student.values();
        // Its inputs are the teacher's, standardized if it wants them so.
        let teacher_spec = teacher
            .request
            .pipeline
            .clone()
            .or_else(|| model::find(&teacher.request.model).map(|m| PipelineSpec::default_for(m.scaling)));
        let prepared = match teacher_spec {
            Some(own) if spec.scaling == Scaling::Standardize => {
                student_req.pipeline = Some(standardized(own));
                prepare(table, &student_req, spec)?
            }
            own => {
                student_req.pipeline = own;
                Prepared {
                    pipeline: pipeline.clone(),
                    data: data.clone(),
                    split: split.clone(),
                    rows: rows.clone(),
                    feature_columns: plan(table, &teacher.request)?.features.iter().map(|&(c, _)| c).collect(),
                    compared: None,
                }
            }
        };

        // The training rows and synthetic rows near them, in raw column
        // values that both pipelines encode; the teacher answers on them.
        let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
        let raw = pipeline.raw_rows(table, &train_rows);
        let numeric: Vec<usize> = pipeline.feature_columns().into_iter().filter(|&c| pipeline.is_number(c)).collect();
        let synthetic = jitter(&raw, &numeric, req.synthetic_rows, JITTER_SHARE, req.seed);
        let both = |p: &crate::prep::Pipeline| stack(&p.encode(&raw), &p.encode(&synthetic));
        progress.report(0, 1, "asking the teacher");
        let taught = teacher.model.predict(&both(pipeline))?;
        let x = both(&prepared.pipeline);
        let start = (self.clock)();
        let model = req.student.fit(x, taught, &data.target, req.seed, progress)?;
        let fit_ms = (self.clock)() - start;
        let student_test_x = prepared.data.x.select_rows(&prepared.split.test);
        let mut fitted =
            measure(table, &student_req, Some(spec), spec.name.to_string(), prepared, model, fit_ms, self.clock)?;
        let student = req.student.label(task);
        fitted.trained.model_name =
            format!("{}, distilled from the {}", capitalize(&student), lower_first(&teacher.model_name));

        let test_x = data.x.select_rows(&split.test);
        let summary = DistillSummary {
            teacher: teacher.model_name.clone(),
            student,
            fidelity: fidelity(&teacher.model.predict(&test_x)?, &fitted.trained.model.predict(&student_test_x)?)?,
            teacher_metrics: teacher.metrics.clone(),
            student_metrics: fitted.metrics.clone(),
            teacher_card: card(teacher.model.as_ref(), &data.x, self.clock)?,
            student_card: fitted.card.clone(),
            training_rows: split.train.len(),
            synthetic_rows: req.synthetic_rows,
            jitter_share: JITTER_SHARE,
        };
        // The teacher leaves the trained slot to the student, and stays for
        // the next distillation.
        let teacher = match self.teacher.take() {
            Some(kept) => kept,
            None => self.trained.take().ok_or_else(|| SessionError::Internal("the teacher was just read".into()))?,
        };
        let report = self.install(fitted, super::Staging::Whole { learning_curve: None }, progress);
        self.teacher = Some(teacher);
        Ok(DistillReport { student: report?, summary })
    }
}

#[cfg(test)]
mod tests;
