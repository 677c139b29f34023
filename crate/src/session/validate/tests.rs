use super::*;
use crate::base::NoProgress;
use crate::data::read_csv;
use crate::model::{ParamValue, ParamValues};
use crate::session::{bundled, ColumnUse, TrainRequest};

/// A classification of `species` on bundled `dataset` by `model`, every
/// offered column a feature, seed 42: what the validation and search tests train.
pub(in crate::session) fn species_request(
    dataset: &str,
    model: &str,
    params: ParamValues,
) -> (crate::data::Table, TrainRequest) {
    let table = read_csv(bundled::bytes(dataset).unwrap()).unwrap();
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

    let clean =
        fold_data(&table, &PipelineSpec::default_for(spec.scaling), &features, &train_rows, &target, &folds[0]).unwrap();
    let dirty =
        fold_data(&corrupted, &PipelineSpec::default_for(spec.scaling), &features, &train_rows, &target, &folds[0]).unwrap();
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

fn iris_request(model: &str, params: ParamValues) -> (crate::data::Table, TrainRequest) {
    species_request("iris", model, params)
}

fn penguins_request() -> (crate::data::Table, TrainRequest) {
    species_request("penguins", "decision_tree", ParamValues::new())
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

/// Every step of a pipeline the person builds is fitted on the fold's
/// training part only: a fold-0 test row made absurd (body mass 10,000 kg)
/// with its class changed leaves every other row exactly as fold 0's model
/// sees it, through target encoding, an aggregate, robust scaling, binning,
/// products and components, each of which would move with it if it had
/// been fitted on that row.
#[test]
fn no_step_of_a_built_pipeline_sees_a_folds_test_rows() {
    use crate::prep::{Binning, CategoryEncoding, Fill, GroupStat, Keep, Scaler, StepSpec};
    let table = read_csv(bundled::bytes("penguins").unwrap()).unwrap();
    let steps = PipelineSpec {
        steps: vec![
            StepSpec::Impute { numbers: Fill::Mean, indicator: true },
            StepSpec::Encode { encoding: CategoryEncoding::Target, min_count: 5 },
            StepSpec::Aggregate { of: "body_mass_g".into(), by: "island".into(), stat: GroupStat::Mean },
            StepSpec::Scale { scaler: Scaler::Robust, columns: vec![] },
            StepSpec::Bin { binning: Binning::Quantile, bins: 4, columns: vec!["flipper_length_mm".into()] },
            StepSpec::Poly { columns: vec!["bill_length_mm".into(), "bill_depth_mm".into()] },
            StepSpec::Pca { keep: Keep::Variance(0.95) },
        ],
    };
    let req = TrainRequest {
        target: "species".into(),
        task: crate::base::Task::Classification,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "knn".into(),
        params: ParamValues::new(),
        seed: 42,
        pipeline: Some(steps.clone()),
        test_share: crate::session::TEST_FRACTION,
    };
    let Plan { rows, split, target, features, .. } = plan(&table, &req).unwrap();
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let target = target.select_rows(&split.train);
    let Target::Classes { y, names } = &target else { panic!("classes") };
    let folds = stratified_k_folds(y, names.len(), 5, req.seed).unwrap();
    let corrupted_at = folds[0].test[0];

    let text = String::from_utf8(bundled::bytes("penguins").unwrap().to_vec()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mass = lines[0].split(',').position(|h| h == "body_mass_g").unwrap();
    let line = train_rows[corrupted_at] + 1;
    let mut cells: Vec<String> = lines[line].split(',').map(str::to_string).collect();
    cells[mass] = "10000000".into();
    lines[line] = cells.join(",");
    let corrupted = read_csv(lines.join("\n").as_bytes()).unwrap();
    let Target::Classes { mut y, names } = target.clone() else { panic!() };
    y[corrupted_at] = (y[corrupted_at] + 1) % names.len() as u32;
    let other_class = Target::Classes { y, names };

    let clean = fold_data(&table, &steps, &features, &train_rows, &target, &folds[0]).unwrap();
    let dirty = fold_data(&corrupted, &steps, &features, &train_rows, &other_class, &folds[0]).unwrap();
    assert!(clean.feature_names.iter().any(|n| n == "PC1"), "{:?}", clean.feature_names);
    let others: Vec<usize> = (0..train_rows.len()).filter(|&i| i != corrupted_at).collect();
    assert_eq!(clean.x.select_rows(&others), dirty.x.select_rows(&others), "fold 0's pipeline saw its own test row");
    assert_ne!(clean.x.select_rows(&[corrupted_at]), dirty.x.select_rows(&[corrupted_at]));
    // Fitted on every training row instead, the same change moves the others.
    let every = Split { train: (0..train_rows.len()).collect(), test: vec![] };
    let leaky = fold_data(&corrupted, &steps, &features, &train_rows, &other_class, &every).unwrap();
    let honest = fold_data(&table, &steps, &features, &train_rows, &target, &every).unwrap();
    assert_ne!(honest.x.select_rows(&others), leaky.x.select_rows(&others));
}
