//! A small multilayer perceptron, modelled on scikit-learn's `MLPClassifier`
//! (softmax or logistic output, cross-entropy) and `MLPRegressor` (identity
//! output, squared error), trained with Adam on shuffled mini-batches.
//!
//! The regressor learns the target standardized (zero mean, unit variance on
//! the training rows) and predicts in the target's own units, as scikit-learn's
//! `TransformedTargetRegressor(MLPRegressor(...), transformer=StandardScaler())`
//! does: with a raw target in the hundreds, Adam's small steps would need
//! thousands of epochs just to reach the right scale.
//!
//! Beyond scikit-learn it offers dropout on the hidden layers; with dropout the
//! model is not compared with scikit-learn, which has none.

mod network;
mod params;

use serde::{Deserialize, Serialize};

pub use network::{Dense, History, Network, Output};
pub use params::{specs, Activation, MlpParams};

use network::{TrainSet, VALIDATION_FRACTION};

use crate::base::program::{Builder, Data, NotLowered, Op, Reg, Role};
use crate::base::{FeatureInfo, FeatureMatrix, Progress, Scaling, Standard, Target, Task};
use crate::model::params::{at_least, require};
use crate::model::view::{CurvesView, ModelView, NetworkView, Series};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, Complexity, DataView, Explanation, Fit, FitError, FittedModel,
    ModelInfo, ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "mlp",
    name: "Neural network (MLP)",
    tasks: &[Task::Classification, Task::Regression],
    scaling: Scaling::Standardize,
    seeded: true,
    params: specs,
    complexity: Some(Complexity {
        key: "max_iter",
        values: &[5, 10, 25, 50, 100, 200, 500, 1000],
        cost_grows: true,
        zero_is_unlimited: false,
    }),
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<MlpParams>,
    load: load_boxed::<MlpParams>,
    to_json: to_json_boxed::<MlpParams>,
    from_json: from_json_boxed::<MlpParams>,
};

/// A trained multilayer perceptron and how its training went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mlp {
    network: Network,
    /// Mean and standard deviation of the training target (regression only):
    /// the network predicts the standardized value.
    target_scale: Option<Standard>,
    /// Per-epoch curves, for the explanation only: they are not part of the
    /// model, so they are not counted in its size.
    #[serde(skip)]
    history: History,
}

impl Fit for MlpParams {
    type Model = Mlp;

    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        MlpParams::read(task, values)
    }

    fn check(&self) -> Result<(), FitError> {
        let widths = self.hidden.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        require(
            !self.hidden.is_empty() && self.hidden.iter().all(|&w| w >= 1),
            "hidden layers",
            widths,
            "one or more layers of at least 1 unit",
        )?;
        require(at_least(self.alpha, 0.0), "L2 penalty (alpha)", self.alpha, "a number from 0 up")?;
        require(at_least(self.learning_rate, f64::MIN_POSITIVE), "learning rate", self.learning_rate, "a number above 0")?;
        require(self.batch_size >= 1, "batch size", self.batch_size, "at least 1")?;
        require(self.max_epochs >= 1, "max epochs", self.max_epochs, "at least 1")?;
        require(
            at_least(self.dropout, 0.0) && self.dropout < 1.0,
            "dropout",
            self.dropout,
            "a share from 0 up to (not including) 1",
        )
    }

    /// Trains on `train`; `seed` decides the initial weights, the order of the
    /// mini-batches, the dropout masks and the rows held out for early stopping.
    fn fit_checked(&self, train: &DataView, seed: u64, progress: &mut dyn Progress) -> Result<Mlp, FitError> {
        train.check_fit_ready()?;
        let data = train.to_dataset();
        let train = &*data;
        let (n, x) = (train.x.n_rows(), train.x.row_major());
        // Targets as the output layer sees them, row-major.
        let (output, y, classes, target_scale) = match &train.target {
            Target::Classes { y, names } if names.len() == 2 => {
                (Output::Logistic, y.iter().map(|&c| c as f32).collect(), Some((y.as_slice(), 2)), None)
            }
            Target::Classes { y, names } => {
                let k = names.len();
                let mut one_hot = vec![0.0f32; n * k];
                y.iter().enumerate().for_each(|(r, &c)| one_hot[r * k + c as usize] = 1.0);
                (Output::Softmax, one_hot, Some((y.as_slice(), k)), None)
            }
            Target::Values(v) => {
                let scale = Standard::fit(v.iter().copied());
                (Output::Identity, v.iter().map(|&v| scale.apply(v as f32)).collect(), None, Some(scale))
            }
            Target::Unlabeled { .. } => return Err(FitError::WrongTask(Task::Clustering.name().to_string())),
        };
        let data = TrainSet { x: &x, n_features: train.x.n_cols(), y: &y, classes };
        let (network, history) = network::train(&data, output, self, seed, progress);
        Ok(Mlp { network, target_scale, history })
    }
}

impl MlpParams {
    /// Trains on soft targets: `proba[row * n_classes + class]` for the rows
    /// of `x`, as a student learns a teacher's probabilities in knowledge
    /// distillation. The output layer's loss is the cross-entropy against
    /// them (its gradient, output − target, is the one the one-hot fit
    /// uses), so a one-hot `proba` trains exactly as [`Fit::fit`] on those
    /// classes; early stopping scores accuracy against each row's most
    /// probable class (`labels`).
    pub fn fit_soft(
        &self,
        x: &FeatureMatrix,
        proba: &[f32],
        labels: &[u32],
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<Mlp, FitError> {
        self.check()?;
        let n = x.n_rows();
        if n == 0 {
            return Err(FitError::NoRows);
        }
        let k = proba.len() / n;
        if k < 2 || proba.len() != n * k || labels.len() != n {
            return Err(FitError::SoftTargets { rows: n, classes: k, given: proba.len() });
        }
        // Two classes have one sigmoid output: the second class's probability.
        let (output, y) = match k {
            2 => (Output::Logistic, proba.chunks_exact(2).map(|p| p[1]).collect()),
            _ => (Output::Softmax, proba.to_vec()),
        };
        let rows = x.row_major();
        let data = TrainSet { x: &rows, n_features: x.n_cols(), y: &y, classes: Some((labels, k)) };
        let (network, history) = network::train(&data, output, self, seed, progress);
        Ok(Mlp { network, target_scale: None, history })
    }
}

impl Mlp {
    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn history(&self) -> &History {
        &self.history
    }
}

impl FittedModel for Mlp {
    /// Each layer as [`Op::Dense`] (the network's `f32` dot) and its
    /// activation, then the output: the softmax, the logistic unit and its
    /// complement, or the value brought back to the target's units.
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        let net = &self.network;
        let last = net.layers.len() - 1;
        let mut src = inputs;
        for (l, layer) in net.layers.iter().enumerate() {
            let weights = b.parameter("weights", layer.weights.iter().map(|&w| f64::from(w)).collect(), Role::Weights);
            let bias = b.parameter("bias", layer.bias.iter().map(|&w| f64::from(w)).collect(), Role::Weights);
            // The logistic unit gives the second class; the first goes before it.
            let dst = match (l == last, net.output) {
                (true, Output::Logistic) => b.regs(2) + 1,
                _ => b.regs(layer.n_out),
            };
            b.push(Op::Dense { src, n: layer.n_in, dst, outputs: layer.n_out, weights, bias });
            if l < last {
                b.push(Op::Activate { dst, n: layer.n_out, f: net.activation });
            }
            src = dst;
        }
        Ok(match (net.output, self.target_scale) {
            (Output::Softmax, _) => {
                b.push(Op::SoftmaxF32 { dst: src, n: net.n_outputs() });
                src
            }
            (Output::Logistic, _) => {
                b.push(Op::Activate { dst: src, n: 1, f: Activation::Logistic });
                b.push(Op::Complement { src, dst: src - 1 });
                src - 1
            }
            // `invert`: z · std + mean, in f64.
            (Output::Identity, Some(scale)) => {
                let dst = b.regs(1);
                let op = Op::Affine {
                    src,
                    n: 1,
                    dst,
                    outputs: 1,
                    weights: b.constant("target_std", Data::Real(vec![scale.std])),
                    bias: Some(b.constant("target_mean", Data::Real(vec![scale.mean]))),
                    center: None,
                    round: false,
                };
                b.push(op);
                dst
            }
            (Output::Identity, None) => src,
        })
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        let expected = self.network.n_inputs();
        if x.n_cols() != expected {
            return Err(PredictError::FeatureCount { expected, found: x.n_cols() });
        }
        Ok(match (self.network.predict(&x.columns().collect::<Vec<_>>(), x.n_rows()), self.target_scale) {
            (Predictions::Values(z), Some(scale)) => Predictions::Values(z.into_iter().map(|z| scale.invert(z)).collect()),
            (p, _) => p,
        })
    }

    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        let net = &self.network;
        let sizes = net.sizes();
        let output_names = match (net.output, target.class_names()) {
            (Output::Logistic, [_, second]) => vec![format!("P({second})")],
            (Output::Softmax, names) => names.to_vec(),
            _ => vec![target_name.to_string()],
        };
        let arrows: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
        let mut views = vec![ModelView::Network(NetworkView {
            title: format!("Neural network {} ({} hidden units)", arrows.join(" → "), net.activation.name()),
            layers: sizes,
            input_names: features.iter().map(FeatureInfo::label).collect(),
            output_names,
            weights: net.layers.iter().map(|l| l.weights.clone()).collect(),
        })];
        let per_epoch = |values: &[f64]| values.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v)).collect();
        let (loss_name, score_name) = match net.output {
            Output::Identity => ("half squared error (standardized target) + L2 penalty", "R²"),
            _ => ("cross-entropy + L2 penalty", "accuracy"),
        };
        views.push(ModelView::Curves(CurvesView {
            title: "Training loss per epoch".into(),
            x_label: "epoch".into(),
            y_label: loss_name.into(),
            series: vec![Series { name: "training loss".into(), points: per_epoch(&self.history.loss) }],
        }));
        if !self.history.validation.is_empty() {
            views.push(ModelView::Curves(CurvesView {
                title: format!("Early stopping: {score_name} on the held-out {:.0}% per epoch", VALIDATION_FRACTION * 100.0),
                x_label: "epoch".into(),
                y_label: score_name.into(),
                series: vec![Series {
                    name: format!("validation {score_name}"),
                    points: per_epoch(&self.history.validation),
                }],
            }));
        }
        // A network has no single per-input importance: an input's effect passes
        // through every hidden unit and depends on the other inputs.
        Explanation { views, feature_importance: None, importance_measure: "" }
    }

    /// Every weight and bias.
    fn n_parameters(&self) -> usize {
        self.network.layers.iter().map(|l| l.weights.len() + l.bias.len()).sum()
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for Mlp {
    /// Each layer takes what the one before gives, and holds a weight per
    /// pair of units and a bias per unit.
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        use crate::model::LoadError;
        let layers = &self.network.layers;
        LoadError::unless(!layers.is_empty(), || "the network has no layers".into())?;
        for (i, layer) in layers.iter().enumerate() {
            LoadError::unless(
                layer.n_in > 0 && layer.weights.len() == layer.n_in * layer.n_out && layer.bias.len() == layer.n_out,
                || {
                    format!(
                        "layer {} holds {} weights and {} biases for {} × {} units",
                        i + 1,
                        layer.weights.len(),
                        layer.bias.len(),
                        layer.n_in,
                        layer.n_out
                    )
                },
            )?;
            if let Some(next) = layers.get(i + 1) {
                LoadError::unless(next.n_in == layer.n_out, || {
                    format!("layer {} gives {} values but layer {} takes {}", i + 1, layer.n_out, i + 2, next.n_in)
                })?;
            }
        }
        Ok(())
    }
}
