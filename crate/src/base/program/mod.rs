//! A fitted pipeline and model as one small straight-line program: what the
//! page exports as code for an edge device. Every model and the pipeline
//! lower themselves into this one form (`Pipeline::lower`,
//! `FittedModel::lower`); one emitter per language reads it
//! ([`emit()`]), and [`Program::run`] interprets it, so a test can hold the
//! form to the page's own predictions and the emitted code to the form.
//!
//! The form works on a flat array of `f64` registers, all 0 at the start; the
//! raw inputs are registers `0..n_inputs`. Each op says exactly where the page
//! rounds to `f32` and in which order it sums, so the interpreter and the
//! emitted code give the page's bits, not merely its values.

pub mod emit;
mod flash;

pub use emit::{emit, Language, Source};

use std::fmt;

/// A register: an index into the program's working array.
pub type Reg = usize;

/// One raw input of the exported function, as the person knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct InputDoc {
    pub name: String,
    /// For a category column: its levels, given to the function as their index.
    pub levels: Option<Vec<String>>,
}

/// A constant array the ops read.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// Numbers, stored as `f64` (exact for every number the page holds).
    Real(Vec<f64>),
    /// Indices (features, child nodes, leaf rows).
    Index(Vec<u32>),
    /// Numbers stored as IEEE half floats (their bits): quantized.
    Half(Vec<u16>),
    /// Numbers stored as bytes, `zero + scale · code`: quantized per array.
    Int8 { codes: Vec<i8>, scale: f64, zero: f64 },
}

impl Data {
    pub fn len(&self) -> usize {
        match self {
            Data::Real(v) => v.len(),
            Data::Index(v) => v.len(),
            Data::Half(v) => v.len(),
            Data::Int8 { codes, .. } => codes.len(),
        }
    }

    /// The numbers as the program reads them (indices as numbers).
    pub fn values(&self) -> Vec<f64> {
        match self {
            Data::Real(v) => v.clone(),
            Data::Index(v) => v.iter().map(|&i| i as f64).collect(),
            Data::Half(v) => v.iter().map(|&h| from_half(h)).collect(),
            Data::Int8 { codes, scale, zero } => codes.iter().map(|&c| zero + scale * c as f64).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A named constant array; ops refer to it by its place in [`Program::constants`].
#[derive(Clone, Debug, PartialEq)]
pub struct Constant {
    pub name: String,
    pub data: Data,
    /// What the model learned in it, for quantization; `None` for the
    /// pipeline's constants and the indices, which stay exact.
    pub role: Option<Role>,
}

/// What a model's constant array holds, which says how it may be quantized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Coefficients, weights and intercepts.
    Weights,
    /// Split thresholds: 16 bits at least, since a threshold moved across a
    /// training value sends rows the other way.
    Thresholds,
    /// A leaf's predictions.
    Leaves,
}

/// How a program's learned numbers are stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// As the page holds them.
    #[default]
    F32,
    /// IEEE half floats: 2 bytes each.
    F16,
    /// Weights and leaf values as bytes (per-array affine: `zero + scale ·
    /// code`), thresholds as half floats.
    Int8,
}

impl Precision {
    pub const ALL: [Precision; 3] = [Precision::F32, Precision::F16, Precision::Int8];

    /// The `<option value>` and the label.
    pub fn id(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F16 => "f16",
            Precision::Int8 => "int8",
        }
    }
}

/// `v` as the nearest IEEE half float's bits (through `f32`, ties to even;
/// beyond the half range, infinity).
pub fn to_half(v: f64) -> u16 {
    let x = v as f32;
    let sign = ((x.to_bits() >> 16) & 0x8000) as u16;
    let a = x.abs();
    if a.is_nan() {
        return sign | 0x7e00;
    }
    if a >= 65520.0 {
        return sign | 0x7c00;
    }
    if a < 6.103_515_6e-5 {
        // Subnormal: a multiple of 2⁻²⁴ (1024 of them is the smallest normal's bits).
        return sign | (a as f64 * 16_777_216.0).round_ties_even() as u16;
    }
    let bits = a.to_bits();
    let mut h = ((((bits >> 23) as i32 - 127 + 15) as u32) << 10) | ((bits & 0x7f_ffff) >> 13);
    let rest = bits & 0x1fff;
    if rest > 0x1000 || (rest == 0x1000 && h & 1 == 1) {
        h += 1;
    }
    sign | h as u16
}

/// An IEEE half float's bits as an `f64`, exactly.
pub fn from_half(h: u16) -> f64 {
    let (e, m) = ((h as u32 >> 10) & 0x1f, h as u32 & 0x3ff);
    let v = match e {
        0 => m as f32 / 16_777_216.0,
        31 => f32::from_bits(0x7f80_0000 | (m << 13)),
        _ => f32::from_bits(((e + 112) << 23) | (m << 13)),
    };
    f64::from(if h >> 15 == 1 { -v } else { v })
}

/// `values` as bytes over their range: `zero + scale · code`, code in −128..=127.
fn to_int8(values: &[f64]) -> Data {
    let (min, max) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (min, max) = if min.is_finite() { (min, max) } else { (0.0, 0.0) };
    let scale = (max - min) / 255.0;
    let zero = min + 128.0 * scale;
    let codes = values
        .iter()
        .map(|&v| if scale > 0.0 { ((v - zero) / scale).round().clamp(-128.0, 127.0) as i8 } else { 0 })
        .collect();
    Data::Int8 { codes, scale, zero }
}

/// The marker of a leaf in [`Op::Trees`]' `feature` array.
pub const LEAF: u32 = u32::MAX;

/// One step of a program. Vector operands are runs of consecutive registers.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// `dst = src`, or `fill` when `src` is missing (NaN).
    Fill { src: Reg, dst: Reg, fill: f64 },
    /// `dst = 1` when `src` is missing (NaN), else 0.
    Missing { src: Reg, dst: Reg },
    /// A category given as its level's index: the level (or `fill` when
    /// missing, negative, not whole or past `levels`) picks row `level` of
    /// `table` (`levels × width` numbers) into `dst..dst + width`.
    Lookup { src: Reg, dst: Reg, table: usize, levels: usize, width: usize, fill: u32 },
    /// `dst = f32((src − center) / scale)`.
    Scale { src: Reg, dst: Reg, center: f64, scale: f64 },
    /// `dst` = how many of `edges` (sorted) are ≤ `src`.
    Bin { src: Reg, dst: Reg, edges: usize },
    /// `dst = f32(a · b)`.
    Mul { a: Reg, b: Reg, dst: Reg },
    /// For each output `o < outputs`: `dst + o = bias[o] (or 0) + Σⱼ (src + j −
    /// center[j]) · weights[o · n + j]`, summed over `j < n` in order in
    /// `f64`, then rounded to `f32` when `round`.
    Affine {
        src: Reg,
        n: usize,
        dst: Reg,
        outputs: usize,
        weights: usize,
        bias: Option<usize>,
        center: Option<usize>,
        round: bool,
    },
    /// Walks each tree (its root in `roots`) over the inputs `src..`: a node
    /// sends `src + feature[i] ≤ threshold[i]` to `left[i]`, else to
    /// `right[i]`; at a leaf (`feature[i] == LEAF`), row `left[i]` of `values`
    /// (`width` numbers) is added to `dst..dst + width`.
    Trees {
        src: Reg,
        dst: Reg,
        width: usize,
        roots: usize,
        feature: usize,
        threshold: usize,
        left: usize,
        right: usize,
        values: usize,
    },
    /// `dst + k = values[k]` for every number of `values`: a starting score
    /// (boosting's baseline) that later ops add to in the page's order.
    Set { dst: Reg, values: usize },
    /// k-nearest neighbours, each counting alike: the squared distance from
    /// the inputs `src..src + n` to each of `rows` training rows (`points`,
    /// row-major, in training order), summed as [`crate::base::dist2`] sums
    /// it (four lanes over the whole fours, then the rest), keeps the `k`
    /// nearest in `best..best + 2k` (their distances, then their row numbers;
    /// a tie goes to the earlier row, as the page's search). Then with
    /// `classes > 0` each class's share of the k votes (`targets` holds each
    /// row's class) in `dst..dst + classes`, else the mean of their `targets` in `dst`.
    /// Each neighbour's vote weighs 1, or with `by_distance` 1 / its distance
    /// ([`neighbour_weight`]), summed nearest first.
    Nearest {
        src: Reg,
        n: usize,
        dst: Reg,
        rows: usize,
        k: usize,
        points: usize,
        targets: usize,
        classes: usize,
        best: Reg,
        by_distance: bool,
    },
    /// `dst + k /= by` for `k < n`.
    Divide { dst: Reg, n: usize, by: f64 },
    /// Two class probabilities from one log-odds `src`: `dst = 1 − p`,
    /// `dst + 1 = p`, `p = 1 / (1 + e^−z)` computed without overflow.
    Sigmoid { src: Reg, dst: Reg },
    /// Softmax in place over `dst..dst + n`, shifted by the largest. With
    /// `uniform`, a largest that is not finite (naive Bayes: every class
    /// impossible) gives every class `1 / n`, as that model's page does.
    Softmax { dst: Reg, n: usize, uniform: bool },
    /// Naive Bayes' log-likelihood per class: for each class `o < classes`,
    /// `dst + o = prior[o] + Σⱼ termⱼ` over the inputs `src + j`, `j < n`,
    /// summed in order in `f64`, with `i = o · n + j` and, by `kind[j]`:
    /// 0 nothing (a constant input), 1 a normal density's log
    /// `q[i] − (x − p[i])² · s[i]`, 2 a two-valued input's `x > 0.5 ? p[i] : q[i]`.
    LogLikelihood { src: Reg, n: usize, dst: Reg, classes: usize, prior: usize, kind: usize, p: usize, q: usize, s: usize },
    /// A dense layer in `f32`, as the network computes it: for each output
    /// `o < outputs`, `dst + o = bias[o] + dot(weights[o · n ..][..n], src..src + n)`
    /// with every number an `f32` and the dot in [`crate::base::dot`]'s order
    /// (eight lanes over the whole eights, the lanes summed in turn, then the
    /// rest), each step rounded to `f32`.
    Dense { src: Reg, n: usize, dst: Reg, outputs: usize, weights: usize, bias: usize },
    /// `dst + k = f(dst + k)` for `k < n`, in `f32` ([`Activation::apply`]).
    Activate { dst: Reg, n: usize, f: Activation },
    /// The network's softmax over `dst..dst + n`, in `f32` ([`softmax_f32`]).
    SoftmaxF32 { dst: Reg, n: usize },
    /// Two class probabilities from the second's: `dst = f32(1 − src)`, `dst + 1 = src`.
    Complement { src: Reg, dst: Reg },
    /// Squared distances to `count` points (`points`, row-major): `dst + c =
    /// Σⱼ (src + j − points[c · n + j])²`, summed over `j < n` in order in `f64`.
    Distances { src: Reg, n: usize, dst: Reg, count: usize, points: usize },
    /// `dst` = the index of the smallest of `src..src + n`; a tie goes to the lower.
    ArgMin { src: Reg, n: usize, dst: Reg },
}

/// What the program answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Class probabilities in `src..src + n`, returned as `f32`; the label is
    /// the most probable (ties to the lower class).
    Classes { src: Reg, names: Vec<String> },
    /// One number in `src`, returned as `f32`.
    Value { src: Reg, name: String },
    /// A cluster's index (of `k`) in `src`, returned as an integer.
    Cluster { src: Reg, k: usize },
}

/// A fitted pipeline and model as one program.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub inputs: Vec<InputDoc>,
    pub n_regs: usize,
    pub constants: Vec<Constant>,
    pub ops: Vec<Op>,
    pub output: Output,
}

/// Why a fitted pipeline or model cannot become a program.
#[derive(Clone, Debug, PartialEq)]
pub struct NotLowered(pub String);

impl fmt::Display for NotLowered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Builds a program op by op; the pipeline and the model each add theirs.
#[derive(Debug)]
pub struct Builder {
    inputs: Vec<InputDoc>,
    n_regs: usize,
    constants: Vec<Constant>,
    ops: Vec<Op>,
}

impl Builder {
    /// A program taking `inputs` as registers `0..inputs.len()`.
    pub fn new(inputs: Vec<InputDoc>) -> Builder {
        Builder { n_regs: inputs.len(), inputs, constants: Vec::new(), ops: Vec::new() }
    }

    /// `n` fresh consecutive registers; the first.
    pub fn regs(&mut self, n: usize) -> Reg {
        self.n_regs += n;
        self.n_regs - n
    }

    /// Adds a constant array named after `what` (made unique); its index.
    pub fn constant(&mut self, what: &str, data: Data) -> usize {
        self.add(what, data, None)
    }

    /// Adds a constant array of what the model learned, which quantization may store in fewer bits.
    pub fn parameter(&mut self, what: &str, values: Vec<f64>, role: Role) -> usize {
        self.add(what, Data::Real(values), Some(role))
    }

    fn add(&mut self, what: &str, data: Data, role: Option<Role>) -> usize {
        let name = format!("{}_{}", what.to_ascii_uppercase(), self.constants.len());
        self.constants.push(Constant { name, data, role });
        self.constants.len() - 1
    }

    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    /// `regs` as one run of consecutive registers, copied into fresh ones when
    /// they are not already.
    pub fn contiguous(&mut self, regs: &[Reg]) -> Reg {
        if let Some(&first) = regs.first() {
            if regs.iter().enumerate().all(|(k, &r)| r == first + k) {
                return first;
            }
        }
        let dst = self.regs(regs.len());
        for (k, &src) in regs.iter().enumerate() {
            self.push(Op::Fill { src, dst: dst + k, fill: f64::NAN });
        }
        dst
    }

    pub fn finish(self, output: Output) -> Program {
        Program { inputs: self.inputs, n_regs: self.n_regs, constants: self.constants, ops: self.ops, output }
    }
}

/// What a run of the program answers for one row.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Class { label: u32, proba: Vec<f32> },
    Value(f32),
    Cluster(u32),
}

/// How much a neighbour at squared distance `d2` counts in a distance-weighted
/// vote: 1 / its distance, or when any of the k is at distance 0 (`any_zero`),
/// 1 for those and 0 for the others (scikit-learn's rule, which never divides by 0).
pub fn neighbour_weight(d2: f64, any_zero: bool) -> f64 {
    match any_zero {
        true => f64::from(u8::from(d2 == 0.0)),
        false => 1.0 / d2.sqrt(),
    }
}

/// `e^x` as the page computes it (`libm`, a port of FreeBSD's `e_exp.c`);
/// the emitted code carries the same algorithm, so all agree to the bit.
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The sigmoid the linear models use: `1 / (1 + e^−z)`, without overflow.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}

/// A hidden unit's nonlinearity, computed in `f32` over `libm`'s `f32`
/// functions (`tanhf`, `expf`), which the emitted code carries too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Activation {
    /// max(0, z).
    Relu,
    Tanh,
    /// 1 / (1 + e^−z).
    Logistic,
}

impl Activation {
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Logistic => "logistic",
        }
    }

    /// The unit's output for the weighted sum `z`.
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::Tanh => libm::tanhf(z),
            Activation::Logistic => 1.0 / (1.0 + libm::expf(-z)),
        }
    }
}

/// The network's softmax in place, in `f32`: shifted by the largest, the
/// exponentials summed in `f64`, then each multiplied by the `f32` inverse of
/// the sum.
pub fn softmax_f32(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut total = 0.0f64;
    for v in row.iter_mut() {
        *v = libm::expf(*v - max);
        total += *v as f64;
    }
    let scale = (1.0 / total) as f32;
    row.iter_mut().for_each(|v| *v *= scale);
}

/// Softmax in place, shifted by the largest score; returns that score and the
/// sum of the shifted exponentials (the log-normalizer is `max + ln(sum)`,
/// and `sum` lies in [1, n], so a caller can sum many logarithms at once
/// through [`crate::base::LogSum`]). The largest score's own term is e⁰, 1
/// exactly, so it costs no exponential and changes no bit.
pub fn softmax_in_place(z: &mut [f64]) -> (f64, f64) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = if *v == max && max.is_finite() { 1.0 } else { exp(*v - max) };
        sum += *v;
    }
    z.iter_mut().for_each(|v| *v /= sum);
    (max, sum)
}

/// [`softmax_in_place`], except that a largest score that is not finite
/// (every class impossible) gives every class the same share.
pub fn softmax_or_uniform(z: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max.is_finite() {
        softmax_in_place(z);
    } else {
        let share = 1.0 / z.len() as f64;
        z.iter_mut().for_each(|v| *v = share);
    }
}

impl Program {
    /// Bytes of the constants as the emitted code stores them (`f64`
    /// numbers, 16-bit indices when every index fits, else 32-bit).
    pub fn constant_bytes(&self) -> usize {
        self.constants.iter().map(|c| c.data.len() * emit::element_bytes(&c.data)).sum()
    }

    /// The program with its learned numbers stored at `precision`; the
    /// pipeline's constants and the indices stay exact.
    pub fn quantized(&self, precision: Precision) -> Program {
        let mut out = self.clone();
        for c in out.constants.iter_mut() {
            let values = c.data.values();
            c.data = match (precision, c.role) {
                (Precision::F32, _) | (_, None) => continue,
                (Precision::F16, Some(_)) | (Precision::Int8, Some(Role::Thresholds)) => {
                    Data::Half(values.iter().map(|&v| to_half(v)).collect())
                }
                (Precision::Int8, Some(Role::Weights | Role::Leaves)) => to_int8(&values),
            };
        }
        out
    }

    /// The largest working buffer the function needs: its `f64` registers.
    pub fn ram_bytes(&self) -> usize {
        self.n_regs * 8
    }

    /// The answers for rows of raw inputs (numbers; a category as its
    /// level's index; NaN when missing).
    pub fn run_rows(&self, rows: &[Vec<f32>]) -> Vec<Answer> {
        let decoded: Vec<Vec<f64>> = self.constants.iter().map(|c| c.data.values()).collect();
        rows.iter().map(|x| self.run_decoded(x, &decoded)).collect()
    }

    /// The answer for one row of raw inputs.
    pub fn run(&self, x: &[f32]) -> Answer {
        self.run_rows(&[x.to_vec()]).remove(0)
    }

    fn run_decoded(&self, x: &[f32], decoded: &[Vec<f64>]) -> Answer {
        let mut r = vec![0f64; self.n_regs];
        for (slot, &v) in r.iter_mut().zip(x) {
            *slot = v as f64;
        }
        let real = |c: usize| decoded[c].as_slice();
        let index = |c: usize| match &self.constants[c].data {
            Data::Index(v) => v.as_slice(),
            _ => &[],
        };
        for op in &self.ops {
            match *op {
                Op::Fill { src, dst, fill } => r[dst] = if r[src].is_nan() { fill } else { r[src] },
                Op::Missing { src, dst } => r[dst] = f64::from(u8::from(r[src].is_nan())),
                Op::Lookup { src, dst, table, levels, width, fill } => {
                    let v = r[src];
                    let level =
                        if v >= 0.0 && v < levels as f64 && v == (v as u32) as f64 { v as usize } else { fill as usize };
                    let t = real(table);
                    for k in 0..width {
                        r[dst + k] = t[level * width + k];
                    }
                }
                Op::Scale { src, dst, center, scale } => r[dst] = ((r[src] - center) / scale) as f32 as f64,
                Op::Bin { src, dst, edges } => r[dst] = real(edges).partition_point(|&e| e <= r[src]) as f64,
                Op::Mul { a, b, dst } => r[dst] = (r[a] * r[b]) as f32 as f64,
                Op::Affine { src, n, dst, outputs, weights, bias, center, round } => {
                    let (w, b, c) = (real(weights), bias.map(real), center.map(real));
                    for o in 0..outputs {
                        let mut acc = b.map_or(0.0, |b| b[o]);
                        for j in 0..n {
                            acc += (r[src + j] - c.map_or(0.0, |c| c[j])) * w[o * n + j];
                        }
                        r[dst + o] = if round { acc as f32 as f64 } else { acc };
                    }
                }
                Op::Trees { src, dst, width, roots, feature, threshold, left, right, values } => {
                    let (feature, threshold, left, right) = (index(feature), real(threshold), index(left), index(right));
                    let values = real(values);
                    for &root in index(roots) {
                        let mut i = root as usize;
                        while feature[i] != LEAF {
                            i = if r[src + feature[i] as usize] <= threshold[i] { left[i] } else { right[i] } as usize;
                        }
                        let leaf = left[i] as usize;
                        for k in 0..width {
                            r[dst + k] += values[leaf * width + k];
                        }
                    }
                }
                Op::Set { dst, values } => {
                    let v = real(values);
                    r[dst..dst + v.len()].copy_from_slice(v);
                }
                Op::Nearest { src, n, dst, rows, k, points, targets, classes, best, by_distance } => {
                    // The training rows stay exact (no role), so as `f32` they are the page's.
                    let x: Vec<f32> = r[src..src + n].iter().map(|&v| v as f32).collect();
                    let points: Vec<f32> = real(points).iter().map(|&v| v as f32).collect();
                    let mut filled = 0;
                    for row in 0..rows {
                        let d = crate::base::dist2(&points[row * n..(row + 1) * n], &x);
                        if filled < k || d < r[best + k - 1] {
                            let mut m = filled.min(k - 1);
                            while m > 0 && d < r[best + m - 1] {
                                r[best + m] = r[best + m - 1];
                                r[best + k + m] = r[best + k + m - 1];
                                m -= 1;
                            }
                            r[best + m] = d;
                            r[best + k + m] = row as f64;
                            filled = (filled + 1).min(k);
                        }
                    }
                    let t = real(targets);
                    let any_zero = by_distance && (0..k).any(|m| r[best + m] == 0.0);
                    let weight = |d2: f64| if by_distance { neighbour_weight(d2, any_zero) } else { 1.0 };
                    if classes > 0 {
                        r[dst..dst + classes].iter_mut().for_each(|v| *v = 0.0);
                        for m in 0..k {
                            let class = t[r[best + k + m] as usize] as usize;
                            r[dst + class] += weight(r[best + m]);
                        }
                        let total: f64 = r[dst..dst + classes].iter().sum();
                        r[dst..dst + classes].iter_mut().for_each(|v| *v /= total);
                    } else {
                        let (mut acc, mut total) = (0.0, 0.0);
                        for m in 0..k {
                            let w = weight(r[best + m]);
                            acc += w * t[r[best + k + m] as usize];
                            total += w;
                        }
                        r[dst] = acc / total;
                    }
                }
                Op::Divide { dst, n, by } => r[dst..dst + n].iter_mut().for_each(|v| *v /= by),
                Op::Sigmoid { src, dst } => {
                    let p = sigmoid(r[src]);
                    r[dst] = 1.0 - p;
                    r[dst + 1] = p;
                }
                Op::Softmax { dst, n, uniform } => {
                    if uniform {
                        softmax_or_uniform(&mut r[dst..dst + n]);
                    } else {
                        softmax_in_place(&mut r[dst..dst + n]);
                    }
                }
                Op::LogLikelihood { src, n, dst, classes, prior, kind, p, q, s } => {
                    let (prior, kind, p, q, s) = (real(prior), index(kind), real(p), real(q), real(s));
                    for o in 0..classes {
                        let mut acc = prior[o];
                        for j in 0..n {
                            let (i, x) = (o * n + j, r[src + j]);
                            match kind[j] {
                                1 => {
                                    let z = x - p[i];
                                    acc += q[i] - z * z * s[i];
                                }
                                2 => acc += if x > 0.5 { p[i] } else { q[i] },
                                _ => {}
                            }
                        }
                        r[dst + o] = acc;
                    }
                }
                Op::Dense { src, n, dst, outputs, weights, bias } => {
                    let x: Vec<f32> = r[src..src + n].iter().map(|&v| v as f32).collect();
                    let (w, b) = (real(weights), real(bias));
                    for o in 0..outputs {
                        let row: Vec<f32> = w[o * n..(o + 1) * n].iter().map(|&v| v as f32).collect();
                        r[dst + o] = f64::from(b[o] as f32 + crate::base::dot(&row, &x));
                    }
                }
                Op::Activate { dst, n, f } => {
                    r[dst..dst + n].iter_mut().for_each(|v| *v = f64::from(f.apply(*v as f32)));
                }
                Op::SoftmaxF32 { dst, n } => {
                    let mut row: Vec<f32> = r[dst..dst + n].iter().map(|&v| v as f32).collect();
                    softmax_f32(&mut row);
                    r[dst..dst + n].iter_mut().zip(row).for_each(|(v, p)| *v = f64::from(p));
                }
                Op::Complement { src, dst } => {
                    let p = r[src] as f32;
                    r[dst] = f64::from(1.0 - p);
                    r[dst + 1] = f64::from(p);
                }
                Op::Distances { src, n, dst, count, points } => {
                    let p = real(points);
                    for c in 0..count {
                        let mut acc = 0.0;
                        for j in 0..n {
                            let d = r[src + j] - p[c * n + j];
                            acc += d * d;
                        }
                        r[dst + c] = acc;
                    }
                }
                Op::ArgMin { src, n, dst } => {
                    r[dst] = (0..n).fold(0, |best, c| if r[src + c] < r[src + best] { c } else { best }) as f64;
                }
            }
        }
        match &self.output {
            Output::Classes { src, names } => {
                let proba: Vec<f32> = r[*src..*src + names.len()].iter().map(|&p| p as f32).collect();
                let mut label = 0;
                for (k, &p) in proba.iter().enumerate() {
                    if p > proba[label] {
                        label = k;
                    }
                }
                Answer::Class { label: label as u32, proba }
            }
            Output::Value { src, .. } => Answer::Value(r[*src] as f32),
            Output::Cluster { src, .. } => Answer::Cluster(r[*src] as u32),
        }
    }
}
