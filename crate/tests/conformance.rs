//! Conformance: every registered model against its scikit-learn counterpart on
//! the same rows, split and encoded features, for every case in
//! `fixtures/conformance_cases.json`. The reference numbers come from
//! `scripts/sklearn_reference.py`, which stores with them the settings they were
//! computed for; a case whose settings no longer match fails before anything is
//! fitted, since its numbers would describe some other model.
//!
//! A clustering case has no score: ours must group every row as scikit-learn's
//! k-means does (adjusted Rand index ≥ 0.95) with an inertia within 1% of its.
//!
//! Some scikit-learn estimators depend on `random_state` (trees break ties between
//! equally good splits by a random feature order), so the reference records the
//! range over ten seeds, and ours must be within tolerance of that range.

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
    /// scikit-learn's cluster of every row (training rows, then test rows), for
    /// a clustering case.
    #[serde(default)]
    labels: Vec<u32>,
}

#[test]
fn every_model_scores_like_scikit_learn_on_the_bundled_datasets() {
    let reference: Reference = serde_json::from_str(include_str!("fixtures/sklearn_reference.json")).unwrap();
    let cases = cases();
    let prepared = checked(&reference, &cases);
    let mut failures = Vec::new();
    println!("{:<90} {:>7}  scikit-learn {} (random_state 0, range over 0-9)", "case", "ours", reference.sklearn_version);
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
        let (_, predicted) = fit_predict(request, train, &[&test.x]);
        let (ours, tolerance) = match (&test.target, &predicted[0]) {
            (Target::Classes { y, .. }, p) => {
                assert_eq!(r.metric, "accuracy");
                // 1 percentage point (2 for a network, whose optimum moves with its
                // random initial weights), or one test row on sets too small for
                // that (plus the reference's rounding to 6 decimals).
                let points = if case.model == "mlp" { 0.02 } else { 0.01 };
                (accuracy(y, &p.labels().unwrap()), (1.0 / y.len() as f64).max(points) + 1e-6)
            }
            (Target::Values(y), Predictions::Values(p)) => {
                assert_eq!(r.metric, "r2");
                (r2_score(y, p), 0.02)
            }
            _ => panic!("{}: predictions of the wrong kind", case.id()),
        };
        println!("{:<90} {ours:>7.4}  {:.4} ({:.4}-{:.4})", case.id(), r.score, r.min, r.max);
        if ours < r.min - tolerance || ours > r.max + tolerance {
            failures.push(format!(
                "{}: ours {ours:.4}, scikit-learn {:.4}-{:.4} (tolerance {tolerance:.4})",
                case.id(),
                r.min,
                r.max
            ));
        }
    }
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

/// Fits the case's model on the training rows and predicts each of `inputs`:
/// the one place this test calls the model API.
fn fit_predict(
    request: &TrainRequest,
    train: &Dataset,
    inputs: &[&FeatureMatrix],
) -> (Box<dyn FittedModel>, Vec<Predictions>) {
    let spec = find(&request.model).unwrap();
    let model = (spec.fit)(&request.params, train, request.seed, &mut NoProgress)
        .unwrap_or_else(|e| panic!("{} does not fit: {e}", request.model));
    let predicted = inputs.iter().map(|x| model.predict(x).unwrap()).collect();
    (model, predicted)
}
