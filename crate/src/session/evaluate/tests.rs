use rand::Rng;

use super::*;
use crate::base::NoProgress;
use crate::explain::Evaluation;
use crate::model::{ParamValues, REGISTRY};
use crate::session::{native_clock, ColumnUse, DataSummary, Request, Response, Session, TrainReport, TrainRequest};

pub(in crate::session) fn load(s: &mut Session, request: Request) -> DataSummary {
    match s.handle(request, &mut NoProgress) {
        Response::Loaded(summary) => summary,
        other => panic!("loading gave {other:?}"),
    }
}

pub(in crate::session) fn request(summary: &DataSummary, target: &str, model: &str, params: ParamValues) -> TrainRequest {
    let t = summary.columns.iter().position(|c| c.name == target).unwrap();
    TrainRequest {
        target: target.to_string(),
        task: summary.suggested_task[t],
        columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: model.to_string(),
        params,
        seed: 42,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    }
}

pub(in crate::session) use crate::session::tests::train;

fn bundled(name: &str, model: &str) -> (Session, TrainReport) {
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::LoadBundled { name: name.into() });
    let target = summary.columns[summary.default_target].name.clone();
    let report = train(&mut s, request(&summary, &target, model, ParamValues::new()));
    (s, report)
}

/// y = 2·a − b exactly, and a column of noise the target never saw.
fn linear_table() -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut csv = String::from("a,b,noise,y\n");
    for _ in 0..300 {
        let (a, b, n): (f64, f64, f64) =
            (rng.random_range(0.0..10.0), rng.random_range(-5.0..5.0), rng.random_range(0.0..1.0));
        let (a, b, n) = ((a * 100.0).round() / 100.0, (b * 100.0).round() / 100.0, (n * 100.0).round() / 100.0);
        csv.push_str(&format!("{a},{b},{n},{}\n", 2.0 * a - b));
    }
    csv.into_bytes()
}

#[test]
fn partial_dependence_of_a_linear_model_is_its_coefficient() {
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::Load { name: "linear.csv".into(), bytes: linear_table(), encoding: None });
    let report = train(&mut s, request(&summary, "y", "linear_regression", ParamValues::new()));
    let ev = report.evaluation;
    let pdp = ev.partial_dependence.expect("a partial dependence for the most important feature");
    assert_eq!(pdp.feature, "a");
    let PdpGrid::Values(grid) = &pdp.grid else { panic!("a numeric grid") };
    assert_eq!(grid.len(), PDP_GRID);
    // The 5th to 95th percentile of a, in a's own units.
    assert!(grid[0] > 0.0 && grid[0] < 1.0 && grid[PDP_GRID - 1] > 9.0, "{grid:?}");
    let mean = &pdp.mean[0].1;
    for k in 1..grid.len() {
        let slope = (mean[k] - mean[k - 1]) / (grid[k] - grid[k - 1]);
        assert!((slope - 2.0).abs() < 1e-3, "slope {slope} at {k}");
    }
    // Every individual curve is the same line, shifted.
    assert_eq!(pdp.individual.len(), ICE_ROWS);
    for curve in &pdp.individual {
        assert!(((curve[1] - curve[0]) / (grid[1] - grid[0]) - 2.0).abs() < 1e-3);
    }
    let Response::PartialDependence(b) = s.handle(Request::PartialDependence { feature: "b".into() }, &mut NoProgress)
    else {
        panic!()
    };
    let PdpGrid::Values(gb) = &b.grid else { panic!() };
    let slope = (b.mean[0].1[5] - b.mean[0].1[4]) / (gb[5] - gb[4]);
    assert!((slope + 1.0).abs() < 1e-3, "slope {slope}");

    // Permutation: the noise column is worth nothing, a is worth the most.
    let perm = ev.permutation.unwrap();
    let noise = perm.items.iter().position(|(n, _)| n == "noise").unwrap();
    assert!(perm.items[noise].1.abs() < 1e-3, "{:?}", perm.items);
    assert!(perm.spread.as_ref().unwrap()[noise] < 1e-3);
    assert_eq!(perm.items[0].0, "a");
    assert!(perm.items[0].1 > 0.5);
    assert_eq!(ev.pdp_features, vec!["a", "b", "noise"]);

    // Residuals of an exact fit are zero; no class views for a regression.
    let residuals = ev.residuals.unwrap();
    assert_eq!(residuals.actual.len(), 60);
    assert!(residuals.actual.iter().zip(&residuals.predicted).all(|(a, p)| (a - p).abs() < 1e-3));
    assert!(ev.confusion.is_none() && ev.roc.is_none());
    // OLS has no setting that grows it: the curve is over training-set size.
    let lc = ev.learning_curve.unwrap();
    assert_eq!(lc.curves.x_label, "training rows");
    assert_eq!(lc.chosen.as_ref().map(|c| c.at), Some(240.0));
    // Shares of each fold's 160 training rows (3 folds of 240), mean over folds.
    let sizes: Vec<f64> = lc.curves.series[1].points.iter().map(|p| p.0).collect();
    assert_eq!(sizes.len(), 5);
    assert_eq!(sizes[4], 160.0, "{sizes:?}");
    assert!((sizes[0] - 16.0).abs() <= 1.0, "{sizes:?}");

    assert_eq!(
        s.handle(Request::PartialDependence { feature: "y".into() }, &mut NoProgress),
        Response::Failed(SessionError::NotAFeature("y".into()))
    );
}

#[test]
fn classifiers_get_a_confusion_matrix_and_curves() {
    let (_, report) = bundled("iris", "decision_tree");
    let ev = report.evaluation;
    let confusion = ev.confusion.unwrap();
    assert_eq!(confusion.total(), 30);
    // Stratified: 10 test rows of each species.
    assert!(confusion.counts.iter().all(|row| row.iter().sum::<usize>() == 10));
    let roc = ev.roc.unwrap();
    assert_eq!(roc.roc.len(), 3);
    assert!(roc.roc.iter().all(|c| c.area > 0.8 && c.area <= 1.0 && c.prevalence == 1.0 / 3.0));
    let macro_auc = roc.macro_auc.unwrap();
    assert!((macro_auc - roc.roc.iter().map(|c| c.area).sum::<f64>() / 3.0).abs() < 1e-12);
    // Multiclass: one mean curve per class, no individual curves.
    let pdp = ev.partial_dependence.unwrap();
    assert_eq!(pdp.mean.len(), 3);
    assert!(pdp.individual.is_empty());
    let lc = ev.learning_curve.unwrap();
    assert_eq!(lc.curves.x_label, "max depth");
    assert_eq!(lc.chosen.as_ref().map(|c| (c.at, c.label.as_str())), Some((5.0, "yours: 5")));
    // Depths 1, 2, 3, 4, 5 (the person's), 6, 8, 10, 14, 20.
    assert_eq!(lc.curves.series[0].points.len(), 10);
    let train_at = |d: f64| lc.curves.series[0].points.iter().find(|p| p.0 == d).unwrap().1;
    assert!(train_at(1.0) < train_at(20.0));
}

#[test]
fn a_tree_without_a_depth_limit_is_marked_right_of_the_deepest_refit() {
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::LoadBundled { name: "iris".into() });
    let params: ParamValues = [("max_depth".to_string(), crate::model::ParamValue::Int(0))].into();
    let report = train(&mut s, request(&summary, "species", "decision_tree", params));
    let lc = report.evaluation.learning_curve.unwrap();
    let mark = lc.chosen.unwrap();
    assert_eq!(mark.label, "yours: no limit");
    let deepest = lc.curves.series[0].points.iter().map(|p| p.0).filter(|&x| x != mark.at).fold(0.0, f64::max);
    assert_eq!(deepest, 20.0);
    assert!(mark.at > deepest, "{} is not right of {deepest}", mark.at);
    assert!(lc.note.contains("no limit, is marked right of the deepest refit"), "{}", lc.note);
}

#[test]
fn binary_curves_are_for_the_positive_class_and_match_scikit_learn() {
    let (_, report) = bundled("breast_cancer", "logistic_regression");
    let roc = report.evaluation.roc.unwrap();
    assert_eq!(roc.roc.len(), 1);
    assert_eq!(roc.roc[0].class, "malignant");
    assert!(roc.macro_auc.is_none());
    // scikit-learn's roc_auc_score and average_precision_score on this model's
    // test probabilities (exported and checked once by hand) give these.
    assert!((roc.roc[0].area - 0.990275).abs() < 1e-5, "{}", roc.roc[0].area);
    assert!((roc.pr[0].area - 0.988291).abs() < 1e-5, "{}", roc.pr[0].area);
}

#[test]
fn a_categorical_feature_gets_one_value_per_level() {
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::LoadBundled { name: "penguins".into() });
    train(&mut s, request(&summary, "species", "random_forest", ParamValues::new()));
    let Response::PartialDependence(pdp) =
        s.handle(Request::PartialDependence { feature: "island".into() }, &mut NoProgress)
    else {
        panic!()
    };
    let PdpGrid::Levels(levels) = &pdp.grid else { panic!("levels") };
    assert_eq!(levels.len(), 3);
    assert!(levels.iter().any(|l| l == "Dream"), "{levels:?}");
    assert!(pdp.mean.iter().all(|(_, m)| m.len() == 3 && m.iter().all(|p| (0.0..=1.0).contains(p))));
}

/// Every registered model gets every view of its task, and each learning curve
/// has at least three points with the person's own setting among them.
#[test]
fn every_model_is_evaluated() {
    for name in ["iris", "diabetes"] {
        for spec in REGISTRY {
            let mut s = Session::new(native_clock);
            let summary = load(&mut s, Request::LoadBundled { name: name.into() });
            let target = summary.columns[summary.default_target].name.clone();
            if !spec.tasks.contains(&summary.suggested_task[summary.default_target]) {
                continue;
            }
            let report = train(&mut s, request(&summary, &target, spec.id, ParamValues::new()));
            let Evaluation {
                permutation,
                confusion,
                roc,
                residuals,
                partial_dependence,
                pdp_features,
                learning_curve,
                class_report,
                calibration,
                worst_rows,
                groups,
                robustness,
            } = report.evaluation;
            let what = format!("{} on {name}", spec.id);
            // Who it fails and how it holds up, for every model: neither
            // dataset has a categorical column to group by.
            assert_eq!(class_report.is_some(), name == "iris", "{what}");
            assert_eq!(calibration.is_some(), name == "iris", "{what}");
            assert!(worst_rows.is_some_and(|w| !w.rows.is_empty() || name == "iris"), "{what}");
            assert!(groups.is_none(), "{what}");
            let robustness = robustness.unwrap_or_else(|| panic!("{what}: no robustness"));
            assert_eq!(robustness.missing.items.len(), pdp_features.len(), "{what}");
            assert!(robustness.noise.is_some_and(|n| n.curves.series.iter().all(|s| s.points.len() == 11)), "{what}");
            assert!(permutation.is_some_and(|p| p.spread.is_some_and(|s| s.len() == pdp_features.len())), "{what}");
            assert_eq!(confusion.is_some(), name == "iris", "{what}");
            assert_eq!(roc.is_some(), name == "iris", "{what}");
            assert_eq!(residuals.is_some(), name == "diabetes", "{what}");
            assert!(partial_dependence.is_some_and(|p| p.mean.iter().all(|m| m.1.iter().all(|v| v.is_finite()))), "{what}");
            let lc = learning_curve.unwrap_or_else(|| panic!("{what}: no learning curve"));
            let points = &lc.curves.series[1].points;
            assert!(points.len() >= 3, "{what}: {points:?}");
            // Your setting is a point of a setting's curve; a size curve's last
            // point is a fold's training part, left of your model on all training rows.
            let at = lc.chosen.as_ref().map_or(f64::NAN, |c| c.at);
            if lc.curves.x_label == "training rows" {
                assert!(points.last().is_some_and(|p| p.0 < at), "{what}: {points:?} against {at}");
            } else {
                assert!(points.iter().any(|p| p.0 == at), "{what}");
            }
            assert!(points.windows(2).all(|w| w[0].0 < w[1].0), "{what}: {points:?}");
        }
    }
}

/// The learning curve cross-validates on the training rows and never reads
/// a test row: diabetes with every test row's target made absurd (the split
/// of a number target does not look at its values) gives the very same
/// curve, while the test score collapses.
#[test]
fn the_learning_curve_never_reads_the_test_rows() {
    let text = String::from_utf8(crate::session::bundled::bytes("diabetes").unwrap().to_vec()).unwrap();
    let mut s = Session::new(native_clock);
    let summary = load(&mut s, Request::LoadBundled { name: "diabetes".into() });
    let target = summary.columns[summary.default_target].name.clone();
    let req = request(&summary, &target, "decision_tree", ParamValues::new());
    let clean = train(&mut s, req.clone());

    let table = crate::data::read_csv(text.as_bytes()).unwrap();
    let crate::session::Prepared { split, rows, .. } =
        crate::session::prepare(&table, &req, crate::model::find("decision_tree").unwrap()).unwrap();
    let test_lines: Vec<usize> = split.test.iter().map(|&i| rows[i] + 1).collect();
    let corrupted: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| match test_lines.contains(&i) {
            true => format!("{},{}", &line[..line.rfind(',').unwrap()], 1_000_000 * i),
            false => line.to_string(),
        })
        .collect();
    load(&mut s, Request::Load { name: "d.csv".into(), bytes: corrupted.join("\n").into_bytes(), encoding: None });
    let dirty = train(&mut s, req);
    assert_eq!(clean.evaluation.learning_curve, dirty.evaluation.learning_curve);
    assert!(clean.evaluation.learning_curve.as_ref().unwrap().note.contains("the test rows are not used"));
    let r2 = |r: &TrainReport| match r.metrics {
        crate::eval::Metrics::Regression { test_r2, .. } => test_r2,
        _ => f64::NAN,
    };
    assert!(r2(&dirty) < -1.0 && r2(&clean) > 0.0, "{} {}", r2(&clean), r2(&dirty));
}

#[test]
fn a_big_file_s_learning_curve_refits_on_a_seeded_sample_and_says_so() {
    // 30,000 rows: 24,000 training rows, more than the curve folds.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut csv = String::from("a,b,y\n");
    for _ in 0..30_000 {
        let (a, b): (f64, f64) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        let y = if a + 0.3 * b + rng.random_range(-0.2..0.2) > 0.0 { "yes" } else { "no" };
        csv.push_str(&format!("{a:.3},{b:.3},{y}\n"));
    }
    let curve = || {
        let mut s = Session::new(native_clock);
        let bytes = csv.clone().into_bytes();
        let summary = load(&mut s, Request::Load { name: "big.csv".into(), bytes, encoding: None });
        let report = train(&mut s, request(&summary, "y", "naive_bayes", ParamValues::new()));
        report.evaluation.learning_curve.expect("a learning curve")
    };
    let lc = curve();
    assert!(lc.note.contains("20,000 training rows sampled from the 24,000"), "{}", lc.note);
    // Refits on growing shares of the sample's folds, never more rows than it holds.
    let fitted = &lc.curves.series[0].points;
    assert!(fitted.iter().all(|p| p.0 <= CURVE_ROWS as f64), "{fitted:?}");
    // The model itself was fitted on every training row, and is marked there.
    let mark = lc.chosen.as_ref().expect("the model's mark");
    assert_eq!((mark.at, mark.label.as_str()), (24_000.0, "yours: 24000"));
    // The sample comes from the seed: the same curve, bit for bit.
    assert_eq!(format!("{lc:?}"), format!("{:?}", curve()));
}
