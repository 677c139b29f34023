//! The network itself: dense layers, the forward pass, backpropagation and
//! Adam, following scikit-learn's `MLPClassifier` / `MLPRegressor` step by step
//! (Glorot-uniform initialization, L2 penalty divided by the batch size, Adam
//! with β₁ = 0.9, β₂ = 0.999, ε = 1e-8, stopping after 10 epochs without a gain
//! of 1e-4) so that both land near the same optimum.
//!
//! Rows travel through the network row-major (`batch × units`), and every
//! weight row `weights[j * n_in ..][..n_in]` is contiguous, so the forward pass
//! is a dot product of two contiguous slices and the backward pass two `axpy`s;
//! the compiler vectorizes both. Weights and activations are `f32`, losses are
//! summed in `f64`. `exp` and `tanh` come from `libm`, so the same seed gives
//! bit-identical weights natively and in WebAssembly.

use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::params::{Activation, MlpParams};
use crate::base::program::softmax_f32;
use crate::base::{accuracy, dot, r2_score, shuffle_split, stratified_split, Progress};
use crate::model::Predictions;

/// Adam's decay rates and ε, scikit-learn's defaults.
const BETA_1: f64 = 0.9;
const BETA_2: f64 = 0.999;
const EPSILON: f32 = 1e-8;
/// Training stops after this many epochs without improving by [`TOL`].
pub const N_ITER_NO_CHANGE: usize = 10;
pub const TOL: f64 = 1e-4;
/// Share of the training rows held out when early stopping is on.
pub const VALIDATION_FRACTION: f64 = 0.1;
/// Rows pushed through a layer side by side when predicting: two 128-bit
/// vectors of `f32` (wasm SIMD, SSE), one of AVX.
const ROWS: usize = 8;

/// One fully connected layer: `weights[j * n_in + i]` joins input `i` to unit `j`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dense {
    pub n_in: usize,
    pub n_out: usize,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Dense {
    /// Glorot-uniform, as scikit-learn: weights and biases uniform in ±√(6 / (fan_in + fan_out)),
    /// with 2 instead of 6 for the logistic activation.
    fn glorot(n_in: usize, n_out: usize, activation: Activation, rng: &mut ChaCha8Rng) -> Dense {
        let factor = if activation == Activation::Logistic { 2.0 } else { 6.0 };
        let bound = (factor / (n_in + n_out) as f64).sqrt();
        let mut draw = |len: usize| (0..len).map(|_| rng.random_range(-bound..bound) as f32).collect();
        let weights = draw(n_in * n_out);
        let bias = draw(n_out);
        Dense { n_in, n_out, weights, bias }
    }

    /// `output[r] = bias + W · input[r]` for the `n` rows of `input`.
    fn affine(&self, input: &[f32], output: &mut [f32]) {
        for (x, z) in input.chunks_exact(self.n_in).zip(output.chunks_exact_mut(self.n_out)) {
            for ((z, w), b) in z.iter_mut().zip(self.weights.chunks_exact(self.n_in)).zip(&self.bias) {
                *z = b + dot(w, x);
            }
        }
    }
}

impl Dense {
    /// [`affine`](Self::affine) for [`ROWS`] rows side by side, input-major:
    /// `input[i * ROWS + r]` is input `i` of row `r`, and unit `j` of row `r`
    /// goes to `output[j * ROWS + r]`. Each row's unit is summed exactly as
    /// `bias + dot(w, x)` ([`dot`]'s eight lanes over the full chunks of eight
    /// inputs, then the lanes in order, then the remainder's products in
    /// order), so the bits are the ones a row alone gets; the rows side by side
    /// are what turns into vector instructions, with no sum reordered.
    fn affine_rows(&self, input: &[f32], output: &mut [f32]) {
        // What `Iterator::sum` of `f32` starts from, as `dot` sums with it.
        let start: f32 = std::iter::empty::<f32>().sum();
        let full = self.n_in - self.n_in % 8;
        for ((w, &b), out) in self.weights.chunks_exact(self.n_in).zip(&self.bias).zip(output.chunks_exact_mut(ROWS)) {
            let mut lanes = [[0.0f32; ROWS]; 8];
            for chunk in (0..full).step_by(8) {
                for (k, lane) in lanes.iter_mut().enumerate() {
                    let (wk, x) = (w[chunk + k], &input[(chunk + k) * ROWS..][..ROWS]);
                    lane.iter_mut().zip(x).for_each(|(s, &x)| *s += wk * x);
                }
            }
            let mut tail = [start; ROWS];
            for (i, &wi) in w.iter().enumerate().skip(full) {
                tail.iter_mut().zip(&input[i * ROWS..][..ROWS]).for_each(|(t, &x)| *t += wi * x);
            }
            for (r, out) in out.iter_mut().enumerate() {
                let sum = lanes.iter().fold(start, |s, lane| s + lane[r]);
                *out = b + (sum + tail[r]);
            }
        }
    }
}

/// What the last layer computes from its weighted sums, paired with its loss so
/// that the output error is always `prediction − target` (canonical link).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Output {
    /// Class probabilities, with cross-entropy (three or more classes).
    Softmax,
    /// Probability of the second class, with binary cross-entropy.
    Logistic,
    /// The value itself, with half the squared error.
    Identity,
}

/// A trained feed-forward network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub layers: Vec<Dense>,
    pub activation: Activation,
    pub output: Output,
}

/// What training recorded, per epoch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Mean training loss (with the L2 term), as scikit-learn's `loss_curve_`.
    pub loss: Vec<f64>,
    /// Accuracy or R² on the held-out rows, when early stopping is on.
    pub validation: Vec<f64>,
}

/// Training rows, row-major, with their encoded targets.
pub struct TrainSet<'a> {
    /// `n × n_features`, row-major.
    pub x: &'a [f32],
    pub n_features: usize,
    /// `n × n_outputs`, row-major: one-hot classes, 0/1, or the value.
    pub y: &'a [f32],
    /// Class of each row (classification), for the validation accuracy.
    pub classes: Option<(&'a [u32], usize)>,
}

impl TrainSet<'_> {
    fn n_rows(&self) -> usize {
        self.x.len() / self.n_features
    }
}

impl Network {
    /// A freshly initialized network with `sizes` units per layer (inputs first).
    pub fn init(sizes: &[usize], activation: Activation, output: Output, rng: &mut ChaCha8Rng) -> Network {
        let layers = sizes.windows(2).map(|w| Dense::glorot(w[0], w[1], activation, rng)).collect();
        Network { layers, activation, output }
    }

    pub fn n_inputs(&self) -> usize {
        self.layers[0].n_in
    }

    pub fn n_outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out
    }

    /// Units per layer, inputs first.
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.n_inputs()).chain(self.layers.iter().map(|l| l.n_out)).collect()
    }

    /// Runs `acts[0]` (`n` rows) through every layer into `acts[1..]`, calling
    /// `after_hidden(layer, activations)` on each hidden layer's output (dropout).
    fn forward(&self, acts: &mut [Vec<f32>], n: usize, mut after_hidden: impl FnMut(usize, &mut [f32])) {
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let (before, after) = acts.split_at_mut(l + 1);
            let out = &mut after[0][..n * layer.n_out];
            layer.affine(&before[l][..n * layer.n_in], out);
            if l < last {
                hidden_activation(self.activation, out);
                after_hidden(l, out);
            } else {
                output_activation(self.output, out, layer.n_out);
            }
        }
    }

    /// Class probabilities or values for `n_rows` rows given column by column.
    pub fn predict<C: AsRef<[f32]>>(&self, columns: &[C], n_rows: usize) -> Predictions {
        let out = self.outputs(columns, n_rows);
        match self.output {
            Output::Identity => Predictions::Values(out.into_iter().map(f64::from).collect()),
            Output::Softmax => Predictions::Classes { proba: out, n_classes: self.n_outputs() },
            // One logistic unit gives P(second class); the first has the rest.
            Output::Logistic => {
                Predictions::Classes { proba: out.iter().flat_map(|&p| [1.0 - p, p]).collect(), n_classes: 2 }
            }
        }
    }

    /// The last layer's outputs for `n_rows` rows given column by column,
    /// `n_outputs` per row, row-major. [`ROWS`] rows at a time go through
    /// each layer side by side ([`Dense::affine_rows`]), input-major, so the
    /// columns are copied in as they are and only the last layer's block is
    /// turned back into rows.
    fn outputs<C: AsRef<[f32]>>(&self, columns: &[C], n_rows: usize) -> Vec<f32> {
        let n_out = self.n_outputs();
        let mut acts: Vec<Vec<f32>> = self.sizes().iter().map(|&s| vec![0.0; s * ROWS]).collect();
        let mut out = Vec::with_capacity(n_rows * n_out);
        let last = self.layers.len() - 1;
        for start in (0..n_rows).step_by(ROWS) {
            let n = ROWS.min(n_rows - start);
            for (j, col) in columns.iter().enumerate() {
                // A short last block keeps zeros (or the rows before) past `n`: never read back.
                acts[0][j * ROWS..j * ROWS + n].copy_from_slice(&col.as_ref()[start..start + n]);
            }
            for (l, layer) in self.layers.iter().enumerate() {
                let (before, after) = acts.split_at_mut(l + 1);
                layer.affine_rows(&before[l], &mut after[0]);
                if l < last {
                    hidden_activation(self.activation, &mut after[0]);
                }
            }
            let block = &acts[last + 1];
            let first = out.len();
            out.extend((0..n).flat_map(|r| (0..n_out).map(move |k| block[k * ROWS + r])));
            output_activation(self.output, &mut out[first..], n_out);
        }
        out
    }

    /// One buffer per layer (inputs first) for `rows` rows.
    fn buffers(&self, rows: usize) -> Vec<Vec<f32>> {
        self.sizes().iter().map(|&s| vec![0.0; rows * s]).collect()
    }

    /// Sum of squared weights (biases are not penalized).
    fn squared_weights(&self) -> f64 {
        self.layers.iter().flat_map(|l| &l.weights).map(|&w| w as f64 * w as f64).sum()
    }
}

/// Applies the hidden activation in place.
fn hidden_activation(activation: Activation, z: &mut [f32]) {
    z.iter_mut().for_each(|v| *v = activation.apply(*v));
}

/// The activation's derivative, written in terms of its output `a` (what
/// backpropagation has at hand): relu 1 if a > 0, tanh 1 − a², logistic a(1 − a).
fn derivative(activation: Activation, a: f32) -> f32 {
    match activation {
        Activation::Relu => {
            if a > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Tanh => 1.0 - a * a,
        Activation::Logistic => a * (1.0 - a),
    }
}

/// Applies the output activation to each row of `width` sums in place.
fn output_activation(output: Output, z: &mut [f32], width: usize) {
    match output {
        Output::Identity => {}
        Output::Logistic => hidden_activation(Activation::Logistic, z),
        // Shifting by the largest sum keeps exp from overflowing.
        Output::Softmax => z.chunks_exact_mut(width).for_each(softmax_f32),
    }
}

/// The loss of one row's outputs `p` against its targets `y`, before the L2
/// term: cross-entropy with probabilities clipped to [ε, 1 − ε] as scikit-learn,
/// or half the squared error averaged over the outputs.
pub fn row_loss(output: Output, p: &[f32], y: &[f32]) -> f64 {
    let eps = f32::EPSILON as f64;
    let ln = |q: f32| libm::log((q as f64).clamp(eps, 1.0 - eps));
    match output {
        Output::Identity => {
            p.iter().zip(y).map(|(&p, &y)| 0.5 * (p as f64 - y as f64) * (p as f64 - y as f64)).sum::<f64>() / p.len() as f64
        }
        Output::Logistic => p.iter().zip(y).map(|(&p, &y)| -(y as f64 * ln(p) + (1.0 - y as f64) * ln(1.0 - p))).sum(),
        Output::Softmax => p.iter().zip(y).filter(|(_, &y)| y > 0.0).map(|(&p, &y)| -(y as f64) * ln(p)).sum(),
    }
}

/// `out += a · x`.
fn axpy(a: f32, x: &[f32], out: &mut [f32]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o += a * v;
    }
}

/// Adam's running moments for one parameter vector.
#[derive(Clone)]
pub struct Moments {
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Moments {
    pub fn new(len: usize) -> Self {
        Moments { m: vec![0.0; len], v: vec![0.0; len] }
    }

    /// One Adam step on `params` with gradient `grad` and bias-corrected rate `lr`.
    pub fn step(&mut self, params: &mut [f32], grad: &[f32], lr: f32) {
        let (b1, b2) = (BETA_1 as f32, BETA_2 as f32);
        for (((p, &g), m), v) in params.iter_mut().zip(grad).zip(&mut self.m).zip(&mut self.v) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= lr * *m / (v.sqrt() + EPSILON);
        }
    }
}

/// Adam's step size at step `t` (1-based), bias corrections folded in as scikit-learn does:
/// `lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`. (`libm::pow`, like `exp`, gives the same bits in
/// WebAssembly as natively.)
pub fn adam_rate(learning_rate: f64, t: u32) -> f64 {
    let t = t as f64;
    learning_rate * (1.0 - libm::pow(BETA_2, t)).sqrt() / (1.0 - libm::pow(BETA_1, t))
}

/// Gradients and Adam state of one layer.
struct LayerState {
    grad_w: Vec<f32>,
    grad_b: Vec<f32>,
    adam_w: Moments,
    adam_b: Moments,
    /// Inverted-dropout factors of this layer's outputs in the current batch
    /// (0 or 1 / keep), empty without dropout.
    mask: Vec<f32>,
}

/// Everything one training run allocates once and reuses every batch.
pub struct Trainer<'a> {
    net: Network,
    params: &'a MlpParams,
    rng: ChaCha8Rng,
    states: Vec<LayerState>,
    /// Activations per layer (inputs first), `batch × units`.
    acts: Vec<Vec<f32>>,
    /// Error of each layer's weighted sums, `batch × units` (layer `l` ↔ `acts[l + 1]`).
    deltas: Vec<Vec<f32>>,
    /// Adam steps taken so far.
    step: u32,
}

impl<'a> Trainer<'a> {
    /// A network of `sizes` units per layer, initialized from `rng`.
    pub fn new(sizes: &[usize], output: Output, params: &'a MlpParams, batch: usize, mut rng: ChaCha8Rng) -> Self {
        let net = Network::init(sizes, params.activation, output, &mut rng);
        let dropout = params.dropout > 0.0;
        let last = net.layers.len() - 1;
        let states = net
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| LayerState {
                grad_w: vec![0.0; layer.weights.len()],
                grad_b: vec![0.0; layer.n_out],
                adam_w: Moments::new(layer.weights.len()),
                adam_b: Moments::new(layer.n_out),
                mask: if dropout && l < last { vec![0.0; batch * layer.n_out] } else { Vec::new() },
            })
            .collect();
        let acts = net.buffers(batch);
        let deltas = acts[1..].to_vec();
        Trainer { net, params, rng, states, acts, deltas, step: 0 }
    }

    /// The network as trained so far.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// Forward and backward pass on the rows `batch` of `data`, then one Adam
    /// step. Returns the batch's loss including the L2 term.
    pub fn train_batch(&mut self, data: &TrainSet, batch: &[usize]) -> f64 {
        let loss = self.gradients(data, batch);
        self.step += 1;
        let lr = adam_rate(self.params.learning_rate, self.step) as f32;
        for (layer, state) in self.net.layers.iter_mut().zip(&mut self.states) {
            state.adam_w.step(&mut layer.weights, &state.grad_w, lr);
            state.adam_b.step(&mut layer.bias, &state.grad_b, lr);
        }
        loss
    }

    /// The gradient of layer `l`'s weights and biases from the last [`Self::gradients`].
    #[cfg(test)]
    pub fn gradient(&self, l: usize) -> (&[f32], &[f32]) {
        (&self.states[l].grad_w, &self.states[l].grad_b)
    }

    /// The network, to set weights by hand (gradient checks).
    #[cfg(test)]
    pub fn network_mut(&mut self) -> &mut Network {
        &mut self.net
    }

    /// Forward and backward pass on the rows `batch` of `data`, leaving the
    /// gradients in the layer states. Returns the batch's loss including the L2 term.
    pub fn gradients(&mut self, data: &TrainSet, batch: &[usize]) -> f64 {
        let n = batch.len();
        let (n_in, n_out) = (data.n_features, self.net.n_outputs());
        for (r, &row) in batch.iter().enumerate() {
            self.acts[0][r * n_in..(r + 1) * n_in].copy_from_slice(&data.x[row * n_in..(row + 1) * n_in]);
        }
        // Inverted dropout: a kept unit is scaled by 1 / keep so that its expected
        // output is unchanged and nothing needs rescaling at prediction time.
        let (rng, states, rate) = (&mut self.rng, &mut self.states, self.params.dropout);
        let keep = 1.0 - rate;
        self.net.forward(&mut self.acts, n, |l, a| {
            if let Some(mask) = states.get_mut(l).map(|s| &mut s.mask).filter(|m| !m.is_empty()) {
                for (v, m) in a.iter_mut().zip(mask.iter_mut()) {
                    *m = if rng.random::<f64>() < keep { (1.0 / keep) as f32 } else { 0.0 };
                    *v *= *m;
                }
            }
        });

        let last = self.net.layers.len() - 1;
        let p = &self.acts[last + 1][..n * n_out];
        let mut loss = 0.0;
        // Output error: prediction − target, for each row of the batch.
        for (r, &row) in batch.iter().enumerate() {
            let (p, y) = (&p[r * n_out..(r + 1) * n_out], &data.y[row * n_out..(row + 1) * n_out]);
            for ((d, &p), &y) in self.deltas[last][r * n_out..(r + 1) * n_out].iter_mut().zip(p).zip(y) {
                *d = p - y;
            }
            loss += row_loss(self.net.output, p, y);
        }
        loss /= n as f64;
        loss += 0.5 * self.params.alpha * self.net.squared_weights() / n as f64;
        self.backward(n);
        loss
    }

    /// Gradients of every layer from the output error in `deltas[last]`:
    /// `∂W = (δᵀ·a + α·W) / n`, `∂b = mean δ`, and the error passed down is
    /// `(δ·W) ⊙ f′(a)` (times the dropout mask).
    fn backward(&mut self, n: usize) {
        let alpha = self.params.alpha as f32;
        let inv_n = 1.0 / n as f32;
        let keep = (1.0 - self.params.dropout) as f32;
        for l in (0..self.net.layers.len()).rev() {
            let layer = &self.net.layers[l];
            let state = &mut self.states[l];
            let (n_in, n_out) = (layer.n_in, layer.n_out);
            state.grad_w.fill(0.0);
            state.grad_b.fill(0.0);
            let (below, this) = self.deltas.split_at_mut(l);
            let delta = &this[0][..n * n_out];
            let input = &self.acts[l][..n * n_in];
            let mut down = below.last_mut().map(|d| &mut d[..n * n_in]);
            if let Some(d) = down.as_deref_mut() {
                d.fill(0.0);
            }
            for r in 0..n {
                let (d_row, a_row) = (&delta[r * n_out..(r + 1) * n_out], &input[r * n_in..(r + 1) * n_in]);
                for (j, &d) in d_row.iter().enumerate() {
                    axpy(d, a_row, &mut state.grad_w[j * n_in..(j + 1) * n_in]);
                    state.grad_b[j] += d;
                    if let Some(down) = down.as_deref_mut() {
                        axpy(d, &layer.weights[j * n_in..(j + 1) * n_in], &mut down[r * n_in..(r + 1) * n_in]);
                    }
                }
            }
            for (g, &w) in state.grad_w.iter_mut().zip(&layer.weights) {
                *g = (*g + alpha * w) * inv_n;
            }
            state.grad_b.iter_mut().for_each(|g| *g *= inv_n);
            if let Some(down) = down {
                let activation = self.net.activation;
                match self.states.get(l - 1).map(|s| &s.mask).filter(|m| !m.is_empty()) {
                    None => down.iter_mut().zip(input).for_each(|(d, &a)| *d *= derivative(activation, a)),
                    // A kept output is f(z) / keep, so f(z) = a · keep; a dropped one has m = 0.
                    Some(mask) => down
                        .iter_mut()
                        .zip(input)
                        .zip(mask)
                        .for_each(|((d, &a), &m)| *d *= m * derivative(activation, a * keep)),
                }
            }
        }
    }
}

/// Trains a network with hidden layers `params.hidden` on `data`, reporting each epoch.
pub fn train(
    data: &TrainSet,
    output: Output,
    params: &MlpParams,
    seed: u64,
    progress: &mut dyn Progress,
) -> (Network, History) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = data.n_rows();
    let split_seed = rng.next_u64();
    let (mut rows, held_out) =
        if params.early_stopping { validation_split(data, split_seed) } else { ((0..n).collect(), Vec::new()) };
    let validation = Validation::new(data, held_out);
    let batch = params.batch_size.clamp(1, rows.len().max(1));
    let sizes: Vec<usize> =
        std::iter::once(data.n_features).chain(params.hidden.iter().copied()).chain([data.y.len() / n.max(1)]).collect();
    let shuffle_seed = rng.next_u64();
    let mut trainer = Trainer::new(&sizes, output, params, batch, rng);
    let mut shuffler = ChaCha8Rng::seed_from_u64(shuffle_seed);

    let mut history = History::default();
    let (mut best_loss, mut best_score, mut best) = (f64::INFINITY, f64::NEG_INFINITY, None);
    let mut no_improvement = 0;
    for epoch in 0..params.max_epochs {
        rows.shuffle(&mut shuffler);
        let total: f64 = rows.chunks(batch).map(|b| trainer.train_batch(data, b) * b.len() as f64).sum();
        let loss = total / rows.len() as f64;
        history.loss.push(loss);
        // scikit-learn's rule: count epochs that fail to beat the best by `TOL`.
        let improved = if validation.rows.is_empty() {
            let improved = loss <= best_loss - TOL;
            best_loss = best_loss.min(loss);
            improved
        } else {
            let score = validation.score(trainer.network(), data);
            history.validation.push(score);
            let improved = score >= best_score + TOL;
            if score > best_score {
                best_score = score;
                best = Some(trainer.network().clone());
            }
            improved
        };
        no_improvement = if improved { 0 } else { no_improvement + 1 };
        progress.report(epoch + 1, params.max_epochs, "training the network");
        if no_improvement > N_ITER_NO_CHANGE {
            break;
        }
    }
    let net = best.unwrap_or_else(|| trainer.network().clone());
    (net, history)
}

/// Splits off a tenth of the rows for early stopping (by class for a classifier).
/// Fewer than two held-out rows cannot score anything: then no rows are held
/// out and the training loss decides when to stop.
fn validation_split(data: &TrainSet, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let split = match data.classes {
        Some((y, n_classes)) => stratified_split(y, n_classes, VALIDATION_FRACTION, seed),
        None => shuffle_split(data.n_rows(), VALIDATION_FRACTION, seed),
    };
    if split.test.len() < 2 {
        return ((0..data.n_rows()).collect(), Vec::new());
    }
    (split.train, split.test)
}

/// The rows held out for early stopping, with their features column by column
/// (as prediction takes them), gathered once.
struct Validation {
    rows: Vec<usize>,
    columns: Vec<Vec<f32>>,
}

impl Validation {
    fn new(data: &TrainSet, rows: Vec<usize>) -> Self {
        let d = data.n_features;
        let columns = if rows.is_empty() {
            Vec::new()
        } else {
            (0..d).map(|j| rows.iter().map(|&r| data.x[r * d + j]).collect()).collect()
        };
        Validation { rows, columns }
    }

    /// Accuracy (classifier) or R² (regressor) of `net` on the held-out rows.
    fn score(&self, net: &Network, data: &TrainSet) -> f64 {
        match (net.predict(&self.columns, self.rows.len()), data.classes) {
            (Predictions::Values(p), _) => r2_score(&self.rows.iter().map(|&r| data.y[r] as f64).collect::<Vec<_>>(), &p),
            (classes, Some((y, _))) => {
                let truth: Vec<u32> = self.rows.iter().map(|&r| y[r]).collect();
                accuracy(&truth, &classes.labels().unwrap_or_default())
            }
            (_, None) => f64::NAN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows side by side get the bits a row gets alone through `affine`
    /// (`bias + dot`), for input counts below, at and past `dot`'s eight
    /// lanes, with signed zeros among the products.
    #[test]
    fn rows_side_by_side_sum_as_each_row_alone() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n_in in [1, 3, 8, 10, 17, 30] {
            let mut layer = Dense::glorot(n_in, 5, Activation::Relu, &mut rng);
            layer.weights[0] = -0.0;
            let rows: Vec<Vec<f32>> = (0..ROWS)
                .map(|r| (0..n_in).map(|i| if (r + i) % 5 == 0 { -0.0 } else { rng.random_range(-3.0..3.0) }).collect())
                .collect();
            let input: Vec<f32> = (0..n_in).flat_map(|i| rows.iter().map(move |row| row[i])).collect();
            let mut side_by_side = vec![0.0; 5 * ROWS];
            layer.affine_rows(&input, &mut side_by_side);
            for (r, row) in rows.iter().enumerate() {
                let mut alone = vec![0.0; 5];
                layer.affine(row, &mut alone);
                let got: Vec<u32> = (0..5).map(|j| side_by_side[j * ROWS + r].to_bits()).collect();
                assert_eq!(got, alone.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), "{n_in} inputs, row {r}");
            }
        }
    }
}
