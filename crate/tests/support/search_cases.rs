//! The grid-search conformance cases, shared by the test and the example that
//! exports their folds for scikit-learn's `GridSearchCV`.

use micro_models::base::Task;
use micro_models::data::{read_csv, Table};
use micro_models::eval::search::{Dimension, Method, Range};
use micro_models::model::ParamValues;
use micro_models::session::{bundled, ColumnUse, Folding, SearchRequest, TrainRequest, TEST_FRACTION};
use serde_json::{json, Value};

/// Folds of every case's cross-validation.
pub const K: usize = 5;
/// The seed of every case's split, folds and models.
pub const SEED: u64 = 42;

/// One grid search: a model's one setting over a range, on a bundled dataset.
pub struct SearchCase {
    pub model: &'static str,
    pub dataset: &'static str,
    pub target: &'static str,
    pub task: Task,
    pub key: &'static str,
    pub range: Range,
    /// Values of the grid.
    pub per_setting: usize,
}

pub fn cases() -> Vec<SearchCase> {
    let case = |model, dataset, target, task, key, range, per_setting| SearchCase {
        model,
        dataset,
        target,
        task,
        key,
        range,
        per_setting,
    };
    let depth = || Range::Int { low: 1, high: 8, log: false };
    let k = || Range::Int { low: 1, high: 15, log: false };
    vec![
        case("decision_tree", "breast_cancer", "diagnosis", Task::Classification, "max_depth", depth(), 8),
        case("decision_tree", "penguins", "species", Task::Classification, "max_depth", depth(), 8),
        case("knn", "iris", "species", Task::Classification, "k", k(), 15),
        case("knn", "wine", "cultivar", Task::Classification, "k", k(), 15),
        case(
            "ridge",
            "diabetes",
            "progression",
            Task::Regression,
            "alpha",
            Range::Float { low: 1e-2, high: 1e3, log: true },
            11,
        ),
    ]
}

impl SearchCase {
    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.model, self.dataset, self.key)
    }

    /// The table and the grid search the page would ask for.
    pub fn request(&self) -> (Table, SearchRequest) {
        let table = read_csv(bundled::bytes(self.dataset).expect("a bundled dataset")).expect("bundled data parses");
        let request = TrainRequest {
            target: self.target.to_string(),
            task: self.task,
            columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
            model: self.model.to_string(),
            params: ParamValues::new(),
            seed: SEED,
            pipeline: None,
            test_share: TEST_FRACTION,
        };
        let dimensions = vec![Dimension { key: self.key.to_string(), range: self.range.clone() }];
        let search = SearchRequest {
            request,
            dimensions,
            method: Method::Grid,
            budget: 1000,
            per_setting: self.per_setting,
            k: K,
            folding: Folding::Shuffled,
        };
        (table, search)
    }

    /// What decides the reference: the case, its folds (each fold's test rows
    /// among the training rows) and the grid as tried. The export writes it,
    /// the script stores it beside scikit-learn's numbers, and the test
    /// compares it with the case it runs.
    pub fn settings(&self, folds: &[Vec<usize>], grid: &[Value]) -> Value {
        json!({
            "model": self.model,
            "dataset": self.dataset,
            "target": self.target,
            "task": self.task,
            "key": self.key,
            "seed": SEED,
            "test_fraction": TEST_FRACTION,
            "k": K,
            "fold_tests": folds,
            "grid": grid,
        })
    }
}
