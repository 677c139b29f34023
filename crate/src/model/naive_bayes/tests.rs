//! A worked example with means, variances and a posterior computed by hand, the
//! Bernoulli inputs, the grouped view, and the contract's edge cases.

use super::*;
use crate::base::{Encoding, NoProgress};
use crate::model::view::FeatureDistribution;
use crate::model::Dataset;
use crate::model::Fit;

/// x = 1 2 3 (class a) and 6 8 (class b); flag = 1 1 0 (a) and 0 0 (b).
fn two_classes() -> Dataset {
    Dataset {
        x: FeatureMatrix::from_columns(5, vec![vec![1., 2., 3., 6., 8.], vec![1., 1., 0., 0., 0.]]),
        target: Target::Classes { y: vec![0, 0, 0, 1, 1], names: vec!["a".into(), "b".into()] },
        feature_names: vec!["x".into(), "flag".into()],
    }
}

fn fit(data: &Dataset) -> NaiveBayes {
    NaiveBayesParams::default().fit(data, 0, &mut NoProgress).unwrap()
}

fn proba(model: &NaiveBayes, columns: Vec<Vec<f32>>) -> Vec<f32> {
    let n = columns[0].len();
    let Ok(Predictions::Classes { proba, .. }) = model.predict(&FeatureMatrix::from_columns(n, columns)) else {
        panic!("class probabilities expected")
    };
    proba
}

#[test]
fn gaussian_posterior_matches_the_hand_computation() {
    let data = Dataset { x: FeatureMatrix::from_columns(5, vec![two_classes().x.column(0).to_vec()]), ..two_classes() };
    let model = fit(&data);
    // Class a: mean 2, variance ((1-2)² + 0 + (3-2)²) / 3 = 2/3. Class b: mean 7, variance 1.
    // The smoothing adds 1e-9 × the variance of x over all rows (34/5 = 6.8): 6.8e-9.
    let eps = 6.8e-9;
    let InputModel::Normal { mean, var } = model.input_model(0, 0) else { panic!() };
    assert!((mean - 2.0).abs() < 1e-12 && (var - (2.0 / 3.0 + eps)).abs() < 1e-12);
    let InputModel::Normal { mean, var } = model.input_model(1, 0) else { panic!() };
    assert!((mean - 7.0).abs() < 1e-12 && (var - (1.0 + eps)).abs() < 1e-12);
    // Query x = 4, priors 3/5 and 2/5:
    //   a: ln 0.6 − ½ ln(2π·2/3) − (4−2)² / (2·2/3) = −0.5108 − 0.7162 − 3   = −4.2270
    //   b: ln 0.4 − ½ ln(2π)     − (4−7)² / 2       = −0.9163 − 0.9189 − 4.5 = −6.3352
    //   P(a) = 1 / (1 + e^(−6.3352 + 4.2270)) = 1 / (1 + 0.12145) = 0.8917.
    let p = proba(&model, vec![vec![4.0]]);
    assert!((p[0] - 0.891_697).abs() < 1e-5, "{p:?}");
    assert!((p[0] + p[1] - 1.0).abs() < 1e-6);
    // Priors + mean and variance per class.
    assert_eq!(model.n_parameters(), 2 + 2 * 2);
}

#[test]
fn zero_one_inputs_are_bernoulli_with_laplace_smoothing() {
    let model = fit(&two_classes());
    // flag: class a has 2 ones in 3 rows: (2 + 1) / (3 + 2) = 0.6; class b 0 in 2: 1 / 4.
    assert_eq!(model.input_model(0, 1), InputModel::Bernoulli { p: 0.6 });
    assert_eq!(model.input_model(1, 1), InputModel::Bernoulli { p: 0.25 });
    // Query x = 4, flag = 1: the scores above plus ln 0.6 (a) and ln 0.25 (b):
    // a −4.2270 − 0.5108 = −4.7379, b −6.3352 − 1.3863 = −7.7215, P(a) = 1 / (1 + e^−2.9836) = 0.9518.
    let p = proba(&model, vec![vec![4.0], vec![1.0]]);
    assert!((p[0] - 0.951_831).abs() < 1e-5, "{p:?}");
    // Alpha weighs in: with alpha 0.5, class b: 0.5 / 3.
    let model = (NaiveBayesParams { alpha: 0.5 }).fit(&two_classes(), 0, &mut NoProgress).unwrap();
    assert_eq!(model.input_model(1, 1), InputModel::Bernoulli { p: 0.5 / 3.0 });
    assert_eq!(model.n_parameters(), 2 + 2 * 2 + 2);
}

#[test]
fn far_queries_keep_finite_probabilities() {
    // Far from both means the log densities are hugely negative; log-sum-exp keeps the
    // ratio instead of underflowing to 0 / 0. At x = ±1e6 class b's wider spread (variance 1
    // against 2/3) makes it the likelier on both sides.
    let p = proba(&fit(&two_classes()), vec![vec![1e6, -1e6], vec![0.0, 0.0]]);
    assert!(p.iter().all(|v| v.is_finite()), "{p:?}");
    assert_eq!((p[1], p[3]), (1.0, 1.0));
}

#[test]
fn the_view_groups_one_hot_levels_and_leaves_constants_out() {
    // Inputs: x (Gaussian), island = A / B / C (C never occurs: constant 0), a constant, a flag.
    let data = Dataset {
        x: FeatureMatrix::from_columns(
            4,
            vec![
                vec![1., 2., 5., 7.],
                vec![1., 0., 1., 0.],
                vec![0., 1., 0., 1.],
                vec![0.; 4],
                vec![3.; 4],
                vec![1., 1., 0., 1.],
            ],
        ),
        target: Target::Classes { y: vec![0, 0, 1, 1], names: vec!["a".into(), "b".into(), "never".into()] },
        feature_names: vec![],
    };
    let info = |column: &str, encoding| FeatureInfo { column: column.into(), encoding };
    let features = [
        info("x", Encoding::Value),
        info("island", Encoding::Level("A".into())),
        info("island", Encoding::Level("B".into())),
        info("island", Encoding::Level("C".into())),
        info("height", Encoding::Value),
        info("tagged", Encoding::Flag),
    ];
    let model = fit(&data);
    let explanation = model.explain(&features, &data.target, "kind");
    assert!(explanation.feature_importance.is_none());
    let [ModelView::Distributions(view)] = explanation.views.as_slice() else { panic!("one distributions view") };
    assert!(view.title.ends_with("(2 constant inputs left out)"), "{}", view.title);
    assert_eq!(view.features.len(), 3);
    let FeatureDistribution::Normal { name, per_class } = &view.features[0] else { panic!() };
    // Class a: x = 1, 2: mean 1.5, std 0.5 (the smoothing is 1e-9 × 6.6875, invisible here).
    assert_eq!(name, "x");
    assert!((per_class[0].0 - 1.5).abs() < 1e-12 && (per_class[0].1 - 0.5).abs() < 1e-8);
    // The class without training rows has nothing to show.
    assert!(per_class[2].0.is_nan());
    let FeatureDistribution::Levels { name, levels, per_class } = &view.features[1] else { panic!() };
    assert_eq!((name.as_str(), levels.clone()), ("island", vec!["A".to_string(), "B".to_string()]));
    // Class a: island = A in 1 of 2 rows: (1 + 1) / (2 + 2) = 0.5; B likewise.
    assert_eq!(per_class[0], vec![0.5, 0.5]);
    let FeatureDistribution::Levels { name, levels, per_class } = &view.features[2] else { panic!() };
    // tagged: class b has 1 true in 2 rows: P(true) = 2/4, P(false) = 1 − 0.5.
    assert_eq!((name.as_str(), levels.as_slice()), ("tagged", ["false".to_string(), "true".to_string()].as_slice()));
    assert_eq!(per_class[1], vec![0.5, 0.5]);
    // The empty class gets probability 0 everywhere.
    let p = proba(&model, data.x.columns().map(<[f32]>::to_vec).collect());
    assert!(p.chunks(3).all(|row| row[2] == 0.0));
}

#[test]
fn degenerate_input_gives_typed_errors_or_defined_results() {
    let regression = Dataset { target: Target::Values(vec![1.0; 5]), ..two_classes() };
    assert!(matches!(NaiveBayesParams::default().fit(&regression, 0, &mut NoProgress), Err(FitError::WrongTask(_))));
    // All inputs constant: only the priors speak (3/5 for a).
    let constant = Dataset { x: FeatureMatrix::from_columns(5, vec![vec![2.0; 5]]), ..two_classes() };
    let p = proba(&fit(&constant), vec![vec![9.0]]);
    assert!((p[0] - 0.6).abs() < 1e-6);
    assert!(fit(&constant).predict(&two_classes().x).is_err());
    let bad: ParamValues = [("alpha".to_string(), crate::model::ParamValue::Float(-1.0))].into();
    assert!(NaiveBayesParams::from_values(Task::Classification, &bad).is_err());
    let model = fit(&two_classes());
    let back: NaiveBayes = postcard::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(back, model);
}
