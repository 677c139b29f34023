use super::*;
use crate::model::{NoProgress, ParamValue, ParamValues};

fn loaded(name: &str) -> (Session, DataSummary) {
    let mut s = Session::new(native_clock);
    match s.handle(Request::LoadBundled { name: name.into() }, &mut NoProgress) {
        Response::Loaded(summary) => (s, summary),
        other => panic!("loading {name} gave {other:?}"),
    }
}

/// Train on the inferred schema with the default target.
fn train_request(summary: &DataSummary, depth: i64) -> TrainRequest {
    let target = &summary.columns[summary.default_target];
    TrainRequest {
        target: target.name.clone(),
        task: summary.suggested_task[summary.default_target],
        columns: summary
            .columns
            .iter()
            .map(|c| ColumnUse { name: c.name.clone(), kind: c.inferred, included: c.inferred.is_feature() })
            .collect(),
        model: "decision_tree".into(),
        params: ParamValues::from([("max_depth".to_string(), ParamValue::Int(depth))]),
        seed: 42,
    }
}

fn train(s: &mut Session, req: TrainRequest) -> TrainReport {
    match s.handle(Request::Train(req), &mut NoProgress) {
        Response::Trained(report) => *report,
        other => panic!("training gave {other:?}"),
    }
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
    let Some(crate::explain::ModelView::Tree(tree)) = report.views.first() else { panic!("a tree view") };
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
    assert!(!report.axis_options.contains(&"island".to_string()));
    let Response::Boundary(b) = s.handle(Request::Boundary { x: "bill_length_mm".into(), y: "body_mass_g".into() }, &mut NoProgress)
    else {
        panic!()
    };
    assert_eq!((b.x.name.as_str(), b.y.name.as_str()), ("bill_length_mm", "body_mass_g"));
    assert!(matches!(
        s.handle(Request::Boundary { x: "island".into(), y: "body_mass_g".into() }, &mut NoProgress),
        Response::Failed(SessionError::NotAnAxis(_))
    ));
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
}

#[test]
fn a_bad_file_keeps_the_loaded_table() {
    let (mut s, summary) = loaded("iris");
    let bad = Request::Load { name: "ragged.csv".into(), bytes: b"a,b\n1,2\n3,4,5\n".to_vec() };
    assert!(matches!(s.handle(bad, &mut NoProgress), Response::Failed(SessionError::Data(_))));
    let empty = Request::Load { name: "empty.csv".into(), bytes: vec![] };
    assert!(matches!(s.handle(empty, &mut NoProgress), Response::Failed(SessionError::Data(_))));
    // The iris table is still there and trains.
    train(&mut s, train_request(&summary, 2));
}

#[test]
fn requests_out_of_order_are_typed_errors() {
    let mut s = Session::new(native_clock);
    assert_eq!(
        s.handle(Request::Boundary { x: "a".into(), y: "b".into() }, &mut NoProgress),
        Response::Failed(SessionError::NoTable)
    );
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 2);
    req.model = "nope".into();
    assert_eq!(s.handle(Request::Train(req), &mut NoProgress), Response::Failed(SessionError::UnknownModel("nope".into())));
    let mut req = train_request(&summary, 2);
    req.columns.iter_mut().for_each(|c| c.included = false);
    assert_eq!(s.handle(Request::Train(req), &mut NoProgress), Response::Failed(SessionError::Prep(prep::PrepError::NoFeatures)));
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
        match s.handle(Request::Load { name: name.clone(), bytes }, &mut NoProgress) {
            Response::Loaded(_) => {}
            Response::Failed(SessionError::Data(e)) => assert!(e.to_string().ends_with('.'), "{name}: {e}"),
            other => panic!("{name}: unexpected {other:?}"),
        }
        seen += 1;
    }
    assert!(seen >= 6, "the fixtures folder has the bad files");
}

#[test]
fn a_clicked_point_is_explained_and_knn_names_its_neighbours() {
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 3);
    req.model = "knn".into();
    req.params = ParamValues::new();
    train(&mut s, req);
    let at = (5.0, 1.7);
    let Response::Inspected(point) =
        s.handle(Request::Inspect { x: "petal length (cm)".into(), y: "petal width (cm)".into(), at }, &mut NoProgress)
    else {
        panic!("inspect failed")
    };
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
    let Response::Inspected(point) =
        s.handle(Request::Inspect { x: "petal length (cm)".into(), y: "petal width (cm)".into(), at: (1.5, 0.2) }, &mut NoProgress)
    else {
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
    let importance = report.importance.expect("permutation importance");
    assert_eq!(importance.title, "Feature importance (permutation)");
    assert_eq!(importance.items.len(), 4);
    // On iris the petal measurements decide; the boundary starts on them.
    let top: Vec<&str> = importance.items[..2].iter().map(|(n, _)| n.as_str()).collect();
    assert!(top.iter().all(|n| n.starts_with("petal")), "{top:?}");
    let boundary = report.boundary.unwrap();
    assert_eq!((boundary.x.name.as_str(), boundary.y.name.as_str()), (top[0], top[1]));
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
fn iris_clusters_and_agrees_with_its_species() {
    let (mut s, summary) = loaded("iris");
    let report = train(&mut s, cluster_request(&summary, "species"));
    let Metrics::Clustering { train_inertia, test_inertia, n_clusters, silhouette, agreement, n_train, n_test } = report.metrics
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
    assert_eq!(boundary.legend, crate::explain::Legend::Classes(vec!["cluster 1".into(), "cluster 2".into(), "cluster 3".into()]));
    assert_eq!(boundary.centroids.len(), 3);
    // Centroids in the axis' own units (cm), inside the plotted range.
    assert!(boundary.centroids.iter().all(|&(x, y)| x > boundary.x.min && x < boundary.x.max && y > boundary.y.min && y < boundary.y.max));
    assert!(boundary.points.value.iter().all(|&v| v == 0.0 || v == 1.0 || v == 2.0));
    assert!(matches!(report.views.first(), Some(crate::explain::ModelView::Curves(_))));
    let Response::Inspected(point) = s.handle(Request::Inspect { x: boundary.x.name.clone(), y: boundary.y.name.clone(), at: boundary.centroids[0] }, &mut NoProgress) else {
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
