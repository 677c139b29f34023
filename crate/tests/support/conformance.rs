//! The conformance cases, shared by the conformance test and the example that
//! exports the same prepared data for scikit-learn.

use micro_models::base::{Target, Task};
use micro_models::data::read_csv;
use micro_models::model::{Dataset, ParamValue, ParamValues};
use micro_models::session::{bundled, prepare, ColumnUse, Prepared, TrainRequest, TEST_FRACTION};
use serde::Deserialize;
use serde_json::{json, Value};

/// The seed of every conformance split.
pub const SEED: u64 = 42;

#[derive(Deserialize)]
pub struct Case {
    /// Registry id of the model.
    pub model: String,
    pub dataset: String,
    pub target: String,
    pub task: Task,
    pub params: serde_json::Map<String, Value>,
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
        let params = param_values(&self.params);
        let request = TrainRequest {
            target: self.target.clone(),
            task: self.task,
            columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
            model: self.model.clone(),
            params,
            seed: SEED,
            pipeline: None,
            test_share: micro_models::session::TEST_FRACTION,
        };
        let spec = micro_models::model::find(&request.model).expect("a registered model");
        let prepared = prepare(&table, &request, spec).expect("the case prepares");
        (request, prepared)
    }

    /// Everything that decides what scikit-learn is fitted on and how: the case
    /// as written, the split, and a digest of the encoded rows themselves (so a
    /// change to a bundled dataset or to the preprocessing shows too). The
    /// export hands this to `scripts/sklearn_reference.py`, which stores it
    /// beside scikit-learn's numbers; the test compares it with the case it runs,
    /// so a reference can never silently describe some other case.
    pub fn settings(&self, train: &Dataset, test: &Dataset) -> Value {
        json!({
            "model": self.model,
            "dataset": self.dataset,
            "target": self.target,
            "task": self.task,
            "params": self.params,
            "split_seed": SEED,
            "test_fraction": TEST_FRACTION,
            "n_train": train.x.n_rows(),
            "n_test": test.x.n_rows(),
            "n_features": train.x.n_cols(),
            "data_fnv1a": data_digest(&[train, test]),
        })
    }
}

/// A case's settings as the page sends them: a string is a choice, a whole
/// number an integer, any other number a float.
pub fn param_values(params: &serde_json::Map<String, Value>) -> ParamValues {
    params
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => ParamValue::Choice(s.clone()),
                n if n.is_i64() => ParamValue::Int(n.as_i64().unwrap_or_default()),
                n => ParamValue::Float(n.as_f64().expect("a number or a choice")),
            };
            (k.clone(), value)
        })
        .collect()
}

/// The training and test rows of a prepared case. The one place the
/// conformance code copies rows out of a prepared table.
pub fn split(prepared: &Prepared) -> (Dataset, Dataset) {
    (prepared.data.select_rows(&prepared.split.train), prepared.data.select_rows(&prepared.split.test))
}

/// FNV-1a over the exact bits of every feature value (column by column) and
/// target of each part in turn, as 16 hex digits: the values scikit-learn reads
/// back from the exported CSV are these bits.
pub fn data_digest(parts: &[&Dataset]) -> String {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut eat = |bytes: &[u8]| bytes.iter().for_each(|&b| hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    for part in parts {
        for j in 0..part.x.n_cols() {
            part.x.column(j).iter().for_each(|v| eat(&v.to_bits().to_le_bytes()));
        }
        match &part.target {
            Target::Classes { y, .. } => y.iter().for_each(|c| eat(&c.to_le_bytes())),
            Target::Values(v) => v.iter().for_each(|v| eat(&v.to_bits().to_le_bytes())),
            Target::Unlabeled { .. } => {}
        }
    }
    format!("{hash:016x}")
}

/// The full-pipeline case (impute → one-hot → scale → logistic): the
/// logistic regression case on penguins, whose raw rows scikit-learn
/// prepares with its own `SimpleImputer`, `OneHotEncoder` and
/// `StandardScaler`, where every other case hands it our prepared rows.
pub fn full_pipeline_case() -> Case {
    cases()
        .into_iter()
        .find(|c| c.model == "logistic_regression" && c.dataset == "penguins")
        .expect("a logistic regression case on penguins")
}

/// What scikit-learn needs to prepare the raw rows itself: the table rows
/// of the split, and each feature column with the kind we read it as.
pub fn raw_split(request: &TrainRequest, prepared: &Prepared) -> Value {
    let rows = |part: &[usize]| part.iter().map(|&i| prepared.rows[i]).collect::<Vec<usize>>();
    let features: Vec<Value> = request
        .columns
        .iter()
        .filter(|c| c.included && c.name != request.target)
        .map(|c| json!({"name": c.name, "kind": format!("{:?}", c.kind)}))
        .collect();
    json!({"train_rows": rows(&prepared.split.train), "test_rows": rows(&prepared.split.test), "features": features})
}

pub fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("../fixtures/conformance_cases.json")).expect("valid cases file")
}
