//! Writes every conformance case's prepared training and test rows as CSV, so
//! `scripts/sklearn_reference.py` fits scikit-learn on exactly the rows and
//! encoded features our models see, and `cases.json`: each case's settings
//! (see `Case::settings`), which the script fits by and stores with its numbers.
//!
//! It also writes each grid-search case's folds for
//! `scripts/sklearn_search_reference.py` (GridSearchCV on the same folds):
//! `search{i}_fold{f}.csv`, every training row as fold `f` prepares it
//! (imputation, encoding and scaling fitted on that fold's training part), and
//! `search_cases.json`, each case's settings with its folds and grid.
//! And each ensemble case (`ensemble{i}_train.csv`, `ensemble{i}_test.csv`,
//! `ensemble_cases.json`) for `scripts/sklearn_ensemble_reference.py`.
//! Usage: `export_for_sklearn OUT_DIR`.

#[path = "../tests/support/conformance.rs"]
mod conformance;
#[path = "../tests/support/search_cases.rs"]
mod search_cases;
/// The ensemble cases' support reads the shared conformance support as `super::conformance`.
mod support {
    pub(crate) use super::conformance;
    #[path = "../../tests/support/ensemble_cases.rs"]
    pub mod ensemble_cases;
}

use support::ensemble_cases::{self, params_json};

use std::fmt::Write as _;

use micro_models::base::{NoProgress, Target};
use micro_models::model::params::resolve;
use micro_models::model::Dataset;
use micro_models::session::{Folds, SessionError};

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/sklearn-export".into()));
    std::fs::create_dir_all(&out)?;
    let mut settings = Vec::new();
    for (i, case) in conformance::cases().iter().enumerate() {
        let (_, prepared) = case.prepared();
        let (train, test) = conformance::split(&prepared);
        std::fs::write(out.join(format!("case{i}_train.csv")), to_csv(&train))?;
        std::fs::write(out.join(format!("case{i}_test.csv")), to_csv(&test))?;
        settings.push(case.settings(&train, &test));
        println!("case{i}\t{}", case.id());
    }
    std::fs::write(out.join("cases.json"), serde_json::to_string_pretty(&settings)?)?;
    // The full-pipeline case: its settings, and the raw rows' split for scikit-learn to prepare itself.
    let case = conformance::full_pipeline_case();
    let (request, prepared) = case.prepared();
    let (train, test) = conformance::split(&prepared);
    let full =
        serde_json::json!({"settings": case.settings(&train, &test), "raw": conformance::raw_split(&request, &prepared)});
    std::fs::write(out.join("full_pipeline.json"), serde_json::to_string_pretty(&full)?)?;
    export_searches(&out)?;
    export_ensembles(&out)
}

/// Each ensemble case's prepared training and test rows, and its settings
/// (members, kind, weights, a stack's folds) for `scripts/sklearn_ensemble_reference.py`.
fn export_ensembles(out: &std::path::Path) -> std::io::Result<()> {
    let mut settings = Vec::new();
    for (i, case) in ensemble_cases::cases().iter().enumerate() {
        let (_, prepared) = case.prepared();
        let (train, test) = conformance::split(&prepared);
        std::fs::write(out.join(format!("ensemble{i}_train.csv")), to_csv(&train))?;
        std::fs::write(out.join(format!("ensemble{i}_test.csv")), to_csv(&test))?;
        settings.push(case.settings(&train, &test));
        println!("ensemble{i}\t{}", case.id());
    }
    std::fs::write(out.join("ensemble_cases.json"), serde_json::to_string_pretty(&settings)?)
}

/// Each grid-search case's folds, prepared as ours prepares them, with its grid.
fn export_searches(out: &std::path::Path) -> std::io::Result<()> {
    let failed = |e: SessionError| std::io::Error::other(e.to_string());
    let mut settings = Vec::new();
    for (i, case) in search_cases::cases().iter().enumerate() {
        let (table, search) = case.request();
        let folds = Folds::prepare(&table, &search.request, search.k, &search.folding).map_err(failed)?;
        let mut tests = Vec::new();
        for (f, (fold, data)) in folds.prepared().enumerate() {
            std::fs::write(out.join(format!("search{i}_fold{f}.csv")), to_csv(data))?;
            tests.push(fold.test.clone());
        }
        let searched = micro_models::session::search::run(&table, &search, &mut NoProgress, &mut |_| {}).map_err(failed)?;
        let spec = micro_models::model::find(case.model).expect("a registered model");
        let grid = searched
            .trials
            .iter()
            .map(|t| resolve(&(spec.params)(case.task), &t.params).map(|p| params_json(&p)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| failed(e.into()))?;
        settings.push(case.settings(&tests, &grid));
        println!("search{i}\t{}", case.id());
    }
    std::fs::write(out.join("search_cases.json"), serde_json::to_string_pretty(&settings)?)
}

/// Features as `x0..xN`, then the target as `y` (class index or value; NaN
/// for a clustering case).
fn to_csv(data: &Dataset) -> String {
    let mut s = String::new();
    let n_cols = data.x.n_cols();
    let header: Vec<String> = (0..n_cols).map(|j| format!("x{j}")).chain(["y".to_string()]).collect();
    s.push_str(&header.join(","));
    s.push('\n');
    for r in 0..data.x.n_rows() {
        for j in 0..n_cols {
            // f32 written with full precision so both sides see the same values.
            let _ = write!(s, "{:?},", data.x.column(j)[r]);
        }
        let _ = match &data.target {
            Target::Classes { y, .. } => writeln!(s, "{}", y[r]),
            Target::Values(v) => writeln!(s, "{:?}", v[r]),
            // No target: the column is there so every file reads alike.
            Target::Unlabeled { .. } => writeln!(s, "nan"),
        };
    }
    s
}
