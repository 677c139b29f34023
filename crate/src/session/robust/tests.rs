use super::*;
use crate::base::NoProgress;
use crate::eval::GroupScores;
use crate::model::{ParamValue, ParamValues};
use crate::session::evaluate::tests::{load, request, train};
use crate::session::{native_clock, DataSummary, Request, Response, Session, TrainReport};

/// Penguins' species by a depth-3 tree: 69 test rows, island the first categorical column.
fn penguins() -> (Session, DataSummary, TrainReport) {
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::LoadBundled { name: "penguins".into() });
    let params = ParamValues::from([("max_depth".to_string(), ParamValue::Int(3))]);
    let report = train(&mut s, request(&summary, "species", "decision_tree", params));
    (s, summary, report)
}

fn test_accuracy(report: &TrainReport) -> (f64, usize) {
    match report.metrics {
        Metrics::Classification { test_accuracy, n_test, .. } => (test_accuracy, n_test),
        _ => panic!("a classification"),
    }
}

#[test]
fn train_reports_the_class_report_calibration_worst_rows_and_groups() {
    let (_, _, report) = penguins();
    let (accuracy, n_test) = test_accuracy(&report);
    let e = &report.evaluation;
    let classes = e.class_report.as_ref().expect("a class report");
    assert_eq!(classes.classes, vec!["Adelie", "Gentoo", "Chinstrap"]);
    assert_eq!(classes.report.classes.iter().map(|c| c.support).sum::<usize>(), n_test);
    assert_eq!(classes.report.accuracy, accuracy);

    let calibration = e.calibration.as_ref().expect("calibration");
    assert_eq!(calibration.bins.iter().map(|b| b.count).sum::<usize>(), n_test);
    assert!(calibration.note.contains("right") && calibration.note.contains("Brier"), "{}", calibration.note);

    let worst = e.worst_rows.as_ref().expect("worst rows");
    let wrong = ((1.0 - accuracy) * n_test as f64).round() as usize;
    assert_eq!(worst.rows.len(), wrong.min(WORST_ROWS));
    assert!(worst.rows.iter().all(|r| r.truth != r.predicted));
    assert!(worst.rows.windows(2).all(|w| w[0].how_wrong >= w[1].how_wrong));
    assert!(worst.rows.iter().all(|r| r.values.len() == worst.columns.len()));

    let groups = e.groups.as_ref().expect("groups by the first categorical column");
    assert_eq!(groups.column, "island");
    assert_eq!(groups.options, vec!["island", "sex"]);
    assert_eq!(groups.groups.iter().map(|g| g.rows).sum::<usize>(), n_test);
    // Three classes: accuracy alone, no rates.
    assert!(groups.groups.iter().all(|g| matches!(g.scores, GroupScores::Classes { tpr: None, fpr: None, .. })));
    assert!(groups.groups.windows(2).all(|w| w[0].rows >= w[1].rows));
}

#[test]
fn groups_warn_past_the_margin_and_refuse_bad_requests() {
    let (mut s, _, _) = penguins();
    let groups = |s: &mut Session, column: &str, margin: f64| {
        s.handle(Request::Groups { column: column.into(), margin }, &mut NoProgress)
    };
    let Response::Groups(view) = groups(&mut s, "sex", 1.0) else { panic!("groups by sex") };
    assert_eq!(view.warning, None, "no gap exceeds 100 points");
    let (best, worst) = view
        .groups
        .iter()
        .filter(|g| g.rows >= GROUP_MIN_ROWS)
        .map(|g| g.scores.headline())
        .fold((f64::NEG_INFINITY, f64::INFINITY), |(b, w), v| (b.max(v), w.min(v)));
    let Response::Groups(tight) = groups(&mut s, "sex", (best - worst) / 2.0 + 1e-6) else { panic!() };
    if best > worst {
        assert!(tight.warning.as_deref().is_some_and(|w| w.contains("sex =")), "{:?}", tight.warning);
    }
    assert_eq!(
        groups(&mut s, "bill_length_mm", 0.1),
        Response::Failed(SessionError::NotAGroupColumn("bill_length_mm".into()))
    );
    assert_eq!(groups(&mut s, "species", 0.1), Response::Failed(SessionError::NotAGroupColumn("species".into())));
    assert_eq!(groups(&mut s, "nope", 0.1), Response::Failed(SessionError::UnknownColumn("nope".into())));
    assert_eq!(groups(&mut s, "island", 0.0), Response::Failed(SessionError::GroupMargin(0.0)));
    assert!(matches!(groups(&mut s, "island", f64::NAN), Response::Failed(SessionError::GroupMargin(_))));
}

#[test]
fn noise_starts_at_the_test_score_and_is_seeded() {
    let (_, _, report) = penguins();
    let (accuracy, _) = test_accuracy(&report);
    let robustness = report.evaluation.robustness.clone().expect("robustness");
    let noise = robustness.noise.expect("numeric features");
    assert_eq!(noise.lines, NoiseLines::Features { clean: accuracy });
    // The five numeric features (year too) together, then each alone.
    assert_eq!(noise.curves.series.len(), 1 + 5);
    for series in &noise.curves.series {
        assert_eq!(series.points[0], (0.0, accuracy), "{}", series.name);
        assert_eq!(series.points.len(), NOISE_STEPS + 1);
        assert!(series.points.iter().all(|p| (0.0..=1.0).contains(&p.1)));
    }
    // A standard deviation of noise on every feature costs a tree on penguins dearly.
    let all = &noise.curves.series[0].points;
    assert!(all[NOISE_STEPS].1 < accuracy - 0.1, "{all:?}");
    // The same request gives the very same curves; another seed other ones.
    let (_, _, again) = penguins();
    assert_eq!(again.evaluation.robustness, report.evaluation.robustness);

    // A missing input: one bar per feature column, the most harmful first.
    let missing = &robustness.missing;
    assert_eq!(missing.items.len(), 7);
    assert!(missing.items.windows(2).all(|w| w[0].1 >= w[1].1));
}

#[test]
fn a_missing_input_takes_the_imputed_value() {
    // With no input at all the tree answers as for a row of typical values:
    // the drop for a column the tree never reads is zero.
    let (_, _, report) = penguins();
    let Some(crate::model::view::ModelView::Tree(tree)) = report.views.first() else { panic!("a tree") };
    let read: Vec<&str> = tree.nodes.iter().filter_map(|n| n.split.as_ref().map(|s| s.feature.as_str())).collect();
    let missing = &report.evaluation.robustness.as_ref().expect("robustness").missing;
    for (column, drop) in &missing.items {
        if !read.contains(&column.as_str()) {
            assert_eq!(*drop, 0.0, "{column} is never read by the tree");
        }
    }
    assert!(missing.items.iter().any(|(_, d)| *d > 0.0));
}

#[test]
fn a_shifted_split_trains_on_one_side_and_tests_on_the_other() {
    let (mut s, _, report) = penguins();
    let (accuracy, _) = test_accuracy(&report);
    let shift = |s: &mut Session, column: &str, rule: ShiftRule| {
        s.handle(Request::Shift { column: column.into(), rule }, &mut NoProgress)
    };
    let Response::Shifted(view) = shift(&mut s, "bill_length_mm", ShiftRule::Below(45.0)) else { panic!("a shift") };
    let table = crate::data::read_csv(crate::session::bundled::bytes("penguins").unwrap()).unwrap();
    let bill = table.columns[table.column_index("bill_length_mm").unwrap()].numbers().unwrap();
    let species = table.column_index("species").unwrap();
    let has_target = |r: usize| table.columns[species].categories().codes[r] != crate::data::MISSING_CODE;
    let below = (0..table.n_rows).filter(|&r| has_target(r) && bill[r] <= 45.0).count();
    let above = (0..table.n_rows).filter(|&r| has_target(r) && bill[r] > 45.0).count();
    assert_eq!((view.n_train, view.n_test), (below, above));
    assert_eq!(view.ordinary, accuracy);
    assert!((0.0..=1.0).contains(&view.shifted));
    assert!(view.sentence.contains("bill_length_mm ≤ 45") && view.sentence.contains("ordinary"), "{}", view.sentence);
    // The session's trained model is untouched.
    let Response::Groups(_) = s.handle(Request::Groups { column: "island".into(), margin: 0.1 }, &mut NoProgress) else {
        panic!()
    };

    let Response::Shifted(levels) = shift(&mut s, "island", ShiftRule::Levels(vec!["Biscoe".into(), "Dream".into()])) else {
        panic!("a shift by levels")
    };
    assert!(levels.n_train > levels.n_test);

    // Errors a person can act on.
    let too_few = shift(&mut s, "bill_length_mm", ShiftRule::Below(33.0));
    assert!(
        matches!(too_few, Response::Failed(SessionError::ShiftTooFew { ref side, .. }) if side == "training"),
        "{too_few:?}"
    );
    let none_left = shift(&mut s, "bill_length_mm", ShiftRule::Above(58.0));
    assert!(matches!(none_left, Response::Failed(SessionError::ShiftTooFew { .. })), "{none_left:?}");
    // Torgersen holds only Adelie penguins.
    let one_class = shift(&mut s, "island", ShiftRule::Levels(vec!["Torgersen".into()]));
    assert!(matches!(one_class, Response::Failed(SessionError::ShiftLacksClass { .. })), "{one_class:?}");
    assert!(matches!(shift(&mut s, "island", ShiftRule::Below(1.0)), Response::Failed(SessionError::ShiftRule { .. })));
    assert!(matches!(
        shift(&mut s, "island", ShiftRule::Levels(vec!["Atlantis".into()])),
        Response::Failed(SessionError::ShiftRule { .. })
    ));
    assert!(matches!(shift(&mut s, "island", ShiftRule::Levels(vec![])), Response::Failed(SessionError::ShiftRule { .. })));
    assert!(matches!(
        shift(&mut s, "bill_length_mm", ShiftRule::Below(f64::NAN)),
        Response::Failed(SessionError::ShiftRule { .. })
    ));
    assert_eq!(shift(&mut s, "nope", ShiftRule::Below(1.0)), Response::Failed(SessionError::UnknownColumn("nope".into())));
    let mut fresh = Session::new(native_clock);
    assert_eq!(shift(&mut fresh, "island", ShiftRule::Below(1.0)), Response::Failed(SessionError::NoTable));
}

#[test]
fn a_regression_lists_its_largest_errors() {
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::LoadBundled { name: "diabetes".into() });
    let report = train(&mut s, request(&summary, "progression", "decision_tree", ParamValues::new()));
    let e = &report.evaluation;
    assert!(e.class_report.is_none() && e.calibration.is_none());
    let worst = e.worst_rows.as_ref().expect("worst rows");
    assert_eq!(worst.measure, "absolute error");
    assert_eq!(worst.rows.len(), WORST_ROWS);
    assert!(worst.rows.windows(2).all(|w| w[0].how_wrong >= w[1].how_wrong));
    let first = &worst.rows[0];
    let (truth, predicted): (f64, f64) =
        (first.truth.replace(',', "").parse().unwrap(), first.predicted.replace(',', "").parse().unwrap());
    assert!(((truth - predicted).abs() - first.how_wrong).abs() < 0.5, "{first:?}");
    let Response::Shifted(view) =
        s.handle(Request::Shift { column: "bmi".into(), rule: ShiftRule::Below(27.0) }, &mut NoProgress)
    else {
        panic!("a regression shifts too")
    };
    assert_eq!(view.measure, "R²");
}

#[test]
fn a_comparison_draws_each_models_noise_curve_as_its_card_does() {
    let (mut s, summary, report) = penguins();
    let base =
        request(&summary, "species", "decision_tree", ParamValues::from([("max_depth".to_string(), ParamValue::Int(3))]));
    let compare = crate::session::CompareRequest {
        base,
        models: vec!["decision_tree".into(), "knn".into()],
        axes: None,
        slice: vec![],
    };
    let Response::Compared(compared) = s.handle(Request::Compare(compare), &mut NoProgress) else { panic!("compared") };
    let noise = compared.noise.expect("a noise chart");
    assert_eq!(noise.lines, NoiseLines::Models);
    assert_eq!(
        noise.curves.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Decision tree (CART)", "k-nearest neighbours"]
    );
    let card = &report.evaluation.robustness.expect("robustness").noise.expect("noise").curves.series[0];
    assert_eq!(noise.curves.series[0].points, card.points, "the tree's line is its card's");
}
