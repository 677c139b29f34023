//! Writes every conformance case's prepared training and test rows as CSV, so
//! `scripts/sklearn_reference.py` fits scikit-learn on exactly the rows and
//! encoded features our models see, and `cases.json`: each case's settings
//! (see `Case::settings`), which the script fits by and stores with its numbers.
//! Usage: `export_for_sklearn OUT_DIR`.

#[path = "../tests/support/conformance.rs"]
mod conformance;

use std::fmt::Write as _;

use micro_models::base::Target;
use micro_models::model::Dataset;

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
    Ok(())
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
