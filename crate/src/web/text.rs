//! The page's sentences about a loaded table and a trained model. They are
//! what a person reads first (and what the end-to-end tests read), so they are
//! plain formatting, with no DOM, and tested natively.

use crate::base::{format_count, format_number, format_significant, lower_first};
use crate::eval::search::{Method, BAYESIAN_START};
use crate::eval::{Agreement, Metrics, SUPPORTED_BEYOND};
use crate::explain::{EvaluationPart, FoldScoresView, SearchView};
use crate::session::{CrossValidation, DataSummary, DistillSummary, Fidelity, Folding, LeftOut, MemberReport, ModelCard};
use crate::web::search_table::Verdict;
use crate::web::staged::PartState;

/// The line above the column table: the table's size and name, then anything
/// that did not stop the parse but should be known.
pub fn summary_text(summary: &DataSummary) -> String {
    let mut line =
        format!("{} rows × {} columns · {}", format_count(summary.n_rows), format_count(summary.n_cols), summary.name);
    for w in &summary.warnings {
        line.push_str(&format!(" · ⚠ {w}"));
    }
    line
}

/// The "micro" in micro models: what it learned, what it weighs, how fast it is.
pub fn card_text(model_name: &str, card: &ModelCard) -> String {
    format!(
        "{model_name}: {} parameters · {} bytes · {} µs per row",
        format_count(card.n_parameters),
        format_count(card.bytes),
        format_significant(card.micros_per_row, 2)
    )
}

/// The metrics line: the test score first, since it is the honest one, with
/// its ± standard error and the rows it rests on; then rows left out for a
/// missing target, and a model that learned nothing, said outright.
pub fn metrics_text(metrics: &Metrics, left_out: Option<&LeftOut>, learned_nothing: Option<&str>) -> String {
    let mut line = match *metrics {
        Metrics::Classification { train_accuracy, test_accuracy, test_se, n_train, n_test } => format!(
            "Test accuracy {}{} · train accuracy {} · {}",
            score_text(test_accuracy),
            plus_minus(test_se),
            score_text(train_accuracy),
            rows_text(n_train, n_test, left_out)
        ),
        Metrics::Regression { train_r2, test_r2, test_se, train_mae, test_mae, n_train, n_test } => format!(
            "Test R² {}{} · MAE {} · train R² {} · MAE {} · {}",
            score_text(test_r2),
            plus_minus(test_se),
            format_number(test_mae),
            score_text(train_r2),
            format_number(train_mae),
            rows_text(n_train, n_test, left_out)
        ),
        Metrics::Clustering { train_inertia, test_inertia, n_clusters, silhouette, ref agreement, n_train, n_test } => {
            clustering_text(train_inertia, test_inertia, n_clusters, silhouette, agreement.as_ref(), (n_train, n_test))
        }
    };
    if let Some(why) = learned_nothing {
        line.push_str(&format!(" · ⚠ {why}"));
    }
    line
}

/// An ensemble against its members, each scored on the same test rows:
/// "Soft vote of 3: test accuracy 0.971, its members alone 0.943 (Decision
/// tree (CART)), 0.986 (Logistic regression), …; 0.015 below its best member."
pub fn ensemble_text(name: &str, metrics: &Metrics, members: &[MemberReport]) -> String {
    let test = |m: &Metrics| match *m {
        Metrics::Classification { test_accuracy, .. } => ("accuracy", test_accuracy),
        Metrics::Regression { test_r2, .. } => ("R²", test_r2),
        Metrics::Clustering { .. } => ("score", f64::NAN),
    };
    let (measure, own) = test(metrics);
    let alone: Vec<String> = members.iter().map(|m| format!("{} ({})", score_text(test(&m.metrics).1), m.name)).collect();
    let best = members.iter().map(|m| test(&m.metrics).1).fold(f64::NEG_INFINITY, f64::max);
    let against = match own - best {
        d if d.abs() < 0.0005 => "level with its best member".to_string(),
        d if d > 0.0 => format!("{} above its best member", score_text(d)),
        d => format!("{} below its best member", score_text(-d)),
    };
    format!(
        "{name}: test {measure} {}; its members alone on the same rows: {}; {against}.",
        score_text(own),
        alone.join(", ")
    )
}

/// A score to 3 decimals; one that rounds to zero is 0.000, not −0.000; "—" when there is none.
pub fn score_text(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else if v.abs() < 0.0005 {
        "0.000".into()
    } else {
        format!("{v:.3}")
    }
}

/// " ± 0.046", a score's standard error as the score is written; nothing when unknown.
pub fn plus_minus(standard_error: f64) -> String {
    if standard_error.is_finite() {
        format!(" ± {standard_error:.3}")
    } else {
        String::new()
    }
}

/// "837 training rows, 209 test rows (20 %, held out and scored once; 263
/// rows with no survived value left out)": where the test score comes from,
/// the share as the split made it (a stratified split rounds per class).
fn rows_text(n_train: usize, n_test: usize, left_out: Option<&LeftOut>) -> String {
    let share = if n_train + n_test == 0 { 0.0 } else { 100.0 * n_test as f64 / (n_train + n_test) as f64 };
    let mut text = format!(
        "{} training rows, {} test rows ({} %, held out and scored once",
        format_count(n_train),
        format_count(n_test),
        share.round()
    );
    if let Some(LeftOut { rows, target }) = left_out {
        let rows = if *rows == 1 { "1 row".to_string() } else { format!("{} rows", format_count(*rows)) };
        text.push_str(&format!("; {rows} with no {target} value left out"));
    }
    text.push(')');
    text
}

/// A clustering has no target to score: it speaks of inertia, the silhouette
/// and, with a compared column, the adjusted Rand index.
fn clustering_text(
    train_inertia: f64,
    test_inertia: f64,
    n_clusters: usize,
    silhouette: Option<f64>,
    agreement: Option<&Agreement>,
    (n_train, n_test): (usize, usize),
) -> String {
    let s = |v: f64| format_significant(v, 3);
    let mut parts = vec![format!("Test inertia {} per row · train {}", s(test_inertia), s(train_inertia))];
    if let Some(v) = silhouette {
        parts.push(format!("silhouette {}", s(v)));
    }
    if let Some(a) = agreement {
        parts.push(format!("agreement with {}: ARI {}", a.column, s(a.adjusted_rand_index)));
    }
    parts.push(format!(
        "{} clusters · {} training rows, {} test rows",
        format_count(n_clusters),
        format_count(n_train),
        format_count(n_test)
    ));
    parts.join(" · ")
}

/// Where the cross-validated score comes from, with each fold's score, and
/// that the test score did not take part.
pub fn cross_validation_text(cv: &CrossValidation) -> String {
    let folds: Vec<String> = cv.scores.iter().map(|s| format!("{s:.3}")).collect();
    let k = cv.scores.len();
    let how = match &cv.folding {
        Folding::Shuffled => String::new(),
        Folding::Grouped(column) => format!(", each {column} kept in one fold"),
        Folding::TimeOrdered(column) => format!(" in the order of {column}, each fold trained on earlier rows only"),
    };
    format!(
        "{k}-fold cross-validation{how}: {} {:.3} ± {:.3}, mean ± sd over {k} folds of the {} training rows \
         (each fold: {}). Each fold's preparation was fitted without its held-out rows; the test score above comes \
         from rows no fold used.",
        cv.measure,
        cv.mean,
        cv.sd,
        format_count(cv.n_rows),
        folds.join(", ")
    )
}

/// The strip plot of a cross-validation's fold scores (`cv-canvas`).
pub fn fold_scores_view(cv: &CrossValidation) -> FoldScoresView {
    FoldScoresView {
        title: format!(
            "{} on each of {} folds of the {} training rows",
            crate::base::capitalize(&cv.measure),
            cv.scores.len(),
            format_count(cv.n_rows)
        ),
        measure: cv.measure.clone(),
        scores: cv.scores.clone(),
        mean: cv.mean,
        sd: cv.sd,
    }
}

/// The strip plot in words, for its aria-label.
pub fn fold_scores_label(cv: &CrossValidation) -> String {
    let folds: Vec<String> = cv.scores.iter().map(|s| format!("{s:.3}")).collect();
    format!(
        "{} fold scores, one dot each: {}; mean {:.3}, band ± {:.3} (one sd)",
        cv.measure,
        folds.join(", "),
        cv.mean,
        cv.sd
    )
}

/// What the results panel says while a table waits for its first model.
/// Why the boundary card shows no boundary plot: the model has one feature
/// (drawn along it instead), or none that can be an axis.
pub fn no_boundary_text(only_feature: Option<&str>) -> String {
    match only_feature {
        Some(name) => {
            format!("The model has one feature, {name}: a boundary plot needs two, so here is its prediction along {name}.")
        }
        None => "The boundary plot needs two features that are numbers, yes/no or categories of at most 12 levels; \
                 this model has fewer."
            .to_string(),
    }
}

pub fn ready_text(summary: &DataSummary) -> String {
    format!(
        "{} is loaded: {} rows × {} columns. Choose the target and a model on the left, then press Train.",
        summary.name,
        format_count(summary.n_rows),
        format_count(summary.n_cols)
    )
}

/// What the chosen search method does, in one sentence beside its list.
pub fn search_method_text(method: Method) -> String {
    match method {
        Method::Grid => "Grid search tries evenly spaced values of each setting (spaced by ratios on a log scale), \
                         every combination, as many as the budget holds."
            .into(),
        Method::Random => "Random search draws each trial's settings at random over their ranges (on a log scale \
                           where the setting works by ratios), each trial from its own seed."
            .into(),
        Method::Bayesian => format!(
            "Bayesian search starts with {BAYESIAN_START} random trials, then fits a Gaussian-process surrogate \
             (Matérn 5/2 kernel) to the scores so far and tries next where its expected improvement is highest."
        ),
    }
}

/// Where a search's scores come from, before it has any.
pub fn search_rows_text(k: usize) -> String {
    format!(
        "Each trial is scored by {k}-fold cross-validation on the training rows only; the test rows are used once, \
         for the final model, when you press \"Use the best\"."
    )
}

/// A search under way: the trial reached and the best score so far.
pub fn search_progress_text(done: usize, total: usize, best: Option<f64>, measure: &str) -> String {
    let best = best.map_or(String::new(), |b| format!(" · best so far: CV {measure} {b:.3}"));
    format!("Trial {} of {}{best}", format_count(done), format_count(total))
}

/// A search that ended, or was canceled with `total` trials asked for: how
/// many ran, the best, and the rows its score rests on.
pub fn search_done_text(ran: usize, total: usize, best: Option<(usize, &CrossValidation)>, canceled: bool) -> String {
    let head = if canceled {
        format!("Canceled after {} of {} trials; the trials so far are kept.", format_count(ran), format_count(total))
    } else {
        format!("{} trials.", format_count(ran))
    };
    match best {
        Some((index, cv)) => format!(
            "{head} The best, trial {}, scored {} {:.3} ± {:.3} (mean ± sd over {} folds of the {} training rows).",
            index + 1,
            cv.measure,
            cv.mean,
            cv.sd,
            cv.scores.len(),
            format_count(cv.n_rows)
        ),
        None => format!("{head} No trial could be scored."),
    }
}

/// The best trial's CV score beside the final model's test score, each with
/// the rows it comes from, and a warning when the CV score is far above
/// (see [`crate::web::search_table::verdict`]).
pub fn search_verdict_text(v: &Verdict) -> String {
    let mut text = format!(
        "Best trial: {k}-fold CV {m} {cv:.3} ± {sd:.3} (mean ± sd over folds of the {rows} training rows). The model \
         with these settings, fitted on all {train} training rows: test {m} {test}{se} (± standard error, on the \
         {n_test} test rows no trial saw).",
        k = v.k,
        m = v.measure,
        cv = v.cv,
        sd = v.cv_sd,
        rows = format_count(v.cv_rows),
        train = format_count(v.n_train),
        test = score_text(v.test),
        se = plus_minus(v.test_se),
        n_test = format_count(v.n_test),
    );
    if v.far {
        text.push_str(&format!(
            " ⚠ The CV score is far above the test score: the gap, {:.3}, is more than {SUPPORTED_BEYOND} standard \
             errors of the difference ({:.3}). The best of many trials is partly luck on these folds, or the test \
             rows differ from the training rows; trust the test score.",
            v.cv - v.test,
            v.gap_se
        ));
    }
    text
}

/// The text alternative of a search's charts: the trials so far and the best.
pub fn search_chart_text(view: &SearchView) -> String {
    let n = view.trials.len();
    let trials = if n == 1 { "1 trial".to_string() } else { format!("{} trials", format_count(n)) };
    match view.best() {
        Some(best) => {
            let settings: Vec<String> = view
                .settings
                .iter()
                .zip(&best.values)
                .enumerate()
                .map(|(i, (s, &v))| format!("{} {}", s.label, view.value_text(i, v)))
                .collect();
            format!(
                "Cross-validated {} of {trials}; the best, {:.3}, at trial {} ({})",
                view.measure,
                best.score,
                best.index + 1,
                settings.join(", ")
            )
        }
        None => format!("Cross-validated {} of {trials}; none scored yet", view.measure),
    }
}

/// An exported model's size: "4,120 bytes of source (species_decision_tree.c
/// and model.h)."; the number is the bytes of every file named.
pub fn code_bytes_text(code: &crate::session::CodeExport) -> String {
    let files = match &code.header {
        Some(_) => format!("{} and model.h", code.file_name),
        None => code.file_name.clone(),
    };
    format!("{} bytes of source ({files}).", format_count(code.bytes))
}

/// What the exported code takes on a device: "Flash about 3,100 bytes
/// (estimated for a 32-bit microcontroller: 2,400 bytes of constants in f32
/// and the code), RAM 96 bytes (the working array)."
pub fn code_footprint_text(code: &crate::session::CodeExport) -> String {
    format!(
        "Flash about {} bytes (estimated for a 32-bit microcontroller: {} bytes of constants in {} and the code), \
         RAM {} bytes (the working array).",
        format_count(code.flash_bytes),
        format_count(code.constant_bytes),
        code.precision.id(),
        format_count(code.ram_bytes)
    )
}

/// What quantizing costs and saves: "int8: 0.957 → 0.950 accuracy, 4,120 →
/// 1,230 bytes of constants." and, when it loses more than a point (a
/// hundredth of the score), how many.
pub fn quantization_text(q: &crate::session::Quantization) -> String {
    let head = format!(
        "{}: {:.3} → {:.3} {}, {} → {} bytes of constants.",
        q.precision.id(),
        q.score_before,
        q.score_after,
        q.measure,
        format_count(q.bytes_before),
        format_count(q.bytes_after)
    );
    let lost = (q.score_before - q.score_after) * 100.0;
    if lost > 1.0 {
        format!(
            "{head} It costs {} points of {} on the test rows: check the quantized model before you ship it.",
            format_significant(lost, 2),
            q.measure
        )
    } else {
        head
    }
}

/// A distillation in one sentence: "The depth-4 decision tree predicts 180×
/// faster and is 300× smaller than the random forest, agreeing with it on 96 %
/// of test rows, 1.4 points less accurate (test accuracy 0.943 against
/// 0.957)", then what it learned from.
pub fn distill_text(summary: &DistillSummary) -> String {
    let times = |ratio: f64, more: &str, less: &str| {
        if !ratio.is_finite() || ratio <= 0.0 {
            format!("is not measurably {more}")
        } else if ratio >= 1.0 {
            format!("{}× {more}", format_significant(ratio, 2))
        } else {
            format!("{}× {less}", format_significant(1.0 / ratio, 2))
        }
    };
    let speed = times(summary.speedup(), "faster", "slower");
    let size = times(summary.shrink(), "smaller", "larger");
    let teacher = lower_first(&summary.teacher);
    let (agreeing, scores) = match (summary.fidelity, &summary.student_metrics, &summary.teacher_metrics) {
        (
            Fidelity::Agreement(share),
            Metrics::Classification { test_accuracy: student, .. },
            Metrics::Classification { test_accuracy: teacher, .. },
        ) => {
            let points = (teacher - student) * 100.0;
            let gap = if points.abs() < 0.05 {
                "as accurate".to_string()
            } else {
                let way = if points > 0.0 { "less" } else { "more" };
                format!("{} points {way} accurate", format_significant(points.abs(), 2))
            };
            (
                format!("agreeing with it on {} % of test rows", format_significant(share * 100.0, 3)),
                format!("{gap} (test accuracy {} against {})", score_text(*student), score_text(*teacher)),
            )
        }
        (Fidelity::R2(r2), Metrics::Regression { test_r2: student, .. }, Metrics::Regression { test_r2: teacher, .. }) => (
            format!("following its values on the test rows with R² {}", score_text(r2)),
            format!("test R² {} against {}", score_text(*student), score_text(*teacher)),
        ),
        _ => (String::new(), String::new()),
    };
    let learned = if summary.synthetic_rows == 0 {
        format!("It learned the teacher's answers on the {} training rows.", format_count(summary.training_rows))
    } else {
        format!(
            "It learned the teacher's answers on the {} training rows and {} synthetic rows near them (each number \
             moved by up to {} of its standard deviation).",
            format_count(summary.training_rows),
            format_count(summary.synthetic_rows),
            format_significant(summary.jitter_share, 2)
        )
    };
    format!(
        "The {} predicts {speed} and is {size} than the {teacher} ({} against {} bytes), {agreeing}, {scores}. {learned}",
        summary.student,
        format_count(summary.student_card.bytes),
        format_count(summary.teacher_card.bytes)
    )
}

/// What a view that follows the model's answer is called on the page.
pub fn evaluation_part_name(part: &EvaluationPart) -> String {
    match part {
        EvaluationPart::Permutation => "Permutation importance".to_string(),
        EvaluationPart::PartialDependence { feature } => format!("Partial dependence on {feature}"),
        EvaluationPart::Robustness => "Noise and missing inputs".to_string(),
        EvaluationPart::LearningCurve => "Learning curve".to_string(),
    }
}

/// One line of the views still coming: the view's name and where it stands.
pub fn staged_view_text(part: &EvaluationPart, state: &PartState, percent: Option<u64>) -> String {
    let computing;
    let failed;
    let said = match state {
        PartState::Waiting => "waiting for the views before it",
        PartState::Computing => match percent {
            Some(percent) => {
                computing = format!("computing… {percent}%");
                &computing
            }
            None => "computing…",
        },
        PartState::Helpers => match percent {
            Some(percent) => {
                computing = format!("computing… {percent}% (on the helper workers)");
                &computing
            }
            None => "computing… (on the helper workers)",
        },
        PartState::Done => "ready",
        PartState::Stopped => "stopped; press Train to compute it",
        PartState::Failed(reason) => {
            failed = format!("could not be computed: {reason}");
            &failed
        }
    };
    format!("{}: {said}", evaluation_part_name(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::Task;

    #[test]
    fn quantization_says_its_cost_past_one_point() {
        let q = |after: f64| crate::session::Quantization {
            precision: crate::base::program::Precision::Int8,
            measure: "accuracy".into(),
            score_before: 0.957,
            score_after: after,
            bytes_before: 4120,
            bytes_after: 1230,
        };
        assert_eq!(quantization_text(&q(0.95)), "int8: 0.957 → 0.950 accuracy, 4,120 → 1,230 bytes of constants.");
        assert_eq!(
            quantization_text(&q(0.93)),
            "int8: 0.957 → 0.930 accuracy, 4,120 → 1,230 bytes of constants. It costs 2.7 points of accuracy on the \
             test rows: check the quantized model before you ship it."
        );
    }

    #[test]
    fn an_ensemble_is_said_against_its_members() {
        let accuracy = |a: f64| Metrics::Classification {
            train_accuracy: 1.0,
            test_accuracy: a,
            test_se: 0.01,
            n_train: 100,
            n_test: 40,
        };
        let card = ModelCard { n_parameters: 1, bytes: 1, micros_per_row: 1.0 };
        let member = |name: &str, a: f64| MemberReport {
            model: "m".into(),
            name: name.into(),
            metrics: accuracy(a),
            card: card.clone(),
            boundary: None,
        };
        let members = [member("Tree", 0.9), member("kNN", 0.95)];
        assert_eq!(
            ensemble_text("Soft vote of 2", &accuracy(0.975), &members),
            "Soft vote of 2: test accuracy 0.975; its members alone on the same rows: 0.900 (Tree), 0.950 (kNN); \
             0.025 above its best member."
        );
        assert!(ensemble_text("Hard vote of 2", &accuracy(0.95), &members).ends_with("level with its best member."));
        assert!(ensemble_text("Stack of 2", &accuracy(0.925), &members).ends_with("0.025 below its best member."));
    }

    #[test]
    fn a_distillation_is_said_in_one_sentence_with_its_ratios() {
        let metrics = |test_accuracy| Metrics::Classification {
            train_accuracy: 1.0,
            test_accuracy,
            test_se: 0.02,
            n_train: 266,
            n_test: 68,
        };
        let card = |bytes, micros_per_row| ModelCard { n_parameters: 10, bytes, micros_per_row };
        let summary = DistillSummary {
            teacher: "Random forest".into(),
            student: "depth-4 decision tree".into(),
            fidelity: Fidelity::Agreement(0.9559),
            teacher_metrics: metrics(0.957),
            student_metrics: metrics(0.943),
            teacher_card: card(90_000, 36.0),
            student_card: card(300, 0.2),
            training_rows: 266,
            synthetic_rows: 1000,
            jitter_share: 0.25,
        };
        assert_eq!(
            distill_text(&summary),
            "The depth-4 decision tree predicts 180× faster and is 300× smaller than the random forest (300 against \
             90,000 bytes), agreeing with it on 95.6 % of test rows, 1.4 points less accurate (test accuracy 0.943 \
             against 0.957). It learned the teacher's answers on the 266 training rows and 1,000 synthetic rows near \
             them (each number moved by up to 0.25 of its standard deviation)."
        );
    }

    #[test]
    fn the_search_charts_are_summed_up_in_words() {
        use crate::explain::{SearchedSetting, SettingScale, TrialPoint};
        let mut view = SearchView {
            measure: "accuracy".into(),
            k: 5,
            settings: vec![
                SearchedSetting { label: "max depth".into(), scale: SettingScale::Linear },
                SearchedSetting {
                    label: "criterion".into(),
                    scale: SettingScale::Levels(vec!["gini".into(), "entropy".into()]),
                },
            ],
            trials: vec![TrialPoint { index: 0, score: f64::NAN, sd: f64::NAN, values: vec![3.0, 0.0] }],
            grid: None,
        };
        assert_eq!(search_chart_text(&view), "Cross-validated accuracy of 1 trial; none scored yet");
        view.trials.push(TrialPoint { index: 1, score: 0.9512, sd: 0.02, values: vec![4.0, 1.0] });
        assert_eq!(
            search_chart_text(&view),
            "Cross-validated accuracy of 2 trials; the best, 0.951, at trial 2 (max depth 4, criterion entropy)"
        );
    }

    #[test]
    fn the_search_says_its_method_its_progress_and_where_its_scores_come_from() {
        assert!(search_method_text(Method::Bayesian).contains("Gaussian-process surrogate"));
        assert!(search_method_text(Method::Bayesian).contains("expected improvement"));
        assert!(search_method_text(Method::Bayesian).starts_with("Bayesian search starts with 5 random trials"));
        assert!(search_rows_text(5).starts_with("Each trial is scored by 5-fold cross-validation on the training rows only"));
        assert_eq!(search_progress_text(3, 20, None, "accuracy"), "Trial 3 of 20");
        assert_eq!(search_progress_text(4, 20, Some(0.95123), "accuracy"), "Trial 4 of 20 · best so far: CV accuracy 0.951");
        let cv = CrossValidation {
            measure: "accuracy".into(),
            scores: vec![0.95; 5],
            mean: 0.9512,
            sd: 0.0204,
            n_rows: 455,
            folding: Folding::Shuffled,
        };
        assert_eq!(
            search_done_text(7, 40, Some((2, &cv)), true),
            "Canceled after 7 of 40 trials; the trials so far are kept. The best, trial 3, scored accuracy 0.951 ± \
             0.020 (mean ± sd over 5 folds of the 455 training rows)."
        );
        assert_eq!(search_done_text(20, 20, None, false), "20 trials. No trial could be scored.");
    }

    #[test]
    fn the_verdict_names_each_scores_rows_and_warns_only_when_far() {
        let mut v = Verdict {
            measure: "accuracy".into(),
            cv: 0.96,
            cv_sd: 0.02,
            k: 5,
            cv_rows: 455,
            test: 0.93,
            test_se: 0.0239,
            n_train: 455,
            n_test: 114,
            gap_se: 0.0255,
            far: false,
        };
        assert_eq!(
            search_verdict_text(&v),
            "Best trial: 5-fold CV accuracy 0.960 ± 0.020 (mean ± sd over folds of the 455 training rows). The model \
             with these settings, fitted on all 455 training rows: test accuracy 0.930 ± 0.024 (± standard error, on \
             the 114 test rows no trial saw)."
        );
        v.far = true;
        assert!(search_verdict_text(&v).contains("⚠ The CV score is far above the test score: the gap, 0.030, is more than 2 standard errors of the difference (0.025)."));
    }

    #[test]
    fn the_summary_names_size_table_and_warnings() {
        let mut summary = DataSummary {
            name: "penguins.csv".into(),
            n_rows: 12_345,
            n_cols: 8,
            columns: Vec::new(),
            default_target: 0,
            suggested_task: vec![Task::Classification],
            preview: Vec::new(),
            warnings: Vec::new(),
            decoding: Default::default(),
            content_hash: String::new(),
            n_bytes: 0,
            toy_edits: Vec::new(),
        };
        assert_eq!(summary_text(&summary), "12,345 rows × 8 columns · penguins.csv");
        assert_eq!(
            ready_text(&summary),
            "penguins.csv is loaded: 12,345 rows × 8 columns. Choose the target and a model on the left, then press Train."
        );
        summary.warnings = vec!["Column 'x' has 2 values.".into(), "Another.".into()];
        assert_eq!(
            summary_text(&summary),
            "12,345 rows × 8 columns · penguins.csv · ⚠ Column 'x' has 2 values. · ⚠ Another."
        );
    }

    #[test]
    fn cross_validation_says_where_its_score_comes_from() {
        let cv = CrossValidation {
            measure: "accuracy".into(),
            scores: vec![0.9166, 1.0, 0.9583],
            mean: 0.958_3,
            sd: 0.041_65,
            n_rows: 1_200,
            folding: Folding::Shuffled,
        };
        assert_eq!(
            cross_validation_text(&cv),
            "3-fold cross-validation: accuracy 0.958 ± 0.042, mean ± sd over 3 folds of the 1,200 training rows \
             (each fold: 0.917, 1.000, 0.958). Each fold's preparation was fitted without its held-out rows; the test \
             score above comes from rows no fold used."
        );
        let view = fold_scores_view(&cv);
        assert_eq!(view.title, "Accuracy on each of 3 folds of the 1,200 training rows");
        assert_eq!((view.scores, view.mean, view.sd), (cv.scores.clone(), cv.mean, cv.sd));
        assert_eq!(
            fold_scores_label(&cv),
            "accuracy fold scores, one dot each: 0.917, 1.000, 0.958; mean 0.958, band ± 0.042 (one sd)"
        );
        let grouped = CrossValidation { folding: Folding::Grouped("island".into()), ..cv.clone() };
        assert!(
            cross_validation_text(&grouped).starts_with("3-fold cross-validation, each island kept in one fold: accuracy")
        );
        let timed = CrossValidation { folding: Folding::TimeOrdered("year".into()), ..cv };
        assert!(cross_validation_text(&timed)
            .starts_with("3-fold cross-validation in the order of year, each fold trained on earlier rows only: accuracy"));
    }

    #[test]
    fn a_missing_boundary_says_why() {
        assert!(no_boundary_text(Some("age")).starts_with("The model has one feature, age: a boundary plot needs two"));
        assert!(no_boundary_text(None).contains("this model has fewer"));
    }

    #[test]
    fn the_card_says_size_and_speed() {
        let card = ModelCard { n_parameters: 1_234, bytes: 56_789, micros_per_row: 0.123_456 };
        assert_eq!(card_text("Decision tree", &card), "Decision tree: 1,234 parameters · 56,789 bytes · 0.12 µs per row");
    }

    #[test]
    fn classification_and_regression_lead_with_the_test_score_and_its_spread() {
        let classification = Metrics::Classification {
            train_accuracy: 1.0,
            test_accuracy: 0.93333,
            test_se: 0.04554,
            n_train: 120,
            n_test: 30,
        };
        assert_eq!(
            metrics_text(&classification, None, None),
            "Test accuracy 0.933 ± 0.046 · train accuracy 1.000 · 120 training rows, 30 test rows \
             (20 %, held out and scored once)"
        );
        let regression = Metrics::Regression {
            train_r2: 0.61234,
            test_r2: 0.45,
            test_se: f64::NAN,
            train_mae: 41.5,
            test_mae: 44.253,
            n_train: 353,
            n_test: 89,
        };
        assert_eq!(
            metrics_text(&regression, None, None),
            "Test R² 0.450 · MAE 44.25 · train R² 0.612 · MAE 41.5 · 353 training rows, 89 test rows \
             (20 %, held out and scored once)",
            "an unknown spread is left out, not shown as NaN"
        );
    }

    #[test]
    fn a_score_that_rounds_to_zero_has_no_sign() {
        assert_eq!([score_text(-0.0001), score_text(f64::NAN), score_text(0.1234)], ["0.000", "—", "0.123"]);
    }

    #[test]
    fn rows_without_a_target_and_a_model_that_learned_nothing_are_said() {
        let metrics =
            Metrics::Classification { train_accuracy: 0.8, test_accuracy: 0.75, test_se: 0.03, n_train: 837, n_test: 209 };
        let left_out = LeftOut { rows: 263, target: "survived".into() };
        assert_eq!(
            metrics_text(&metrics, Some(&left_out), None),
            "Test accuracy 0.750 ± 0.030 · train accuracy 0.800 · 837 training rows, 209 test rows \
             (20 %, held out and scored once; 263 rows with no survived value left out)"
        );
        let one = LeftOut { rows: 1, target: "age".into() };
        assert!(metrics_text(&metrics, Some(&one), Some("Tree learned nothing: why."))
            .ends_with("209 test rows (20 %, held out and scored once; 1 row with no age value left out) · ⚠ Tree learned nothing: why."));
    }

    #[test]
    fn a_clustering_speaks_of_inertia_and_its_optional_scores() {
        let mut metrics = Metrics::Clustering {
            train_inertia: 0.52345,
            test_inertia: 0.61,
            n_clusters: 3,
            silhouette: None,
            agreement: None,
            n_train: 1_200,
            n_test: 300,
        };
        assert_eq!(
            metrics_text(&metrics, None, None),
            "Test inertia 0.61 per row · train 0.523 · 3 clusters · 1,200 training rows, 300 test rows"
        );
        if let Metrics::Clustering { silhouette, agreement, .. } = &mut metrics {
            *silhouette = Some(0.55);
            *agreement = Some(Agreement { column: "species".into(), adjusted_rand_index: 0.7302 });
        }
        assert_eq!(
            metrics_text(&metrics, None, None),
            "Test inertia 0.61 per row · train 0.523 · silhouette 0.55 · agreement with species: ARI 0.73 · \
             3 clusters · 1,200 training rows, 300 test rows"
        );
    }

    #[test]
    fn a_staged_view_says_its_name_and_state() {
        let pdp = EvaluationPart::PartialDependence { feature: "age".into() };
        assert_eq!(staged_view_text(&pdp, &PartState::Computing, None), "Partial dependence on age: computing…");
        assert_eq!(staged_view_text(&pdp, &PartState::Computing, Some(45)), "Partial dependence on age: computing… 45%");
        assert_eq!(
            staged_view_text(&EvaluationPart::LearningCurve, &PartState::Helpers, Some(20)),
            "Learning curve: computing… 20% (on the helper workers)"
        );
        assert_eq!(
            staged_view_text(&EvaluationPart::LearningCurve, &PartState::Waiting, None),
            "Learning curve: waiting for the views before it"
        );
        assert_eq!(
            staged_view_text(&EvaluationPart::Robustness, &PartState::Stopped, Some(3)),
            "Noise and missing inputs: stopped; press Train to compute it"
        );
        assert_eq!(
            staged_view_text(&EvaluationPart::Permutation, &PartState::Failed("too few test rows".into()), None),
            "Permutation importance: could not be computed: too few test rows"
        );
    }
}
