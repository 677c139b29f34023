//! Worked examples whose answers were computed by hand (the arithmetic is in the
//! comments), optimality conditions for the iterative solvers, and the
//! contract's edge cases.

use super::*;
use crate::base::{Encoding, NoProgress, Scaling, Task};
use crate::model::Dataset;
use crate::model::{Fit, ParamValue, ParamValues};

fn values(columns: Vec<Vec<f32>>, y: &[f64]) -> Dataset {
    Dataset {
        feature_names: (0..columns.len()).map(|i| format!("x{i}")).collect(),
        x: FeatureMatrix::from_columns(y.len(), columns),
        target: Target::Values(y.to_vec()),
    }
}

fn classes(columns: Vec<Vec<f32>>, y: &[u32], names: &[&str]) -> Dataset {
    Dataset {
        feature_names: (0..columns.len()).map(|i| format!("x{i}")).collect(),
        x: FeatureMatrix::from_columns(y.len(), columns),
        target: Target::Classes { y: y.to_vec(), names: names.iter().map(|s| s.to_string()).collect() },
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// x = 1 2 3 4, y = 2 3 5 6.
fn four_points() -> Dataset {
    values(vec![vec![1., 2., 3., 4.]], &[2., 3., 5., 6.])
}

#[test]
fn least_squares_on_four_points() {
    // x̄ = 2.5, ȳ = 4; Σ(x − x̄)(y − ȳ) = 3 + 0.5 + 0.5 + 3 = 7; Σ(x − x̄)² = 2.25 + 0.25 + 0.25 + 2.25 = 5.
    // Slope 7/5 = 1.4, intercept 4 − 1.4 · 2.5 = 0.5.
    let m = solve::fit_least_squares(&four_points().as_view(), 0.0, Kind::LeastSquares).unwrap();
    assert!(close(m.coefficients(0)[0], 1.4, 1e-12) && close(m.intercepts()[0], 0.5, 1e-12), "{m:?}");
    let Predictions::Values(p) = m.predict(&four_points().x).unwrap() else { panic!("values") };
    // 0.5 + 1.4x = 1.9, 3.3, 4.7, 6.1.
    for (got, want) in p.iter().zip([1.9, 3.3, 4.7, 6.1]) {
        assert!(close(*got, want, 1e-12), "{p:?}");
    }
    assert_eq!(m.n_parameters(), 2);
}

#[test]
fn ridge_shrinks_the_slope_by_the_closed_form() {
    // After centering, slope = Σxy / (Σx² + α) = 7 / (5 + 1) = 1.1667 with α = 1,
    // 7 / 15 = 0.4667 with α = 10; the intercept keeps the line through (2.5, 4).
    for (alpha, slope) in [(1.0, 7.0 / 6.0), (10.0, 7.0 / 15.0)] {
        let m = RidgeParams { alpha }.fit(&four_points(), 0, &mut NoProgress).unwrap();
        assert!(close(m.coefficients(0)[0], slope, 1e-12), "{alpha}: {m:?}");
        assert!(close(m.intercepts()[0], 4.0 - slope * 2.5, 1e-12), "{alpha}: {m:?}");
    }
}

#[test]
fn lasso_soft_thresholds_an_orthogonal_design() {
    // x₁ = 1 −1 1 −1 and x₂ = 1 1 −1 −1 are centered, orthogonal, with xᵀx/n = 1, and
    // y = 10 + 1.5x₁ + 0.25x₂. Then each lasso weight is the least-squares one
    // soft-thresholded by α: with α = 0.5, w₁ = 1.5 − 0.5 = 1, w₂ = max(0.25 − 0.5, 0) = 0,
    // and the intercept stays ȳ = 10.
    let x1 = vec![1., -1., 1., -1.];
    let x2 = vec![1., 1., -1., -1.];
    let y: Vec<f64> = x1.iter().zip(&x2).map(|(a, b): (&f32, &f32)| 10.0 + 1.5 * *a as f64 + 0.25 * *b as f64).collect();
    let data = values(vec![x1, x2], &y);
    let m = LassoParams { alpha: 0.5, ..LassoParams::default() }.fit(&data, 0, &mut NoProgress).unwrap();
    assert!(close(m.coefficients(0)[0], 1.0, 1e-12) && m.coefficients(0)[1] == 0.0, "{m:?}");
    assert!(close(m.intercepts()[0], 10.0, 1e-12));
    // α above every correlation switches everything off: the prediction is the mean.
    let off = LassoParams { alpha: 2.0, ..LassoParams::default() }.fit(&data, 0, &mut NoProgress).unwrap();
    assert_eq!(off.coefficients(0), &[0.0, 0.0]);
    let e = off.explain(&features(2), &data.target, "y");
    assert_eq!(e.feature_importance, None, "no weights, no importance");
}

#[test]
fn lasso_with_a_tiny_penalty_is_least_squares() {
    let m =
        LassoParams { alpha: 1e-9, tol: 1e-12, ..LassoParams::default() }.fit(&four_points(), 0, &mut NoProgress).unwrap();
    assert!(close(m.coefficients(0)[0], 1.4, 1e-6), "{m:?}");
}

/// x = −1, 1 with classes 0, 1.
fn two_rows() -> Dataset {
    classes(vec![vec![-1., 1.]], &[0, 1], &["no", "yes"])
}

fn logistic(penalty: Penalty, c: f64) -> LogisticParams {
    LogisticParams { penalty, c, ..LogisticParams::default() }
}

#[test]
fn logistic_on_two_symmetric_rows_solves_its_optimality_condition() {
    // By symmetry b = 0. The gradient of C·Σ loss + ½w² in w is
    // C·Σ (σ(wxᵢ) − yᵢ)·xᵢ + w = −σ(−w) − σ(−w) + w (C = 1), so at the optimum w = 2σ(−w):
    // w = 0.675 gives 2σ(−0.675) = 0.6747, w = 0.68 gives 0.6725; the root is w ≈ 0.6749.
    // scikit-learn agrees: LogisticRegression().fit([[-1], [1]], [0, 1]).coef_ → [[0.67483...]].
    let m = logistic(Penalty::L2, 1.0).fit(&two_rows(), 0, &mut NoProgress).unwrap();
    let w = m.coefficients(0)[0];
    assert!(close(w, 2.0 * sigmoid(-w), 1e-7), "{w}");
    assert!(close(w, 0.67483, 1e-4) && m.intercepts()[0].abs() < 1e-7, "{m:?}");
    let Predictions::Classes { proba, n_classes: 2 } = m.predict(&two_rows().x).unwrap() else { panic!("classes") };
    // P(yes | x = 1) = σ(0.6748) = 0.6626; the two rows mirror each other.
    assert!(close(proba[3] as f64, sigmoid(w), 1e-6) && close(proba[0] as f64, proba[3] as f64, 1e-6), "{proba:?}");
}

#[test]
fn logistic_l1_switches_off_inputs_below_the_threshold() {
    // With an L1 penalty the weight stays exactly 0 while |C·Σ(σ(b) − yᵢ)xᵢ| ≤ 1 at w = 0.
    // Here σ(b) = ½ and Σ(½ − yᵢ)xᵢ = (½)(−1) + (−½)(1) = −1, so w = 0 for C ≤ 1 and
    // w > 0 for C > 1. At C = 3 the condition is 3·(σ(−w) + σ(−w)) = 1... i.e.
    // C·(−2σ(−w)) + 1 = 0 → σ(−w) = 1/6 → w = ln 5 = 1.6094.
    let zero = logistic(Penalty::L1, 0.9).fit(&two_rows(), 0, &mut NoProgress).unwrap();
    assert_eq!(zero.coefficients(0), &[0.0]);
    let m = logistic(Penalty::L1, 3.0).fit(&two_rows(), 0, &mut NoProgress).unwrap();
    assert!(close(m.coefficients(0)[0], 5f64.ln(), 1e-5), "{m:?}");
}

/// Rows around three centers in two inputs, not separable.
fn three_classes() -> Dataset {
    let a = vec![0.1, 0.4, -0.3, 0.2, 2.1, 1.7, 2.4, 0.9, -1.8, -2.2, -1.5, -0.4];
    let b = vec![1.9, 2.3, 1.6, 0.5, -0.2, 0.4, -0.5, -0.8, -0.9, -1.4, -0.6, 0.3];
    classes(vec![a, b], &[0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], &["red", "green", "blue"])
}

/// The gradient of C·Σ sᵢ·lossᵢ + ½‖W‖² in every weight and intercept.
fn multinomial_gradient(m: &LinearModel, data: &Dataset, c: f64) -> Vec<f64> {
    let Target::Classes { y, .. } = &data.target else { unreachable!() };
    let Predictions::Classes { proba, n_classes: k } = m.predict(&data.x).unwrap() else { unreachable!() };
    let p = data.x.n_cols();
    let mut g: Vec<f64> = (0..k).flat_map(|c| m.coefficients(c).to_vec()).chain(vec![0.0; k]).collect();
    for i in 0..y.len() {
        for class in 0..k {
            let r = c * (proba[i * k + class] as f64 - (y[i] as usize == class) as u8 as f64);
            (0..p).for_each(|j| g[class * p + j] += r * data.x.column(j)[i] as f64);
            g[k * p + class] += r;
        }
    }
    g
}

#[test]
fn multinomial_logistic_reaches_zero_gradient() {
    let data = three_classes();
    let m = logistic(Penalty::L2, 1.0).fit(&data, 0, &mut NoProgress).unwrap();
    assert_eq!(m.intercepts().len(), 3, "one output per class");
    // Probabilities are rounded to f32, so the gradient is zero to about 1e-6.
    let g = multinomial_gradient(&m, &data, 1.0);
    assert!(g.iter().all(|v| v.abs() < 1e-5), "{g:?}");
    // With an L2 penalty the weights of each input sum to zero over the classes (the
    // loss's gradient does, so the penalty's must too).
    for j in 0..2 {
        let sum: f64 = (0..3).map(|c| m.coefficients(c)[j]).sum();
        assert!(sum.abs() < 1e-6, "{sum}");
    }
    let labels = m.predict(&data.x).unwrap().labels().unwrap();
    let right = labels.iter().zip([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]).filter(|(a, b)| **a == *b).count();
    assert!(right >= 10, "{labels:?}");
}

#[test]
fn multinomial_l1_logistic_meets_its_optimality_conditions() {
    // At the optimum of C·Σ lossᵢ + ‖W‖₁ the loss's gradient g is −sign(w) for a
    // weight off zero, within [−1, 1] for a weight at zero, and 0 for an intercept.
    let data = three_classes();
    let m = logistic(Penalty::L1, 1.0).fit(&data, 0, &mut NoProgress).unwrap();
    let (k, p) = (3, 2);
    let w: Vec<f64> = (0..k).flat_map(|c| m.coefficients(c).to_vec()).collect();
    // multinomial_gradient adds the L2 penalty's gradient, w itself: take it off.
    let g: Vec<f64> =
        multinomial_gradient(&m, &data, 1.0).iter().zip(w.iter().chain(&[0.0; 3])).map(|(g, w)| g - w).collect();
    for (i, (&w, &g)) in w.iter().zip(&g).enumerate() {
        if w == 0.0 {
            assert!(g.abs() <= 1.0 + 1e-5, "weight {i} at zero with gradient {g}");
        } else {
            assert!((g + w.signum()).abs() < 1e-5, "weight {i} = {w} with gradient {g}");
        }
    }
    assert!(g[k * p..].iter().all(|v| v.abs() < 1e-5), "intercepts' gradient {:?}", &g[k * p..]);
    // So each input's three class weights have a zero among them: the loss's gradients
    // over the classes sum to zero, and three signs cannot.
    for j in 0..p {
        assert!((0..k).any(|c| m.coefficients(c)[j] == 0.0), "input {j}: {w:?}");
    }
    assert!(w.iter().any(|&v| v != 0.0), "the penalty leaves some weight: {w:?}");
}

#[test]
fn balanced_weights_count_each_class_the_same() {
    // Three rows of class 0 and one of class 1: weights 4/(2·3) = 2/3 and 4/(2·1) = 2.
    let p = LogisticParams { class_weight: ClassWeight::Balanced, ..LogisticParams::default() };
    assert_eq!(p.row_weights(&[0, 0, 0, 1], 2), vec![2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 2.0]);
    // Balanced weighting moves the intercept toward the rare class.
    let data = classes(vec![vec![-1., 0., 1., 2.]], &[0, 0, 0, 1], &["no", "yes"]);
    let plain = LogisticParams::default().fit(&data, 0, &mut NoProgress).unwrap();
    let balanced = p.fit(&data, 0, &mut NoProgress).unwrap();
    assert!(balanced.intercepts()[0] > plain.intercepts()[0] + 0.5, "{plain:?} {balanced:?}");
}

fn features(n: usize) -> Vec<FeatureInfo> {
    (0..n).map(|i| FeatureInfo { column: format!("x{i}"), encoding: Encoding::Value }).collect()
}

#[test]
fn the_explanation_names_outputs_and_inputs() {
    let data = three_classes();
    let m = logistic(Penalty::L2, 1.0).fit(&data, 0, &mut NoProgress).unwrap();
    let mut inputs = features(2);
    inputs[1].encoding = Encoding::Level("north".into());
    let e = m.explain(&inputs, &data.target, "color");
    let ModelView::Coefficients(view) = &e.views[0] else { panic!("coefficients") };
    assert_eq!(view.outputs, ["log-odds of red", "log-odds of green", "log-odds of blue"]);
    assert_eq!(view.inputs, ["x0", "x1 = north"]);
    assert_eq!(view.values.len(), 3);
    assert!(view.unit.contains("per 0 → 1"), "{}", view.unit);
    // Importance: |w| summed over the classes, normalized.
    let raw: Vec<f64> = (0..2).map(|j| (0..3).map(|c| m.coefficients(c)[j].abs()).sum()).collect();
    let importance = e.feature_importance.unwrap();
    assert!(close(importance[0], raw[0] / (raw[0] + raw[1]), 1e-12));
    assert_eq!(e.importance_measure, "|standardized coefficient|");

    let binary = logistic(Penalty::L2, 1.0).fit(&two_rows(), 0, &mut NoProgress).unwrap();
    let e = binary.explain(&features(1), &two_rows().target, "answer");
    let ModelView::Coefficients(view) = &e.views[0] else { panic!("coefficients") };
    assert_eq!(view.outputs, ["log-odds of yes"]);

    let ols = solve::fit_least_squares(&four_points().as_view(), 0.0, Kind::LeastSquares).unwrap();
    let e = ols.explain(&features(1), &four_points().target, "price");
    let ModelView::Coefficients(view) = &e.views[0] else { panic!("coefficients") };
    assert_eq!(
        (view.outputs.as_slice(), view.unit.as_str()),
        (["price".to_string()].as_slice(), "change in price per standard deviation of the input")
    );
    assert_eq!(view.intercepts, vec![ols.intercepts()[0]]);
}

#[test]
fn degenerate_inputs_give_defined_models() {
    // One row: no slope can be learned; the prediction is that row's value.
    let one = values(vec![vec![3.0]], &[7.0]);
    for spec in [OLS, RIDGE, LASSO] {
        let m = (spec.fit)(&ParamValues::new(), &one.as_view(), 0, &mut NoProgress).unwrap();
        assert_eq!(m.predict(&one.x).unwrap(), Predictions::Values(vec![7.0]), "{}", spec.id);
    }
    // A constant input next to a useful one: the constant gets weight 0.
    let data = values(vec![vec![1., 2., 3., 4.], vec![5.0; 4]], &[2., 3., 5., 6.]);
    let m = solve::fit_least_squares(&data.as_view(), 0.0, Kind::LeastSquares).unwrap();
    assert!(close(m.coefficients(0)[0], 1.4, 1e-9) && m.coefficients(0)[1].abs() < 1e-9, "{m:?}");
    // A duplicated input: the weight is shared equally (the smallest exact solution).
    let twice = values(vec![vec![1., 2., 3., 4.], vec![1., 2., 3., 4.]], &[2., 3., 5., 6.]);
    let m = solve::fit_least_squares(&twice.as_view(), 0.0, Kind::LeastSquares).unwrap();
    assert!(close(m.coefficients(0)[0], 0.7, 1e-6) && close(m.coefficients(0)[1], 0.7, 1e-6), "{m:?}");
    // Perfectly separable classes: the L2 penalty keeps the weights finite.
    let separable = classes(vec![vec![-2., -1., 1., 2.]], &[0, 0, 1, 1], &["no", "yes"]);
    let m = LogisticParams { c: 1e4, ..LogisticParams::default() }.fit(&separable, 0, &mut NoProgress).unwrap();
    assert!(m.coefficients(0)[0].is_finite() && m.coefficients(0)[0] > 1.0, "{m:?}");
    // The wrong kind of target is a typed error.
    assert!(matches!(solve::fit_least_squares(&two_rows().as_view(), 0.0, Kind::LeastSquares), Err(FitError::WrongTask(_))));
    assert!(matches!(LogisticParams::default().fit(&four_points(), 0, &mut NoProgress), Err(FitError::WrongTask(_))));
    // Predicting with the wrong number of inputs.
    let m = solve::fit_least_squares(&four_points().as_view(), 0.0, Kind::LeastSquares).unwrap();
    assert!(matches!(m.predict(&data.x), Err(PredictError::FeatureCount { expected: 1, found: 2 })));
}

#[test]
fn settings_are_checked_and_read() {
    let bad: ParamValues = [("alpha".to_string(), ParamValue::Float(-1.0))].into();
    assert!(matches!(RidgeParams::from_values(Task::Regression, &bad), Err(FitError::InvalidParam { .. })));
    assert!(matches!((OLS.fit)(&bad, &four_points().as_view(), 0, &mut NoProgress).err(), Some(FitError::UnknownParam(_))));
    let v: ParamValues = [
        ("penalty".to_string(), ParamValue::Choice("l1".into())),
        ("C".to_string(), ParamValue::Float(0.5)),
        ("class_weight".to_string(), ParamValue::Choice("balanced".into())),
    ]
    .into();
    let p = LogisticParams::from_values(Task::Classification, &v).unwrap();
    assert_eq!(p, LogisticParams { penalty: Penalty::L1, c: 0.5, class_weight: ClassWeight::Balanced, max_iter: 1000 });
    assert_eq!(LassoParams::from_values(Task::Regression, &ParamValues::new()).unwrap(), LassoParams::default());
    for spec in [OLS, RIDGE, LASSO, LOGISTIC] {
        assert_eq!(spec.scaling, Scaling::Standardize);
        assert!(!spec.seeded);
        for &task in spec.tasks {
            assert!(crate::model::params::resolve(&(spec.params)(task), &ParamValues::new()).is_ok());
        }
    }
    assert_eq!(LOGISTIC.tasks, &[Task::Classification]);
}

#[test]
fn fitting_is_deterministic_and_round_trips_through_bytes() {
    let data = three_classes();
    for penalty in [Penalty::L2, Penalty::L1] {
        let a = logistic(penalty, 1.0).fit(&data, 0, &mut NoProgress).unwrap();
        let b = logistic(penalty, 1.0).fit(&data, 0, &mut NoProgress).unwrap();
        assert_eq!(a, b);
        let back: LinearModel = postcard::from_bytes(&a.to_bytes()).unwrap();
        assert_eq!(back, a);
    }
}
