//! The class report, balanced accuracy, log-loss, Brier score and calibration
//! bins against scikit-learn on our own test predictions, to 1e-9. The
//! reference (`fixtures/report_reference.json`, from
//! `scripts/sklearn_report_reference.py`) holds the predictions it scored;
//! this test first checks that our models still make those predictions, then
//! scores them with `eval` and compares.

#[path = "support/report_cases.rs"]
mod report_cases;

use micro_models::eval::{brier_score, calibration_bins, class_report};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn reference() -> Value {
    let text = include_str!("fixtures/report_reference.json");
    serde_json::from_str(text).expect("the reference parses")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("an array").iter().map(|x| x.as_f64().expect("a number")).collect()
}

fn close(what: &str, ours: f64, theirs: f64) {
    assert!((ours - theirs).abs() <= TOLERANCE, "{what}: ours {ours}, scikit-learn {theirs}");
}

#[test]
fn every_case_is_in_the_reference() {
    let cases: Vec<(String, String)> = reference()["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            (c["model"].as_str().unwrap_or_default().to_string(), c["dataset"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let ours: Vec<(String, String)> = report_cases::CASES.iter().map(|&(m, d)| (m.to_string(), d.to_string())).collect();
    assert_eq!(cases, ours, "rerun scripts/sklearn_report_reference.py");
}

#[test]
fn our_models_still_make_the_predictions_scored() {
    for case in reference()["cases"].as_array().expect("cases") {
        let (model, dataset) = (case["model"].as_str().unwrap_or_default(), case["dataset"].as_str().unwrap_or_default());
        let p = report_cases::predict(model, dataset);
        let truth: Vec<u32> = numbers(&case["truth"]).iter().map(|&v| v as u32).collect();
        assert_eq!(p.truth, truth, "{model} on {dataset}: the split changed");
        assert_eq!(p.n_classes as u64, case["n_classes"].as_u64().unwrap_or_default(), "{model} on {dataset}");
        let labels: Vec<u32> = numbers(&case["labels"]).iter().map(|&v| v as u32).collect();
        assert_eq!(p.labels, labels, "{model} on {dataset}: the labels changed; rerun the script");
        let proba = numbers(&case["proba"]);
        assert_eq!(p.proba.len(), proba.len(), "{model} on {dataset}");
        for (ours, theirs) in p.proba.iter().zip(&proba) {
            assert!((*ours as f64 - theirs).abs() < 1e-6, "{model} on {dataset}: probabilities changed; rerun the script");
        }
    }
}

#[test]
fn scores_match_scikit_learn() {
    for case in reference()["cases"].as_array().expect("cases") {
        let name = format!("{} on {}", case["model"], case["dataset"]);
        let n = case["n_classes"].as_u64().expect("n_classes") as usize;
        let truth: Vec<u32> = numbers(&case["truth"]).iter().map(|&v| v as u32).collect();
        let labels: Vec<u32> = numbers(&case["labels"]).iter().map(|&v| v as u32).collect();
        // Exact: the fixture holds f32 values widened to f64.
        let proba: Vec<f32> = numbers(&case["proba"]).iter().map(|&v| v as f32).collect();
        let report = class_report(&truth, &labels, &proba, n).expect("test rows");
        for (c, theirs) in case["classes"].as_array().expect("classes").iter().enumerate() {
            let ours = &report.classes[c];
            close(&format!("{name} class {c} precision"), ours.precision, theirs["precision"].as_f64().unwrap_or(f64::NAN));
            close(&format!("{name} class {c} recall"), ours.recall, theirs["recall"].as_f64().unwrap_or(f64::NAN));
            close(&format!("{name} class {c} F1"), ours.f1, theirs["f1-score"].as_f64().unwrap_or(f64::NAN));
            assert_eq!(ours.support as f64, theirs["support"].as_f64().unwrap_or(f64::NAN), "{name} class {c} support");
        }
        for (key, ours) in [("macro_avg", &report.macro_avg), ("weighted_avg", &report.weighted_avg)] {
            let theirs = &case[key];
            close(&format!("{name} {key} precision"), ours.precision, theirs["precision"].as_f64().unwrap_or(f64::NAN));
            close(&format!("{name} {key} recall"), ours.recall, theirs["recall"].as_f64().unwrap_or(f64::NAN));
            close(&format!("{name} {key} F1"), ours.f1, theirs["f1-score"].as_f64().unwrap_or(f64::NAN));
        }
        close(&format!("{name} accuracy"), report.accuracy, case["accuracy"].as_f64().unwrap_or(f64::NAN));
        close(
            &format!("{name} balanced accuracy"),
            report.balanced_accuracy,
            case["balanced_accuracy"].as_f64().unwrap_or(f64::NAN),
        );
        close(&format!("{name} log-loss"), report.log_loss, case["log_loss"].as_f64().unwrap_or(f64::NAN));
        close(&format!("{name} Brier"), brier_score(&truth, &proba, n), case["brier"].as_f64().unwrap_or(f64::NAN));

        let right: Vec<bool> = truth.iter().zip(&labels).map(|(t, l)| t == l).collect();
        let confidence: Vec<f64> = proba.chunks(n).zip(&labels).map(|(p, &l)| p[l as usize] as f64).collect();
        let bins = calibration_bins(&right, &confidence, 10);
        let observed = numbers(&case["calibration"]["observed"]);
        let predicted = numbers(&case["calibration"]["predicted"]);
        assert_eq!(bins.len(), observed.len(), "{name}: calibration bins");
        for ((b, o), p) in bins.iter().zip(&observed).zip(&predicted) {
            close(&format!("{name} calibration observed"), b.observed, *o);
            close(&format!("{name} calibration predicted"), b.predicted, *p);
        }
    }
}
