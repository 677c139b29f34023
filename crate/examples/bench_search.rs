//! Hyperparameter search benchmark, natively or (built for wasm32 and run by
//! `tests/bench/run.mjs search.html`) in headless Chromium: 50 random trials
//! of the gradient boosting, each scored by 5-fold CV on the training rows, on
//! breast_cancer and a synthetic 10k × 10 set; and natively, Bayesian against
//! random search on breast_cancer, the best CV score after 10, 20 and 50
//! trials for 5 seeds. Natively it also writes each input's folds (every training row as
//! each fold prepares it), the folds and the search space, so
//! `scripts/bench_search_sklearn.py` searches the same folds and distributions.
//! Prints JSON lines (in the browser: `window.benchResults`).
//! Usage: `bench_search OUT_DIR`.

#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use micro_models::base::NoProgress;
use micro_models::data::{read_csv, Table};
use micro_models::eval::search::{Dimension, Method, Range};
use micro_models::model::ParamValues;
use micro_models::session::search::run;
use micro_models::session::{bundled, ColumnUse, Folding, SearchRequest, TrainRequest, TEST_FRACTION};

/// Trials of each search.
const TRIALS: usize = 50;
/// Folds scoring each trial.
const K: usize = 5;
/// Seeds of the Bayesian-against-random comparison.
const SEEDS: u64 = 5;
/// Trials after which the comparison reads the best score so far.
const CHECKPOINTS: [usize; 3] = [10, 20, 50];

/// The searched settings of the gradient boosting (the others keep their
/// defaults: 100 rounds, early stopping as scikit-learn's "auto").
fn dimensions() -> Vec<Dimension> {
    let float = |key: &str, low, high, log| Dimension { key: key.into(), range: Range::Float { low, high, log } };
    let int = |key: &str, low, high| Dimension { key: key.into(), range: Range::Int { low, high, log: true } };
    vec![
        float("learning_rate", 0.01, 0.3, true),
        int("max_leaf_nodes", 4, 64),
        int("min_samples_leaf", 2, 100),
        float("l2_regularization", 0.0, 10.0, false),
    ]
}

/// The inputs: a name, its table and its target column.
fn inputs() -> Vec<(String, Table, String)> {
    let cancer = read_csv(bundled::bytes("breast_cancer").expect("bundled")).expect("parses");
    let data = synthetic::classification(10_000, 10, 7);
    let mut csv = (0..10).map(|j| format!("x{j}")).collect::<Vec<_>>().join(",") + ",y\n";
    let micro_models::base::Target::Classes { y, .. } = &data.target else { unreachable!("classes") };
    for (r, class) in y.iter().enumerate() {
        let row: Vec<String> = (0..10).map(|j| format!("{:?}", data.x.column(j)[r])).collect();
        csv.push_str(&format!("{},c{class}\n", row.join(",")));
    }
    let synthetic = read_csv(csv.as_bytes()).expect("the synthetic rows parse");
    vec![("breast_cancer".into(), cancer, "diagnosis".into()), ("synthetic 10k×10".into(), synthetic, "y".into())]
}

fn search(table: &Table, target: &str, method: Method, seed: u64) -> SearchRequest {
    let request = TrainRequest {
        target: target.into(),
        task: micro_models::base::Task::Classification,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "gradient_boosting".into(),
        params: ParamValues::new(),
        seed,
        pipeline: None,
        test_share: TEST_FRACTION,
    };
    SearchRequest {
        request,
        dimensions: dimensions(),
        method,
        budget: TRIALS,
        per_setting: 3,
        k: K,
        folding: Folding::Shuffled,
    }
}

/// Runs every search, timed by `now_ms`, and returns the JSON lines.
fn bench(runner: &str, now_ms: &dyn Fn() -> f64, out: Option<&std::path::Path>) -> Vec<String> {
    let mut lines = Vec::new();
    let inputs = inputs();
    for (name, table, target) in &inputs {
        let req = search(table, target, Method::Random, 42);
        if let Some(out) = out {
            export(out, name, table, &req);
        }
        let start = now_ms();
        let searched = run(table, &req, &mut NoProgress, &mut |_| {}).expect("the search runs");
        let ms = now_ms() - start;
        let best = searched.best.map_or(f64::NAN, |b| searched.trials[b].score());
        lines.push(format!(
            "{{\"kind\":\"search\",\"runner\":\"{runner}\",\"data\":\"{name}\",\"trials\":{},\"total_ms\":{ms:.1},\"best\":{best:.6}}}",
            searched.trials.len()
        ));
    }
    if out.is_none() {
        // The browser runs the same code, trial for trial: the comparison of
        // methods is made once, natively.
        return lines;
    }
    let (_, cancer, target) = &inputs[0];
    for method in [Method::Random, Method::Bayesian] {
        for seed in 0..SEEDS {
            // The seed cuts the split and the folds too: each seed's folds go to scikit-learn.
            let req = search(cancer, target, method, seed);
            if let (Some(out), Method::Random) = (out, method) {
                export(out, &format!("breast_cancer seed {seed}"), cancer, &req);
            }
            let searched = run(cancer, &req, &mut NoProgress, &mut |_| {}).expect("the search runs");
            let after: Vec<String> = CHECKPOINTS
                .iter()
                .map(|&n| {
                    let best =
                        searched.trials[..n].iter().map(|t| t.score()).filter(|s| s.is_finite()).fold(f64::NAN, f64::max);
                    format!("{best:.6}")
                })
                .collect();
            lines.push(format!(
                "{{\"kind\":\"bayes\",\"runner\":\"{runner}\",\"method\":\"{method:?}\",\"seed\":{seed},\"after\":[{}]}}",
                after.join(",")
            ));
        }
    }
    lines
}

/// Each fold's copy of the training rows as it prepares them, the folds, and
/// the space, for scikit-learn.
#[cfg(not(target_arch = "wasm32"))]
fn export(out: &std::path::Path, name: &str, table: &Table, req: &SearchRequest) {
    let stem = name.replace(['×', ' '], "_");
    let folds = micro_models::session::Folds::prepare(table, &req.request, req.k, &req.folding).expect("the folds prepare");
    let mut tests = Vec::new();
    for (f, (fold, data)) in folds.prepared().enumerate() {
        synthetic::write_csv(&out.join(format!("search_{stem}_fold{f}.csv")), data).expect("the fold is written");
        tests.push(fold.test.clone());
    }
    let json = serde_json::json!({ "data": name, "k": req.k, "fold_tests": tests, "dimensions": req.dimensions });
    std::fs::write(out.join(format!("search_{stem}.json")), json.to_string()).expect("the settings are written");
}

#[cfg(target_arch = "wasm32")]
fn export(_: &std::path::Path, _: &str, _: &Table, _: &SearchRequest) {}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/bench".into()));
        std::fs::create_dir_all(&out).expect("the output folder");
        for line in bench("native", &micro_models::session::native_clock, Some(&out)) {
            println!("{line}");
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        let window = web_sys::window().expect("a browser window");
        let performance = window.performance().expect("performance.now");
        let lines = bench("chromium (wasm)", &|| performance.now(), None);
        let _ = js_sys::Reflect::set(&window, &"benchResults".into(), &lines.join("\n").into());
    }
}
