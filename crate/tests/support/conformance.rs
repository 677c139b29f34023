//! The conformance cases, shared by the conformance test and the example that
//! exports the same prepared data for scikit-learn.

use micro_models::base::Task;
use micro_models::data::read_csv;
use micro_models::model::{ParamValue, ParamValues};
use micro_models::session::{bundled, prepare, ColumnUse, Prepared, TrainRequest};
use serde::Deserialize;

/// The seed of every conformance split.
pub const SEED: u64 = 42;

#[derive(Deserialize)]
pub struct Case {
    /// Registry id of the model.
    pub model: String,
    pub dataset: String,
    pub target: String,
    pub task: Task,
    pub params: serde_json::Map<String, serde_json::Value>,
}

impl Case {
    /// A stable name, e.g. `iris/criterion=gini,max_depth=5,…`.
    pub fn id(&self) -> String {
        let params: Vec<String> =
            self.params.iter().map(|(k, v)| format!("{k}={}", v.as_str().map_or(v.to_string(), String::from))).collect();
        format!("{}/{}/{}", self.model, self.dataset, params.join(","))
    }

    /// The request the page would send, on the inferred schema, and the table
    /// prepared from it exactly as the page prepares it.
    pub fn prepared(&self) -> (TrainRequest, Prepared) {
        let table = read_csv(bundled::bytes(&self.dataset).expect("a bundled dataset")).expect("bundled data parses");
        let params = self
            .params
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    serde_json::Value::String(s) => ParamValue::Choice(s.clone()),
                    n if n.is_i64() => ParamValue::Int(n.as_i64().unwrap_or_default()),
                    n => ParamValue::Float(n.as_f64().expect("a number or a choice")),
                };
                (k.clone(), value)
            })
            .collect::<ParamValues>();
        let request = TrainRequest {
            target: self.target.clone(),
            task: self.task,
            columns: table
                .columns
                .iter()
                .map(|c| ColumnUse { name: c.name.clone(), kind: c.inferred, included: c.inferred.is_feature() })
                .collect(),
            model: self.model.clone(),
            params,
            seed: SEED,
        };
        let spec = micro_models::model::find(&request.model).expect("a registered model");
        let prepared = prepare(&table, &request, spec).expect("the case prepares");
        (request, prepared)
    }
}

pub fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("../fixtures/conformance_cases.json")).expect("valid cases file")
}
