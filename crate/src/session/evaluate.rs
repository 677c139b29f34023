//! The evaluation views of a trained model, built from its predictions alone so
//! that every model in the registry (and every one added later) gets them:
//! permutation importance, confusion matrix, ROC and precision–recall curves,
//! residuals, partial dependence and the learning curve.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::validate::{Folding, Folds};
use super::{SessionError, TrainRequest, Trained};
use crate::base::{
    accuracy, format_count, format_number, r2_score, shuffle_split, stratified_split, FeatureMatrix, FeatureValue, Progress,
    Target,
};
use crate::data::Table;
use crate::eval::{confusion_matrix, permutation_importance, precision_recall_curve, roc_curve};
use crate::explain::{
    ChosenMark, ClassCurve, ConfusionView, ImportanceView, LearningCurveView, PartialDependenceView, PdpGrid, ResidualsView,
    RocView,
};
use crate::model::params::resolve;
use crate::model::view::{CurvesView, Series};
use crate::model::{Dataset, FittedModel, ModelSpec, ParamKind, ParamValue, ParamValues, Predictions};
use crate::prep::{ColumnDomain, Pipeline};

/// Shuffles per column for permutation importance; the spread is over these.
pub const PERMUTATION_REPEATS: usize = 5;
/// Rows permutation importance may predict in all (columns × repeats × rows):
/// on a wide table it shuffles fewer test rows, so a slow-to-predict model
/// (a forest on 64 pixel columns) stays quick.
const PERMUTATION_BUDGET: usize = 40_000;
/// Fewest test rows permutation importance shuffles, whatever the budget.
const PERMUTATION_MIN_ROWS: usize = 100;
/// Points of a numeric partial dependence grid.
pub const PDP_GRID: usize = 20;
/// Rows averaged into a partial dependence curve.
pub const PDP_ROWS: usize = 200;
/// Rows drawn as individual curves.
pub const ICE_ROWS: usize = 50;
/// At most this many rows are drawn as points.
pub const MAX_ROWS: usize = 1000;
/// At most this many fitted and held-out rows are scored per refit of the
/// learning curve.
const SCORED_ROWS: usize = 500;
/// Training-set sizes of the learning curve without a complexity setting, as
/// shares of the training rows (scikit-learn's `learning_curve` default).
const SIZE_FRACTIONS: [f64; 5] = [0.1, 0.325, 0.55, 0.775, 1.0];
/// Training rows the learning curve folds and refits on at most: past this a
/// seeded sample of them, so on a big file its refits cost a share of the
/// model's own fit, and the note says so.
pub const CURVE_ROWS: usize = 20_000;
/// Refits of the learning curve may together fit about this many training rows
/// (or three times the training rows, if more), so a big file stays quick.
const REFIT_ROW_BUDGET: f64 = 20_000.0;

/// Seeds of the evaluation's own random choices, apart from the split's.
const SAMPLE_SEED: u64 = 0x5eed_e7a1;

/// `n` row indices, all of them or an ascending seeded sample of `max`.
pub(super) fn sample_rows(n: usize, max: usize, seed: u64) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..n).collect();
    if n > max {
        rows.shuffle(&mut ChaCha8Rng::seed_from_u64(seed ^ SAMPLE_SEED));
        rows.truncate(max);
        rows.sort_unstable();
    }
    rows
}

/// Accuracy or R², the score the page shows for the task.
pub(super) fn score_name(target: &Target) -> &'static str {
    match target {
        Target::Classes { .. } => "accuracy",
        Target::Values(_) => "R²",
        // Never scored: a clustering gets no evaluation views.
        Target::Unlabeled { .. } => "score",
    }
}

/// Accuracy or R² of `model` on inputs `x` against `target`.
pub(super) fn score(model: &dyn FittedModel, x: &FeatureMatrix, target: &Target) -> Result<f64, SessionError> {
    let predicted = model.predict(x)?;
    Ok(match (target, &predicted) {
        (Target::Classes { y, .. }, p) => accuracy(y, &p.labels().unwrap_or_default()),
        (Target::Values(v), Predictions::Values(p)) => r2_score(v, p),
        _ => f64::NAN,
    })
}

/// Permutation importance on the test rows (`test`, table rows `test_rows`),
/// per table column, with the spread over [`PERMUTATION_REPEATS`] seeded
/// shuffles. A column's raw values are shuffled and encoded again through
/// the pipeline, so a column mixed into several inputs (components,
/// products) is judged whole. `None` without test rows.
pub(super) fn permutation(
    table: &Table,
    pipeline: &Pipeline,
    model: &dyn FittedModel,
    test: &Dataset,
    test_rows: &[usize],
    seed: u64,
) -> Result<Option<ImportanceView>, SessionError> {
    if test.x.n_rows() == 0 {
        return Ok(None);
    }
    let columns = pipeline.feature_columns();
    let n_test = test.x.n_rows();
    let rows = (PERMUTATION_BUDGET / (columns.len() * PERMUTATION_REPEATS).max(1)).clamp(PERMUTATION_MIN_ROWS, 2 * MAX_ROWS);
    let raw = pipeline.raw_rows(table, test_rows);
    let shuffled = |group: usize, rows: &[usize], order: &[usize]| {
        let mut sampled = raw.select(rows);
        sampled.permute(columns[group], order);
        pipeline.encode(&sampled)
    };
    let drops = permutation_importance(model, test, columns.len(), PERMUTATION_REPEATS, rows, seed, &shuffled)?;
    let on = if n_test > rows {
        format!(" ({} of {} test rows)", format_count(rows), format_count(n_test))
    } else {
        String::new()
    };
    let mut items: Vec<(String, f64, f64)> =
        columns.iter().zip(&drops).map(|(&c, &(mean, std))| (table.columns[c].name.clone(), mean, std)).collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(Some(ImportanceView {
        title: format!("Permutation importance (mean ± sd of {PERMUTATION_REPEATS} shuffles)"),
        measure: format!("drop in test {} when shuffled{on}", score_name(&test.target)),
        spread: Some(items.iter().map(|i| i.2).collect()),
        items: items.into_iter().map(|(name, mean, _)| (name, mean)).collect(),
    }))
}

/// The views of a model's test predictions that apply to its task.
#[derive(Default)]
pub(super) struct TestViews {
    pub confusion: Option<ConfusionView>,
    pub roc: Option<RocView>,
    pub residuals: Option<ResidualsView>,
}

/// Confusion matrix and ROC / precision–recall curves for a classifier, the
/// residuals for a regression, from the model's predictions `predicted` of
/// the test rows `test` (the ones its metrics were scored on).
pub(super) fn scores(test: &Dataset, predicted: &Predictions, target_name: &str) -> TestViews {
    if test.x.n_rows() == 0 {
        return TestViews::default();
    }
    let n = format_count(test.x.n_rows());
    if let (Target::Classes { y, names }, Predictions::Classes { proba, n_classes }) = (&test.target, predicted) {
        let labels = predicted.labels().unwrap_or_default();
        let confusion = ConfusionView {
            title: format!("Confusion matrix on the {n} test rows"),
            target: target_name.to_string(),
            classes: names.clone(),
            counts: confusion_matrix(y, &labels, names.len()),
        };
        let roc = roc_view(y, names, proba, *n_classes, &n);
        return TestViews { confusion: Some(confusion), roc, residuals: None };
    }
    if let (Target::Values(actual), Predictions::Values(values)) = (&test.target, predicted) {
        let rows = sample_rows(actual.len(), MAX_ROWS, 0);
        let shown = if rows.len() < actual.len() { format!("{} of the {n}", format_count(rows.len())) } else { n };
        let residuals = ResidualsView {
            title: format!("Predictions on {shown} test rows"),
            target: target_name.to_string(),
            actual: rows.iter().map(|&r| actual[r]).collect(),
            predicted: rows.iter().map(|&r| values[r]).collect(),
        };
        return TestViews { residuals: Some(residuals), ..TestViews::default() };
    }
    TestViews::default()
}

/// The positive class of a binary target: the rarer one (malignant, fraud,
/// churn: usually what one looks for), the second on a tie.
pub(super) fn positive_class(y: &[u32]) -> usize {
    let ones = y.iter().filter(|&&c| c == 1).count();
    if ones * 2 > y.len() {
        0
    } else {
        1
    }
}

/// The curves of the positive class of a binary target, else of every class
/// against the rest; classes the test rows do not hold on both sides are left out.
fn roc_view(y: &[u32], names: &[String], proba: &[f32], n_classes: usize, n: &str) -> Option<RocView> {
    let classes: Vec<usize> = if n_classes == 2 { vec![positive_class(y)] } else { (0..n_classes).collect() };
    let (mut roc, mut pr) = (Vec::new(), Vec::new());
    for c in classes {
        let positive: Vec<bool> = y.iter().map(|&t| t as usize == c).collect();
        let scores: Vec<f64> = proba.chunks(n_classes).map(|p| p[c] as f64).collect();
        let prevalence = positive.iter().filter(|&&p| p).count() as f64 / positive.len().max(1) as f64;
        let class = names.get(c).cloned().unwrap_or_default();
        let curve = |points, area| ClassCurve { class: class.clone(), class_index: c, points, area, prevalence };
        if let (Some(r), Some(p)) = (roc_curve(&positive, &scores), precision_recall_curve(&positive, &scores)) {
            roc.push(curve(r.points, r.area));
            pr.push(curve(p.points, p.area));
        }
    }
    if roc.is_empty() {
        return None;
    }
    let macro_auc = (n_classes > 2).then(|| roc.iter().map(|c| c.area).sum::<f64>() / roc.len() as f64);
    let title = if n_classes == 2 {
        format!("ROC and precision–recall, {n} test rows")
    } else {
        format!("each class against the rest, {n} test rows")
    };
    Some(RocView { title, roc, pr, macro_auc })
}

/// The partial dependence of the model's prediction on table column `feature`,
/// over the test rows (the training rows if there are none).
pub(super) fn partial_dependence(
    table: &Table,
    trained: &Trained,
    feature: &str,
) -> Result<PartialDependenceView, SessionError> {
    let column = table.column_index(feature).ok_or_else(|| SessionError::UnknownColumn(feature.to_string()))?;
    let domain = trained.slice.iter().find(|c| c.column() == feature);
    let (Some(domain), true) = (domain, trained.pipeline.input_sources().iter().any(|s| s.contains(&column))) else {
        return Err(SessionError::NotAFeature(feature.to_string()));
    };
    // Each grid point: the raw value the feature takes there, encoded through the pipeline.
    let (grid, settings): (PdpGrid, Vec<FeatureValue>) = match domain {
        ColumnDomain::Number { .. } => {
            let values = numeric_grid(table, trained, column);
            let settings = values.iter().map(|&v| FeatureValue::Number(v)).collect();
            (PdpGrid::Values(values), settings)
        }
        ColumnDomain::Flag { .. } => {
            (PdpGrid::Levels(vec!["false".into(), "true".into()]), vec![FeatureValue::Flag(false), FeatureValue::Flag(true)])
        }
        ColumnDomain::Levels { levels, .. } => {
            (PdpGrid::Levels(levels.clone()), levels.iter().map(|l| FeatureValue::Level(l.clone())).collect())
        }
    };

    let pool = if trained.split.test.is_empty() { &trained.split.train } else { &trained.split.test };
    let picked = sample_rows(pool.len(), PDP_ROWS, trained.seed);
    let rows: Vec<usize> = picked.iter().map(|&i| trained.rows[pool[i]]).collect();
    let raw = trained.pipeline.raw_rows(table, &rows);
    // One matrix of every row at every grid point, predicted at once.
    let n = rows.len();
    let mut at_grid = raw.repeat(settings.len());
    for (k, value) in settings.iter().enumerate() {
        trained.pipeline.set_value(&mut at_grid, column, k * n..(k + 1) * n, value)?;
    }
    let predicted = trained.model.predict(&trained.pipeline.encode(&at_grid))?;
    // outputs[o][g * n + r]: output o of row r at grid point g.
    let (names, outputs, y_label): (Vec<String>, Vec<Vec<f64>>, String) = match (&predicted, &trained.data.target) {
        (Predictions::Values(v), _) => {
            (vec![format!("mean {}", trained.target_name)], vec![v.clone()], format!("predicted {}", trained.target_name))
        }
        (Predictions::Classes { proba, n_classes }, target) => {
            let names = target.class_names();
            let shown: Vec<usize> = match target {
                Target::Classes { y, .. } if *n_classes == 2 => vec![positive_class(y)],
                _ => (0..*n_classes).collect(),
            };
            let outputs = shown.iter().map(|&c| proba.chunks(*n_classes).map(|p| p[c] as f64).collect()).collect();
            let label = |c: usize| names.get(c).cloned().unwrap_or_default();
            (shown.iter().map(|&c| format!("P({})", label(c))).collect(), outputs, "predicted probability".to_string())
        }
    };
    let g = settings.len();
    let mean = names
        .into_iter()
        .zip(&outputs)
        .map(|(name, out)| (name, (0..g).map(|k| out[k * n..(k + 1) * n].iter().sum::<f64>() / n.max(1) as f64).collect()))
        .collect::<Vec<(String, Vec<f64>)>>();
    let individual: Vec<Vec<f64>> = if mean.len() == 1 {
        (0..n.min(ICE_ROWS)).map(|r| (0..g).map(|k| outputs[0][k * n + r]).collect()).collect()
    } else {
        Vec::new()
    };
    let part = if trained.split.test.is_empty() { "training" } else { "test" };
    let mut note = format!(
        "Each thin line is one {part} row with only {feature} changed; the thick line is the mean over {} {part} rows.",
        format_count(n)
    );
    if individual.is_empty() {
        note = format!("Mean over {} {part} rows with only {feature} changed, one line per class.", format_count(n));
    }
    Ok(PartialDependenceView {
        title: format!("Partial dependence on {feature}"),
        feature: feature.to_string(),
        y_label,
        grid,
        mean,
        individual,
        note,
    })
}

/// Grid over a numeric column in its own units: its distinct training values
/// when there are few, else [`PDP_GRID`] even steps from the 5th to the 95th
/// percentile (as scikit-learn's `partial_dependence`), so outliers do not
/// stretch the curve over empty space.
fn numeric_grid(table: &Table, trained: &Trained, column: usize) -> Vec<f64> {
    let values = table.columns[column].numbers().or_else(|| table.columns[column].dates()).unwrap_or(&[]);
    let mut raw: Vec<f64> = trained
        .split
        .train
        .iter()
        .filter_map(|&i| values.get(trained.rows[i]).copied())
        .filter(|v| v.is_finite())
        .map(f64::from)
        .collect();
    raw.sort_by(f64::total_cmp);
    let mut distinct = raw.clone();
    distinct.dedup();
    if distinct.len() <= PDP_GRID {
        return distinct;
    }
    let at = |q: f64| raw[((raw.len() - 1) as f64 * q).round() as usize];
    let (lo, hi) = (at(0.05), at(0.95));
    if hi <= lo {
        return vec![lo];
    }
    (0..PDP_GRID).map(|i| lo + (hi - lo) * i as f64 / (PDP_GRID - 1) as f64).collect()
}

/// Folds the learning curve cross-validates on: few, as every point is
/// refitted once per fold, and shuffled (stratified for classes) whatever
/// folds the person chose for the CV line, so a curve needs no other setting.
pub const CURVE_FOLDS: usize = 3;

/// A learning curve's point: its x (a setting, or rows fitted), and the mean
/// score on the rows fitted and on the held-out fold.
type CurvePoint = (f64, (f64, f64));

/// Train and validation score of refits of the model that grow its complexity
/// setting (or, for a model without one, its training rows), each point the
/// mean over [`CURVE_FOLDS`] folds of the training rows. Every fold prepares
/// its data on its own training part, and the test rows are never read: they
/// are kept for the final model's one score. `None` when the training rows
/// cannot be folded.
pub(super) fn learning_curve(
    table: &Table,
    spec: &ModelSpec,
    req: &TrainRequest,
    progress: &mut dyn Progress,
) -> Result<Option<LearningCurveView>, SessionError> {
    // Rows too few to fold, or a fold whose training part cannot be prepared
    // (a column with no value in it), leave the model without a curve; they
    // do not stop the training it comes with.
    let folds = match Folds::prepare_sampled(table, req, CURVE_FOLDS, &Folding::Shuffled, CURVE_ROWS) {
        Ok(folds) => folds,
        Err(e @ SessionError::Internal(_)) => return Err(e),
        Err(_) => return Ok(None),
    };
    let n_train = folds.n_rows();
    // Every training row, of which the folds may hold a sample.
    let n_all = folds.n_sampled_from();
    // Each point: fit every fold's training part (or its share `fraction`),
    // score it on (a sample of) the rows it fitted and on the fold held out.
    // The mean over folds, or `None` when a fold cannot be fitted.
    let cross_validated = |params: &ParamValues, fraction: f64| -> Result<Option<CurvePoint>, SessionError> {
        let mut sums = (0.0, 0.0, 0.0);
        for (fold, data) in folds.prepared() {
            let fitted_on: Vec<usize> = if fraction < 1.0 {
                // Nested subsets that keep each class's share (the split's own rules).
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
            sums.0 += fitted_on.len() as f64;
            let fitted = data.select_rows(&sampled(&fitted_on));
            sums.1 += score(model.as_ref(), &fitted.x, &fitted.target)?;
            let held = data.select_rows(&sampled(&fold.test));
            sums.2 += score(model.as_ref(), &held.x, &held.target)?;
        }
        let k = CURVE_FOLDS as f64;
        Ok(Some((sums.0 / k, (sums.1 / k, sums.2 / k))))
    };
    let measure = folds.measure();
    let specs = (spec.params)(req.task);
    let params = resolve(&specs, &req.params)?;
    let knob = spec.complexity.and_then(|c| {
        let p = specs.iter().find(|p| p.key == c.key)?;
        let ParamKind::Int { min, max, .. } = p.kind else { return None };
        let ParamValue::Int(chosen) = params.get(c.key)? else { return None };
        Some((c, p.label, min, max, *chosen))
    });
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

    let mut points: Vec<CurvePoint> = vec![];
    let mut skipped = 0usize;
    let (x_label, chosen, mut note) = match knob {
        Some((knob, label, min, max, chosen)) => {
            let mut values: Vec<i64> =
                knob.values.iter().copied().filter(|v| (min..=max).contains(v) && *v != chosen).collect();
            let mut said = Vec::new();
            if knob.cost_grows && values.iter().any(|&v| v > chosen) {
                values.retain(|&v| v < chosen);
                said.push(format!(
                    "values above your {chosen} were left out, as each would take longer to fit than your model"
                ));
            }
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
            for (i, &v) in values.iter().enumerate() {
                progress.report(i, values.len(), "learning curve");
                let mut p = params.clone();
                p.insert(knob.key.to_string(), ParamValue::Int(v));
                match cross_validated(&p, 1.0)? {
                    Some((_, scores)) => points.push((if v == chosen { at } else { v as f64 }, scores)),
                    None => skipped += 1,
                }
            }
            let mut note =
                format!("Refitted at {n_values} other values of {label} and at yours, {on_folds}. Your {label} is marked.");
            for s in said {
                note.push_str(&format!(" {}.", crate::base::capitalize(&s)));
            }
            let said = if unlimited { "no limit".to_string() } else { format_number(chosen as f64) };
            if unlimited {
                note = note.replace(
                    &format!("Your {label} is marked."),
                    &format!("Your {label}, no limit, is marked right of the deepest refit."),
                );
            }
            (label.to_string(), ChosenMark { at, label: format!("yours: {said}") }, note)
        }
        None => {
            for (i, &fraction) in SIZE_FRACTIONS.iter().enumerate() {
                progress.report(i, SIZE_FRACTIONS.len(), "learning curve");
                match cross_validated(&params, fraction)? {
                    Some(point) => points.push(point),
                    None => skipped += 1,
                }
            }
            let note = format!(
                "This model has no setting that grows it, so it was refitted on growing shares of each fold's training part, {on_folds}. Your model, fitted on all {} training rows, is marked.",
                format_count(n_all)
            );
            let mark = ChosenMark { at: n_all as f64, label: format!("yours: {}", format_number(n_all as f64)) };
            ("training rows".to_string(), mark, note)
        }
    };
    if skipped > 0 {
        note.push_str(&format!(" {skipped} refits failed (too few rows or classes) and are not shown."));
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let series = |name: &str, pick: fn(&(f64, f64)) -> f64| Series {
        name: name.to_string(),
        points: points.iter().map(|(x, s)| (*x, pick(s))).collect(),
    };
    Ok(Some(LearningCurveView {
        curves: CurvesView {
            title: format!("Learning curve: {measure} by {x_label}, cross-validated"),
            x_label,
            y_label: measure.to_string(),
            series: vec![series("rows fitted", |s| s.0), series("held-out fold", |s| s.1)],
        },
        chosen: Some(chosen),
        note,
    }))
}

#[cfg(test)]
pub(super) mod tests;
