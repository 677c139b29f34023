//! Conformance: every registered model against its scikit-learn counterpart on
//! the same rows, split and encoded features, for every case in
//! `fixtures/conformance_cases.json`. The reference numbers come from
//! `scripts/sklearn_reference.py`, which stores with them the settings they were
//! computed for; a case whose settings no longer match fails before anything is
//! fitted, since its numbers would describe some other model.
//!
//! A score can match for the wrong reasons, so each test row's prediction is
//! compared too: on at least 99% of the test rows, a class must be the one
//! scikit-learn predicts at random_state 0, and a value must equal its value
//! (relative difference at most 1e-6). A case that cannot get there for a
//! stated reason says so in its fixture entry: `agreement` gives the share it
//! needs, for values how close counts as the same (`within`), and `why`.
//!
//! Least squares and ridge have one exact answer, so their R² must also equal
//! scikit-learn's within 1e-4. Other estimators depend on `random_state` (trees
//! break ties between equally good splits by a random feature order), so the
//! reference records the score range over ten seeds, and ours must be within
//! tolerance of that range.
//!
//! A clustering case has no score: ours must group every row as scikit-learn's
//! k-means does (adjusted Rand index ≥ 0.95) with an inertia within 1% of its.

mod support {
    pub mod conformance;
}

use micro_models::base::{accuracy, r2_score, FeatureMatrix, NoProgress, Target};
use micro_models::eval::{adjusted_rand_index, inertia};
use micro_models::model::{find, Dataset, FittedModel, Predictions};
use micro_models::session::TrainRequest;
use serde::Deserialize;
use serde_json::Value;
use support::conformance::{cases, split, Case};

const RERUN: &str = "The reference no longer describes the cases: rerun `python3 scripts/sklearn_reference.py` \
     (pip install scikit-learn) to regenerate crate/tests/fixtures/sklearn_reference.json";

#[derive(Deserialize)]
struct Reference {
    sklearn_version: String,
    cases: Vec<RefCase>,
}

#[derive(Deserialize)]
struct RefCase {
    case: usize,
    /// What scikit-learn was fitted on and how (`Case::settings`).
    settings: Value,
    metric: String,
    score: f64,
    min: f64,
    max: f64,
    /// scikit-learn's prediction for each test row at random_state 0: a class
    /// index or a value.
    #[serde(default)]
    predictions: Vec<f64>,
    /// scikit-learn's cluster of every row (training rows, then test rows), for
    /// a clustering case.
    #[serde(default)]
    labels: Vec<u32>,
}

/// A case that cannot predict 99% of the test rows as scikit-learn does, in
/// `conformance_cases.json`; not a setting of the fit, so not in `Case::settings`.
#[derive(Deserialize)]
struct Exemption {
    #[serde(default)]
    agreement: Option<Agreement>,
}

#[derive(Deserialize)]
struct Agreement {
    /// The share of test rows that must agree.
    at_least: f64,
    /// For values: the relative difference that still counts as the same.
    within: Option<f64>,
    why: String,
}

/// Models with a single exact solution, whose R² must equal scikit-learn's to
/// this much rather than fall in a range.
const EXACT: &[&str] = &["linear_regression", "ridge"];
const EXACT_R2: f64 = 1e-4;

/// A value is the same as scikit-learn's when it differs by at most this,
/// relative to the larger of the two (or to 1 near zero).
const SAME_VALUE: f64 = 1e-6;

#[test]
fn every_model_predicts_like_scikit_learn_on_the_bundled_datasets() {
    let reference: Reference = serde_json::from_str(include_str!("fixtures/sklearn_reference.json")).unwrap();
    let cases = cases();
    let exemptions: Vec<Exemption> = serde_json::from_str(include_str!("fixtures/conformance_cases.json")).unwrap();
    let prepared = checked(&reference, &cases);
    let mut failures = Vec::new();
    println!(
        "{:<90} {:>7}  {:>10}  scikit-learn {} (random_state 0, range over 0-9)",
        "case", "ours", "same rows", reference.sklearn_version
    );
    for (r, (request, train, test)) in reference.cases.iter().zip(&prepared) {
        let case = &cases[r.case];
        if let Target::Unlabeled { .. } = test.target {
            // Clusters have no score: ours must group the rows as scikit-learn's
            // best of ten seeds does, and be about as tight.
            let (model, predicted) = fit_predict(request, train, &[&train.x, &test.x]);
            let ours: Vec<u32> = predicted.iter().flat_map(|p| p.labels().unwrap()).collect();
            let ari = adjusted_rand_index(&ours, &r.labels);
            let train_rows = train.x.n_rows();
            let per_row = inertia(&train.x, &model.centroids().unwrap(), &ours[..train_rows]) / train_rows as f64;
            println!(
                "{:<90} ARI {ari:.4} with scikit-learn · inertia/row {per_row:.4}, scikit-learn {:.4}-{:.4}",
                case.id(),
                r.min,
                r.max
            );
            if ari < 0.95 || per_row > r.max * 1.01 {
                failures.push(format!(
                    "{}: ARI {ari:.4} with scikit-learn (needs 0.95), inertia/row {per_row:.4} vs {:.4}-{:.4}",
                    case.id(),
                    r.min,
                    r.max
                ));
            }
            continue;
        }
        let n = test.x.n_rows();
        assert_eq!(r.predictions.len(), n, "{}: {RERUN}: it has not one prediction per test row.", case.id());
        let exemption = exemptions[r.case].agreement.as_ref();
        let (_, predicted) = fit_predict(request, train, &[&test.x]);
        let (ours, same, (low, high), note) = match (&test.target, &predicted[0]) {
            (Target::Classes { y, .. }, p) => {
                assert_eq!(r.metric, "accuracy");
                let labels = p.labels().unwrap();
                let same = labels.iter().zip(&r.predictions).filter(|&(&a, &b)| f64::from(a) == b).count();
                // 1 percentage point (2 for a network, whose optimum moves with its
                // random initial weights), or one test row on sets too small for
                // that (plus the reference's rounding to 6 decimals).
                let points = if case.model == "mlp" { 0.02 } else { 0.01 };
                let tolerance = (1.0 / n as f64).max(points) + 1e-6;
                (accuracy(y, &labels), same, (r.min - tolerance, r.max + tolerance), String::new())
            }
            (Target::Values(y), Predictions::Values(p)) => {
                assert_eq!(r.metric, "r2");
                let within = exemption.and_then(|a| a.within).unwrap_or(SAME_VALUE);
                let same = p.iter().zip(&r.predictions).filter(|&(&a, &b)| close(a, b, within)).count();
                let ours = r2_score(y, p);
                if EXACT.contains(&case.model.as_str()) {
                    // Against scikit-learn's own predictions, not its score rounded to 6 decimals.
                    let theirs = r2_score(y, &r.predictions);
                    (ours, same, (theirs - EXACT_R2, theirs + EXACT_R2), format!("  ΔR² {:.1e}", ours - theirs))
                } else {
                    (ours, same, (r.min - 0.02, r.max + 0.02), String::new())
                }
            }
            _ => panic!("{}: predictions of the wrong kind", case.id()),
        };
        let share = same as f64 / n as f64;
        println!(
            "{:<90} {ours:>7.4}  {:>9.1}%{}  {:.4} ({:.4}-{:.4}){note}",
            case.id(),
            100.0 * share,
            if exemption.is_some() { "*" } else { " " },
            r.score,
            r.min,
            r.max
        );
        if ours < low || ours > high {
            failures.push(format!(
                "{}: {} {ours:.6}, scikit-learn {:.6} ({:.6}-{:.6}); ours must be within {low:.6}-{high:.6}",
                case.id(),
                r.metric,
                r.score,
                r.min,
                r.max
            ));
        }
        let needed = exemption.map_or(0.99, |a| a.at_least);
        if share < needed {
            failures.push(format!(
                "{}: {same} of {n} test rows ({:.1}%) predicted as scikit-learn does, needs {:.0}%{}",
                case.id(),
                100.0 * share,
                100.0 * needed,
                exemption.map_or(String::new(), |a| format!(" ({})", a.why))
            ));
        }
    }
    println!("same rows: test rows predicted as scikit-learn does; * a lower share allowed, for the reason in the case's fixture entry");
    assert!(failures.is_empty(), "off scikit-learn:\n{}", failures.join("\n"));
}

/// Every case prepared, once its settings are checked against those the
/// reference was computed for.
fn checked(reference: &Reference, cases: &[Case]) -> Vec<(TrainRequest, Dataset, Dataset)> {
    assert_eq!(
        reference.cases.len(),
        cases.len(),
        "{RERUN}: it has {} cases, conformance_cases.json {}.",
        reference.cases.len(),
        cases.len()
    );
    let mut stale = Vec::new();
    let prepared = reference
        .cases
        .iter()
        .enumerate()
        .map(|(i, r)| {
            assert_eq!(r.case, i, "{RERUN}: its cases are out of order.");
            let case = &cases[i];
            let (request, prepared) = case.prepared();
            let (train, test) = split(&prepared);
            let ours = case.settings(&train, &test);
            if ours != r.settings {
                stale.push(format!(
                    "case {i} ({}): {}",
                    case.id(),
                    differences("", Some(&ours), Some(&r.settings)).join("; ")
                ));
            }
            (request, train, test)
        })
        .collect();
    assert!(stale.is_empty(), "{RERUN}.\n{}", stale.join("\n"));
    prepared
}

/// Each setting that differs, by its path: `params.max_depth is 6 now, 5 in the reference`.
fn differences(path: &str, ours: Option<&Value>, theirs: Option<&Value>) -> Vec<String> {
    if let (Some(Value::Object(a)), Some(Value::Object(b))) = (ours, theirs) {
        let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
        let at = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
        return keys.flat_map(|k| differences(&at(k), a.get(k), b.get(k))).collect();
    }
    let show = |v: Option<&Value>| v.map_or("absent".to_string(), Value::to_string);
    if ours == theirs {
        Vec::new()
    } else {
        vec![format!("{path} is {} now, {} in the reference", show(ours), show(theirs))]
    }
}

/// Whether `a` and `b` differ by at most `relative` of the larger (or of 1 near zero).
fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()).max(1.0)
}

/// Fits the case's model on the training rows and predicts each of `inputs`:
/// the one place this test calls the model API.
fn fit_predict(
    request: &TrainRequest,
    train: &Dataset,
    inputs: &[&FeatureMatrix],
) -> (Box<dyn FittedModel>, Vec<Predictions>) {
    let spec = find(&request.model).unwrap();
    let model = (spec.fit)(&request.params, &train.as_view(), request.seed, &mut NoProgress)
        .unwrap_or_else(|e| panic!("{} does not fit: {e}", request.model));
    let predicted = inputs.iter().map(|x| model.predict(x).unwrap()).collect();
    (model, predicted)
}
