//! Conformance: our tree against scikit-learn's on the same rows, split and
//! encoded features, for every case in `fixtures/conformance_cases.json`. The
//! reference numbers come from `scripts/sklearn_reference.py`.

mod support {
    pub mod conformance;
}

use micro_models::eval::{accuracy, r2_score};
use micro_models::model::{find, NoProgress, Predictions, Target};
use serde::Deserialize;
use support::conformance::cases;

#[derive(Deserialize)]
struct Reference {
    sklearn_version: String,
    cases: Vec<RefCase>,
}

#[derive(Deserialize)]
struct RefCase {
    case: usize,
    metric: String,
    score: f64,
    n_test: usize,
}

#[test]
fn the_tree_scores_like_scikit_learn_on_every_bundled_dataset() {
    let reference: Reference = serde_json::from_str(include_str!("fixtures/sklearn_reference.json")).unwrap();
    let cases = cases();
    assert_eq!(reference.cases.len(), cases.len(), "rerun scripts/sklearn_reference.py after changing the cases");
    let spec = find("decision_tree").unwrap();
    let mut failures = Vec::new();
    println!("case                                           ours     sklearn {}", reference.sklearn_version);
    for r in &reference.cases {
        let case = &cases[r.case];
        let (request, prepared) = case.prepared();
        let train = prepared.data.select_rows(&prepared.split.train);
        let test = prepared.data.select_rows(&prepared.split.test);
        assert_eq!(test.target.len(), r.n_test, "{}: the split changed; rerun the reference script", case.id());
        let model = (spec.fit)(&request.params, &train, request.seed, &mut NoProgress).unwrap();
        let predicted = model.predict(&test.x).unwrap();
        let (ours, tolerance) = match (&test.target, &predicted) {
            (Target::Classes { y, .. }, p) => {
                assert_eq!(r.metric, "accuracy");
                // 1 percentage point, or one test row on sets too small for that.
                (accuracy(y, &p.labels().unwrap()), (1.0 / r.n_test as f64).max(0.01) + 1e-9)
            }
            (Target::Values(y), Predictions::Values(p)) => {
                assert_eq!(r.metric, "r2");
                (r2_score(y, p), 0.02)
            }
            _ => panic!("{}: predictions of the wrong kind", case.id()),
        };
        println!("{:<46} {ours:.4}   {:.4}", case.id(), r.score);
        if (ours - r.score).abs() > tolerance {
            failures.push(format!("{}: ours {ours:.4}, scikit-learn {:.4} (tolerance {tolerance:.4})", case.id(), r.score));
        }
    }
    assert!(failures.is_empty(), "off scikit-learn:\n{}", failures.join("\n"));
}
