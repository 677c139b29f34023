//! The class-report conformance cases, shared by the conformance test and the
//! example that exports their test predictions for scikit-learn: a few
//! models on bundled classification datasets, default settings, the page's
//! own preparation and split.

use micro_models::base::{NoProgress, Target, Task};
use micro_models::data::read_csv;
use micro_models::model::{ParamValues, Predictions};
use micro_models::session::{bundled, prepare, ColumnUse, TrainRequest, TEST_FRACTION};

/// The seed of every case's split and fit.
pub const SEED: u64 = 42;

/// (registry id, bundled dataset): a tree's certain probabilities (log-loss
/// clipping), a forest's, naive Bayes on two classes (the Brier score of a
/// binary target), k nearest neighbours on three.
pub const CASES: [(&str, &str); 4] =
    [("decision_tree", "iris"), ("random_forest", "penguins"), ("naive_bayes", "breast_cancer"), ("knn", "wine")];

/// A case's test rows: the true classes, and the model's probabilities
/// (`n_classes` per row) and labels.
pub struct Predicted {
    pub truth: Vec<u32>,
    pub proba: Vec<f32>,
    pub labels: Vec<u32>,
    pub n_classes: usize,
}

/// Trains `model` on `dataset` as the page would (default settings, default
/// pipeline, seed [`SEED`], the default test share) and predicts its test rows.
pub fn predict(model: &str, dataset: &str) -> Predicted {
    let table = read_csv(bundled::bytes(dataset).expect("a bundled dataset")).expect("bundled data parses");
    let request = TrainRequest {
        target: bundled::target(dataset).expect("a bundled target").to_string(),
        task: Task::Classification,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: model.to_string(),
        params: ParamValues::new(),
        seed: SEED,
        pipeline: None,
        test_share: TEST_FRACTION,
    };
    let spec = micro_models::model::find(model).expect("a registered model");
    let prepared = prepare(&table, &request, spec).expect("the case prepares");
    let fitted = (spec.fit)(&request.params, &prepared.data.view(&prepared.split.train), SEED, &mut NoProgress)
        .expect("the case fits");
    let test = prepared.data.select_rows(&prepared.split.test);
    let predicted = fitted.predict(&test.x).expect("the case predicts");
    let labels = predicted.labels().expect("class predictions");
    match (test.target, predicted) {
        (Target::Classes { y, .. }, Predictions::Classes { proba, n_classes }) => {
            Predicted { truth: y, proba, labels, n_classes }
        }
        _ => panic!("{model} on {dataset} is not a classification"),
    }
}
