//! Worked examples whose trees were computed by hand (the arithmetic is in the
//! comments), plus the contract's edge cases.

use super::*;
use crate::base::{Encoding, NoProgress};
use crate::model::params::MaxDepth;
use crate::model::Dataset;
use crate::model::Fit;
use crate::model::ParamValue;

fn params(learning_rate: f64, max_iter: usize) -> BoostingParams {
    BoostingParams { learning_rate, max_iter, min_samples_leaf: 1, ..BoostingParams::default() }
}

fn values(columns: Vec<Vec<f32>>, y: &[f64]) -> Dataset {
    Dataset {
        feature_names: (0..columns.len()).map(|i| format!("f{i}")).collect(),
        x: FeatureMatrix::from_columns(y.len(), columns),
        target: Target::Values(y.to_vec()),
    }
}

fn classes(columns: Vec<Vec<f32>>, y: &[u32], n_classes: usize) -> Dataset {
    Dataset {
        feature_names: (0..columns.len()).map(|i| format!("f{i}")).collect(),
        x: FeatureMatrix::from_columns(y.len(), columns),
        target: Target::Classes { y: y.to_vec(), names: (0..n_classes).map(|c| format!("c{c}")).collect() },
    }
}

/// a = 1 2 3 4 5 5 5 5, b = 0 0 0 0 0 0 1 1, y = 0 0 0 0 10 10 12 12.
fn steps() -> Dataset {
    values(
        vec![vec![1., 2., 3., 4., 5., 5., 5., 5.], vec![0., 0., 0., 0., 0., 0., 1., 1.]],
        &[0., 0., 0., 0., 10., 10., 12., 12.],
    )
}

fn fit(p: &BoostingParams, data: &Dataset) -> GradientBoosting {
    p.fit(data, 0, &mut NoProgress).unwrap()
}

fn values_of(p: Predictions) -> Vec<f64> {
    match p {
        Predictions::Values(v) => v,
        Predictions::Classes { .. } => panic!("values expected"),
    }
}

/// Equal up to the `f32` gradients (and the 1e-15 that keeps H + λ from zero).
fn assert_close(got: &[f64], want: &[f64]) {
    assert!(got.len() == want.len() && got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-6), "{got:?} != {want:?}");
}

fn proba_of(p: Predictions) -> (Vec<f32>, usize) {
    match p {
        Predictions::Classes { proba, n_classes } => (proba, n_classes),
        Predictions::Values(_) => panic!("classes expected"),
    }
}

#[test]
fn regression_tree_grows_best_first_from_the_gradients() {
    // Baseline: mean y = 44/8 = 5.5, so the gradients (f − y) are 5.5 ×4, −4.5 ×2, −6.5 ×2
    // and every hessian is 1. Root: G = 0, H = 8, score G²/H = 0.
    // a ≤ 4.5: left G = 22, H = 4 → 121; right −22, 4 → 121; gain 242 (the best: b ≤ 0.5
    // gives 13²/6 + 13²/2 = 112.7). Left child: every gradient 5.5, no split gains → leaf
    // −22/4 = −5.5. Right child (G = −22, H = 4, score 121): a is constant there; b ≤ 0.5
    // gives 9²/2 + 13²/2 = 125, gain 4 → leaves −(−9)/2 = 4.5 and 6.5.
    // With learning rate 1 one round fits y exactly: 5.5 − 5.5, 5.5 + 4.5, 5.5 + 6.5.
    let model = fit(&params(1.0, 1), &steps());
    let tree = &model.trees[0];
    assert_eq!(tree.len(), 5);
    assert_eq!((tree[0].feature, tree[0].threshold), (0, 4.5));
    let right = &tree[tree[0].left as usize + 1];
    assert_eq!((right.feature, right.threshold), (1, 0.5));
    assert_close(&values_of(model.predict(&steps().x).unwrap()), &[0., 0., 0., 0., 10., 10., 12., 12.]);
    // Importance: total gain 242 on a, 4 on b.
    let imp = &model.history.importances;
    assert!((imp[0] - 242.0 / 246.0).abs() < 1e-12 && (imp[1] - 4.0 / 246.0).abs() < 1e-12, "{imp:?}");
    // Baseline, two splits × (feature, threshold), three leaves.
    assert_eq!(model.n_parameters(), 1 + 4 + 3);
}

#[test]
fn leaf_and_depth_limits_stop_the_tree() {
    // Two leaves at most: only the root split (gain 242) is made; the right leaf is
    // 5.5 + 22/4 = 11.
    let two = BoostingParams { max_leaf_nodes: 2, ..params(1.0, 1) };
    let expected = [0., 0., 0., 0., 11., 11., 11., 11.];
    assert_close(&values_of(fit(&two, &steps()).predict(&steps().x).unwrap()), &expected);
    let shallow = BoostingParams { max_depth: MaxDepth::levels(1), ..params(1.0, 1) };
    assert_close(&values_of(fit(&shallow, &steps()).predict(&steps().x).unwrap()), &expected);
    // Four rows per leaf: the right child (4 rows) cannot split again.
    let wide = BoostingParams { min_samples_leaf: 4, ..params(1.0, 1) };
    assert_close(&values_of(fit(&wide, &steps()).predict(&steps().x).unwrap()), &expected);
}

#[test]
fn learning_rate_and_l2_shrink_the_leaves() {
    // x = 1 2, y = 0 4: baseline 2, gradients 2 and −2. One split, leaves −2/(1 + λ) and
    // 2/(1 + λ), times the learning rate. With λ = 1 and rate 0.5: 2 ∓ 0.5.
    let data = values(vec![vec![1., 2.]], &[0., 4.]);
    let p = BoostingParams { l2_regularization: 1.0, ..params(0.5, 1) };
    assert_close(&values_of(fit(&p, &data).predict(&data.x).unwrap()), &[1.5, 2.5]);
    // Two rounds at rate 0.1, no λ: residuals 2 → 1.8, so 2 ∓ 0.2 ∓ 0.18 = 1.62 and 2.38.
    // Mean squared error per round: 4, 1.8² = 3.24, 1.62² = 2.6244.
    let model = fit(&params(0.1, 2), &data);
    assert_close(&values_of(model.predict(&data.x).unwrap()), &[1.62, 2.38]);
    let ex = model.explain(&[], &data.target, "y");
    let ModelView::Curves(view) = &ex.views[0] else { panic!("a curves view") };
    assert_eq!((view.x_label.as_str(), view.y_label.as_str()), ("boosting round", "mean squared error"));
    assert_eq!(view.series.len(), 1);
    for ((x, mse), want) in view.series[0].points.iter().zip([(0.0, 4.0), (1.0, 3.24), (2.0, 2.6244)]) {
        assert!(*x == want.0 && (mse - want.1).abs() < 1e-6, "{:?}", view.series[0].points);
    }
}

#[test]
fn binary_leaves_are_newton_steps_on_the_log_odds() {
    // y = 0 0 1 1: prior ½, baseline log-odds 0, p = ½ everywhere, gradients p − y = ±½,
    // hessians p(1 − p) = ¼. Split x ≤ 2.5: left G = 1, H = ½ → leaf −1/½ = −2, right +2.
    // P(y = 1) = σ(∓2) = 0.1192 / 0.8808; log loss ln 2 → ln(1 + e⁻²) = 0.126928.
    let data = classes(vec![vec![1., 2., 3., 4.]], &[0, 0, 1, 1], 2);
    let model = fit(&params(1.0, 1), &data);
    assert_eq!(model.trees[0][0].threshold, 2.5);
    let (proba, k) = proba_of(model.predict(&data.x).unwrap());
    assert_eq!(k, 2);
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    assert!((proba[1] as f64 - sigmoid(-2.0)).abs() < 1e-6 && (proba[7] as f64 - sigmoid(2.0)).abs() < 1e-6);
    assert!((proba[0] + proba[1] - 1.0).abs() < 1e-6);
    let loss = &model.history.train_loss;
    assert!((loss[0] - 2f64.ln()).abs() < 1e-12 && (loss[1] - 0.126_928).abs() < 1e-6, "{loss:?}");
}

#[test]
fn multiclass_grows_one_tree_per_class_per_round() {
    // Three balanced classes: baseline 0 for each, p = ⅓, hessians 2/9. Class 0's
    // gradients are −⅔ −⅔ ⅓ ⅓ ⅓ ⅓. x ≤ 2.5: left G = −4/3, H = 4/9 → (16/9)/(4/9) = 4;
    // right G = 4/3, H = 8/9 → 2; gain 6 (x ≤ 4.5 gains only 0.5 + 1 = 1.5).
    // Leaves: −(−4/3)/(4/9) = 3 and −(4/3)/(8/9) = −1.5.
    let data = classes(vec![vec![1., 2., 3., 4., 5., 6.]], &[0, 0, 1, 1, 2, 2], 3);
    let model = fit(&params(1.0, 2), &data);
    assert_eq!((model.trees.len(), model.n_rounds()), (6, 2));
    let class0 = &model.trees[0];
    assert_eq!(class0[0].threshold, 2.5);
    let leaves: Vec<f64> = class0.iter().filter(|n| n.is_leaf()).map(|n| n.value).collect();
    assert!((leaves[0] - 3.0).abs() < 1e-6 && (leaves[1] + 1.5).abs() < 1e-6, "{leaves:?}");
    let p = model.predict(&data.x).unwrap();
    assert_eq!(p.labels().unwrap(), vec![0, 0, 1, 1, 2, 2]);
    let (proba, _) = proba_of(p);
    for row in proba.chunks(3) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
}

#[test]
fn early_stopping_follows_scikit_learns_rule() {
    // Baseline loss then ten rounds: stop only if none of the ten beats the baseline by 1e-7.
    let mut losses = vec![1.0; 11];
    assert!(no_recent_improvement(&losses));
    losses[7] = 1.0 - 1e-6;
    assert!(!no_recent_improvement(&losses));
    assert!(!no_recent_improvement(&losses[..10]));

    // Nothing to learn (a constant feature): the validation loss never moves, so
    // boosting stops after ten rounds; the held-out curve is drawn beside the training one.
    let y: Vec<u32> = (0..40).map(|i| i % 2).collect();
    let data = classes(vec![vec![1.0; 40]], &y, 2);
    let p = BoostingParams { early_stopping: EarlyStopping::On, ..params(0.1, 100) };
    let model = fit(&p, &data);
    assert_eq!(model.n_rounds(), 10);
    let ex = model.explain(&[], &data.target, "y");
    let ModelView::Curves(view) = &ex.views[0] else { panic!("a curves view") };
    assert_eq!(view.series.iter().map(|s| s.points.len()).collect::<Vec<_>>(), vec![11, 11]);
}

#[test]
fn the_seed_picks_the_validation_rows_only_when_stopping_early() {
    let n = 300;
    let x: Vec<f32> = (0..n).map(|i| ((i * 37) % 101) as f32).collect();
    let y: Vec<u32> = (0..n).map(|i| u32::from((i * 37) % 101 > 50) ^ u32::from(i % 7 == 0)).collect();
    let data = classes(vec![x], &y, 2);
    let run = |early, seed| {
        let p = BoostingParams { early_stopping: early, min_samples_leaf: 5, ..BoostingParams::default() };
        let m = p.fit(&data, seed, &mut NoProgress).unwrap();
        (m.to_bytes(), m.predict(&data.x).unwrap())
    };
    assert_eq!(run(EarlyStopping::On, 1), run(EarlyStopping::On, 1));
    assert_ne!(run(EarlyStopping::On, 1).0, run(EarlyStopping::On, 2).0);
    // Below 10,000 rows "auto" is off, and then the seed changes nothing.
    assert_eq!(run(EarlyStopping::Auto, 1), run(EarlyStopping::Auto, 2));
}

#[test]
fn degenerate_inputs_give_errors_or_defined_models() {
    let p = params(0.1, 5);
    assert_eq!(p.fit(&classes(vec![vec![1., 2.]], &[1, 1], 2), 0, &mut NoProgress), Err(FitError::OneClass("c1".into())));
    assert_eq!(p.fit(&values(vec![], &[1., 2.]), 0, &mut NoProgress), Err(FitError::NoFeatures));
    assert_eq!(p.fit(&values(vec![vec![]], &[]), 0, &mut NoProgress), Err(FitError::NoRows));
    let nan = values(vec![vec![1., f32::NAN]], &[1., 2.]);
    assert!(matches!(p.fit(&nan, 0, &mut NoProgress), Err(FitError::NonFinite { row: 2, .. })));

    // One row: the baseline is its value and no tree can split.
    let one = values(vec![vec![3.0]], &[7.0]);
    assert_close(&values_of(fit(&p, &one).predict(&one.x).unwrap()), &[7.0]);
    // Constant features: single-leaf trees, the prior for every row, no importance.
    let constant = classes(vec![vec![2.0; 4]], &[0, 1, 1, 1], 2);
    let model = fit(&p, &constant);
    assert!(model.trees.iter().all(|t| t.len() == 1));
    let (proba, _) = proba_of(model.predict(&constant.x).unwrap());
    assert!((proba[1] - 0.75).abs() < 1e-6, "{proba:?}");
    assert_eq!(model.history.importances, vec![0.0]);
    // A class with no training rows gets a finite, tiny probability.
    let absent = classes(vec![vec![1., 2., 3., 4.]], &[0, 0, 2, 2], 3);
    let (proba, _) = proba_of(fit(&p, &absent).predict(&absent.x).unwrap());
    assert!(proba.iter().all(|v| v.is_finite()) && proba[1] < 1e-6);

    let wrong = FeatureMatrix::from_columns(1, vec![vec![1.0], vec![2.0]]);
    assert_eq!(model.predict(&wrong), Err(PredictError::FeatureCount { expected: 1, found: 2 }));
}

#[test]
fn settings_come_from_the_specs() {
    let data = steps();
    let values: ParamValues = [
        ("max_leaf_nodes".to_string(), ParamValue::Int(2)),
        ("min_samples_leaf".to_string(), ParamValue::Int(1)),
        ("learning_rate".to_string(), ParamValue::Float(1.0)),
        ("max_iter".to_string(), ParamValue::Int(1)),
    ]
    .into();
    let model = (SPEC.fit)(&values, &data.as_view(), 0, &mut NoProgress).unwrap();
    assert_eq!(model.n_parameters(), 1 + 2 + 2);
    let features = [
        FeatureInfo { column: "a".into(), encoding: Encoding::Value },
        FeatureInfo { column: "b".into(), encoding: Encoding::Value },
    ];
    let ex = model.explain(&features, &data.target, "y");
    assert_eq!(ex.importance_measure, "total split gain");
    assert_eq!(ex.feature_importance, Some(vec![1.0, 0.0]));
    let bad: ParamValues = [("learning_rate".to_string(), ParamValue::Float(0.0))].into();
    assert!(matches!((SPEC.fit)(&bad, &data.as_view(), 0, &mut NoProgress), Err(FitError::InvalidParam { .. })));
    let p = BoostingParams::from_values(Task::Regression, &ParamValues::new()).unwrap();
    assert_eq!(p, BoostingParams::default());
}

#[test]
fn progress_counts_rounds() {
    struct Last(usize, usize);
    impl Progress for Last {
        fn report(&mut self, done: usize, total: usize, _: &str) {
            assert!(done <= total && done >= self.0);
            *self = Last(done, total);
        }
    }
    let mut last = Last(0, 0);
    params(0.1, 7).fit(&steps(), 0, &mut last).unwrap();
    assert_eq!((last.0, last.1), (7, 7));
}
