//! The learning curve: refits of the model at other values of its complexity
//! setting (or on growing shares of its training rows), each cross-validated
//! on [`CURVE_FOLDS`] folds of the training rows. It needs the table and the
//! request, never the fitted model, so it splits: one fit of one fold at one
//! point is a piece a helper worker computes while the primary fits the
//! model ([`super::super::task`]). The whole curve and the pieces go through
//! the same [`CurvePlan`], [`fold_scores`] and [`CurveFrame::point`], and a
//! point's folds are summed in fold order either way, so the joined curve is
//! the whole one bit for bit.

use serde::{Deserialize, Serialize};

use super::super::validate::{Folding, Folds};
use super::super::{SessionError, TrainRequest};
use super::{sample_rows, score, CURVE_ROWS, REFIT_ROW_BUDGET, SCORED_ROWS, SIZE_FRACTIONS};
use crate::base::{capitalize, format_count, format_number, shuffle_split, stratified_split, Progress, Split, Target};
use crate::data::Table;
use crate::explain::{ChosenMark, LearningCurveView};
use crate::model::catalog::{Complexity, ModelInfo};
use crate::model::params::resolve;
use crate::model::view::{CurvesView, Series};
use crate::model::{self, Dataset, ModelSpec, ParamKind, ParamValue, ParamValues};

/// Folds the learning curve cross-validates on: few, as every point is
/// refitted once per fold, and shuffled (stratified for classes) whatever
/// folds the person chose for the CV line, so a curve needs no other setting.
pub const CURVE_FOLDS: usize = 3;

/// A learning curve's point: its x (a setting, or rows fitted), and the mean
/// score on the rows fitted and on the held-out fold.
type CurvePoint = (f64, (f64, f64));

/// One fold's share of a curve point: the rows it fitted, its score on (a
/// sample of) them and on the fold held out; `None` when the fit failed.
pub type FoldScores = Option<(f64, f64, f64)>;

/// The complexity setting the curve sweeps, as the request resolves it.
struct Knob {
    complexity: Complexity,
    label: &'static str,
    /// The person's value.
    chosen: i64,
    /// The values refitted besides the person's, before a big file thins them.
    values: Vec<i64>,
    /// Why values were left out, said in the note.
    said: Vec<String>,
}

/// The request's settings resolved, and the knob the curve sweeps (`None`:
/// the model has none, so the curve refits on growing shares of the rows).
fn settings(info: &ModelInfo, req: &TrainRequest) -> Result<(ParamValues, Option<Knob>), SessionError> {
    let specs = (info.params)(req.task);
    let params = resolve(&specs, &req.params)?;
    let knob = info.complexity.and_then(|complexity| {
        let p = specs.iter().find(|p| p.key == complexity.key)?;
        let ParamKind::Int { min, max, .. } = p.kind else { return None };
        let ParamValue::Int(chosen) = params.get(complexity.key)? else { return None };
        let chosen = *chosen;
        let mut values: Vec<i64> =
            complexity.values.iter().copied().filter(|v| (min..=max).contains(v) && *v != chosen).collect();
        let mut said = Vec::new();
        if complexity.cost_grows && values.iter().any(|&v| v > chosen) {
            values.retain(|&v| v < chosen);
            said.push(format!("values above your {chosen} were left out, as each would take longer to fit than your model"));
        }
        Some(Knob { complexity, label: p.label, chosen, values, said })
    });
    Ok((params, knob))
}

/// How many points the learning curve of `req` may have on any table: the
/// pieces a pool deals for it (a big file's curve thins its values, and the
/// points past its plan are computed as nothing). `None` when the model is
/// not in the catalog or the settings do not resolve: then the curve is not
/// split, and the whole request says what is wrong.
pub fn curve_slots(req: &TrainRequest) -> Option<usize> {
    let info = model::catalog::find(&req.model)?;
    match settings(info, req).ok()? {
        (_, Some(knob)) => Some(knob.values.len() + 1),
        (_, None) => Some(SIZE_FRACTIONS.len()),
    }
}

/// What the curve refits, worked out from the request and the folds' row
/// counts alone: each point's settings and the share of each fold's
/// training part it fits, and the frame the points are drawn in.
pub(crate) struct CurvePlan {
    /// Each point's settings and share of a fold's training part.
    points: Vec<(ParamValues, f64)>,
    frame: CurveFrame,
}

/// The learning curve's words, axis and mark, and each point's x: what
/// joining the points' fold scores into the view needs, on any worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurveFrame {
    /// "accuracy" or "R²".
    measure: String,
    x_label: String,
    chosen: ChosenMark,
    note: String,
    /// Each point's x; `None` for the mean rows its folds fitted (a curve
    /// over training rows).
    xs: Vec<Option<f64>>,
}

impl CurvePlan {
    /// The plan for `req` on `folds` (of which it reads the row counts).
    pub(crate) fn new(info: &ModelInfo, req: &TrainRequest, folds: &Folds) -> Result<CurvePlan, SessionError> {
        let n_train = folds.n_rows();
        // Every training row, of which the folds may hold a sample.
        let n_all = folds.n_sampled_from();
        let measure = folds.measure().to_string();
        let on_folds = if n_train < n_all {
            format!(
                "each point the mean over {CURVE_FOLDS} folds of {} training rows sampled from the {} (the test rows are not used)",
                format_count(n_train),
                format_count(n_all)
            )
        } else {
            format!(
                "each point the mean over {CURVE_FOLDS} folds of the {} training rows (the test rows are not used)",
                format_count(n_train)
            )
        };
        let (params, knob) = settings(info, req)?;
        let Some(Knob { complexity: knob, label, chosen, mut values, mut said }) = knob else {
            let points = SIZE_FRACTIONS.iter().map(|&f| (params.clone(), f)).collect();
            let note = format!(
                "This model has no setting that grows it, so it was refitted on growing shares of each fold's training part, {on_folds}. Your model, fitted on all {} training rows, is marked.",
                format_count(n_all)
            );
            let chosen = ChosenMark { at: n_all as f64, label: format!("yours: {}", format_number(n_all as f64)) };
            let xs = vec![None; SIZE_FRACTIONS.len()];
            return Ok(CurvePlan {
                points,
                frame: CurveFrame { measure, x_label: "training rows".into(), chosen, note, xs },
            });
        };
        // Rows fitted for a value: one fit per fold, on all but one fold's rows.
        let fitted_per_value = (CURVE_FOLDS - 1) as f64 * n_train as f64;
        let cost = |vs: &[i64]| -> f64 {
            vs.iter().map(|&v| if knob.cost_grows { v as f64 / chosen.max(1) as f64 } else { 1.0 }).sum::<f64>()
                * fitted_per_value
        };
        // The same budget as refits on the whole training part had: the
        // folds cost twice the rows per value, so a big file gets fewer values.
        let budget = REFIT_ROW_BUDGET.max(3.0 * n_train as f64);
        let all = values.len();
        while values.len() > 2 && cost(&values) > budget {
            let keep = values.len() - 1;
            values = (0..keep).map(|i| values[(i * (values.len() - 1)) / (keep - 1).max(1)]).collect();
        }
        if values.len() < all {
            said.push(format!(
                "thinned to {} refits to keep training on {} rows quick",
                values.len(),
                format_count(n_train)
            ));
        }
        // A depth of 0 is no limit: deeper than any value refitted.
        let unlimited = knob.zero_is_unlimited && chosen == 0;
        let at = match values.iter().max() {
            Some(&deepest) if unlimited => deepest as f64 * 1.25 + 1.0,
            _ => chosen as f64,
        };
        let n_values = values.len();
        values.push(chosen);
        let points = values
            .iter()
            .map(|&v| {
                let mut p = params.clone();
                p.insert(knob.key.to_string(), ParamValue::Int(v));
                (p, 1.0)
            })
            .collect();
        let xs = values.iter().map(|&v| Some(if v == chosen { at } else { v as f64 })).collect();
        let mut note =
            format!("Refitted at {n_values} other values of {label} and at yours, {on_folds}. Your {label} is marked.");
        for s in said {
            note.push_str(&format!(" {}.", capitalize(&s)));
        }
        let shown = if unlimited { "no limit".to_string() } else { format_number(chosen as f64) };
        if unlimited {
            note = note.replace(
                &format!("Your {label} is marked."),
                &format!("Your {label}, no limit, is marked right of the deepest refit."),
            );
        }
        let chosen = ChosenMark { at, label: format!("yours: {shown}") };
        Ok(CurvePlan { points, frame: CurveFrame { measure, x_label: label.to_string(), chosen, note, xs } })
    }

    /// How many points the curve has.
    pub(crate) fn len(&self) -> usize {
        self.points.len()
    }

    /// Point `point`'s refit on one fold (`fold`, whose training rows `data`
    /// holds prepared on its training part): fitted on the fold's training
    /// part or the point's share of it (nested subsets that keep each class's
    /// share), scored on (a sample of) the rows fitted and on the fold held
    /// out.
    pub(crate) fn fold_scores(
        &self,
        spec: &ModelSpec,
        req: &TrainRequest,
        point: usize,
        fold: &Split,
        data: &Dataset,
    ) -> Result<FoldScores, SessionError> {
        let count = self.points.len();
        let (params, fraction) = self.points.get(point).ok_or(SessionError::NoSuchPiece { index: point, count })?;
        let fitted_on: Vec<usize> = if *fraction < 1.0 {
            let part = data.target.select_rows(&fold.train);
            let subset = match &part {
                Target::Classes { y, names } => stratified_split(y, names.len(), 1.0 - fraction, req.seed),
                Target::Values(_) | Target::Unlabeled { .. } => shuffle_split(part.len(), 1.0 - fraction, req.seed),
            };
            subset.train.iter().map(|&i| fold.train[i]).collect()
        } else {
            fold.train.clone()
        };
        let Ok(model) = (spec.fit)(params, &data.view(&fitted_on), req.seed, &mut crate::base::NoProgress) else {
            return Ok(None);
        };
        let sampled = |rows: &[usize]| -> Vec<usize> {
            sample_rows(rows.len(), SCORED_ROWS, req.seed).into_iter().map(|i| rows[i]).collect()
        };
        let fitted = data.select_rows(&sampled(&fitted_on));
        let on_fitted = score(model.as_ref(), &fitted.x, &fitted.target)?;
        let held = data.select_rows(&sampled(&fold.test));
        let on_held = score(model.as_ref(), &held.x, &held.target)?;
        Ok(Some((fitted_on.len() as f64, on_fitted, on_held)))
    }

    /// The frame the points are drawn in.
    pub(crate) fn frame(&self) -> &CurveFrame {
        &self.frame
    }
}

impl CurveFrame {
    /// How many points the curve has.
    pub fn len(&self) -> usize {
        self.xs.len()
    }

    /// Whether the curve has no point (never: a plan has the person's value or the shares).
    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// Point `point` from its folds' scores, in fold order: the mean of
    /// each, summed in that order; `None` when a fold's fit failed.
    pub fn point(&self, point: usize, folds: &[FoldScores]) -> Option<(f64, (f64, f64))> {
        let mut sums = (0.0, 0.0, 0.0);
        for scores in folds {
            let (fitted, on_fitted, on_held) = (*scores)?;
            sums.0 += fitted;
            sums.1 += on_fitted;
            sums.2 += on_held;
        }
        let k = CURVE_FOLDS as f64;
        let x = self.xs.get(point).copied().flatten().unwrap_or(sums.0 / k);
        Some((x, (sums.1 / k, sums.2 / k)))
    }

    /// The view of the points (in plan order, `None` where a fit failed).
    pub fn view(&self, points: Vec<Option<CurvePoint>>) -> LearningCurveView {
        let skipped = points.iter().filter(|p| p.is_none()).count();
        let mut note = self.note.clone();
        if skipped > 0 {
            note.push_str(&format!(" {skipped} refits failed (too few rows or classes) and are not shown."));
        }
        let mut points: Vec<CurvePoint> = points.into_iter().flatten().collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let series = |name: &str, pick: fn(&(f64, f64)) -> f64| Series {
            name: name.to_string(),
            points: points.iter().map(|(x, s)| (*x, pick(s))).collect(),
        };
        LearningCurveView {
            curves: CurvesView {
                title: format!("Learning curve: {} by {}, cross-validated", self.measure, self.x_label),
                x_label: self.x_label.clone(),
                y_label: self.measure.clone(),
                series: vec![series("rows fitted", |s| s.0), series("held-out fold", |s| s.1)],
            },
            chosen: Some(self.chosen.clone()),
            note,
        }
    }
}

/// The curve's folds of `req`'s training rows (a seeded sample of at most
/// [`CURVE_ROWS`]); `None` when they cannot be cut or a fold's training part
/// cannot be prepared (a column with no value in it): the model is then
/// without a curve, which does not stop the training it comes with.
fn curve_folds(table: &Table, req: &TrainRequest) -> Result<Option<Folds>, SessionError> {
    match Folds::prepare_sampled(table, req, CURVE_FOLDS, &Folding::Shuffled, CURVE_ROWS) {
        Ok(folds) => Ok(Some(folds)),
        Err(e @ SessionError::Internal(_)) => Err(e),
        Err(_) => Ok(None),
    }
}

/// Train and validation score of refits of the model that grow its complexity
/// setting (or, for a model without one, its training rows), each point the
/// mean over [`CURVE_FOLDS`] folds of the training rows. Every fold prepares
/// its data on its own training part, and the test rows are never read: they
/// are kept for the final model's one score. `None` when the training rows
/// cannot be folded.
pub(crate) fn learning_curve(
    table: &Table,
    spec: &ModelSpec,
    req: &TrainRequest,
    progress: &mut dyn Progress,
) -> Result<Option<LearningCurveView>, SessionError> {
    let Some(folds) = curve_folds(table, req)? else { return Ok(None) };
    let plan = CurvePlan::new(spec, req, &folds)?;
    let mut points = Vec::with_capacity(plan.len());
    for point in 0..plan.len() {
        progress.report(point, plan.len(), "learning curve");
        let scores = folds
            .prepared()
            .map(|(fold, data)| plan.fold_scores(spec, req, point, fold, data))
            .collect::<Result<Vec<_>, _>>()?;
        points.push(plan.frame().point(point, &scores));
    }
    Ok(Some(plan.frame().view(points)))
}

/// One fold of one point of a learning curve, computed apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CurveFold {
    /// The training rows cannot be folded, or a fold's training part
    /// prepared: the model has no curve.
    Unfoldable,
    /// The curve has fewer points on this table (a big file's are thinned):
    /// nothing was fitted.
    Beyond,
    /// The fold's scores at the point, and the curve's frame.
    Scored { frame: Box<CurveFrame>, scores: FoldScores },
}

/// A learning curve's folds, kept by a helper between the pieces of one
/// curve it is dealt (each piece is one fold of one point), so it prepares
/// them once, as the whole curve does.
#[derive(Default)]
pub struct KeptCurve(Option<(TrainRequest, Option<(Folds, CurvePlan)>)>);

impl KeptCurve {
    /// Forgets the folds (any request but a curve's piece).
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// Fold `fold` of point `point` of `req`'s learning curve, as
    /// [`learning_curve`] computes it.
    pub fn fold(&mut self, table: &Table, req: &TrainRequest, point: usize, fold: usize) -> Result<CurveFold, SessionError> {
        if fold >= CURVE_FOLDS {
            return Err(SessionError::NoSuchPiece { index: fold, count: CURVE_FOLDS });
        }
        let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
        let kept = match self.0.take() {
            Some(kept) if kept.0 == *req => kept,
            _ => {
                let prepared = match curve_folds(table, req)? {
                    Some(folds) => {
                        let plan = CurvePlan::new(spec, req, &folds)?;
                        Some((folds, plan))
                    }
                    None => None,
                };
                (req.clone(), prepared)
            }
        };
        let outcome = match &kept.1 {
            None => Ok(CurveFold::Unfoldable),
            Some((_, plan)) if point >= plan.len() => Ok(CurveFold::Beyond),
            Some((folds, plan)) => match folds.prepared().nth(fold) {
                Some((split, data)) => plan
                    .fold_scores(spec, req, point, split, data)
                    .map(|scores| CurveFold::Scored { frame: Box::new(plan.frame().clone()), scores }),
                None => Err(SessionError::NoSuchPiece { index: fold, count: CURVE_FOLDS }),
            },
        };
        self.0 = Some(kept);
        outcome
    }
}
