//! Writes the exported C of the decision tree, random forest and logistic
//! regression trained on breast_cancer (default settings, the benchmark's seed
//! and split) with the test rows' raw values, for `scripts/bench_codegen.py`,
//! which compiles it beside m2cgen's C of the scikit-learn counterpart and
//! times both. It also writes the prepared training and test rows and the
//! settings (`codegen/{model}_train.csv`, `_test.csv`, `settings.json`), so
//! scikit-learn fits the same rows with the same settings.
//! Usage: `bench_codegen OUT_DIR`.

/// The benchmark's data support: only its bundled rows and CSV writer are used here.
#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use micro_models::base::program::Language;
use micro_models::base::NoProgress;
use micro_models::model::{params::resolve, ParamValue, ParamValues};
use micro_models::session::{bundled, ColumnUse, Request, Response, Session, TrainRequest, TEST_FRACTION};

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/bench".into())).join("codegen");
    let mut s = Session::new(micro_models::session::native_clock);
    let Response::Loaded(summary) = s.handle(Request::LoadBundled { name: "breast_cancer".into() }, &mut NoProgress) else {
        panic!("breast_cancer did not load")
    };
    for model in ["decision_tree", "random_forest", "logistic_regression"] {
        let request = TrainRequest {
            target: bundled::target("breast_cancer").unwrap_or_default().into(),
            task: summary.suggested_task[summary.default_target],
            columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
            model: model.into(),
            params: ParamValues::new(),
            seed: 42,
            pipeline: None,
            test_share: TEST_FRACTION,
        };
        let Response::Trained(_) = s.handle(Request::Train(request), &mut NoProgress) else {
            panic!("{model} did not train")
        };
        let Response::Code(code) =
            s.handle(Request::ExportCode { language: Language::C, precision: Default::default() }, &mut NoProgress)
        else {
            panic!("{model} did not export")
        };
        let dir = out.join(model);
        std::fs::create_dir_all(&dir)?;
        let spec = micro_models::model::find(model).expect("registered");
        let data = synthetic::bundled_for(spec, "breast_cancer");
        synthetic::write_csv(&dir.join("train.csv"), &data.train)?;
        synthetic::write_csv(&dir.join("test.csv"), &data.test)?;
        let task = data.train.target.task();
        let params = resolve(&(spec.params)(task), &ParamValues::new()).expect("the defaults are valid");
        let params: Vec<String> = params
            .iter()
            .map(|(k, v)| match v {
                ParamValue::Int(i) => format!("\"{k}\":{i}"),
                ParamValue::Float(f) => format!("\"{k}\":{f:?}"),
                ParamValue::Choice(c) => format!("\"{k}\":\"{c}\""),
            })
            .collect();
        std::fs::write(dir.join("settings.json"), format!("{{{}}}", params.join(",")))?;
        std::fs::write(dir.join("model.c"), &code.code)?;
        std::fs::write(dir.join("model.h"), code.header.as_deref().unwrap_or_default())?;
        let (rows, _) = s.exported_test_rows().expect("trained");
        let text: String =
            rows.iter().map(|r| r.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(" ") + "\n").collect();
        std::fs::write(dir.join("rows.txt"), text)?;
    }
    Ok(())
}
