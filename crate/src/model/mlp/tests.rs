//! Worked examples checked by hand (the arithmetic is in the comments), a
//! gradient check of backpropagation against finite differences, and the
//! contract's edge cases.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::network::{adam_rate, row_loss, Moments, TrainSet, Trainer};
use super::*;
use crate::base::{Encoding, NoProgress};
use crate::model::Dataset;
use crate::model::Fit;
use crate::model::ParamValue;

fn dense(n_in: usize, n_out: usize, weights: &[f32], bias: &[f32]) -> Dense {
    Dense { n_in, n_out, weights: weights.to_vec(), bias: bias.to_vec() }
}

/// A 2-2-1 regression net with hand-set weights:
/// hidden h₁ = f(1·x₁ − 1·x₂ + 0), h₂ = f(0.5·x₁ + 2·x₂ − 1); output y = 1·h₁ − 2·h₂ + 0.5.
fn two_two_one(activation: Activation) -> Network {
    Network {
        layers: vec![dense(2, 2, &[1.0, -1.0, 0.5, 2.0], &[0.0, -1.0]), dense(2, 1, &[1.0, -2.0], &[0.5])],
        activation,
        output: Output::Identity,
    }
}

fn values(p: Predictions) -> Vec<f64> {
    match p {
        Predictions::Values(v) => v,
        other => panic!("expected values, got {other:?}"),
    }
}

#[test]
fn forward_pass_of_a_hand_set_two_two_one_net() {
    // Columns: x₁ = (2, 0), x₂ = (1, 1), i.e. rows (2, 1) and (0, 1).
    let columns = vec![vec![2.0, 0.0], vec![1.0, 1.0]];
    // relu, row (2, 1): z = (2 − 1, 1 + 2 − 1) = (1, 2), h = (1, 2), y = 1 − 4 + 0.5 = −2.5.
    // relu, row (0, 1): z = (−1, 2 − 1) = (−1, 1), h = (0, 1), y = 0 − 2 + 0.5 = −1.5.
    assert_eq!(values(two_two_one(Activation::Relu).predict(&columns, 2)), vec![-2.5, -1.5]);
    // tanh, row (2, 1): h = (tanh 1, tanh 2) = (0.761594, 0.964028),
    // y = 0.761594 − 1.928055 + 0.5 = −0.666461.
    let y = values(two_two_one(Activation::Tanh).predict(&columns, 2));
    assert!((y[0] - -0.666461).abs() < 1e-5, "{y:?}");
    // Logistic output on the relu net: σ(−2.5) = 1 / (1 + e^2.5) = 0.075858 for the second class.
    let net = Network { output: Output::Logistic, ..two_two_one(Activation::Relu) };
    let Predictions::Classes { proba, n_classes: 2 } = net.predict(&columns, 2) else { panic!("two classes") };
    assert!((proba[1] - 0.075858).abs() < 1e-6 && (proba[0] - 0.924142).abs() < 1e-6, "{proba:?}");
}

#[test]
fn softmax_turns_sums_into_probabilities() {
    // One input x = 1, three outputs with weights (0, ln 2, ln 3) and no bias:
    // e^z = (1, 2, 3), so p = (1/6, 2/6, 3/6).
    let net = Network {
        layers: vec![dense(1, 3, &[0.0, 2f32.ln(), 3f32.ln()], &[0.0; 3])],
        activation: Activation::Relu,
        output: Output::Softmax,
    };
    let Predictions::Classes { proba, .. } = net.predict(&[vec![1.0]], 1) else { panic!("classes") };
    for (p, e) in proba.iter().zip([1.0 / 6.0, 2.0 / 6.0, 3.0 / 6.0]) {
        assert!((p - e).abs() < 1e-6, "{proba:?}");
    }
    // Cross-entropy of the true class 3: −ln(1/2) = ln 2 = 0.693147.
    assert!((row_loss(Output::Softmax, &proba, &[0.0, 0.0, 1.0]) - std::f64::consts::LN_2).abs() < 1e-6);
    // Half squared error averaged over outputs: ((3 − 1)² / 2) / 1 = 2.
    assert_eq!(row_loss(Output::Identity, &[3.0], &[1.0]), 2.0);
}

#[test]
fn one_adam_step_on_a_scalar() {
    // Step 1 with lr 0.1: the rate is 0.1 · √(1 − 0.999) / (1 − 0.9) = 0.1 · 0.0316228 / 0.1 = 0.0316228.
    assert!((adam_rate(0.1, 1) - 0.0316228).abs() < 1e-7);
    // Gradient 0.5 on w = 1: m = 0.1 · 0.5 = 0.05, v = 0.001 · 0.25 = 0.00025, √v = 0.0158114,
    // so w ← 1 − 0.0316228 · 0.05 / 0.0158114 = 1 − 0.1 = 0.9 (Adam's first step is lr · sign(g)).
    let mut adam = Moments::new(1);
    let mut w = [1.0f32];
    adam.step(&mut w, &[0.5], adam_rate(0.1, 1) as f32);
    assert!((w[0] - 0.9).abs() < 1e-6, "{w:?}");
    // Step 2, same gradient: m = 0.9 · 0.05 + 0.05 = 0.095, v = 0.999 · 0.00025 + 0.00025 = 0.00049975,
    // rate 0.1 · √0.001999 / 0.19 = 0.0235317, step 0.0235317 · 0.095 / 0.0223551 = 0.1.
    adam.step(&mut w, &[0.5], adam_rate(0.1, 2) as f32);
    assert!((w[0] - 0.8).abs() < 1e-5, "{w:?}");
}

/// Four rows of two inputs, with targets for `outputs` units.
fn tiny(y: &[f32]) -> (Vec<f32>, Vec<f32>) {
    (vec![0.5, -1.0, 1.5, 0.3, -0.7, 0.8, 0.2, -1.2], y.to_vec())
}

/// Backpropagation's gradient of every weight and bias against central finite
/// differences of the batch loss (with its L2 term), on a 2-3-k net.
fn gradient_check(activation: Activation, output: Output, y: &[f32]) {
    let (x, y) = tiny(y);
    let n_out = y.len() / 4;
    let data = TrainSet { x: &x, n_features: 2, y: &y, classes: None };
    let params = MlpParams { activation, alpha: 0.3, ..MlpParams::default() };
    let mut trainer = Trainer::new(&[2, 3, n_out], output, &params, 4, ChaCha8Rng::seed_from_u64(3));
    let rows = [0, 1, 2, 3];
    trainer.gradients(&data, &rows);
    let analytic: Vec<(Vec<f32>, Vec<f32>)> =
        (0..2).map(|l| (trainer.gradient(l).0.to_vec(), trainer.gradient(l).1.to_vec())).collect();
    let h = 1e-2f32;
    for (l, (grad_w, grad_b)) in analytic.iter().enumerate() {
        for (is_bias, grads) in [(false, grad_w), (true, grad_b)] {
            for (k, &g) in grads.iter().enumerate() {
                let mut loss_at = |delta: f32| {
                    let layer = &mut trainer.network_mut().layers[l];
                    let p = if is_bias { &mut layer.bias[k] } else { &mut layer.weights[k] };
                    *p += delta;
                    let loss = trainer.gradients(&data, &rows);
                    let layer = &mut trainer.network_mut().layers[l];
                    *(if is_bias { &mut layer.bias[k] } else { &mut layer.weights[k] }) -= delta;
                    loss
                };
                let numeric = (loss_at(h) - loss_at(-h)) / (2.0 * h as f64);
                assert!(
                    (numeric - g as f64).abs() < 1e-3,
                    "{activation:?}/{output:?} layer {l} {} {k}: backprop {g}, finite differences {numeric}",
                    if is_bias { "bias" } else { "weight" }
                );
            }
        }
    }
}

#[test]
fn backpropagation_matches_finite_differences() {
    gradient_check(Activation::Tanh, Output::Identity, &[0.4, -1.0, 2.0, 0.1]);
    gradient_check(Activation::Logistic, Output::Logistic, &[1.0, 0.0, 0.0, 1.0]);
    let one_hot = [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0];
    gradient_check(Activation::Tanh, Output::Softmax, &one_hot);
}

/// XOR-like quadrants: class "yes" where x₁ and x₂ have the same sign. No line separates them.
fn quadrants() -> Dataset {
    let (mut a, mut b, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..40 {
        let (u, v) = ((i % 7) as f32 / 7.0 + 0.2, (i % 5) as f32 / 5.0 + 0.2);
        for (sa, sb) in [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)] {
            a.push(sa * u);
            b.push(sb * v);
            y.push((sa * sb > 0.0) as u32);
        }
    }
    Dataset {
        x: FeatureMatrix::from_columns(y.len(), vec![a, b]),
        target: Target::Classes { y, names: vec!["no".into(), "yes".into()] },
        feature_names: vec!["a".into(), "b".into()],
    }
}

fn quick() -> MlpParams {
    MlpParams { hidden: vec![8], activation: Activation::Tanh, learning_rate: 0.03, max_epochs: 300, ..MlpParams::default() }
}

#[test]
fn learns_a_boundary_no_line_can_draw() {
    let data = quadrants();
    let model = quick().fit(&data, 1, &mut NoProgress).unwrap();
    let predicted = model.predict(&data.x).unwrap().labels().unwrap();
    let Target::Classes { y, .. } = &data.target else { unreachable!() };
    let correct = predicted.iter().zip(y).filter(|(p, t)| p == t).count();
    assert!(correct as f64 / y.len() as f64 > 0.95, "{correct} of {}", y.len());
    let loss = &model.history().loss;
    assert!(loss.last() < loss.first(), "the loss went down: {loss:?}");
}

#[test]
fn the_same_seed_gives_the_same_network_and_another_seed_another() {
    let data = quadrants();
    let params = MlpParams { max_epochs: 20, dropout: 0.2, ..quick() };
    let a = params.fit(&data, 5, &mut NoProgress).unwrap();
    let b = params.fit(&data, 5, &mut NoProgress).unwrap();
    let c = params.fit(&data, 6, &mut NoProgress).unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_eq!(a.predict(&data.x).unwrap(), b.predict(&data.x).unwrap());
    assert_ne!(a.network(), c.network());
}

#[test]
fn training_stops_when_the_loss_stops_improving() {
    // A large penalty settles the weights quickly; scikit-learn's rule then stops
    // after more than 10 epochs without the loss falling by 1e-4.
    let params = MlpParams { alpha: 5.0, learning_rate: 0.05, max_epochs: 2000, ..quick() };
    let model = params.fit(&quadrants(), 1, &mut NoProgress).unwrap();
    let epochs = model.history().loss.len();
    assert!(epochs > 11 && epochs < 2000, "{epochs} epochs");
}

#[test]
fn early_stopping_scores_held_out_rows_and_keeps_the_best_weights() {
    let data = quadrants();
    let params = MlpParams { early_stopping: true, max_epochs: 400, ..quick() };
    let model = params.fit(&data, 2, &mut NoProgress).unwrap();
    let history = model.history();
    assert_eq!(history.validation.len(), history.loss.len());
    assert!(history.validation.iter().all(|s| (0.0..=1.0).contains(s)));
    // Too few rows to hold out two: the training loss decides instead.
    let small = data.select_rows(&[0, 1, 2, 3, 4, 5]);
    let model = params.fit(&small, 2, &mut NoProgress).unwrap();
    assert!(model.history().validation.is_empty());
}

#[test]
fn regression_learns_a_line_and_answers_in_the_targets_units() {
    // y = 3x + 10 on x in [−1, 1]: learned standardized, predicted back in y's own units.
    let x: Vec<f32> = (0..50).map(|i| i as f32 / 25.0 - 1.0).collect();
    let y: Vec<f64> = x.iter().map(|&v| 3.0 * v as f64 + 10.0).collect();
    let data = Dataset {
        x: FeatureMatrix::from_columns(50, vec![x]),
        target: Target::Values(y.clone()),
        feature_names: vec!["x".into()],
    };
    let params = MlpParams { learning_rate: 0.05, max_epochs: 1000, batch_size: 10, ..quick() };
    let model = params.fit(&data, 0, &mut NoProgress).unwrap();
    let p = values(model.predict(&data.x).unwrap());
    assert!(crate::base::r2_score(&y, &p) > 0.99);
}

#[test]
fn degenerate_inputs_give_a_defined_model() {
    // One regression row: batches of one, and the net comes close to that row's value
    // (training stops once Adam's steps circle it without gaining 1e-4 for 10 epochs).
    let one = Dataset {
        x: FeatureMatrix::from_columns(1, vec![vec![0.0]]),
        target: Target::Values(vec![4.0]),
        feature_names: vec!["x".into()],
    };
    let model = (MlpParams { learning_rate: 0.01, max_epochs: 1000, ..quick() }).fit(&one, 0, &mut NoProgress).unwrap();
    let p = values(model.predict(&one.x).unwrap())[0];
    assert!((p - 4.0).abs() < 0.25, "{p} after {} epochs: {:?}", model.history().loss.len(), model.history().loss.last());
    // Wrong number of columns when predicting.
    let wide = FeatureMatrix::from_columns(1, vec![vec![0.0], vec![1.0]]);
    assert_eq!(model.predict(&wide).unwrap_err(), PredictError::FeatureCount { expected: 1, found: 2 });
    // Constant (standardized to 0) features: the net learns the class shares from its biases.
    let flat = Dataset {
        x: FeatureMatrix::from_columns(4, vec![vec![0.0; 4]]),
        target: Target::Classes { y: vec![0, 1, 1, 1], names: vec!["a".into(), "b".into()] },
        feature_names: vec!["x".into()],
    };
    let model = (MlpParams { max_epochs: 2000, learning_rate: 0.05, ..quick() }).fit(&flat, 0, &mut NoProgress).unwrap();
    let Predictions::Classes { proba, .. } = model.predict(&flat.x).unwrap() else { panic!("classes") };
    assert!((proba[1] - 0.75).abs() < 0.05, "{proba:?}");
}

#[test]
fn settings_are_read_and_checked() {
    let v: ParamValues = [
        ("hidden_layers".to_string(), ParamValue::Choice("32,16".into())),
        ("activation".to_string(), ParamValue::Choice("logistic".into())),
        ("early_stopping".to_string(), ParamValue::Choice("on".into())),
    ]
    .into();
    let p = MlpParams::from_values(Task::Classification, &v).unwrap();
    assert_eq!((p.hidden, p.activation, p.early_stopping), (vec![32, 16], Activation::Logistic, true));
    assert_eq!(MlpParams::from_values(Task::Regression, &ParamValues::new()).unwrap(), MlpParams::default());
    let bad: ParamValues = [("dropout".to_string(), ParamValue::Float(0.7))].into();
    assert!(MlpParams::from_values(Task::Regression, &bad).is_err());
}

#[test]
fn the_explanation_shows_the_network_then_its_training_curve() {
    let data = quadrants();
    let model = (MlpParams { max_epochs: 5, ..quick() }).fit(&data, 0, &mut NoProgress).unwrap();
    // 2·8 + 8 weights and biases into the hidden layer, 8 + 1 into the logistic output.
    assert_eq!(model.n_parameters(), 33);
    let features = vec![
        FeatureInfo { column: "a".into(), encoding: Encoding::Value },
        FeatureInfo { column: "island".into(), encoding: Encoding::Level("Dream".into()) },
    ];
    let e = model.explain(&features, &data.target, "label");
    assert_eq!(e.feature_importance, None);
    let ModelView::Network(net) = &e.views[0] else { panic!("network first") };
    assert_eq!(net.layers, vec![2, 8, 1]);
    assert_eq!(net.input_names, vec!["a", "island = Dream"]);
    assert_eq!(net.output_names, vec!["P(yes)"]);
    assert_eq!(net.weights.iter().map(Vec::len).collect::<Vec<_>>(), vec![16, 8]);
    let ModelView::Curves(curves) = &e.views[1] else { panic!("then the loss curve") };
    assert_eq!(curves.series[0].points.len(), 5);
    assert_eq!(curves.series[0].points[0].0, 1.0);
    assert_eq!(e.views.len(), 2, "no validation curve without early stopping");
}
