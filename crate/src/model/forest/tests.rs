//! Worked examples and the contract's edge cases for the forest.

use super::*;
use crate::base::Encoding;
use crate::model::params::MaxDepth;
use crate::model::tree::TreeParams;
use crate::model::Dataset;
use crate::model::Fit;
use crate::model::ParamValue;

fn classes(columns: Vec<Vec<f32>>, y: &[u32]) -> Dataset {
    let names = (0..columns.len()).map(|j| format!("x{j}")).collect();
    Dataset {
        x: FeatureMatrix::from_columns(y.len(), columns),
        target: Target::Classes { y: y.to_vec(), names: vec!["no".into(), "yes".into()] },
        feature_names: names,
    }
}

/// a = 1..6, b = 0 0 1 0 1 1, y = 0 0 0 1 1 0 (the tree's worked example).
fn six_rows() -> Dataset {
    classes(vec![vec![1., 2., 3., 4., 5., 6.], vec![0., 0., 1., 0., 1., 1.]], &[0, 0, 0, 1, 1, 0])
}

/// Two well separated groups of 20 rows on `x0`, plus a noise feature.
fn separable() -> Dataset {
    let x0: Vec<f32> = (0..40).map(|i| if i < 20 { i as f32 } else { 100.0 + i as f32 }).collect();
    let noise: Vec<f32> = (0..40).map(|i| ((i * 7) % 11) as f32).collect();
    let y: Vec<u32> = (0..40).map(|i| u32::from(i >= 20)).collect();
    classes(vec![x0, noise], &y)
}

fn params(task: Task, values: &[(&str, ParamValue)]) -> ForestParams {
    let values: ParamValues = values.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    ForestParams::from_values(task, &values).unwrap()
}

fn choice(v: &str) -> ParamValue {
    ParamValue::Choice(v.into())
}

fn features(n: usize) -> Vec<FeatureInfo> {
    (0..n).map(|j| FeatureInfo { column: format!("x{j}"), encoding: Encoding::Value }).collect()
}

#[test]
fn features_per_node_are_counted_like_scikit_learn() {
    // int(√10) = 3, int(log₂ 10) = 3, int(√30) = 5, int(log₂ 30) = 4; never fewer than 1.
    assert_eq!((MaxFeatures::Sqrt.count(10), MaxFeatures::Log2.count(10)), (3, 3));
    assert_eq!((MaxFeatures::Sqrt.count(30), MaxFeatures::Log2.count(30)), (5, 4));
    assert_eq!((MaxFeatures::Log2.count(1), MaxFeatures::Sqrt.count(1), MaxFeatures::All.count(7)), (1, 1, 7));
}

#[test]
fn one_tree_on_every_row_and_feature_is_the_cart_tree() {
    // Without bootstrap and with all features, the one member sees what the single tree
    // sees; the six-row example has no ties, so the random feature order cannot matter.
    let p = params(
        Task::Classification,
        &[("n_estimators", ParamValue::Int(1)), ("bootstrap", choice("false")), ("max_features", choice("all"))],
    );
    let forest = p.fit(&six_rows(), 3, &mut NoProgress).unwrap();
    let tree = (TreeParams { max_depth: MaxDepth::levels(10), ..TreeParams::default_for(Task::Classification) })
        .fit(&six_rows(), 0, &mut NoProgress)
        .unwrap();
    assert_eq!(forest.trees()[0].nodes(), tree.nodes());
    assert_eq!(forest.predict(&six_rows().x).unwrap(), tree.predict(&six_rows().x).unwrap());
    assert_eq!(forest.oob_score(), None);
    // A single tree's own importances: all on a (see the tree's worked example).
    assert_eq!(forest.importances(), &[1.0, 0.0]);
}

#[test]
fn regression_averages_its_trees() {
    // x = 1 2 3 4, y = 1 1 3 5; depth 1 without bootstrap: every tree cuts at 2.5
    // (the only feature), so the forest predicts 1 1 4 4 like each tree.
    let data = Dataset {
        x: FeatureMatrix::from_columns(4, vec![vec![1., 2., 3., 4.]]),
        target: Target::Values(vec![1., 1., 3., 5.]),
        feature_names: vec!["x".into()],
    };
    let p = params(
        Task::Regression,
        &[("n_estimators", ParamValue::Int(3)), ("max_depth", ParamValue::Int(1)), ("bootstrap", choice("false"))],
    );
    let forest = p.fit(&data, 0, &mut NoProgress).unwrap();
    assert_eq!(forest.predict(&data.x).unwrap(), Predictions::Values(vec![1., 1., 4., 4.]));
}

#[test]
fn drawing_goes_on_past_constant_features() {
    // One feature per node out of three, two of them constant: as in scikit-learn, a
    // node keeps drawing until it finds the varying one, so every tree splits on x1.
    let n = 20;
    let data = classes(
        vec![vec![1.0; n], (0..n).map(|i| i as f32).collect(), vec![2.0; n]],
        &(0..n as u32).map(|i| u32::from(i >= 10)).collect::<Vec<_>>(),
    );
    let p = params(Task::Classification, &[("n_estimators", ParamValue::Int(20))]);
    let forest = p.fit(&data, 7, &mut NoProgress).unwrap();
    assert!(forest.trees().iter().all(|t| t.nodes()[0].feature == 1));
    assert_eq!(forest.importances(), &[0.0, 1.0, 0.0]);
}

#[test]
fn out_of_bag_score_and_view() {
    let p = params(Task::Classification, &[("n_estimators", ParamValue::Int(25))]);
    let forest = p.fit(&separable(), 1, &mut NoProgress).unwrap();
    // Any tree that splits at all separates the two groups on x0 or on a noise cut
    // followed by x0; the groups are far apart, so every out-of-bag vote is right.
    assert_eq!(forest.oob_score(), Some(1.0));
    let ex = forest.explain(&features(2), &separable().target, "label");
    let Some(ModelView::Trees { title, trees }) = ex.views.first() else { panic!("member trees") };
    assert_eq!(title, "Random forest of 25 trees for label · out-of-bag accuracy 1");
    assert_eq!(trees.len(), SHOWN_TREES);
    assert_eq!(trees[0].class_names, vec!["no", "yes"]);
    // The bootstrap sample of each tree has as many draws as there are rows.
    assert!(trees.iter().all(|t| t.nodes[0].n_samples == 40));
    let importance = ex.feature_importance.unwrap();
    assert!((importance.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(ex.importance_measure, "mean impurity decrease");
}

#[test]
fn same_seed_same_forest_other_seed_other_forest() {
    let p = params(Task::Classification, &[("n_estimators", ParamValue::Int(10))]);
    let data = six_rows();
    let a = p.fit(&data, 5, &mut NoProgress).unwrap();
    let b = p.fit(&data, 5, &mut NoProgress).unwrap();
    let c = p.fit(&data, 6, &mut NoProgress).unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_eq!(a.predict(&data.x).unwrap(), b.predict(&data.x).unwrap());
    assert_ne!(a.to_bytes(), c.to_bytes());
}

#[test]
fn degenerate_inputs_give_typed_errors_or_single_leaves() {
    let p = params(Task::Classification, &[("n_estimators", ParamValue::Int(5))]);
    assert_eq!(p.fit(&classes(vec![vec![1., 2.]], &[1, 1]), 0, &mut NoProgress), Err(FitError::OneClass("yes".into())));
    assert_eq!(p.fit(&classes(vec![vec![]], &[]), 0, &mut NoProgress), Err(FitError::NoRows));
    let nan = classes(vec![vec![1., f32::NAN]], &[0, 1]);
    assert!(matches!(p.fit(&nan, 0, &mut NoProgress), Err(FitError::NonFinite { row: 2, .. })));
    assert_eq!(p.fit(&classes(vec![], &[0, 1]), 0, &mut NoProgress), Err(FitError::NoFeatures));
    // Constant features: every tree is one leaf; no importances; probabilities are the bootstrap mix.
    let constant = classes(vec![vec![3.0; 4]], &[0, 1, 0, 1]);
    let forest = p.fit(&constant, 0, &mut NoProgress).unwrap();
    assert!(forest.trees().iter().all(|t| t.nodes().len() == 1));
    assert_eq!(forest.importances(), &[0.0]);
    let Predictions::Classes { proba, .. } = forest.predict(&constant.x).unwrap() else { panic!("classes") };
    assert!((proba[0] + proba[1] - 1.0).abs() < 1e-6);
    // One row of each class, one row each: a stump or a leaf, never a panic.
    assert!(p.fit(&classes(vec![vec![1., 2.]], &[0, 1]), 0, &mut NoProgress).is_ok());
    let wrong = FeatureMatrix::from_columns(1, vec![vec![1.0], vec![2.0]]);
    assert_eq!(forest.predict(&wrong), Err(PredictError::FeatureCount { expected: 1, found: 2 }));
}

#[test]
fn settings_come_from_the_specs_and_progress_counts_trees() {
    struct Last(usize, usize);
    impl Progress for Last {
        fn report(&mut self, done: usize, total: usize, _: &str) {
            assert!(done <= total && done == self.0 + 1);
            *self = Last(done, total);
        }
    }
    let values: ParamValues = [("n_estimators".to_string(), ParamValue::Int(7))].into();
    let mut last = Last(0, 0);
    let model = (SPEC.fit)(&values, &six_rows().as_view(), 0, &mut last).unwrap();
    assert_eq!((last.0, last.1), (7, 7));
    assert!(model.n_parameters() >= 7);
    let bad: ParamValues = [("max_features".to_string(), choice("half"))].into();
    assert!(matches!((SPEC.fit)(&bad, &six_rows().as_view(), 0, &mut NoProgress), Err(FitError::InvalidParam { .. })));
    let defaults = ForestParams::from_values(Task::Regression, &ParamValues::new()).unwrap();
    assert_eq!((defaults.n_estimators, defaults.max_features, defaults.bootstrap), (100, MaxFeatures::All, true));
}
