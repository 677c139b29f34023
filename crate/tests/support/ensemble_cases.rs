//! The ensemble conformance cases (`fixtures/ensemble_cases.json`), shared by
//! the ensemble conformance test and the export that hands scikit-learn the
//! same prepared rows and the same stacking folds.

use micro_models::base::{Split, Task};
use micro_models::data::read_csv;
use micro_models::model::ensemble::{default_meta, stack_folds, EnsembleKind, EnsembleParams};
use micro_models::model::params::resolve;
use micro_models::model::{find, Dataset, ParamValue, ParamValues};
use micro_models::session::{bundled, prepare_ensemble, ColumnUse, Prepared, TrainRequest, TEST_FRACTION};
use serde::Deserialize;
use serde_json::{json, Value};

use super::conformance::{data_digest, param_values, SEED};

#[derive(Deserialize)]
pub struct Member {
    /// Registry id.
    pub model: String,
    #[serde(default)]
    pub params: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
pub struct EnsembleCase {
    pub dataset: String,
    pub target: String,
    pub task: Task,
    pub members: Vec<Member>,
    pub kind: EnsembleKind,
    #[serde(default)]
    pub weights: Option<Vec<f64>>,
}

impl EnsembleCase {
    /// A stable name: `Vote{soft:true}/iris/decision_tree+logistic_regression+knn`.
    pub fn id(&self) -> String {
        let members: Vec<&str> = self.members.iter().map(|m| m.model.as_str()).collect();
        format!("{}/{}/{}", serde_json::to_string(&self.kind).unwrap_or_default(), self.dataset, members.join("+"))
    }

    /// The checked ensemble settings and the table prepared as the page prepares it for them.
    pub fn prepared(&self) -> (EnsembleParams, Prepared) {
        let table = read_csv(bundled::bytes(&self.dataset).expect("a bundled dataset")).expect("bundled data parses");
        let members = self.members.iter().map(|m| (m.model.clone(), param_values(&m.params))).collect();
        let params = EnsembleParams::new(self.task, members, &self.kind, self.weights.clone()).expect("a valid ensemble");
        let request = TrainRequest {
            target: self.target.clone(),
            task: self.task,
            columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
            model: self.members[0].model.clone(),
            params: ParamValues::new(),
            seed: SEED,
            pipeline: None,
            test_share: TEST_FRACTION,
        };
        let prepared = prepare_ensemble(&table, &request, &params).expect("the case prepares");
        (params, prepared)
    }

    /// A stack's folds of the training rows, as positions in `train`; none for a vote.
    pub fn folds(&self, train: &Dataset) -> Vec<Split> {
        match &self.kind {
            EnsembleKind::Stack { folds, .. } => stack_folds(&train.target, *folds, SEED).expect("folds"),
            _ => Vec::new(),
        }
    }

    /// Everything that decides what scikit-learn fits and how: the case, every
    /// member's (and a stack's meta model's) settings in full, the split, a
    /// stack's folds (each fold's test positions in the training rows), and a
    /// digest of the encoded rows.
    pub fn settings(&self, train: &Dataset, test: &Dataset) -> Value {
        let full = |id: &str, given: &ParamValues| {
            let spec = find(id).expect("a registered model");
            params_json(&resolve(&(spec.params)(self.task), given).expect("valid settings"))
        };
        let members: Vec<Value> = self
            .members
            .iter()
            .map(|m| json!({"model": m.model, "params": full(&m.model, &param_values(&m.params))}))
            .collect();
        let meta = match &self.kind {
            EnsembleKind::Stack { meta, .. } => {
                let id = meta.clone().unwrap_or_else(|| default_meta(self.task).to_string());
                json!({"model": id, "params": full(&id, &ParamValues::new())})
            }
            _ => Value::Null,
        };
        let folds: Vec<Vec<usize>> = self.folds(train).into_iter().map(|f| f.test).collect();
        json!({
            "dataset": self.dataset,
            "target": self.target,
            "task": self.task,
            "members": members,
            "kind": self.kind,
            "weights": self.weights,
            "meta": meta,
            "folds": folds,
            "split_seed": SEED,
            "test_fraction": TEST_FRACTION,
            "n_train": train.x.n_rows(),
            "n_test": test.x.n_rows(),
            "n_features": train.x.n_cols(),
            "data_fnv1a": data_digest(&[train, test]),
        })
    }
}

/// Settings as scikit-learn's side reads them: numbers and choice names.
pub fn params_json(params: &ParamValues) -> Value {
    params
        .iter()
        .map(|(k, v)| {
            let v = match v {
                ParamValue::Int(i) => json!(i),
                ParamValue::Float(x) => json!(x),
                ParamValue::Choice(c) => json!(c),
            };
            (k.clone(), v)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

pub fn cases() -> Vec<EnsembleCase> {
    serde_json::from_str(include_str!("../fixtures/ensemble_cases.json")).expect("valid ensemble cases file")
}
