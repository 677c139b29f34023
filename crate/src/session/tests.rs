use super::*;
use crate::base::{format_number, value_of, FeatureValues, NoProgress};
use crate::explain::Legend;
use crate::model::{ParamValue, ParamValues};
use crate::prep::PrepError;

pub(super) fn loaded(name: &str) -> (Session, DataSummary) {
    loaded_with_clock(name, native_clock)
}

/// [`loaded`] with the session's clock: a frozen one (`|| 0.0`) makes every
/// timed choice (a live boundary's grid) the fast machine's, whatever the
/// load of the machine running the test.
fn loaded_with_clock(name: &str, clock: fn() -> f64) -> (Session, DataSummary) {
    let mut s = Session::new(clock);
    match s.handle(Request::LoadBundled { name: name.into() }, &mut NoProgress) {
        Response::Loaded(summary) => (s, summary),
        other => panic!("loading {name} gave {other:?}"),
    }
}

/// Train on the inferred schema with the default target.
pub(super) fn train_request(summary: &DataSummary, depth: i64) -> TrainRequest {
    let target = &summary.columns[summary.default_target];
    TrainRequest {
        target: target.name.clone(),
        task: summary.suggested_task[summary.default_target],
        columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "decision_tree".into(),
        params: ParamValues::from([("max_depth".to_string(), ParamValue::Int(depth))]),
        seed: 42,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    }
}

/// Trains as the page does: the model's answer, then each view it left
/// pending, asked for in turn and put in its place.
pub(super) fn train(s: &mut Session, req: TrainRequest) -> TrainReport {
    let mut report = match s.handle(Request::Train(req), &mut NoProgress) {
        Response::Trained(report) => *report,
        other => panic!("training gave {other:?}"),
    };
    for part in std::mem::take(&mut report.pending) {
        match s.handle(Request::Evaluate(part.clone()), &mut NoProgress) {
            Response::Evaluated(piece) => {
                assert_eq!(piece.part(), part, "the view asked for");
                report.evaluation.apply(*piece);
            }
            other => panic!("{part:?} gave {other:?}"),
        }
    }
    report
}

/// The one-shot path, as a distillation, an ensemble or a model file takes
/// it: every view computed before the answer.
fn train_whole(s: &mut Session, req: &TrainRequest) -> TrainReport {
    let table = s.table.as_ref().expect("a table");
    let fitted = fit(table, req, s.clock, &mut NoProgress).expect("it fits");
    let learning_curve = match fitted.spec {
        Some(spec) if curve_applies(&fitted) => {
            evaluate::learning_curve(table, spec, req, &mut NoProgress).expect("a learning curve")
        }
        _ => None,
    };
    s.install(fitted, Staging::Whole { learning_curve }, &mut NoProgress).expect("it installs")
}

#[test]
fn the_model_answers_first_and_its_views_follow_as_the_one_shot_path_gave_them() {
    for (dataset, model) in [("iris", "decision_tree"), ("iris", "knn"), ("diabetes", "decision_tree"), ("penguins", "mlp")]
    {
        let (mut s, summary) = loaded(dataset);
        let mut req = train_request(&summary, 3);
        req.model = model.into();
        if model != "decision_tree" {
            req.params = ParamValues::new();
        }
        let Response::Trained(first) = s.handle(Request::Train(req.clone()), &mut NoProgress) else {
            panic!("{model} on {dataset} trains")
        };
        // The answer holds the model's own: metrics, boundary, views; the
        // costly views are listed, the learning curve last, and not yet there.
        assert!(first.boundary.is_some());
        let e = &first.evaluation;
        assert!(e.learning_curve.is_none() && e.robustness.is_none() && e.partial_dependence.is_none());
        assert_eq!(first.pending.last(), Some(&EvaluationPart::LearningCurve), "{model} on {dataset}");
        assert!(first.pending.contains(&EvaluationPart::Robustness));
        assert!(first.pending.contains(&EvaluationPart::PartialDependence { feature: e.pdp_features[0].clone() }));
        // A model with its own importance gets permutation importance later; one
        // without ranks its axes by it, so it comes with the answer.
        let own = first.importance.is_some();
        assert_eq!(first.pending.contains(&EvaluationPart::Permutation), own, "{model}");
        assert_eq!(e.permutation.is_some(), !own, "{model}");

        let mut staged = *first;
        for part in std::mem::take(&mut staged.pending) {
            let Response::Evaluated(piece) = s.handle(Request::Evaluate(part.clone()), &mut NoProgress) else {
                panic!("{part:?} of {model} on {dataset}")
            };
            staged.evaluation.apply(*piece);
        }
        let mut whole = train_whole(&mut s, &req);
        assert!(whole.pending.is_empty());
        // The one number that is timed, not computed.
        (staged.card.micros_per_row, whole.card.micros_per_row) = (0.0, 0.0);
        // Debug prints each float's shortest round-trip digits: equal text, equal bits.
        assert_eq!(format!("{staged:?}"), format!("{whole:?}"), "{model} on {dataset}");
    }
}

#[test]
fn a_view_asked_for_without_a_model_or_of_a_clustering_is_a_typed_error() {
    let (mut s, summary) = loaded("iris");
    let ask = |s: &mut Session| s.handle(Request::Evaluate(EvaluationPart::LearningCurve), &mut NoProgress);
    assert_eq!(ask(&mut s), Response::Failed(SessionError::NotTrained));
    let report = train(&mut s, cluster_request(&summary, ""));
    assert!(report.pending.is_empty(), "a clustering has no views to follow");
    assert_eq!(ask(&mut s), Response::Failed(SessionError::NothingToValidate));
}

#[test]
fn iris_trains_and_explains_itself() {
    let (mut s, summary) = loaded("iris");
    assert_eq!((summary.n_rows, summary.n_cols), (150, 5));
    let report = train(&mut s, train_request(&summary, 5));
    let Metrics::Classification { test_accuracy, n_train, n_test, .. } = report.metrics else { panic!() };
    assert_eq!((n_train, n_test), (120, 30));
    assert!(test_accuracy > 0.85, "test accuracy {test_accuracy}");
    let importance = report.importance.unwrap();
    assert_eq!(importance.items.len(), 4);
    assert!((importance.items.iter().map(|i| i.1).sum::<f64>() - 1.0).abs() < 1e-9);
    let boundary = report.boundary.unwrap();
    // The default axes are the two most important features.
    assert_eq!(boundary.x.name, importance.items[0].0);
    assert_eq!(boundary.y.name, importance.items[1].0);
    assert_eq!(boundary.rgba.len(), (boundary::GRID * boundary::GRID * 4) as usize);
    assert_eq!(boundary.points.x.len(), 150);
    assert_eq!(boundary.points.is_test.iter().filter(|&&t| t).count(), 30);
    let Some(crate::model::view::ModelView::Tree(tree)) = report.views.first() else { panic!("a tree view") };
    assert_eq!(tree.class_names.len(), 3);
    assert!(tree.nodes.iter().all(|n| n.depth <= 5));
}

#[test]
fn penguins_impute_and_encode_and_the_boundary_can_move() {
    let (mut s, summary) = loaded("penguins");
    let mut req = train_request(&summary, 4);
    req.target = "species".into();
    req.task = Task::Classification;
    let report = train(&mut s, req);
    assert!(report.prep_summary.contains("one-hot encoded island (3 levels)"), "{}", report.prep_summary);
    assert!(report.prep_summary.starts_with("Imputed "), "{}", report.prep_summary);
    let Metrics::Classification { test_accuracy, .. } = report.metrics else { panic!() };
    assert!(test_accuracy > 0.9);
    // A category is an axis too (drawn as bands), after every number.
    let island = report.axis_options.iter().position(|a| a == "island").expect("island can be an axis");
    assert!(report.axis_options[..island].iter().all(|a| a.ends_with("_mm") || a.ends_with("_g") || a == "year"));
    let Response::Boundary(b) = s.handle(
        Request::Boundary {
            x: "bill_length_mm".into(),
            y: "body_mass_g".into(),
            slice: vec![],
            live: false,
            two_features: false,
        },
        &mut NoProgress,
    ) else {
        panic!()
    };
    assert_eq!((b.x.name.as_str(), b.y.name.as_str()), ("bill_length_mm", "body_mass_g"));
    let mut boundary = |x: &str| {
        let request =
            Request::Boundary { x: x.into(), y: "body_mass_g".into(), slice: vec![], live: false, two_features: false };
        s.handle(request, &mut NoProgress)
    };
    // A category on an axis: three bands, one grid column each.
    let Response::Boundary(bands) = boundary("island") else { panic!("island drawn as bands") };
    assert_eq!((bands.x.levels.len(), bands.grid_width, bands.grid_height), (3, 3, boundary::GRID));
    // The target is no feature, so no axis.
    assert!(matches!(boundary("species"), Response::Failed(SessionError::NotAnAxis(_))));
}

#[test]
fn diabetes_is_a_regression_with_r2_and_mae() {
    let (mut s, summary) = loaded("diabetes");
    assert_eq!(summary.suggested_task.last(), Some(&Task::Regression));
    let report = train(&mut s, train_request(&summary, 3));
    let Metrics::Regression { test_r2, test_mae, .. } = report.metrics else { panic!() };
    assert!(test_r2 > 0.1 && test_mae > 0.0, "R² {test_r2}, MAE {test_mae}");
    assert!(matches!(report.boundary.unwrap().legend, crate::explain::Legend::Scale { .. }));
}

#[test]
fn digits_labels_suggest_classification() {
    let (_, summary) = loaded("digits");
    assert_eq!(summary.suggested_task.last(), Some(&Task::Classification));
    let (task, hint) = task_hint(summary.columns.last().unwrap(), summary.n_rows, Task::Classification, None);
    assert_eq!(task, Task::Classification);
    assert_eq!(
        hint.unwrap(),
        "'digit' holds only 10 different whole numbers, so classification is suggested. Choose regression to predict it as a number."
    );
    // Text targets and real-valued ones need no word.
    let (_, iris) = loaded("iris");
    assert_eq!(task_hint(&iris.columns[4], 150, iris.suggested_task[4], None), (Task::Classification, None));
    assert_eq!(task_hint(&iris.columns[0], 150, iris.suggested_task[0], None), (Task::Regression, None));
    // Regression chosen for digits is taken, without a word.
    assert_eq!(
        task_hint(summary.columns.last().unwrap(), summary.n_rows, Task::Classification, Some(Task::Regression)).1,
        None
    );
}

#[test]
fn a_chosen_task_is_taken_where_the_target_can_be_learned_so_and_the_hint_says_how() {
    let mut s = Session::new(native_clock);
    let summary = load_fixture(&mut s, "passengers.csv");
    let column = |name: &str| summary.columns.iter().position(|c| c.name == name).unwrap();
    let hint = |name: &str, chosen: Task| {
        let i = column(name);
        task_hint(&summary.columns[i], summary.n_rows, summary.suggested_task[i], Some(chosen))
    };
    // Age as classes: too many different numbers, so groups of ages.
    let age = column("age");
    assert_eq!(summary.suggested_task[age], Task::Regression);
    let (task, text) = hint("age", Task::Classification);
    assert_eq!(task, Task::Classification);
    assert_eq!(
        text.unwrap(),
        format!(
            "'age' holds {} different numbers, too many to learn each as a class, so it is cut into 4 groups of about \
             equal size, named by their ranges ('age ≤ …', …, 'age > …'), and the model predicts the group. Choose \
             regression to predict the number itself.",
            summary.columns[age].distinct
        )
    );
    // ... and it trains on those groups.
    let report = train(&mut s, fixture_request(&summary, "age", Task::Classification, "decision_tree"));
    let Some(crate::model::view::ModelView::Tree(tree)) = report.views.first() else { panic!("a tree view") };
    assert_eq!(tree.class_names.len(), 4);
    assert!(
        tree.class_names[0].starts_with("age ≤ ") && tree.class_names[3].starts_with("age > "),
        "{:?}",
        tree.class_names
    );
    // Text cannot be predicted as a number.
    assert_eq!(
        hint("sex", Task::Regression),
        (
            Task::Classification,
            Some("Regression predicts a number, but 'sex' is categorical, not numeric, so it stays classification.".into())
        )
    );
    // Few whole numbers as a number: taken, without a word.
    assert_eq!(hint("pclass", Task::Regression), (Task::Regression, None));
}

#[test]
fn a_bad_file_keeps_the_loaded_table() {
    let (mut s, summary) = loaded("iris");
    let bad = Request::Load { name: "ragged.csv".into(), bytes: b"a,b\n1,2\n3,4,5\n".to_vec(), encoding: None };
    assert!(matches!(s.handle(bad, &mut NoProgress), Response::Failed(SessionError::Data(_))));
    let empty = Request::Load { name: "empty.csv".into(), bytes: vec![], encoding: None };
    assert!(matches!(s.handle(empty, &mut NoProgress), Response::Failed(SessionError::Data(_))));
    // The iris table is still there and trains.
    train(&mut s, train_request(&summary, 2));
}

#[test]
fn requests_out_of_order_are_typed_errors() {
    let mut s = Session::new(native_clock);
    assert_eq!(
        s.handle(
            Request::Boundary { x: "a".into(), y: "b".into(), slice: vec![], live: false, two_features: false },
            &mut NoProgress
        ),
        Response::Failed(SessionError::NoTable)
    );
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 2);
    req.model = "nope".into();
    assert_eq!(s.handle(Request::Train(req), &mut NoProgress), Response::Failed(SessionError::UnknownModel("nope".into())));
    let mut req = train_request(&summary, 2);
    req.columns.iter_mut().for_each(|c| c.included = false);
    assert_eq!(
        s.handle(Request::Train(req), &mut NoProgress),
        Response::Failed(SessionError::Prep(prep::PrepError::NoFeatures))
    );
}

#[test]
fn no_bundled_dataset_panics_under_any_target() {
    for name in bundled::NAMES {
        let (mut s, summary) = loaded(name);
        for (i, column) in summary.columns.iter().enumerate() {
            let mut req = train_request(&summary, 3);
            req.target = column.name.clone();
            req.task = summary.suggested_task[i];
            // Either a report or a typed error; a panic fails the test.
            let _ = s.handle(Request::Train(req), &mut NoProgress);
        }
    }
}

#[path = "../../tests/support/fingerprint.rs"]
mod fingerprint;

/// Pins what the model computed (tree, importances, boundary pixels, metrics) so the
/// wasm test (`crate/tests/wasm.rs`) can check that the browser build computes
/// bit-for-bit the same thing.
#[test]
fn iris_depth3_report_is_pinned_for_the_wasm_test() {
    let (mut s, summary) = loaded("iris");
    let report = train(&mut s, train_request(&summary, 3));
    let pinned = include_str!("../../tests/fixtures/iris_depth3_report.txt").trim();
    assert_eq!(
        fingerprint::fingerprint(&fingerprint::model_outputs(&report)),
        pinned,
        "the model's outputs changed; if on purpose, put the new value in crate/tests/fixtures/iris_depth3_report.txt"
    );
}

/// Pins what the models with SIMD kernels computed on breast_cancer, for the
/// wasm test (`crate/tests/wasm.rs`, `kernels_compute_the_native_bits`): the
/// wasm build's vector instructions must add in the native order.
#[test]
fn kernel_reports_are_pinned_for_the_wasm_test() {
    let (mut s, summary) = loaded("breast_cancer");
    let reports: Vec<(String, TrainReport)> =
        fingerprint::kernel_requests(&summary).into_iter().map(|req| (req.model.clone(), train(&mut s, req))).collect();
    let reports: Vec<(&str, &TrainReport)> = reports.iter().map(|(m, r)| (m.as_str(), r)).collect();
    assert_eq!(
        fingerprint::kernel_lines(&reports),
        include_str!("../../tests/fixtures/kernel_reports.txt"),
        "the models' outputs changed; if on purpose, put the new lines in crate/tests/fixtures/kernel_reports.txt"
    );
}

#[test]
fn no_bad_file_fixture_panics_and_each_says_why() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue; // fuzz/ is replayed by crate/tests/fuzz.rs
        }
        let bytes = std::fs::read(&path).unwrap();
        let (mut s, _) = loaded("iris");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match s.handle(Request::Load { name: name.clone(), bytes, encoding: None }, &mut NoProgress) {
            Response::Loaded(_) => {}
            Response::Failed(SessionError::Data(e)) => assert!(e.to_string().ends_with('.'), "{name}: {e}"),
            other => panic!("{name}: unexpected {other:?}"),
        }
        seen += 1;
    }
    assert!(seen >= 6, "the fixtures folder has the bad files");
}

fn inspect_iris(at: (f64, f64), row: Option<usize>) -> Request {
    Request::Inspect {
        x: "petal length (cm)".into(),
        y: "petal width (cm)".into(),
        at: Some(at),
        row,
        slice: vec![],
        two_features: false,
    }
}

#[test]
fn a_clicked_point_is_explained_and_knn_names_its_neighbours() {
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 3);
    req.model = "knn".into();
    req.params = ParamValues::new();
    train(&mut s, req);
    let at = (5.0, 1.7);
    let Response::Inspected(point) = s.handle(inspect_iris(at, None), &mut NoProgress) else { panic!("inspect failed") };
    assert_eq!(point.neighbours.len(), 5, "k = 5 by default");
    assert!(point.text.starts_with("At petal length (cm) = 5, petal width (cm) = 1.7"), "{}", point.text);
    assert!(point.text.contains("It rests on its 5 nearest training rows (circled): "), "{}", point.text);
    // The neighbours are real training rows near the clicked point.
    for (x, y, class) in &point.neighbours {
        assert!((x - 5.0).abs() < 1.5 && (y - 1.7).abs() < 1.0, "({x}, {y})");
        assert!(*class >= 0.0 && *class < 3.0);
    }
    // A tree has no neighbours to show, only its prediction.
    let (mut s, summary) = loaded("iris");
    train(&mut s, train_request(&summary, 3));
    let Response::Inspected(point) = s.handle(inspect_iris((1.5, 0.2), None), &mut NoProgress) else {
        panic!("inspect failed")
    };
    assert!(point.neighbours.is_empty());
    assert!(point.text.contains("predicts setosa (probability 1)"), "{}", point.text);
}

#[test]
fn a_model_without_its_own_importance_gets_permutation_importance() {
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 3);
    req.model = "knn".into();
    req.params = ParamValues::new();
    let report = train(&mut s, req);
    // kNN has no importance of its own; permutation importance ranks its features.
    assert!(report.importance.is_none());
    let importance = report.evaluation.permutation.expect("permutation importance");
    assert_eq!(importance.title, "Permutation importance (mean ± sd of 5 shuffles)");
    assert_eq!(importance.items.len(), 4);
    // On iris the petal measurements decide; the boundary starts on them.
    let top: Vec<&str> = importance.items[..2].iter().map(|(n, _)| n.as_str()).collect();
    assert!(top.iter().all(|n| n.starts_with("petal")), "{top:?}");
    let boundary = report.boundary.unwrap();
    assert_eq!((boundary.x.name.as_str(), boundary.y.name.as_str()), (top[0], top[1]));
}

fn penguins_tree(s: &mut Session, summary: &DataSummary) -> TrainReport {
    let mut req = train_request(summary, 3);
    req.target = "species".into();
    req.task = Task::Classification;
    train(s, req)
}

#[test]
fn the_slice_moves_the_boundary() {
    let (mut s, summary) = loaded_with_clock("penguins", || 0.0);
    let report = penguins_tree(&mut s, &summary);
    // One control per feature column, starting at the training median / most
    // frequent level, the most important first (the page folds the rest).
    let mut columns: Vec<&str> = report.slice.iter().map(|c| c.column()).collect();
    let importance = report.importance.as_ref().unwrap();
    let ranked: Vec<&str> = importance.items.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(columns, ranked);
    columns.sort_unstable();
    assert_eq!(columns, ["bill_depth_mm", "bill_length_mm", "body_mass_g", "flipper_length_mm", "island", "sex", "year"]);
    let Some(ColumnDomain::Levels { levels, .. }) = report.slice.iter().find(|c| c.column() == "island") else {
        panic!("island is categorical")
    };
    assert_eq!(levels, &["Torgersen", "Biscoe", "Dream"], "in order of first appearance");
    let mut boundary = |slice: FeatureValues| match s.handle(
        Request::Boundary { x: "bill_length_mm".into(), y: "body_mass_g".into(), slice, live: false, two_features: false },
        &mut NoProgress,
    ) {
        Response::Boundary(b) => b,
        other => panic!("{other:?}"),
    };
    let typical = boundary(vec![]);
    // Five held features: the two the tree leans on are named with their values.
    assert!(
        typical.note.starts_with("The full model at a slice: flipper_length_mm = 197, island = Biscoe (3 more features"),
        "{}",
        typical.note
    );
    // Long flippers are Gentoo's (the median, 197 mm, is not): the regions change.
    let long = boundary(vec![("flipper_length_mm".into(), FeatureValue::Number(230.0))]);
    assert!(typical.rgba != long.rgba, "the slice changed nothing");
    let same = boundary(vec![("flipper_length_mm".into(), FeatureValue::Number(230.0))]);
    assert!(long.rgba == same.rgba, "the same slice drew differently");
    // A fast tree draws live slices at full size too.
    let Response::Boundary(live) = s.handle(
        Request::Boundary {
            x: "bill_length_mm".into(),
            y: "body_mass_g".into(),
            slice: vec![],
            live: true,
            two_features: false,
        },
        &mut NoProgress,
    ) else {
        panic!()
    };
    assert_eq!(live.grid_width, boundary::GRID);
    // A value of the wrong kind or an unknown level is a typed error, not a guess.
    let wrong = Request::Boundary {
        x: "bill_length_mm".into(),
        y: "body_mass_g".into(),
        slice: vec![("island".into(), FeatureValue::Level("Atlantis".into()))],
        live: false,
        two_features: false,
    };
    assert!(matches!(
        s.handle(wrong, &mut NoProgress),
        Response::Failed(SessionError::Prep(PrepError::UnknownLevel { .. }))
    ));
}

#[test]
fn a_clicked_row_is_traced_through_the_tree() {
    let (mut s, summary) = loaded("penguins");
    let report = penguins_tree(&mut s, &summary);
    let Some(ModelView::Tree(tree)) = report.views.first() else { panic!("a tree") };
    let b = report.boundary.as_ref().unwrap();
    let (x, y) = (b.x.name.clone(), b.y.name.clone());
    // The first drawn point, clicked at its own place.
    let row = b.points.rows[0] as usize;
    let Response::Inspected(point) = s.handle(
        Request::Inspect { x: x.clone(), y: y.clone(), at: None, row: Some(row), slice: vec![], two_features: false },
        &mut NoProgress,
    ) else {
        panic!()
    };
    assert_eq!(point.row, Some(row));
    assert_eq!((point.x, point.y), (b.points.x[0] as f64, b.points.y[0] as f64));
    assert!(point.text.starts_with(&format!("Row {} (", row + 1)), "{}", point.text);
    // The path runs from the root to a leaf, and the text names that leaf's class.
    assert_eq!(point.path[0], 0);
    let leaf = &tree.nodes[*point.path.last().unwrap()];
    assert!(leaf.split.is_none());
    let class = &tree.class_names[leaf.value.majority().unwrap()];
    assert!(point.text.contains(" Path: "), "{}", point.text);
    assert!(point.text.contains(&format!("→ {class}, ")), "{}", point.text);
    // Dragged far away, the same row is a what-if with both predictions.
    let far = Some((b.x.max, b.y.max));
    let Response::Inspected(moved) =
        s.handle(Request::Inspect { x, y, at: far, row: Some(row), slice: vec![], two_features: false }, &mut NoProgress)
    else {
        panic!()
    };
    assert!(moved.text.starts_with(&format!("What if row {} (", row + 1)), "{}", moved.text);
    assert!(moved.text.contains("; for the row as it is, "), "{}", moved.text);
}

/// Traces table row `row` at its own place on the plot `b`, at the typical slice.
pub(super) fn trace(s: &mut Session, b: &BoundaryView, row: usize) -> PointView {
    inspect_row(s, b, row, None, vec![])
}

/// Row `row` on `b`'s axes, at its own place or moved to `at` (a what-if), at `slice`.
fn inspect_row(
    s: &mut Session,
    b: &BoundaryView,
    row: usize,
    at: Option<(f64, f64)>,
    slice: crate::base::FeatureValues,
) -> PointView {
    let request =
        Request::Inspect { x: b.x.name.clone(), y: b.y.name.clone(), at, row: Some(row), slice, two_features: false };
    match s.handle(request, &mut NoProgress) {
        Response::Inspected(point) => point,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_linear_model_takes_its_score_apart() {
    let (mut s, summary) = loaded("diabetes");
    let mut req = train_request(&summary, 3);
    req.model = "linear_regression".into();
    req.params = ParamValues::new();
    let report = train(&mut s, req);
    let b = report.boundary.as_ref().unwrap();
    let row = b.points.rows[3] as usize;
    let point = trace(&mut s, b, row);
    let c = point.contributions.expect("contributions");
    assert_eq!(c.output, "progression");
    // The waterfall ends at the prediction the text states.
    let shown = c.intercept + c.items.iter().map(|i| i.1).sum::<f64>();
    assert!((shown - c.total).abs() < 1e-6);
    assert!(point.text.contains(&format!("progression = {}", format_number(c.total))), "{} vs {}", point.text, c.total);
    assert!(point.path.is_empty());
}

#[test]
fn models_compare_on_the_same_split_axes_and_slice() {
    let (mut s, summary) = loaded("penguins");
    let explored = penguins_tree(&mut s, &summary);
    let mut base = train_request(&summary, 3);
    base.target = "species".into();
    base.task = Task::Classification;
    let axes = Some(("bill_length_mm".to_string(), "flipper_length_mm".to_string()));
    let req = CompareRequest {
        base,
        models: vec!["decision_tree".into(), "logistic_regression".into(), "knn".into(), "linear_regression".into()],
        axes,
        slice: vec![("island".into(), FeatureValue::Level("Dream".into()))],
    };
    let Response::Compared(report) = s.handle(Request::Compare(req), &mut NoProgress) else { panic!("compare failed") };
    assert_eq!(report.rows.len(), 4);
    let mut n_test = None;
    for row in &report.rows[..3] {
        let c = row.outcome.as_ref().unwrap_or_else(|e| panic!("{}: {e}", row.model));
        let Metrics::Classification { test_accuracy, n_test: n, .. } = c.metrics else { panic!() };
        assert!(test_accuracy > 0.85, "{}: {test_accuracy}", row.model);
        assert_eq!(*n_test.get_or_insert(n), n, "the same split for every model");
        let b = c.boundary.as_ref().unwrap();
        assert_eq!((b.x.name.as_str(), b.y.name.as_str()), ("bill_length_mm", "flipper_length_mm"));
        assert_eq!(b.rgba.len(), (boundary::SMALL_GRID * boundary::SMALL_GRID * 4) as usize);
        assert!(b.note.contains("island = Dream") || b.note.contains("the other 5 features"), "{}", b.note);
        assert!(c.card.n_parameters > 0 && c.fit_ms >= 0.0);
    }
    // The tree keeps the parameters asked for (depth 3): it is the tree explored.
    assert_eq!(report.rows[0].name, "Decision tree (CART)");
    assert_eq!(report.rows[0].outcome.as_ref().unwrap().card.n_parameters, explored.card.n_parameters);
    // A model that cannot do the task says so in its own row.
    assert!(matches!(report.rows[3].outcome, Err(SessionError::Fit(_))));
    // The model being explored is still the one trained before.
    let b = explored.boundary.unwrap();
    let Response::Inspected(_) = s.handle(
        Request::Inspect { x: b.x.name, y: b.y.name, at: None, row: Some(0), slice: vec![], two_features: false },
        &mut NoProgress,
    ) else {
        panic!()
    };
    assert!(matches!(
        s.handle(Request::Compare(CompareRequest { models: vec![], ..compare_base(&summary) }), &mut NoProgress),
        Response::Failed(SessionError::NothingToCompare)
    ));
}

fn compare_base(summary: &DataSummary) -> CompareRequest {
    CompareRequest { base: train_request(summary, 3), models: vec!["decision_tree".into()], axes: None, slice: vec![] }
}

pub(super) fn load_fixture(s: &mut Session, name: &str) -> DataSummary {
    let bytes = std::fs::read(format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    match s.handle(Request::Load { name: name.into(), bytes, encoding: None }, &mut NoProgress) {
        Response::Loaded(summary) => summary,
        other => panic!("{name}: {other:?}"),
    }
}

/// Iris clustered with k-means, compared with its species.
fn cluster_request(summary: &DataSummary, compared: &str) -> TrainRequest {
    TrainRequest {
        target: compared.into(),
        task: Task::Clustering,
        model: "kmeans".into(),
        params: ParamValues::from([("k".to_string(), ParamValue::Int(3))]),
        ..train_request(summary, 3)
    }
}

#[test]
fn a_missing_token_can_be_kept_as_a_value_and_read_as_missing_again() {
    let mut s = Session::new(native_clock);
    let summary = load_fixture(&mut s, "damage_levels.csv");
    let damage = &summary.columns[1];
    assert_eq!((damage.distinct, damage.missing), (3, 4));
    let set = |s: &mut Session, missing: &[&str]| match s.handle(
        Request::SetMissing { column: "damage".into(), missing: missing.iter().map(|t| t.to_string()).collect() },
        &mut NoProgress,
    ) {
        Response::ColumnRetyped(update) => update,
        other => panic!("{other:?}"),
    };
    // Keep "?" as a level: four more cells, one more level, nothing missing.
    let kept = set(&mut s, &[]);
    assert_eq!(kept.index, 1);
    assert_eq!((kept.info.distinct, kept.info.missing, kept.info.inferred), (4, 0, ColumnKind::Categorical));
    assert!(kept.info.tokens.iter().all(|t| !t.missing));
    // The table changed under any trained model: train again on it.
    let report = train(&mut s, train_request(&summary, 3));
    assert!(report.prep_summary.contains("damage (4 levels)"), "{}", report.prep_summary);
    // And read "None" as missing too.
    let emptied = set(&mut s, &["None", "?"]);
    assert_eq!((emptied.info.distinct, emptied.info.missing), (2, 14));
    assert!(matches!(
        s.handle(Request::SetMissing { column: "nope".into(), missing: vec![] }, &mut NoProgress),
        Response::Failed(SessionError::UnknownColumn(_))
    ));
}

#[test]
fn a_date_column_is_excluded_by_default_and_trains_as_year_month_weekday_when_chosen() {
    let mut s = Session::new(native_clock);
    let summary = load_fixture(&mut s, "dates.csv");
    assert_eq!(summary.columns[0].inferred, ColumnKind::Date);
    assert_eq!(summary.suggested_task[summary.default_target], Task::Regression);
    let mut req = train_request(&summary, 3);
    assert!(matches!(
        s.handle(Request::Train(req.clone()), &mut NoProgress),
        Response::Failed(SessionError::Prep(prep::PrepError::NoFeatures))
    ));
    req.columns[0].included = true;
    let report = train(&mut s, req);
    assert!(report.prep_summary.starts_with("Split iso into year, month, weekday;"), "{}", report.prep_summary);
    let importance = report.importance.unwrap();
    assert_eq!(importance.items.len(), 1, "one bar for the date column");
    assert_eq!(importance.items[0].0, "iso");
}

#[test]
fn iris_clusters_and_agrees_with_its_species() {
    let (mut s, summary) = loaded("iris");
    let report = train(&mut s, cluster_request(&summary, "species"));
    let Metrics::Clustering { train_inertia, test_inertia, n_clusters, silhouette, agreement, n_train, n_test } =
        report.metrics
    else {
        panic!("clustering metrics")
    };
    // Every row is used (species is no feature and has no missing values to drop).
    assert_eq!((n_train, n_test, n_clusters), (120, 30, 3));
    // Four standardized inputs: one cluster would leave about 4 per row.
    assert!(train_inertia < 1.2 && test_inertia < 1.5, "{train_inertia} {test_inertia}");
    assert!(silhouette.is_some_and(|s| s > 0.3 && s < 0.8), "{silhouette:?}");
    let agreement = agreement.unwrap();
    assert_eq!(agreement.column, "species");
    // The classic: k-means on standardized iris finds setosa and mixes the other two (ARI ≈ 0.6).
    assert!((0.5..0.8).contains(&agreement.adjusted_rand_index), "{agreement:?}");
    // Its own importance (between-cluster variance), led by a petal measurement;
    // no permutation importance, which would need a target.
    let importance = report.importance.unwrap();
    assert!(importance.title.contains("between-cluster"), "{}", importance.title);
    assert!(importance.items[0].0.starts_with("petal"), "{:?}", importance.items);
    let boundary = report.boundary.unwrap();
    assert_eq!(
        boundary.legend,
        crate::explain::Legend::Classes(vec!["cluster 1".into(), "cluster 2".into(), "cluster 3".into()])
    );
    assert_eq!(boundary.centroids.len(), 3);
    // Centroids in the axis' own units (cm), inside the plotted range.
    assert!(boundary
        .centroids
        .iter()
        .all(|&(x, y)| x > boundary.x.min && x < boundary.x.max && y > boundary.y.min && y < boundary.y.max));
    assert!(boundary.points.value.iter().all(|&v| v == 0.0 || v == 1.0 || v == 2.0));
    assert!(matches!(report.views.first(), Some(crate::model::view::ModelView::Curves(_))));
    // No test score to explain: no evaluation views, not even partial dependence.
    assert_eq!(report.evaluation, Evaluation::default());
    let Response::Inspected(point) = s.handle(
        Request::Inspect {
            x: boundary.x.name.clone(),
            y: boundary.y.name.clone(),
            at: Some(boundary.centroids[0]),
            row: None,
            slice: vec![],
            two_features: false,
        },
        &mut NoProgress,
    ) else {
        panic!("inspected")
    };
    assert!(point.text.contains("cluster 1 (its nearest centroid)"), "{}", point.text);
}

#[test]
fn clustering_needs_no_target_but_prediction_does() {
    let (mut s, summary) = loaded("iris");
    let report = train(&mut s, cluster_request(&summary, ""));
    // Without a compared column, species is a feature like any other (one-hot).
    let Metrics::Clustering { agreement: None, .. } = report.metrics else { panic!("no agreement without a column") };
    assert_eq!(report.importance.unwrap().items.len(), 5);
    let req = TrainRequest { target: String::new(), ..train_request(&summary, 3) };
    let Response::Failed(e) = s.handle(Request::Train(req), &mut NoProgress) else { panic!("a target is needed") };
    assert_eq!(e, SessionError::NoTarget("classification".into()));
    // A supervised model asked to cluster: the typed error, before any work.
    let req = TrainRequest { task: Task::Clustering, ..train_request(&summary, 3) };
    let Response::Failed(e) = s.handle(Request::Train(req), &mut NoProgress) else { panic!("a tree does not cluster") };
    assert_eq!(e, SessionError::Fit(crate::model::FitError::WrongTask("clustering".into())));
}

/// A table's columns as the page first offers them, `target` predicted with `model` at its defaults.
pub(super) fn fixture_request(summary: &DataSummary, target: &str, task: Task, model: &str) -> TrainRequest {
    TrainRequest {
        target: target.into(),
        task,
        columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: model.into(),
        params: ParamValues::new(),
        seed: 42,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    }
}

#[test]
fn rows_without_a_target_are_counted_and_named() {
    let mut s = Session::new(native_clock);
    let summary = load_fixture(&mut s, "passengers.csv");
    assert_eq!(summary.n_rows, 90);
    // Every sixth passenger has no survived value: 15 of 90.
    let report = train(&mut s, fixture_request(&summary, "survived", Task::Classification, "decision_tree"));
    assert_eq!(report.left_out, Some(LeftOut { rows: 15, target: "survived".into() }));
    let Metrics::Classification { n_train, n_test, .. } = report.metrics else { panic!() };
    assert_eq!(n_train + n_test, 75);
    // Every row has a target: nothing to say.
    let (mut s, summary) = loaded("iris");
    assert_eq!(train(&mut s, train_request(&summary, 3)).left_out, None);
}

#[test]
fn test_scores_carry_their_standard_error() {
    let (mut s, summary) = loaded("iris");
    let report = train(&mut s, train_request(&summary, 3));
    let Metrics::Classification { test_accuracy, test_se, n_test, .. } = report.metrics else { panic!() };
    assert_eq!(test_se, crate::eval::accuracy_standard_error(test_accuracy, n_test));
    let mut s = Session::new(native_clock);
    let summary = load_fixture(&mut s, "mtcars.csv");
    let report = train(&mut s, fixture_request(&summary, "mpg", Task::Regression, "linear_regression"));
    let Metrics::Regression { test_se, n_test, .. } = report.metrics else { panic!() };
    assert!(n_test < 8, "mtcars keeps few rows for testing: {n_test}");
    assert!(test_se > 0.0 && test_se.is_finite(), "{test_se}");
}

#[test]
fn a_model_that_learned_nothing_says_which_setting_and_the_numbers() {
    let mut s = Session::new(native_clock);
    let summary = load_fixture(&mut s, "mtcars.csv");
    // Gradient boosting leaves at least 20 rows per leaf; 25 training rows cannot split.
    let report = train(&mut s, fixture_request(&summary, "mpg", Task::Regression, "gradient_boosting"));
    let Metrics::Regression { train_r2, n_train, .. } = report.metrics else { panic!() };
    assert_eq!(train_r2, 0.0, "the mean everywhere");
    assert_eq!(
        report.learned_nothing.as_deref(),
        Some(
            format!(
                "Gradient boosting (histogram) learned nothing: it gives every training row the same prediction; with {n_train} \
                 training rows no split can leave 20 rows ('min rows per leaf') on each side. Set 'min rows per leaf' \
                 to {} or less.",
                n_train / 2
            )
            .as_str()
        )
    );
    // Within reach of a split, it learns.
    let mut req = fixture_request(&summary, "mpg", Task::Regression, "gradient_boosting");
    req.params.insert("min_samples_leaf".into(), ParamValue::Int(5));
    assert_eq!(train(&mut s, req).learned_nothing, None);
    // A compared model says so in its row.
    let compare = CompareRequest {
        base: fixture_request(&summary, "mpg", Task::Regression, "decision_tree"),
        models: vec!["decision_tree".into(), "gradient_boosting".into()],
        axes: None,
        slice: vec![],
    };
    let Response::Compared(report) = s.handle(Request::Compare(compare), &mut NoProgress) else { panic!() };
    let why: Vec<bool> = report.rows.iter().map(|r| r.outcome.as_ref().unwrap().learned_nothing.is_some()).collect();
    assert_eq!(why, [false, true]);
}

#[test]
fn why_nothing_learned_names_min_rows_to_split_and_else_says_what_it_knows() {
    let tree = model::find("decision_tree").unwrap();
    let split: ParamValues = [("min_samples_split".to_string(), ParamValue::Int(30))].into();
    assert_eq!(
        why_nothing_learned(tree, Task::Regression, &split, 25),
        "Decision tree (CART) learned nothing: it gives every training row the same prediction; it has 25 training rows, \
         fewer than 'min rows to split' (30), so it never splits. Lower 'min rows to split'."
    );
    let lasso = model::find("lasso").unwrap();
    assert!(why_nothing_learned(lasso, Task::Regression, &ParamValues::new(), 25)
        .ends_with("; no feature changed its answer with these settings."));
}

#[test]
fn a_file_is_read_again_in_the_encoding_chosen() {
    let mut s = Session::new(native_clock);
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/names_windows1252.csv")).unwrap();
    let summary = load_fixture(&mut s, "names_windows1252.csv");
    assert_eq!(summary.decoding.encoding, TextEncoding::Windows1252);
    assert_eq!(summary.decoding.samples, ["Œdipe", "José", "Málaga", "Müller", "München"]);
    assert!(summary.warnings[0].contains("read as Windows-1252"), "{:?}", summary.warnings);
    let again = Request::Load { name: "n.csv".into(), bytes: bytes.clone(), encoding: Some(TextEncoding::Iso8859_15) };
    let Response::Loaded(latin9) = s.handle(again, &mut NoProgress) else { panic!() };
    assert!(latin9.decoding.chosen);
    assert_eq!(latin9.decoding.samples[0], "\u{8C}dipe", "Œ is 0x8C only in Windows-1252");
    // UTF-8, chosen, is refused with the line of the first bad byte, and the table stays.
    let utf8 = Request::Load { name: "n.csv".into(), bytes, encoding: Some(TextEncoding::Utf8) };
    let Response::Failed(SessionError::Data(error)) = s.handle(utf8, &mut NoProgress) else { panic!() };
    assert_eq!(error, crate::data::DataError::NotUtf8 { line: 2, byte_offset: 36 });
}

/// The class whose region tint is closest to an RGBA cell of a boundary grid.
fn ground_class(rgba: &[u8], n_classes: usize) -> usize {
    let distance = |c: usize| {
        (0..=20)
            .map(|k| {
                let tint = crate::render::region_rgba(c, k as f64 / 20.0);
                (0..3).map(|i| (tint[i] as f64 - rgba[i] as f64).powi(2)).sum::<f64>()
            })
            .fold(f64::INFINITY, f64::min)
    };
    (0..n_classes).min_by(|&a, &b| distance(a).total_cmp(&distance(b))).unwrap_or(0)
}

/// The grid cell of a boundary view under a point, as RGBA.
fn cell_under(b: &BoundaryView, x: f64, y: f64) -> &[u8] {
    let side = b.grid_width as f64 - 1.0;
    let col = ((x - b.x.min) / (b.x.max - b.x.min) * side).round() as usize;
    let row = ((b.y.max - y) / (b.y.max - b.y.min) * side).round() as usize;
    let i = (row * b.grid_width as usize + col) * 4;
    &b.rgba[i..i + 4]
}

#[test]
fn tracing_a_row_moves_the_slice_to_it_so_it_sits_on_its_own_ground() {
    let (mut s, summary) = loaded("penguins");
    let report = penguins_tree(&mut s, &summary);
    let b = report.boundary.as_ref().unwrap();
    let Legend::Classes(names) = &b.legend else { panic!("classes") };
    let chinstrap = names.iter().position(|n| n == "Chinstrap").unwrap();
    // The case: a Chinstrap row the tree gets right, drawn on another
    // class's ground at the typical slice (island = Biscoe, where no Chinstrap lives).
    let misplaced = (0..b.points.rows.len()).find_map(|i| {
        let row = b.points.rows[i] as usize;
        let on_other_ground = ground_class(cell_under(b, b.points.x[i] as f64, b.points.y[i] as f64), 3) != chinstrap;
        (b.points.value[i] == chinstrap as f32 && on_other_ground).then_some(row)
    });
    let row = misplaced.expect("a Chinstrap row on other ground at the typical slice");
    let point = trace(&mut s, b, row);
    assert!(point.text.contains("its species is Chinstrap"), "{}", point.text);
    let traced = point.boundary.as_ref().expect("tracing a row redraws the plot at its values");
    // The slice is the row's own: its island, its numbers.
    let own = s.trained.as_ref().unwrap().pipeline.row_values(s.table.as_ref().unwrap(), row);
    for (column, value) in &own {
        assert_eq!(value_of(&traced.slice, column), Some(value), "{column}");
    }
    assert!(traced.note.starts_with("The full model at a slice: "), "{}", traced.note);
    // Its point now sits on the ground of the class the model predicts for it.
    let predicted = names.iter().position(|c| point.text.contains(&format!("predicts {c}")));
    assert_eq!(Some(ground_class(cell_under(traced, point.x, point.y), 3)), predicted, "{}", point.text);
    // And it is drawn bold: it is exactly at the slice.
    let i = traced.points.rows.iter().position(|&r| r as usize == row).unwrap();
    assert!(traced.points.near[i]);
    // Dragging it is a what-if at the same slice: no new plot.
    let dragged = inspect_row(&mut s, b, row, Some((b.x.max, b.y.max)), traced.slice.clone());
    assert!(dragged.boundary.is_none());
}

#[test]
fn rows_near_the_slice_are_counted_by_the_held_features_the_model_leans_on() {
    let (mut s, summary) = loaded("penguins");
    let report = penguins_tree(&mut s, &summary);
    // Off the two most important axes, so a number (flipper length) is held too.
    let request = Request::Boundary {
        x: "bill_length_mm".into(),
        y: "body_mass_g".into(),
        slice: vec![],
        live: false,
        two_features: false,
    };
    let Response::Boundary(b) = s.handle(request, &mut NoProgress) else { panic!() };
    let b = &b;
    let importance = report.importance.as_ref().unwrap();
    let leaned: Vec<&str> = importance
        .items
        .iter()
        .filter(|(n, v)| *v > 0.0 && *n != b.x.name && *n != b.y.name)
        .map(|(n, _)| n.as_str())
        .take(boundary::NEAR_FEATURES)
        .collect();
    assert_eq!(leaned, ["flipper_length_mm", "island"]);
    let (t, table) = (s.trained.as_ref().unwrap(), s.table.as_ref().unwrap());
    // Recount by hand: every leaned-on held feature at the slice's level, or
    // within a tenth of its training range.
    let expected: Vec<bool> = b
        .points
        .rows
        .iter()
        .map(|&r| {
            let own = t.pipeline.row_values(table, r as usize);
            leaned.iter().all(|column| {
                let domain = t.slice.iter().find(|c| c.column() == *column).unwrap();
                match (value_of(&own, column).unwrap(), domain.typical()) {
                    (FeatureValue::Number(v), FeatureValue::Number(at)) => {
                        let ColumnDomain::Number { min, max, .. } = domain else { unreachable!() };
                        (v - at).abs() <= (max - min) / 10.0
                    }
                    (v, at) => *v == at,
                }
            })
        })
        .collect();
    assert_eq!(b.points.near, expected);
    let bold = expected.iter().filter(|&&n| n).count();
    assert!(bold > 0 && bold < expected.len(), "{bold} of {}", expected.len());
    let said = format!(
        "Bold: {bold} of {} rows near it in the held features the model leans on most (same island; \
         flipper_length_mm within a tenth of its range).",
        expected.len()
    );
    assert!(b.note.contains(&said), "{}", b.note);
    for column in &leaned {
        assert!(b.note.contains(column), "{}", b.note);
    }
}

#[test]
fn the_two_feature_switch_refits_the_model_on_the_axes_alone() {
    let (mut s, summary) = loaded("penguins");
    let report = penguins_tree(&mut s, &summary);
    let full = report.boundary.as_ref().unwrap();
    let (x, y) = (full.x.name.clone(), full.y.name.clone());
    let request = |two_features: bool, slice: FeatureValues| Request::Boundary {
        x: x.clone(),
        y: y.clone(),
        slice,
        live: false,
        two_features,
    };
    let Response::Boundary(two) = s.handle(request(true, vec![]), &mut NoProgress) else { panic!() };
    assert!(two.rgba != full.rgba, "the refitted model draws its own picture");
    assert!(
        two.note.starts_with(&format!("The decision tree (CART) refitted on {x} and {y} only: test accuracy 0.")),
        "{}",
        two.note
    );
    assert!(two.note.contains("(the full model: test accuracy "), "{}", two.note);
    assert!(two.title.contains("refitted on the two axes"), "{}", two.title);
    assert!(two.points.near.iter().all(|&n| n), "nothing is held, so every row is bold");
    // The same settings, split and seed: the refit is what a person training
    // on those two columns alone would get.
    let mut req = s.trained.as_ref().unwrap().request.clone();
    for u in &mut req.columns {
        u.included = u.name == x || u.name == y;
    }
    let mut fresh = Session::new(native_clock);
    fresh.handle(Request::LoadBundled { name: "penguins".into() }, &mut NoProgress);
    train(&mut fresh, req);
    let Response::Boundary(alone) = fresh.handle(request(false, vec![]), &mut NoProgress) else { panic!() };
    assert!(alone.rgba == two.rgba, "the refit is the two-column model");
    // No slice changes it; the full model's slice still does.
    let held = vec![("island".to_string(), FeatureValue::Level("Dream".into()))];
    let Response::Boundary(two_dream) = s.handle(request(true, held.clone()), &mut NoProgress) else { panic!() };
    assert!(two_dream.rgba == two.rgba);
    let Response::Boundary(full_again) = s.handle(request(false, vec![]), &mut NoProgress) else { panic!() };
    assert!(full_again.rgba == full.rgba, "switching back shows the full model");
    // A traced row is explained by the refitted model, without a path on the
    // full model's diagram.
    let Response::Inspected(point) = s.handle(
        Request::Inspect { x: x.clone(), y: y.clone(), at: None, row: Some(0), slice: vec![], two_features: true },
        &mut NoProgress,
    ) else {
        panic!()
    };
    assert!(
        point.text.contains(&format!("the decision tree (CART) refitted on {x} and {y} only predicts")),
        "{}",
        point.text
    );
    assert!(point.path.is_empty() && point.boundary.is_none());
}

#[test]
fn every_model_refits_on_two_features_and_traces_a_row() {
    let (mut s, summary) = loaded("penguins");
    for spec in crate::model::REGISTRY {
        let task = if spec.tasks.contains(&Task::Classification) { Task::Classification } else { spec.tasks[0] };
        let mut req = train_request(&summary, 3);
        req.model = spec.id.into();
        req.params = ParamValues::new();
        (req.target, req.task) = match task {
            Task::Classification => ("species".into(), task),
            Task::Regression => ("body_mass_g".into(), task),
            Task::Clustering => (String::new(), task),
        };
        let report = train(&mut s, req);
        let b = report.boundary.unwrap();
        let (x, y) = (b.x.name.clone(), b.y.name.clone());
        let Response::Boundary(two) = s.handle(
            Request::Boundary { x: x.clone(), y: y.clone(), slice: vec![], live: false, two_features: true },
            &mut NoProgress,
        ) else {
            panic!("{}: no two-feature boundary", spec.id)
        };
        assert!(two.note.contains(&format!("refitted on {x} and {y} only: ")), "{}: {}", spec.id, two.note);
        let row = b.points.rows[0] as usize;
        for two_features in [false, true] {
            let answer = s.handle(
                Request::Inspect { x: x.clone(), y: y.clone(), at: None, row: Some(row), slice: vec![], two_features },
                &mut NoProgress,
            );
            let Response::Inspected(point) = answer else { panic!("{}: {answer:?}", spec.id) };
            assert_eq!(point.boundary.is_some(), !two_features, "{}", spec.id);
        }
    }
}

/// The test share sets the held-out rows: iris's 50 rows per species lose 15
/// each at 30 % (45 test rows, stratified), diabetes's 442 rows lose 133
/// (442 × 0.3 = 132.6, rounded); the CV that follows sees only the rest.
#[test]
fn the_test_share_sets_the_held_out_rows() {
    let (mut s, summary) = loaded("iris");
    let req = TrainRequest { test_share: 0.3, ..train_request(&summary, 3) };
    let Metrics::Classification { n_train, n_test, .. } = train(&mut s, req.clone()).metrics else { panic!("classes") };
    assert_eq!((n_train, n_test), (105, 45));
    let Response::CrossValidated(cv) =
        s.handle(Request::CrossValidate { request: req, k: 5, folding: Folding::Shuffled }, &mut NoProgress)
    else {
        panic!("cross-validated")
    };
    assert_eq!(cv.n_rows, 105);

    let (mut s, summary) = loaded("diabetes");
    for (share, held_out) in [(0.1, 44), (0.3, 133), (0.5, 221)] {
        let mut req = train_request(&summary, 3);
        req.test_share = share;
        let Metrics::Regression { n_train, n_test, .. } = train(&mut s, req).metrics else { panic!("values") };
        assert_eq!((n_train, n_test), (442 - held_out, held_out), "share {share}");
    }
}

#[test]
fn a_test_share_outside_a_tenth_to_a_half_is_refused_by_name() {
    let (mut s, summary) = loaded("iris");
    for (share, said) in [(0.05, "5 %"), (0.55, "55 %"), (f64::NAN, "NaN %")] {
        let req = TrainRequest { test_share: share, ..train_request(&summary, 3) };
        let Response::Failed(e @ SessionError::TestShare(_)) = s.handle(Request::Train(req), &mut NoProgress) else {
            panic!("a test share of {share} was not refused")
        };
        assert_eq!(
            e.to_string(),
            format!("The test share must be between 10 % and 50 % of the rows, not {said}. Pick a share in that range.")
        );
    }
}

mod pipeline;

/// A toy set is loaded as a table with its target last and its name saying
/// how to draw it again; what it teaches holds: a straight line cannot split
/// XOR's quadrants, a tree can.
#[test]
fn toy_xor_loads_and_splits_models_as_it_teaches() {
    use crate::data::{ToyKind, ToySpec};
    let mut s = Session::new(native_clock);
    let toy = ToySpec { kind: ToyKind::Xor, rows: 400, noise: 0.05, seed: 3, classes: 2 };
    let Response::Loaded(summary) = s.handle(Request::LoadToy(toy), &mut NoProgress) else { panic!() };
    assert_eq!(summary.name, "xor (400 rows, noise 0.05, seed 3)");
    assert_eq!(summary.columns[summary.default_target].name, "class");
    assert_eq!(summary.suggested_task[summary.default_target], Task::Classification);
    let accuracy = |s: &mut Session, model: &str| {
        let mut req = train_request(&summary, 4);
        req.model = model.into();
        req.params = ParamValues::new();
        let Metrics::Classification { test_accuracy, .. } = train(s, req).metrics else { panic!() };
        test_accuracy
    };
    let (tree, line) = (accuracy(&mut s, "decision_tree"), accuracy(&mut s, "logistic_regression"));
    assert!(tree > 0.9 && line < 0.7, "tree {tree}, logistic {line}");
    // Out-of-range settings are refused, and the table loaded before stays.
    let bad = ToySpec { kind: ToyKind::Blobs, rows: 100, noise: 0.1, seed: 1, classes: 12 };
    let Response::Failed(error) = s.handle(Request::LoadToy(bad), &mut NoProgress) else { panic!() };
    assert!(error.to_string().contains("12 blobs: choose 2 to 6"), "{error}");
    assert!(s.table.as_ref().is_some_and(|t| t.n_rows == 400));

    // A point added by hand is a row of the table; the model on the old table goes.
    use crate::data::ToyEdit;
    let add = ToyEdit::Add { x1: 0.5, x2: 0.5, class: "opposite signs".into() };
    let Response::ToyEdited(edited) = s.handle(Request::EditToy(add.clone()), &mut NoProgress) else { panic!() };
    assert_eq!(
        (edited.n_rows, edited.name.as_str()),
        (401, "xor (400 rows, noise 0.05, seed 3), 1 points added and 0 removed by hand")
    );
    assert!(s.trained.is_none());
    let Response::ToyEdited(edited) = s.handle(Request::EditToy(ToyEdit::Remove { row: 400 }), &mut NoProgress) else {
        panic!()
    };
    assert_eq!(edited.n_rows, 400);
    // The summary lists the edits in order, for a link to replay.
    assert_eq!(edited.toy_edits, vec![add, ToyEdit::Remove { row: 400 }]);
    // Only a toy set takes points by hand.
    s.handle(Request::LoadBundled { name: "iris".into() }, &mut NoProgress);
    let Response::Failed(error) = s.handle(Request::EditToy(ToyEdit::Remove { row: 0 }), &mut NoProgress) else { panic!() };
    assert_eq!(error, SessionError::NotAToy);
}

mod bands;

#[test]
fn a_loaded_table_says_its_fingerprint_and_size() {
    let mut s = Session::new(native_clock);
    let bytes = b"a,b\n1,x\n2,y\n".to_vec();
    let Response::Loaded(summary) =
        s.handle(Request::Load { name: "t.csv".into(), bytes: bytes.clone(), encoding: None }, &mut NoProgress)
    else {
        panic!("loaded")
    };
    assert_eq!((summary.content_hash.as_str(), summary.n_bytes), (model_file::content_hash(&bytes).as_str(), 12));
    assert_ne!(summary.content_hash, model_file::content_hash(b"a,b\n1,x\n2,z\n"));
}
