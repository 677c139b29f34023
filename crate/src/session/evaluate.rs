//! The evaluation views of a trained model, built from its predictions alone so
//! that every model in the registry (and every one added later) gets them:
//! permutation importance, confusion matrix, ROC and precision–recall curves,
//! residuals, partial dependence and the learning curve.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{SessionError, Trained};
use crate::base::{accuracy, format_count, r2_score, FeatureMatrix, FeatureValue, Target};
use crate::data::Table;
use crate::eval::{confusion_matrix, permutation_importance, precision_recall_curve, roc_curve};
use crate::explain::{ClassCurve, ConfusionView, ImportanceView, PartialDependenceView, PdpGrid, ResidualsView, RocView};
use crate::model::{Dataset, FittedModel, Predictions};
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

mod curve;
pub(super) use curve::learning_curve;
pub use curve::{curve_slots, CurveFold, CurveFrame, KeptCurve, CURVE_FOLDS};

#[cfg(test)]
pub(super) mod tests;
