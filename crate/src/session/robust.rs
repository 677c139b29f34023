//! Who the trained model fails and how it holds up, for any model (an
//! ensemble too): everything here reads the model only through its fitted
//! pipeline and its predictions. The class report, calibration and worst
//! rows come from the test predictions; groups score the test rows per level
//! of a column; noise and missing inputs change the test rows' raw values
//! and encode them again; a shift trains the same request on a split by a
//! column's value.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::evaluate::{positive_class, sample_rows, score, score_name};
use super::{refit, Clock, SessionError, Trained};
use crate::base::{format_count, format_number, format_significant, sort_with, Progress, Split, Standard, Target};
use crate::data::{ColumnKind, Table, MISSING_CODE};
use crate::eval::{brier_score, calibration_bins, class_group_scores, class_report, value_group_scores, Metrics};
use crate::explain::{
    CalibrationView, ClassReportView, GroupRow, GroupsView, ImportanceView, NoiseLines, NoiseView, RobustnessView,
    ShiftRule, ShiftView, WorstRow, WorstRowsView,
};
use crate::model::view::{CurvesView, Series};
use crate::model::{Dataset, Predictions};
use crate::prep::RawRows;

/// Noise sizes, in standard deviations of each feature: 0, 0.1, …, 1.
pub const NOISE_STEPS: usize = 10;
/// Noisy copies of the rows averaged at each size: as many as the budget
/// allows on the rows used (a small test set gets more, so its curve is
/// smooth), between these.
pub const MIN_NOISE_REPEATS: usize = 3;
pub const MAX_NOISE_REPEATS: usize = 20;
/// Features that get a noise curve of their own, most important first.
pub const NOISE_FEATURES: usize = 8;
/// Rows the noise curves and the missing inputs may predict in all: on a
/// wide or long table they use a seeded sample of the test rows, so Train stays quick.
const ROBUSTNESS_BUDGET: usize = 30_000;
/// Fewest test rows the probes use, whatever the budget.
const ROBUSTNESS_MIN_ROWS: usize = 100;
/// Worst-predicted test rows listed.
pub const WORST_ROWS: usize = 10;
/// Equal bins of the calibration chart.
pub const CALIBRATION_BINS: usize = 10;
/// The default largest gap between groups' scores before a warning, as a share.
pub const GROUP_MARGIN: f64 = 0.10;
/// Groups smaller than this are listed but not compared: a group of three rows
/// scores 0 or 1 by chance.
pub const GROUP_MIN_ROWS: usize = 5;
/// Fewest rows each side of a shifted split must have.
pub const SHIFT_MIN_ROWS: usize = 10;
/// Seeds the noise apart from the split and the other samples.
const NOISE_SEED: u64 = 0x0015_e5ee;

/// The views of the test predictions: the class report and calibration for
/// classes, and the worst rows for either task.
pub(super) struct Failures {
    pub class_report: Option<ClassReportView>,
    pub calibration: Option<CalibrationView>,
    pub worst_rows: Option<WorstRowsView>,
}

/// The test rows of `trained`: table rows, and the dataset.
fn test_rows(trained: &Trained) -> (Vec<usize>, Dataset) {
    let rows = trained.split.test.iter().map(|&i| trained.rows[i]).collect();
    (rows, trained.data.select_rows(&trained.split.test))
}

/// The test rows (table rows and dataset) and the model's predictions of
/// them, made once for every view of a Train that needs them.
pub(super) struct TestPredictions {
    rows: Vec<usize>,
    test: Dataset,
    predicted: Predictions,
}

impl TestPredictions {
    pub(super) fn of(trained: &Trained) -> Result<TestPredictions, SessionError> {
        let (rows, test) = test_rows(trained);
        let predicted = trained.model.predict(&test.x)?;
        Ok(TestPredictions { rows, test, predicted })
    }

    /// The test rows `test` of `trained` with their predictions, made already.
    pub(super) fn new(trained: &Trained, test: Dataset, predicted: Predictions) -> TestPredictions {
        TestPredictions { rows: trained.split.test.iter().map(|&i| trained.rows[i]).collect(), test, predicted }
    }
}

pub(super) fn failures(table: &Table, trained: &Trained, tested: &TestPredictions) -> Result<Failures, SessionError> {
    let TestPredictions { rows, test, predicted } = tested;
    if rows.is_empty() {
        return Ok(Failures { class_report: None, calibration: None, worst_rows: None });
    }
    let columns: Vec<String> = trained.pipeline.feature_columns().iter().map(|&c| table.columns[c].name.clone()).collect();
    let values = |row: usize| trained.pipeline.row_values(table, row).into_iter().map(|(_, v)| v.text()).collect();
    match (&test.target, predicted) {
        (Target::Classes { y, names }, Predictions::Classes { proba, n_classes }) => {
            let labels = predicted.labels().unwrap_or_default();
            let report =
                class_report(y, &labels, proba, *n_classes).map(|report| ClassReportView { classes: names.clone(), report });
            let confidence: Vec<f64> = proba
                .chunks(*n_classes)
                .zip(&labels)
                .map(|(p, &l)| p.get(l as usize).map_or(f64::NAN, |&v| v as f64))
                .collect();
            let right: Vec<bool> = y.iter().zip(&labels).map(|(t, l)| t == l).collect();
            let calibration = calibration_view(&right, &confidence, brier_score(y, proba, *n_classes));
            let mut wrong: Vec<usize> = (0..y.len()).filter(|&i| !right[i]).collect();
            sort_with(&mut wrong, &|&a, &b| confidence[b].total_cmp(&confidence[a]).then(a.cmp(&b)));
            let name = |c: u32| names.get(c as usize).cloned().unwrap_or_default();
            let worst = wrong
                .iter()
                .take(WORST_ROWS)
                .map(|&i| WorstRow {
                    row: rows[i],
                    truth: name(y[i]),
                    predicted: name(labels[i]),
                    how_wrong: confidence[i],
                    values: values(rows[i]),
                })
                .collect();
            let note = format!(
                "{} of {} test rows are wrong; the {} it was surest about, with the probability it gave its wrong answer.",
                format_count(wrong.len()),
                format_count(y.len()),
                wrong.len().min(WORST_ROWS)
            );
            let worst_rows = WorstRowsView { measure: "confidence".into(), columns, rows: worst, note };
            Ok(Failures { class_report: report, calibration: Some(calibration), worst_rows: Some(worst_rows) })
        }
        (Target::Values(truth), Predictions::Values(p)) => {
            let mut order: Vec<usize> = (0..truth.len()).collect();
            let error = |i: usize| (truth[i] - p[i]).abs();
            sort_with(&mut order, &|&a, &b| error(b).total_cmp(&error(a)).then(a.cmp(&b)));
            let worst = order
                .iter()
                .take(WORST_ROWS)
                .map(|&i| WorstRow {
                    row: rows[i],
                    truth: format_number(truth[i]),
                    predicted: format_significant(p[i], 4),
                    how_wrong: error(i),
                    values: values(rows[i]),
                })
                .collect();
            let note = format!("The {} test rows with the largest errors.", order.len().min(WORST_ROWS));
            let worst_rows = WorstRowsView { measure: "absolute error".into(), columns, rows: worst, note };
            Ok(Failures { class_report: None, calibration: None, worst_rows: Some(worst_rows) })
        }
        _ => Ok(Failures { class_report: None, calibration: None, worst_rows: None }),
    }
}

/// The reliability chart of the predicted classes' probabilities, with a
/// sentence about its fullest bin of high confidence.
fn calibration_view(right: &[bool], confidence: &[f64], brier: f64) -> CalibrationView {
    let bins = calibration_bins(right, confidence, CALIBRATION_BINS);
    let percent = |v: f64| format!("{} %", format_number((v * 100.0).round()));
    // The most confident bin a learner would read as "sure".
    let sure = bins.iter().rev().find(|b| b.count >= 5).or(bins.last());
    let mut note = match sure {
        Some(b) => format!(
            "When the model gives its answer a probability of about {}, it is right {} of the time ({} test rows).",
            percent(b.predicted),
            percent(b.observed),
            format_count(b.count)
        ),
        None => String::new(),
    };
    note.push_str(&format!(
        " On the diagonal a probability means what it says; below it the model is overconfident. Brier score {} (0 is perfect).",
        format_significant(brier, 3)
    ));
    CalibrationView {
        title: format!(
            "Calibration: predicted probability against how often it was right, {} test rows",
            format_count(right.len())
        ),
        bins,
        brier,
        note: note.trim().to_string(),
    }
}

/// Columns a person may group the test rows by: categorical or boolean, as
/// the training request typed them (the table's guess for columns it does
/// not list), the target excepted.
fn group_options(table: &Table, trained: &Trained) -> Vec<String> {
    let req = &trained.request;
    table
        .columns
        .iter()
        .filter(|c| c.name != req.target)
        .filter(|c| {
            let kind = req.columns.iter().find(|u| u.name == c.name).map_or(c.inferred, |u| u.kind);
            matches!(kind, ColumnKind::Categorical | ColumnKind::Boolean)
        })
        .map(|c| c.name.clone())
        .collect()
}

/// The first column to group by at Train, if there is one.
pub(super) fn first_group_column(table: &Table, trained: &Trained) -> Option<String> {
    group_options(table, trained).into_iter().next()
}

/// The test scores per level of `column`, with a warning when two groups of
/// at least [`GROUP_MIN_ROWS`] rows differ by more than `margin`.
pub(super) fn groups(
    table: &Table,
    trained: &Trained,
    tested: &TestPredictions,
    column: &str,
    margin: f64,
) -> Result<GroupsView, SessionError> {
    if !(margin.is_finite() && margin > 0.0 && margin <= 1.0) {
        return Err(SessionError::GroupMargin(margin));
    }
    let options = group_options(table, trained);
    let index = table.column_index(column).ok_or_else(|| SessionError::UnknownColumn(column.to_string()))?;
    if !options.iter().any(|o| o == column) {
        return Err(SessionError::NotAGroupColumn(column.to_string()));
    }
    let TestPredictions { rows, test, predicted } = tested;
    let categories = table.columns[index].categories();
    let code = |r: usize| categories.codes.get(r).copied().unwrap_or(MISSING_CODE);
    let mut codes: Vec<u32> = rows.iter().map(|&r| code(r)).collect();
    codes.sort_unstable();
    codes.dedup();
    let positive = match &test.target {
        Target::Classes { y, names } if names.len() == 2 => Some(positive_class(y) as u32),
        _ => None,
    };
    let mut groups: Vec<GroupRow> = codes
        .iter()
        .map(|&c| {
            let members: Vec<usize> = (0..rows.len()).filter(|&i| code(rows[i]) == c).collect();
            let scores = match (&test.target, &predicted) {
                (Target::Classes { y, .. }, p) => {
                    let labels = p.labels().unwrap_or_default();
                    let pick = |v: &[u32]| members.iter().map(|&i| v[i]).collect::<Vec<u32>>();
                    class_group_scores(&pick(y), &pick(&labels), positive)
                }
                (Target::Values(v), Predictions::Values(p)) => {
                    let pick = |v: &[f64]| members.iter().map(|&i| v[i]).collect::<Vec<f64>>();
                    value_group_scores(&pick(v), &pick(p))
                }
                _ => return Err(SessionError::NothingToValidate),
            };
            let level = categories.levels.get(c as usize).cloned().unwrap_or_else(|| "(missing)".to_string());
            Ok(GroupRow { level, rows: members.len(), scores })
        })
        .collect::<Result<_, SessionError>>()?;
    groups.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.level.cmp(&b.level)));
    let measure = score_name(&test.target);
    let compared: Vec<&GroupRow> =
        groups.iter().filter(|g| g.rows >= GROUP_MIN_ROWS && g.scores.headline().is_finite()).collect();
    let best = compared.iter().max_by(|a, b| a.scores.headline().total_cmp(&b.scores.headline()));
    let worst = compared.iter().min_by(|a, b| a.scores.headline().total_cmp(&b.scores.headline()));
    let points = |v: f64| format_number((v * 1000.0).round() / 10.0);
    let warning = match (best, worst) {
        (Some(b), Some(w)) if b.scores.headline() - w.scores.headline() > margin => Some(format!(
            "The model does worse for {column} = {} ({measure} {}, {} rows) than for {column} = {} ({}, {} rows): a gap of {} points, more than the {} allowed.",
            w.level,
            format_significant(w.scores.headline(), 3),
            format_count(w.rows),
            b.level,
            format_significant(b.scores.headline(), 3),
            format_count(b.rows),
            points(b.scores.headline() - w.scores.headline()),
            points(margin),
        )),
        _ => None,
    };
    let positive = positive.and_then(|p| test.target.class_names().get(p as usize).cloned());
    Ok(GroupsView { column: column.to_string(), options, groups, positive, margin, warning })
}

/// One standard normal draw (Box–Muller), from two uniform ones.
fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random::<f64>();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// The test rows the probes change, as raw values, with what every probe
/// needs: a seeded sample of them when there are many (so Train stays quick),
/// their target, the score without any change, and the numeric features.
struct Probe<'a> {
    table: &'a Table,
    trained: &'a Trained,
    raw: RawRows,
    target: Target,
    clean: f64,
    /// Numeric feature columns, most important first (as the slice is ordered).
    numeric: Vec<usize>,
    /// "the 69 test rows", or the sample of them, for the notes.
    on: String,
    /// Noisy copies averaged at each noise size.
    repeats: usize,
}

impl<'a> Probe<'a> {
    /// `None` without test rows. `curves` noise curves and one prediction of
    /// every row per feature column share the budget.
    fn new(table: &'a Table, trained: &'a Trained, curves: usize) -> Result<Option<Probe<'a>>, SessionError> {
        let (rows, test) = test_rows(trained);
        if rows.is_empty() {
            return Ok(None);
        }
        let pipeline = &trained.pipeline;
        let rank = |c: &usize| trained.slice.iter().position(|d| d.column() == table.columns[*c].name).unwrap_or(usize::MAX);
        let mut numeric: Vec<usize> = pipeline.feature_columns().into_iter().filter(|&c| pipeline.is_number(c)).collect();
        sort_with(&mut numeric, &|a, b| rank(a).cmp(&rank(b)));
        let per_row = curves * NOISE_STEPS * MIN_NOISE_REPEATS + pipeline.feature_columns().len();
        let sampled = sample_rows(rows.len(), (ROBUSTNESS_BUDGET / per_row.max(1)).max(ROBUSTNESS_MIN_ROWS), trained.seed);
        let table_rows: Vec<usize> = sampled.iter().map(|&i| rows[i]).collect();
        let target = test.target.select_rows(&sampled);
        let raw = pipeline.raw_rows(table, &table_rows);
        let clean = score(trained.model.as_ref(), &pipeline.encode(&raw), &target)?;
        let (n, columns) = (sampled.len().max(1), pipeline.feature_columns().len());
        let repeats = (ROBUSTNESS_BUDGET.saturating_sub(columns * n) / (n * curves * NOISE_STEPS).max(1))
            .clamp(MIN_NOISE_REPEATS, MAX_NOISE_REPEATS);
        let on = if sampled.len() < rows.len() {
            format!("a seeded sample of {} of the {} test rows", format_count(sampled.len()), format_count(rows.len()))
        } else {
            format!("the {} test rows", format_count(rows.len()))
        };
        Ok(Some(Probe { table, trained, raw, target, clean, numeric, on, repeats }))
    }

    fn name(&self, column: usize) -> String {
        self.table.columns[column].name.clone()
    }

    /// The drop in score when each feature column is missing in every row
    /// (and so takes the pipeline's imputed value), the largest first.
    fn missing(&self) -> Result<ImportanceView, SessionError> {
        let pipeline = &self.trained.pipeline;
        let mut drops = Vec::new();
        for c in pipeline.feature_columns() {
            let mut changed = self.raw.clone();
            changed.set_missing(c);
            let without = score(self.trained.model.as_ref(), &pipeline.encode(&changed), &self.target)?;
            drops.push((self.name(c), self.clean - without));
        }
        sort_with(&mut drops, &|a, b| b.1.total_cmp(&a.1));
        let measure = score_name(&self.target);
        Ok(ImportanceView {
            title: "When one input is missing: the test score without it".into(),
            measure: format!("drop in test {measure} when missing (so imputed)"),
            items: drops,
            spread: None,
        })
    }

    /// The score at each noise size (0 first: the clean score) with noise on
    /// `noisy` columns, averaged over `repeats` draws predicted in one
    /// batch. `curve` seeds the draws, so each curve is the same whatever
    /// else is drawn.
    fn curve(&self, noisy: &[usize], curve: usize) -> Result<Vec<(f64, f64)>, SessionError> {
        let trained = self.trained;
        let train_rows: Vec<usize> = trained.split.train.iter().map(|&i| trained.rows[i]).collect();
        let train_raw = trained.pipeline.raw_rows(self.table, &train_rows);
        let sds: Vec<f64> = noisy
            .iter()
            .map(|&c| {
                Standard::fit(train_raw.numbers(c).unwrap_or_default().iter().filter(|v| !v.is_nan()).map(|&v| v as f64)).std
            })
            .collect();
        let n = self.raw.len();
        let mut rng = ChaCha8Rng::seed_from_u64(trained.seed ^ NOISE_SEED ^ (curve as u64).wrapping_mul(0x9e37_79b9));
        let mut points = vec![(0.0, self.clean)];
        for step in 1..=NOISE_STEPS {
            let size = step as f64 / NOISE_STEPS as f64;
            let mut batch = self.raw.repeat(self.repeats);
            for (&c, &s) in noisy.iter().zip(&sds) {
                let Some(values) = batch.numbers(c) else { continue };
                let shaken: Vec<f32> = values.iter().map(|&v| v + (gaussian(&mut rng) * size * s) as f32).collect();
                batch.set_numbers(c, shaken);
            }
            let predicted = trained.model.predict(&trained.pipeline.encode(&batch))?;
            let mut total = 0.0;
            for k in 0..self.repeats {
                let part: Vec<usize> = (k * n..(k + 1) * n).collect();
                total += score_predictions(&predicted.select_rows(&part), &self.target);
            }
            points.push((size, total / self.repeats as f64));
        }
        Ok(points)
    }

    /// A noise view of `series`, said on these rows.
    fn view(&self, series: Vec<Series>, lines: NoiseLines, more: &str) -> NoiseView {
        let measure = score_name(&self.target);
        NoiseView {
            curves: CurvesView {
                title: format!("Test {measure} as noise is added to the inputs"),
                x_label: "noise (standard deviations)".into(),
                y_label: format!("test {measure}"),
                series,
            },
            lines,
            note: format!(
                "Gaussian noise of each size (in standard deviations of each feature on the training rows) added to {}, the score averaged over {} seeded draws.{more}",
                self.on, self.repeats
            ),
        }
    }
}

/// How many noise curves a model's robustness card draws: all features, and
/// each of the most important alone. A comparison's curve is drawn on the
/// same rows and draws, so it is the card's.
fn curves_of(trained: &Trained) -> usize {
    let numeric = trained.pipeline.feature_columns().into_iter().filter(|&c| trained.pipeline.is_number(c)).count();
    if numeric == 0 {
        0
    } else {
        1 + numeric.min(NOISE_FEATURES)
    }
}

/// The name of the all-features noise curve.
const ALL_FEATURES: &str = "all numeric features";

/// The test score under noise and with each input missing, on the test rows
/// (a seeded sample of them when there are many; said in the note).
pub(super) fn robustness(table: &Table, trained: &Trained) -> Result<Option<RobustnessView>, SessionError> {
    let Some(probe) = Probe::new(table, trained, curves_of(trained))? else { return Ok(None) };
    let missing = probe.missing()?;
    let noise = if probe.numeric.is_empty() {
        None
    } else {
        let mut series = vec![Series { name: ALL_FEATURES.into(), points: probe.curve(&probe.numeric, 0)? }];
        for (k, &c) in probe.numeric.iter().take(NOISE_FEATURES).enumerate() {
            series.push(Series { name: probe.name(c), points: probe.curve(&[c], k + 1)? });
        }
        let left = probe.numeric.len().saturating_sub(NOISE_FEATURES);
        let more = if left > 0 {
            format!(" The {NOISE_FEATURES} most important numeric features get a line of their own; {left} more are in the all-features line only.")
        } else {
            String::new()
        };
        Some(probe.view(series, NoiseLines::Features { clean: probe.clean }, &more))
    };
    Ok(Some(RobustnessView { noise, missing }))
}

/// A compared model's test score with noise on all its numeric features:
/// the same curve its own robustness card shows. `None` without test rows or
/// numeric features.
pub(super) fn noise_of_all(table: &Table, trained: &Trained) -> Result<Option<Vec<(f64, f64)>>, SessionError> {
    if matches!(trained.data.target, Target::Unlabeled { .. }) {
        return Ok(None);
    }
    match Probe::new(table, trained, curves_of(trained))? {
        Some(probe) if !probe.numeric.is_empty() => probe.curve(&probe.numeric, 0).map(Some),
        _ => Ok(None),
    }
}

/// One noise chart of the compared models' all-features curves (`None` for
/// a model without one is left out).
pub(super) fn compared_noise(curves: Vec<(String, Vec<(f64, f64)>)>, measure: &str) -> Option<NoiseView> {
    if curves.is_empty() {
        return None;
    }
    Some(NoiseView {
        curves: CurvesView {
            title: format!("Test {measure} as noise is added to every numeric feature, by model"),
            x_label: "noise (standard deviations)".into(),
            y_label: format!("test {measure}"),
            series: curves.into_iter().map(|(name, points)| Series { name, points }).collect(),
        },
        lines: NoiseLines::Models,
        note: "Each model's test rows (the same split for all) with Gaussian noise added to every numeric feature, the \
               score averaged over seeded draws as on each model's own robustness card."
            .to_string(),
    })
}

/// Accuracy or R² of `predicted` against `target`.
fn score_predictions(predicted: &Predictions, target: &Target) -> f64 {
    match (target, predicted) {
        (Target::Classes { y, .. }, p) => crate::base::accuracy(y, &p.labels().unwrap_or_default()),
        (Target::Values(v), Predictions::Values(p)) => crate::base::r2_score(v, p),
        _ => f64::NAN,
    }
}

/// Which rows of the table `rule` puts on the training side (`Some(true)`),
/// the test side, or neither (the column is missing there).
fn sides(table: &Table, column: usize, rule: &ShiftRule) -> Result<Vec<Option<bool>>, SessionError> {
    let col = &table.columns[column];
    let wrong = |why: &str| SessionError::ShiftRule { column: col.name.clone(), why: why.to_string() };
    match rule {
        ShiftRule::Below(t) | ShiftRule::Above(t) => {
            if !t.is_finite() {
                return Err(wrong("the threshold is not a number"));
            }
            let numbers = col.numbers().ok_or_else(|| wrong("it is not a numeric column; pick levels instead"))?;
            let below = matches!(rule, ShiftRule::Below(_));
            Ok(numbers.iter().map(|&v| (!v.is_nan()).then_some((v as f64 <= *t) == below)).collect())
        }
        ShiftRule::Levels(levels) => {
            if levels.is_empty() {
                return Err(wrong("pick at least one level to train on"));
            }
            let categories = col.categories();
            if let Some(unknown) = levels.iter().find(|l| !categories.levels.contains(l)) {
                return Err(wrong(&format!("it has no level '{unknown}'")));
            }
            let inside: Vec<bool> = categories.levels.iter().map(|l| levels.contains(l)).collect();
            Ok(categories.codes.iter().map(|&c| inside.get(c as usize).copied()).collect())
        }
    }
}

/// The rule in words, for the sentence and the bars.
fn rule_text(column: &str, rule: &ShiftRule) -> (String, String) {
    match rule {
        ShiftRule::Below(t) => (format!("{column} ≤ {}", format_number(*t)), format!("{column} > {}", format_number(*t))),
        ShiftRule::Above(t) => (format!("{column} > {}", format_number(*t)), format!("{column} ≤ {}", format_number(*t))),
        ShiftRule::Levels(l) => {
            (format!("{column} in {{{}}}", l.join(", ")), format!("{column} not in {{{}}}", l.join(", ")))
        }
    }
}

/// The trained request refitted (same settings, pipeline spec and seed) on
/// the rows `rule` keeps and tested on the others, beside the ordinary split.
pub(super) fn shift(
    table: &Table,
    trained: &Trained,
    column: &str,
    rule: &ShiftRule,
    clock: Clock,
    progress: &mut dyn Progress,
) -> Result<ShiftView, SessionError> {
    let index = table.column_index(column).ok_or_else(|| SessionError::UnknownColumn(column.to_string()))?;
    let side = sides(table, index, rule)?;
    let resplit = |target: &Target, rows: &[usize]| -> Result<Split, SessionError> {
        let pick = |want: bool| -> Vec<usize> { (0..rows.len()).filter(|&i| side[rows[i]] == Some(want)).collect() };
        let split = Split { train: pick(true), test: pick(false) };
        for (part, n) in [("training", split.train.len()), ("test", split.test.len())] {
            if n < SHIFT_MIN_ROWS {
                return Err(SessionError::ShiftTooFew { side: part.to_string(), rows: n, min: SHIFT_MIN_ROWS });
            }
        }
        if let Target::Classes { y, names } = target {
            let mut seen = vec![false; names.len()];
            split.train.iter().for_each(|&i| seen[y[i] as usize] = true);
            if let Some(c) = seen.iter().position(|s| !s) {
                return Err(SessionError::ShiftLacksClass { class: names[c].clone() });
            }
        }
        Ok(split)
    };
    let fitted = refit(table, trained, &trained.request, clock, progress, Some(&resplit))?;
    let (ordinary, shifted) = match (&trained.metrics, &fitted.metrics) {
        (Metrics::Classification { test_accuracy: a, .. }, Metrics::Classification { test_accuracy: b, .. }) => (*a, *b),
        (Metrics::Regression { test_r2: a, .. }, Metrics::Regression { test_r2: b, .. }) => (*a, *b),
        _ => return Err(SessionError::NothingToValidate),
    };
    let (n_train, n_test) = (fitted.trained.split.train.len(), fitted.trained.split.test.len());
    let measure = score_name(&trained.data.target).to_string();
    let (kept, other) = rule_text(column, rule);
    let drop = ordinary - shifted;
    let said = if drop > 0.0 {
        format!("{} points lower", format_number((drop * 1000.0).round() / 10.0))
    } else {
        format!("{} points higher", format_number((-drop * 1000.0).round() / 10.0))
    };
    let sentence = format!(
        "Trained on the {} rows where {kept} and tested on the {} where {other}, the model's {measure} is {}, {said} than on the ordinary random split ({}).",
        format_count(n_train),
        format_count(n_test),
        format_significant(shifted, 3),
        format_significant(ordinary, 3)
    );
    let bars = ImportanceView {
        title: format!("Test {measure}: ordinary split against trained on {kept}"),
        measure: format!("test {measure}"),
        items: vec![("ordinary split".into(), ordinary), (format!("tested on {other}"), shifted)],
        spread: None,
    };
    Ok(ShiftView {
        column: column.to_string(),
        rule: rule.clone(),
        measure,
        ordinary,
        shifted,
        n_train,
        n_test,
        bars,
        sentence,
    })
}

#[cfg(test)]
mod tests;
