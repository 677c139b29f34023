use super::*;
use crate::base::NoProgress;
use crate::data::read_csv;
use crate::model::{ParamValue, ParamValues};
use crate::session::{bundled, ColumnUse, TrainRequest};

fn iris_request(model: &str, params: ParamValues) -> (crate::data::Table, TrainRequest) {
    let table = read_csv(bundled::bytes("iris").unwrap()).unwrap();
    let req = TrainRequest {
        target: "species".into(),
        task: crate::base::Task::Classification,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: model.into(),
        params,
        seed: 42,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    };
    (table, req)
}

#[test]
fn five_folds_of_the_training_rows_each_give_a_score() {
    let depth = ParamValues::from([("max_depth".to_string(), ParamValue::Int(3))]);
    let (table, req) = iris_request("decision_tree", depth);
    let cv = cross_validate(&table, &req, 5, &Folding::Shuffled, &mut NoProgress).unwrap();
    assert_eq!((cv.measure.as_str(), cv.scores.len(), cv.n_rows), ("accuracy", 5, 120));
    // 120 stratified training rows in 5 folds: 24 test rows each, so every
    // score is a whole number of 24ths.
    for s in &cv.scores {
        assert!((s * 24.0 - (s * 24.0).round()).abs() < 1e-9 && (0.75..=1.0).contains(s), "{s}");
    }
    let mean = cv.scores.iter().sum::<f64>() / 5.0;
    let sd = (cv.scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / 4.0).sqrt();
    assert_eq!((cv.mean, cv.sd), (mean, sd));
    assert_eq!(
        cv,
        cross_validate(&table, &req, 5, &Folding::Shuffled, &mut NoProgress).unwrap(),
        "the seed fixes the folds"
    );
    let other = TrainRequest { seed: 7, ..req.clone() };
    assert_ne!(cv.scores, cross_validate(&table, &other, 5, &Folding::Shuffled, &mut NoProgress).unwrap().scores);
}

/// A fold's preparation is fitted on its training part only: one test row of
/// fold 0 made absurd (petal length 10,000 cm) leaves every other row exactly
/// as fold 0's model sees it. A scaling fitted on all training rows would
/// move every row's standardized petal length.
#[test]
fn a_folds_test_rows_never_shape_its_preparation() {
    let (table, req) = iris_request("knn", ParamValues::new());
    let spec = crate::model::find("knn").unwrap();
    let Plan { rows, split, target, features, .. } = plan(&table, &req).unwrap();
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let target = target.select_rows(&split.train);
    let Target::Classes { y, names } = &target else { panic!("classes") };
    let folds = stratified_k_folds(y, names.len(), 5, req.seed).unwrap();
    let corrupted_at = folds[0].test[0];

    let text = String::from_utf8(bundled::bytes("iris").unwrap().to_vec()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let petal = header.iter().position(|h| h.starts_with("petal length")).unwrap();
    let line = train_rows[corrupted_at] + 1;
    let mut cells: Vec<String> = lines[line].split(',').map(str::to_string).collect();
    cells[petal] = "10000".into();
    lines[line] = cells.join(",");
    let corrupted = read_csv(lines.join("\n").as_bytes()).unwrap();

    let clean = fold_data(&table, &PipelineSpec::default_for(spec.scaling), &features, &train_rows, &target, &folds[0]).unwrap();
    let dirty = fold_data(&corrupted, &PipelineSpec::default_for(spec.scaling), &features, &train_rows, &target, &folds[0]).unwrap();
    let others: Vec<usize> = (0..train_rows.len()).filter(|&i| i != corrupted_at).collect();
    assert_eq!(clean.x.select_rows(&others), dirty.x.select_rows(&others), "fold 0's preparation saw its own test row");
    assert_ne!(clean.x.select_rows(&[corrupted_at]), dirty.x.select_rows(&[corrupted_at]));
}

#[test]
fn values_are_scored_by_r2_and_clusters_cannot_be_validated() {
    let table = read_csv(bundled::bytes("diabetes").unwrap()).unwrap();
    let target = table.columns.last().unwrap().name.clone();
    let mut req = TrainRequest {
        target,
        task: crate::base::Task::Regression,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "ridge".into(),
        params: ParamValues::new(),
        seed: 1,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    };
    let cv = cross_validate(&table, &req, 3, &Folding::Shuffled, &mut NoProgress).unwrap();
    assert_eq!((cv.measure.as_str(), cv.scores.len()), ("R²", 3));
    assert!(cv.mean > 0.3 && cv.mean < 0.7, "ridge explains about half of diabetes: {}", cv.mean);
    assert_eq!(
        cross_validate(&table, &req, 1, &Folding::Shuffled, &mut NoProgress),
        Err(SessionError::Folds(crate::base::FoldError::TooFewFolds(1)))
    );
    req.task = crate::base::Task::Clustering;
    req.model = "kmeans".into();
    req.target = String::new();
    assert_eq!(cross_validate(&table, &req, 3, &Folding::Shuffled, &mut NoProgress), Err(SessionError::NothingToValidate));
}

#[test]
fn the_worker_answers_a_cross_validation_request() {
    let mut s = crate::session::Session::new(crate::session::native_clock);
    let (_, req) = iris_request("naive_bayes", ParamValues::new());
    let ask = |s: &mut crate::session::Session| {
        s.handle(
            crate::session::Request::CrossValidate { request: req.clone(), k: 3, folding: Folding::Shuffled },
            &mut NoProgress,
        )
    };
    assert_eq!(ask(&mut s), crate::session::Response::Failed(SessionError::NoTable));
    s.handle(crate::session::Request::LoadBundled { name: "iris".into() }, &mut NoProgress);
    let crate::session::Response::CrossValidated(cv) = ask(&mut s) else { panic!("cross-validated") };
    assert_eq!((cv.scores.len(), cv.n_rows), (3, 120));
    assert!(cv.mean > 0.85, "naive Bayes knows iris: {}", cv.mean);
}

fn penguins_request() -> (crate::data::Table, TrainRequest) {
    let table = read_csv(bundled::bytes("penguins").unwrap()).unwrap();
    let req = TrainRequest {
        target: "species".into(),
        task: crate::base::Task::Classification,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "decision_tree".into(),
        params: ParamValues::new(),
        seed: 42,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    };
    (table, req)
}

#[test]
fn folds_can_keep_groups_together_or_follow_time() {
    let (table, req) = penguins_request();
    let by_island = Folding::Grouped("island".into());
    let cv = cross_validate(&table, &req, 3, &by_island, &mut NoProgress).unwrap();
    assert_eq!(cv.scores.len(), 3, "one island held out per fold");
    assert_eq!(
        cross_validate(&table, &req, 4, &by_island, &mut NoProgress),
        Err(SessionError::Folds(crate::base::FoldError::TooFewGroups { k: 4, groups: 3 }))
    );
    let by_year = Folding::TimeOrdered("year".into());
    let cv = cross_validate(&table, &req, 2, &by_year, &mut NoProgress).unwrap();
    assert_eq!(cv.scores.len(), 2);
    let Err(SessionError::NotAnOrder { why, .. }) =
        cross_validate(&table, &req, 2, &Folding::TimeOrdered("bill_length_mm".into()), &mut NoProgress)
    else {
        panic!("a column with gaps has no order")
    };
    assert_eq!(why, "one training row has no value in it, so it has no place in time");
    let Err(e) = cross_validate(&table, &req, 2, &Folding::TimeOrdered("sex".into()), &mut NoProgress) else {
        panic!("text has no order")
    };
    assert_eq!(
        e.to_string(),
        "'sex' cannot order the rows in time: it holds neither numbers nor dates. Pick a number or date column \
         with a value in every row."
    );
}
