//! Grid-search conformance: `session::search::run` with a grid, against
//! scikit-learn's `GridSearchCV` on the same folds, for each case in
//! `support/search_cases.rs`. The reference (from
//! `scripts/sklearn_search_reference.py`, which fits GridSearchCV on each
//! fold's copy of the training rows as ours prepares it) stores the folds and
//! the grid it was computed for; a case whose folds or grid no longer match
//! fails before anything is compared, since its numbers would describe some
//! other search.
//!
//! What must agree:
//! - **Each setting's mean CV score.** kNN and ridge have one answer given the
//!   rows: ours must equal scikit-learn's within 1e-6 (f32 inputs on both
//!   sides, the sums in f64). A tree breaks ties between equally good splits
//!   by `random_state`, so the reference records each setting's mean over
//!   random_state 0–9, and ours must lie in that range widened by one
//!   held-out row of a fold (1 / the smallest fold), the least a tie can move
//!   one fold's accuracy by.
//! - **The best setting.** The same one scikit-learn picks, or one whose mean
//!   CV score (scikit-learn's own, at random_state 0) is within one standard
//!   error of the best's: the sd of the best setting's fold scores over √k.
//!   Two settings closer than that are not told apart by these folds, and
//!   which of them is "best" is decided by ties, not by the data.

mod support {
    pub mod search_cases;
}

use micro_models::base::NoProgress;
use micro_models::session::search::run;
use serde::Deserialize;
use serde_json::Value;
use support::search_cases::cases;

const RERUN: &str = "The reference no longer describes the cases: rerun `python3 scripts/sklearn_search_reference.py` \
     (pip install scikit-learn) to regenerate crate/tests/fixtures/search_reference.json";

#[derive(Deserialize)]
struct Reference {
    cases: Vec<RefCase>,
}

#[derive(Deserialize)]
struct RefCase {
    settings: Value,
    mean: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
    best: usize,
    best_fold_scores: Vec<f64>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("fixtures/search_reference.json")).expect("valid search reference")
}

#[test]
fn grid_search_agrees_with_grid_search_cv_on_the_same_folds() {
    let reference = reference();
    let cases = cases();
    assert_eq!(reference.cases.len(), cases.len(), "{RERUN}");
    let mut report = Vec::new();
    for (case, expected) in cases.iter().zip(&reference.cases) {
        let id = case.id();
        let (table, search) = case.request();
        let folds = micro_models::session::Folds::prepare(&table, &search.request, search.k, &search.folding).unwrap();
        let tests: Vec<Vec<usize>> = folds.splits().iter().map(|s| s.test.clone()).collect();
        let searched = run(&table, &search, &mut NoProgress, &mut |_| {}).unwrap_or_else(|e| panic!("{id}: {e}"));
        let spec = micro_models::model::find(case.model).unwrap();
        let grid: Vec<Value> = searched
            .trials
            .iter()
            .map(|t| {
                let full = micro_models::model::params::resolve(&(spec.params)(case.task), &t.params).unwrap();
                serde_json::to_value(full).unwrap()
            })
            .collect();
        // The case, its split and folds as the reference was computed for,
        // and (below) its grid, compared by the searched values.
        let ours_settings = case.settings(&tests, &[]);
        for (key, value) in ours_settings.as_object().expect("settings are an object") {
            if key != "grid" {
                assert_eq!(&expected.settings[key], value, "{id}: {key}. {RERUN}");
            }
        }
        let searched_values = |g: &[Value]| -> Vec<String> { g.iter().map(|p| value_text(&p[case.key])).collect() };
        let reference_grid: Vec<Value> = expected.settings["grid"].as_array().expect("a grid").clone();
        // serde_json reads a float to within an ulp of the text, not always onto it.
        let same = |a: &str, b: &str| match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
            _ => a == b,
        };
        let (ours_grid, their_grid) = (searched_values(&grid), searched_values(&reference_grid));
        assert!(
            ours_grid.len() == their_grid.len() && ours_grid.iter().zip(&their_grid).all(|(a, b)| same(a, b)),
            "{id}: grid {ours_grid:?} against {their_grid:?}. {RERUN}"
        );

        let ours: Vec<f64> = searched.trials.iter().map(|t| t.score()).collect();
        let deterministic = !matches!(case.model, "decision_tree");
        let smallest_fold = tests.iter().map(Vec::len).min().unwrap() as f64;
        for (i, &score) in ours.iter().enumerate() {
            let (lo, hi) = if deterministic {
                (expected.mean[i] - 1e-6, expected.mean[i] + 1e-6)
            } else {
                (expected.min[i] - 1.0 / smallest_fold, expected.max[i] + 1.0 / smallest_fold)
            };
            assert!(
                (lo..=hi).contains(&score),
                "{id}: {}={} scores {score:.6}, scikit-learn {:.6} (range {:.6}–{:.6})",
                case.key,
                searched_values(&grid)[i],
                expected.mean[i],
                expected.min[i],
                expected.max[i]
            );
        }
        let best = searched.best.expect("a best trial");
        let k = expected.best_fold_scores.len() as f64;
        let m = expected.best_fold_scores.iter().sum::<f64>() / k;
        let sd = (expected.best_fold_scores.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        let tolerance = sd / k.sqrt();
        let gap = expected.mean[expected.best] - expected.mean[best];
        assert!(
            best == expected.best || gap <= tolerance,
            "{id}: ours picks {}={} (scikit-learn's mean {:.4}), scikit-learn {}={} ({:.4}); {gap:.4} apart, tolerance {tolerance:.4}",
            case.key,
            searched_values(&grid)[best],
            expected.mean[best],
            case.key,
            searched_values(&grid)[expected.best],
            expected.mean[expected.best]
        );
        report.push(format!(
            "{id}: ours {}, scikit-learn {} (within {tolerance:.4})",
            searched_values(&grid)[best],
            searched_values(&grid)[expected.best]
        ));
    }
    println!("{}", report.join("\n"));
}

/// A setting's value as text, whichever way it is serialized.
fn value_text(v: &Value) -> String {
    match v {
        Value::Object(o) => o.values().next().map_or_else(|| v.to_string(), value_text),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
