//! Writes each class-report conformance case's test predictions as JSON, for
//! `scripts/sklearn_report_reference.py` to score with scikit-learn.
//! Usage: `export_report_predictions OUT_FILE`.

#[path = "../tests/support/report_cases.rs"]
mod report_cases;

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/report_predictions.json".into()));
    let cases: Vec<serde_json::Value> = report_cases::CASES
        .iter()
        .map(|&(model, dataset)| {
            let p = report_cases::predict(model, dataset);
            // f32 probabilities written as the f64 they widen to, so both sides read the same numbers.
            let proba: Vec<f64> = p.proba.iter().map(|&v| v as f64).collect();
            serde_json::json!({
                "model": model, "dataset": dataset, "seed": report_cases::SEED,
                "test_share": micro_models::session::TEST_FRACTION, "n_classes": p.n_classes,
                "truth": p.truth, "labels": p.labels, "proba": proba,
            })
        })
        .collect();
    std::fs::write(&out, serde_json::to_string(&cases)?)?;
    println!("wrote {} cases to {}", cases.len(), out.display());
    Ok(())
}
