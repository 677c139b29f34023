//! The contract, checked for every model in the registry: it fits every bundled
//! dataset its task allows and beats a dummy baseline, it is deterministic under
//! a seed, and degenerate input gives a typed error or a defined result, never a
//! panic. A new model is picked up by adding it to the registry.
#![cfg(not(target_arch = "wasm32"))] // native: timed with `native_clock`, run by `cargo test`

use micro_models::base::{accuracy, r2_score, FeatureMatrix, NoProgress, Target, Task};
use micro_models::data::read_csv;
use micro_models::eval::inertia;
use micro_models::model::{
    DataView, Dataset, FitError, LoadError, ModelSpec, ParamValues, PredictError, Predictions, REGISTRY,
};
use micro_models::prep::PrepError;
use micro_models::session::{
    bundled, native_clock, prepare, ColumnUse, Request, Response, Session, SessionError, TrainRequest,
};

/// The page's request for bundled dataset `name` with its own target.
fn request(name: &str, table: &micro_models::data::Table, spec: &ModelSpec, task: Task, seed: u64) -> TrainRequest {
    TrainRequest {
        target: bundled::target(name).unwrap().to_string(),
        task,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: spec.id.to_string(),
        params: ParamValues::new(),
        seed,
        pipeline: None,
        test_share: micro_models::session::TEST_FRACTION,
    }
}

/// Bundled datasets whose own target has this task; every one for clustering
/// (its target then only compared with the clusters).
fn datasets(task: Task) -> Vec<(&'static str, micro_models::data::Table)> {
    bundled::NAMES
        .iter()
        .map(|&name| (name, read_csv(bundled::bytes(name).unwrap()).unwrap()))
        .filter(|(name, t)| {
            let target = t.column_index(bundled::target(name).unwrap()).unwrap();
            task == Task::Clustering || micro_models::session::suggest_task(&t.columns[target]) == task
        })
        .collect()
}

/// The test score, and the score of always predicting the training majority
/// class (or mean). For clustering, higher is better too: minus the inertia per
/// test row, and for the baseline minus that of one cluster around the training mean.
fn score_and_baseline(spec: &ModelSpec, train: &Dataset, test: &Dataset, seed: u64) -> (f64, f64, Predictions) {
    let model = (spec.fit)(&ParamValues::new(), &train.as_view(), seed, &mut NoProgress).unwrap();
    let predicted = model.predict(&test.x).unwrap();
    match (&train.target, &test.target) {
        (Target::Unlabeled { .. }, Target::Unlabeled { n_rows }) => {
            let n = *n_rows as f64;
            let ours = inertia(&test.x, &model.centroids().unwrap(), &predicted.labels().unwrap()) / n;
            let mean: Vec<f32> =
                train.x.columns().map(|c| (c.iter().map(|&v| v as f64).sum::<f64>() / c.len() as f64) as f32).collect();
            let one = inertia(&test.x, &[mean], &vec![0; *n_rows]) / n;
            (-ours, -one, predicted)
        }
        (Target::Classes { y: yt, names }, Target::Classes { y, .. }) => {
            let mut counts = vec![0usize; names.len()];
            yt.iter().for_each(|&c| counts[c as usize] += 1);
            let majority = (0..counts.len()).max_by_key(|&c| counts[c]).unwrap() as u32;
            let ours = accuracy(y, &predicted.labels().unwrap());
            (ours, accuracy(y, &vec![majority; y.len()]), predicted)
        }
        (Target::Values(vt), Target::Values(v)) => {
            let mean = vt.iter().sum::<f64>() / vt.len() as f64;
            let Predictions::Values(p) = &predicted else { panic!("{}: values expected", spec.id) };
            (r2_score(v, p), r2_score(v, &vec![mean; v.len()]), predicted)
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_model_beats_a_dummy_baseline_on_every_dataset_it_can_fit() {
    for spec in REGISTRY {
        for &task in spec.tasks {
            for (name, table) in datasets(task) {
                let prepared = prepare(&table, &request(name, &table, spec, task, 42), spec).unwrap();
                let train = prepared.data.select_rows(&prepared.split.train);
                let test = prepared.data.select_rows(&prepared.split.test);
                let (ours, baseline, _) = score_and_baseline(spec, &train, &test, 42);
                println!("{:<22} {name:<14} {ours:.3} (baseline {baseline:.3})", spec.id);
                assert!(ours > baseline + 0.05, "{} on {name}: {ours:.3} does not beat the baseline {baseline:.3}", spec.id);
            }
        }
    }
}

#[test]
fn the_same_seed_gives_bit_identical_predictions() {
    for spec in REGISTRY {
        let task = spec.tasks[0];
        let (name, table) = datasets(task).into_iter().next().unwrap();
        let prepared = prepare(&table, &request(name, &table, spec, task, 42), spec).unwrap();
        let train = prepared.data.select_rows(&prepared.split.train);
        let (_, _, a) = score_and_baseline(spec, &train, &prepared.data, 7);
        let (_, _, b) = score_and_baseline(spec, &train, &prepared.data, 7);
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}: same seed, different predictions", spec.id);
        if spec.seeded {
            let (_, _, c) = score_and_baseline(spec, &train, &prepared.data, 8);
            assert_ne!(format!("{a:?}"), format!("{c:?}"), "{}: a seeded model ignores its seed", spec.id);
        }
    }
}

#[test]
fn degenerate_training_sets_give_typed_errors() {
    let classes = |x: Vec<Vec<f32>>, y: Vec<u32>| Dataset {
        feature_names: (0..x.len()).map(|i| format!("f{i}")).collect(),
        x: FeatureMatrix::from_columns(y.len(), x),
        target: Target::Classes { y, names: vec!["no".into(), "yes".into()] },
    };
    for spec in REGISTRY {
        let fit = |d: &Dataset| (spec.fit)(&ParamValues::new(), &d.as_view(), 1, &mut NoProgress);
        let id = spec.id;
        if spec.tasks.contains(&Task::Classification) {
            assert_eq!(
                fit(&classes(vec![vec![1.0, 2.0]], vec![1, 1])).err(),
                Some(FitError::OneClass("yes".into())),
                "{id}"
            );
            assert_eq!(fit(&classes(vec![], vec![0, 1])).err(), Some(FitError::NoFeatures), "{id}");
            assert_eq!(fit(&classes(vec![vec![]], vec![])).err(), Some(FitError::NoRows), "{id}");
            for bad in [f32::NAN, f32::INFINITY] {
                let err = fit(&classes(vec![vec![1.0, bad, 3.0]], vec![0, 1, 0])).err();
                assert!(matches!(err, Some(FitError::NonFinite { row: 2, .. })), "{id}: {err:?}");
            }
            // Constant features: a defined model (it predicts one class), not an error.
            let constant = classes(vec![vec![3.0; 6], vec![1.0; 6]], vec![0, 1, 0, 1, 0, 1]);
            let model = fit(&constant).unwrap_or_else(|e| panic!("{id} on constant features: {e}"));
            let p = model.predict(&constant.x).unwrap();
            assert!(matches!(p, Predictions::Classes { .. }), "{id}");
        }
        if spec.tasks.contains(&Task::Clustering) {
            let unlabeled = |x: Vec<Vec<f32>>, n_rows: usize| Dataset {
                feature_names: (0..x.len()).map(|i| format!("f{i}")).collect(),
                x: FeatureMatrix::from_columns(n_rows, x),
                target: Target::Unlabeled { n_rows },
            };
            // A labelled set is a task a clustering model does not do.
            assert_eq!(
                fit(&classes(vec![vec![1.0, 2.0]], vec![0, 1])).err(),
                Some(FitError::WrongTask("classification".into())),
                "{id}"
            );
            assert_eq!(fit(&unlabeled(vec![], 4)).err(), Some(FitError::NoFeatures), "{id}");
            assert_eq!(fit(&unlabeled(vec![vec![]], 0)).err(), Some(FitError::NoRows), "{id}");
            for bad in [f32::NAN, f32::INFINITY] {
                let err = fit(&unlabeled(vec![vec![1.0, bad, 3.0, 4.0]], 4)).err();
                assert!(matches!(err, Some(FitError::NonFinite { row: 2, .. })), "{id}: {err:?}");
            }
            // Fewer rows than the default clusters: a typed error naming both.
            assert!(
                matches!(
                    fit(&unlabeled(vec![vec![1.0, 2.0]], 2)).err(),
                    Some(FitError::MoreClustersThanRows { rows: 2, .. })
                ),
                "{id}"
            );
            // Constant features: every row in one place, a defined clustering.
            let constant = unlabeled(vec![vec![3.0; 6], vec![1.0; 6]], 6);
            let model = fit(&constant).unwrap_or_else(|e| panic!("{id} on constant features: {e}"));
            assert!(matches!(model.predict(&constant.x).unwrap(), Predictions::Classes { .. }), "{id}");
        } else {
            let unlabeled = Dataset { target: Target::Unlabeled { n_rows: 2 }, ..classes(vec![vec![1.0, 2.0]], vec![0, 1]) };
            assert_eq!(fit(&unlabeled).err(), Some(FitError::WrongTask("clustering".into())), "{id}");
        }
    }
}

/// Tables a person might drop, through the whole session: each one trains or
/// is refused with the one typed error its shape justifies, for every model and
/// every task it does.
#[test]
fn odd_tables_train_or_say_why_for_every_model() {
    // (what, csv, too small: one class for a classifier, fewer rows than k-means' 3 clusters)
    let tables: [(&str, &str, bool); 5] = [
        ("one row", "a,b,y\n1,2,x\n", true),
        ("one class", "a,b,y\n1,2,x\n3,4,x\n5,6,x\n", true),
        ("constant features", "a,b,y\n1,1,x\n1,1,z\n1,1,x\n1,1,z\n1,1,x\n1,1,z\n", false),
        ("an all-missing column", "a,b,y\n1,NA,x\n2,NA,z\n3,NA,x\n4,NA,z\n5,NA,x\n6,NA,z\n7,NA,x\n8,NA,z\n", false),
        ("infinities and NaN", "a,b,y\n1,inf,x\n2,NaN,z\n3,-inf,x\n4,1e39,z\n5,2,x\n6,3,z\n7,4,x\n8,5,z\n", false),
    ];
    for spec in REGISTRY {
        for &task in spec.tasks {
            for (what, csv, too_small) in tables {
                // A regression target is numeric: the same table with x and z as numbers.
                let csv = match task {
                    Task::Regression => csv.replace(",x\n", ",1.5\n").replace(",z\n", ",2.5\n"),
                    _ => csv.to_string(),
                };
                let mut session = Session::new(native_clock);
                let Response::Loaded(summary) = session
                    .handle(Request::Load { name: what.into(), bytes: csv.into_bytes(), encoding: None }, &mut NoProgress)
                else {
                    panic!("{what} loads")
                };
                let req = TrainRequest {
                    target: "y".into(),
                    task,
                    columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
                    model: spec.id.into(),
                    params: ParamValues::new(),
                    seed: 1,
                    pipeline: None,
                    test_share: micro_models::session::TEST_FRACTION,
                };
                match session.handle(Request::Train(req), &mut NoProgress) {
                    Response::Trained(_) => {}
                    Response::Failed(e) if too_small && is_too_small_refusal(task, &e) => {}
                    Response::Failed(e) => {
                        panic!("{} ({task:?}) on {what}: {e:?} is not a refusal this table justifies; it says: {e}", spec.id)
                    }
                    other => panic!("{} ({task:?}) on {what}: {other:?}", spec.id),
                }
            }
        }
    }
}

/// What every fitted model promises whoever predicts with it, checked for each
/// registered model on each task it does, on the first bundled dataset of that
/// task: a view of rows fits exactly as a copy of them; the wrong number of
/// inputs is a typed error; probabilities are finite and sum to 1; a row's
/// prediction does not depend on which other rows are predicted with it; and
/// the model read back from its bytes predicts the same bits.
#[test]
fn every_model_keeps_the_prediction_contract() {
    let mut checked = 0;
    for spec in REGISTRY {
        for &task in spec.tasks {
            let (name, table) = datasets(task).into_iter().next().unwrap();
            let id = format!("{} ({}, {name})", spec.id, task.name());
            let prepared = prepare(&table, &request(name, &table, spec, task, 3), spec).unwrap();
            let (data, split) = (&prepared.data, &prepared.split);
            let fit = |train: &DataView| (spec.fit)(&ParamValues::new(), train, 3, &mut NoProgress).unwrap();

            let model = fit(&data.view(&split.train));
            let copy = data.select_rows(&split.train);
            let from_copy = fit(&copy.as_view());
            let predicted = model.predict(&data.x).unwrap();
            assert_eq!(
                format!("{predicted:?}"),
                format!("{:?}", from_copy.predict(&data.x).unwrap()),
                "{id}: fitting a view of the training rows differs from fitting a copy of them"
            );
            // Not assert_eq: a model's bytes are too long to print.
            assert!(model.to_bytes() == from_copy.to_bytes(), "{id}: the view's model and the copy's differ");

            let n = data.x.n_cols();
            for wrong in [n + 1, n - 1] {
                let x = FeatureMatrix::from_columns(2, vec![vec![0.5; 2]; wrong]);
                assert_eq!(
                    model.predict(&x).err(),
                    Some(PredictError::FeatureCount { expected: n, found: wrong }),
                    "{id}: {wrong} inputs instead of {n}"
                );
            }

            match &predicted {
                Predictions::Classes { proba, n_classes } => {
                    assert_eq!(proba.len(), data.x.n_rows() * n_classes, "{id}");
                    for (row, p) in proba.chunks(*n_classes).enumerate() {
                        let sum: f64 = p.iter().map(|&v| v as f64).sum();
                        assert!(
                            p.iter().all(|v| v.is_finite() && *v >= 0.0) && (sum - 1.0).abs() <= 1e-5,
                            "{id}: row {row}'s probabilities {p:?} sum to {sum}"
                        );
                    }
                }
                Predictions::Values(v) => {
                    assert_eq!(v.len(), data.x.n_rows(), "{id}");
                    assert!(v.iter().all(|v| v.is_finite()), "{id}: a value is not finite");
                }
            }

            // No rows at all (an empty test part, a filter that matched nothing): no predictions, no panic.
            let none = model.predict(&data.x.select_rows(&[])).unwrap_or_else(|e| panic!("{id} on no rows: {e}"));
            assert_eq!(format!("{none:?}"), format!("{:?}", predicted.select_rows(&[])), "{id}: predictions for no rows");

            // Every third row, last first: other neighbours, another order, other batch boundaries.
            let subset: Vec<usize> = (0..data.x.n_rows()).rev().step_by(3).collect();
            assert_eq!(
                format!("{:?}", model.predict(&data.x.select_rows(&subset)).unwrap()),
                format!("{:?}", predicted.select_rows(&subset)),
                "{id}: a row's prediction depends on the rows predicted with it"
            );

            let loaded = (spec.load)(&model.to_bytes()).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(
                format!("{:?}", loaded.predict(&data.x).unwrap()),
                format!("{predicted:?}"),
                "{id}: the model read back from its bytes predicts differently"
            );
            assert!(loaded.to_bytes() == model.to_bytes(), "{id}: the model read back writes other bytes");
            checked += 1;
        }
    }
    assert!(checked > REGISTRY.len(), "only {checked} model-task pairs checked");
}

/// Bytes that are not a model say so, for every model, and never panic.
#[test]
fn damaged_model_bytes_are_refused_for_every_model() {
    for spec in REGISTRY {
        for bytes in [&[][..], &[0xff; 3][..], b"not a model at all, just some text"] {
            assert!(matches!((spec.load)(bytes), Err(LoadError::Damaged(_))), "{}: {bytes:?} read as a model", spec.id);
        }
    }
}

/// The refusals a too-small table justifies: a classifier needs two classes,
/// k-means at least as many rows as clusters; regression learns even from one
/// row. Any other error (an internal one, a setting or task the session got
/// wrong, a value the pipeline should have imputed) is a bug, however politely
/// its message is worded.
fn is_too_small_refusal(task: Task, e: &SessionError) -> bool {
    match task {
        Task::Classification => matches!(e, SessionError::Prep(PrepError::OneClass { .. })),
        Task::Clustering => matches!(e, SessionError::Fit(FitError::MoreClustersThanRows { .. })),
        Task::Regression => false,
    }
}
