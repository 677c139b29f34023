use super::*;
use crate::base::Task;
use crate::model;

fn tree_specs() -> Vec<ParamSpec> {
    (model::find("decision_tree").unwrap().params)(Task::Classification)
}

fn int(v: &ParamValue) -> i64 {
    match v {
        ParamValue::Int(i) => *i,
        other => panic!("not a whole number: {other:?}"),
    }
}

fn dims(ranges: Vec<(&str, Range)>) -> Vec<Dimension> {
    ranges.into_iter().map(|(key, range)| Dimension { key: key.into(), range }).collect()
}

#[test]
fn a_grid_spaces_values_on_each_settings_scale_and_crosses_them() {
    let specs = tree_specs();
    let space = Space::new(
        &specs,
        dims(vec![
            ("min_samples_leaf", Range::Int { low: 1, high: 1000, log: true }),
            ("criterion", Range::Choice(vec!["gini".into(), "entropy".into()])),
        ]),
    )
    .unwrap();
    let search = Search::new(space, Method::Grid, 4, 0);
    // 1 · 10^(0, 1, 2, 3) on the log scale, each with both criteria.
    assert_eq!(search.trials(100), 8);
    assert_eq!(search.trials(5), 5, "the budget caps a grid");
    let leaves: Vec<i64> = (0..8).map(|t| int(&search.propose(t, &[])["min_samples_leaf"])).collect();
    assert_eq!(leaves, vec![1, 1, 10, 10, 100, 100, 1000, 1000]);
    assert_eq!(search.propose(1, &[])["criterion"], ParamValue::Choice("entropy".into()));
    // Whole numbers do not repeat: 1..=3 in 5 steps is 1, 2, 3 (1.5 and 2.5 round away).
    let small = Dimension { key: "max_depth".into(), range: Range::Int { low: 1, high: 3, log: false } };
    assert_eq!(small.grid(5), vec![ParamValue::Int(1), ParamValue::Int(2), ParamValue::Int(3)]);
}

#[test]
fn random_trials_are_seeded_one_by_one() {
    let specs = tree_specs();
    let space = Space::new(&specs, dims(vec![("ccp_alpha", Range::Float { low: 1e-4, high: 1.0, log: true })])).unwrap();
    let search = Search::new(space.clone(), Method::Random, 0, 7);
    let in_order: Vec<ParamValues> = (0..20).map(|t| search.propose(t, &[])).collect();
    // Trial 13 alone, with nothing run before it, draws what it drew in order.
    assert_eq!(Search::new(space.clone(), Method::Random, 0, 7).propose(13, &[]), in_order[13]);
    assert_ne!(Search::new(space, Method::Random, 0, 8).propose(13, &[]), in_order[13]);
    let alphas: Vec<f64> = in_order
        .iter()
        .map(|v| match v["ccp_alpha"] {
            ParamValue::Float(a) => a,
            _ => unreachable!(),
        })
        .collect();
    assert!(alphas.iter().all(|a| (1e-4..=1.0).contains(a)));
    // On a log scale about half the draws fall below √(1e-4 · 1) = 0.01.
    let below = alphas.iter().filter(|&&a| a < 0.01).count();
    assert!((5..=15).contains(&below), "{below} of 20 below 0.01");
}

/// Best score after `budget` trials on a smooth two-setting objective whose
/// top is at (0.3, 0.7) on the settings' unit scales.
fn best_after(method: Method, budget: usize, seed: u64) -> f64 {
    let specs = tree_specs();
    let space = Space::new(
        &specs,
        dims(vec![
            ("ccp_alpha", Range::Float { low: 0.0, high: 1.0, log: false }),
            ("min_samples_leaf", Range::Int { low: 1, high: 1001, log: false }),
        ]),
    )
    .unwrap();
    let search = Search::new(space, method, 0, seed);
    let mut trials: Vec<(ParamValues, f64)> = Vec::new();
    for t in 0..budget {
        let values = search.propose(t, &trials);
        let a = match values["ccp_alpha"] {
            ParamValue::Float(a) => a,
            _ => unreachable!(),
        };
        let b = (int(&values["min_samples_leaf"]) - 1) as f64 / 1000.0;
        trials.push((values, -((a - 0.3).powi(2) + (b - 0.7).powi(2))));
    }
    trials.iter().map(|(_, s)| *s).fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn bayesian_search_beats_random_search_on_a_smooth_objective() {
    let seeds = 0..5;
    let mean = |m| seeds.clone().map(|s| best_after(m, 20, s)).sum::<f64>() / 5.0;
    let (bayesian, random) = (mean(Method::Bayesian), mean(Method::Random));
    assert!(bayesian > random, "Bayesian {bayesian} vs random {random}");
    assert!(bayesian > -0.002, "within about 0.04 of the top on each setting: {bayesian}");
}

#[test]
fn a_bayesian_search_starts_as_the_random_one() {
    let specs = tree_specs();
    let space = Space::new(&specs, dims(vec![("ccp_alpha", Range::Float { low: 0.0, high: 1.0, log: false })])).unwrap();
    let (b, r) = (Search::new(space.clone(), Method::Bayesian, 0, 3), Search::new(space, Method::Random, 0, 3));
    for t in 0..BAYESIAN_START {
        assert_eq!(b.propose(t, &[]), r.propose(t, &[]));
    }
}

#[test]
fn a_space_that_cannot_be_searched_says_why() {
    let specs = tree_specs();
    assert_eq!(Space::new(&specs, vec![]), Err(SearchError::NoSettings));
    let unknown = dims(vec![("depth", Range::Int { low: 1, high: 3, log: false })]);
    assert_eq!(Space::new(&specs, unknown), Err(SearchError::UnknownSetting("depth".into())));
    let reversed = dims(vec![("min_samples_leaf", Range::Int { low: 9, high: 3, log: false })]);
    assert_eq!(Space::new(&specs, reversed), Err(SearchError::EmptyRange { setting: "min_samples_leaf".into() }));
    let log_zero = dims(vec![("ccp_alpha", Range::Float { low: 0.0, high: 1.0, log: true })]);
    let err = Space::new(&specs, log_zero).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'ccp_alpha' is searched on a log scale, so its range must be above zero; raise its lowest value."
    );
}

#[test]
fn a_spec_gives_its_whole_range_on_its_scale() {
    let specs = tree_specs();
    let leaf = specs.iter().find(|s| s.key == "min_samples_leaf").unwrap();
    assert_eq!(Dimension::from_spec(leaf).range, Range::Int { low: 1, high: 1000, log: true });
    let criterion = specs.iter().find(|s| s.key == "criterion").unwrap();
    assert!(matches!(Dimension::from_spec(criterion).range, Range::Choice(ref o) if o.len() == 2));
}
