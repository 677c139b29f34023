//! The input steps of a pipeline (scale, bin, poly, PCA): fitted on the
//! training rows' inputs as the steps before them left them, then applied in
//! order to any batch of rows, column by column.

use serde::{Deserialize, Serialize};

use super::spec::{Binning, Keep, PcaReport, Scaler};
use super::PrepError;
use crate::base::program::{Builder, Data, Op, Reg};
use crate::base::{Encoding, FeatureInfo, Standard};

/// Most bins a binning step may ask for: more would be one row per bin.
pub const MAX_BINS: usize = 256;

/// One model input as the steps see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Input {
    pub info: FeatureInfo,
    /// Table columns it reads (two for "a × b", many for "PC1").
    pub sources: Vec<usize>,
    /// Whether a step with no columns named takes it: numbers, not 0/1 inputs.
    pub numeric: bool,
    /// The table column whose value it carries as `(raw − center) / scale`,
    /// if it does: what a centroid on a plot's axis can be read back through.
    pub carries: Option<Carried>,
    /// Whether it is still its column's own value, as the table holds it.
    pub plain: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Carried {
    pub column: usize,
    pub center: f64,
    pub scale: f64,
}

impl Input {
    pub fn name(&self) -> String {
        self.info.label()
    }

    fn value(name: String, sources: Vec<usize>) -> Input {
        Input {
            info: FeatureInfo { column: name, encoding: Encoding::Value },
            sources,
            numeric: true,
            carries: None,
            plain: false,
        }
    }
}

/// `(x − center) / scale`, in f64, as the scikit-learn scalers compute it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Affine {
    pub center: f64,
    pub scale: f64,
}

impl Affine {
    fn apply(&self, v: f32) -> f32 {
        ((v as f64 - self.center) / self.scale) as f32
    }
}

/// A fitted input step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) enum InputStep {
    Scale {
        inputs: Vec<usize>,
        affine: Vec<Affine>,
    },
    /// Interior bin edges per input: an input's bin is how many it reaches.
    Bin {
        inputs: Vec<usize>,
        edges: Vec<Vec<f64>>,
    },
    Poly {
        inputs: Vec<usize>,
    },
    /// `components` (kept × inputs) over the centred `inputs`; the other
    /// inputs (`rest`) follow the components unchanged.
    Pca {
        inputs: Vec<usize>,
        mean: Vec<f64>,
        components: Vec<Vec<f64>>,
        rest: Vec<usize>,
    },
}

/// What fitting a step found, for its report.
pub(super) struct Fitted {
    pub step: InputStep,
    pub inputs: Vec<Input>,
    pub summary: String,
    /// Inputs (by index before the step) it changed, and (by index after) what they became.
    pub changed: Vec<(Option<usize>, usize)>,
    pub pca: Option<PcaReport>,
}

impl InputStep {
    /// The step as program ops over the registers `columns` (one per input,
    /// in order); the registers of its outputs. Each op rounds where
    /// [`InputStep::apply`] does.
    pub fn lower(&self, b: &mut Builder, mut columns: Vec<Reg>) -> Vec<Reg> {
        match self {
            InputStep::Scale { inputs, affine } => {
                for (&i, a) in inputs.iter().zip(affine) {
                    let dst = b.regs(1);
                    b.push(Op::Scale { src: columns[i], dst, center: a.center, scale: a.scale });
                    columns[i] = dst;
                }
                columns
            }
            InputStep::Bin { inputs, edges } => {
                for (&i, e) in inputs.iter().zip(edges) {
                    let (dst, edges) = (b.regs(1), b.constant("edges", Data::Real(e.clone())));
                    b.push(Op::Bin { src: columns[i], dst, edges });
                    columns[i] = dst;
                }
                columns
            }
            InputStep::Poly { inputs } => {
                for (k, &a) in inputs.iter().enumerate() {
                    for &c in &inputs[k..] {
                        let dst = b.regs(1);
                        b.push(Op::Mul { a: columns[a], b: columns[c], dst });
                        columns.push(dst);
                    }
                }
                columns
            }
            InputStep::Pca { inputs, mean, components, rest } => {
                let picked: Vec<Reg> = inputs.iter().map(|&i| columns[i]).collect();
                let src = b.contiguous(&picked);
                let dst = b.regs(components.len());
                let weights = b.constant("components", Data::Real(components.concat()));
                let center = b.constant("mean", Data::Real(mean.clone()));
                b.push(Op::Affine {
                    src,
                    n: inputs.len(),
                    dst,
                    outputs: components.len(),
                    weights,
                    bias: None,
                    center: Some(center),
                    round: true,
                });
                (dst..dst + components.len()).chain(rest.iter().map(|&i| columns[i])).collect()
            }
        }
    }

    /// Applies the step to a batch of inputs, column-major.
    pub fn apply(&self, mut columns: Vec<Vec<f32>>) -> Vec<Vec<f32>> {
        match self {
            InputStep::Scale { inputs, affine } => {
                for (&i, a) in inputs.iter().zip(affine) {
                    columns[i].iter_mut().for_each(|v| *v = a.apply(*v));
                }
                columns
            }
            InputStep::Bin { inputs, edges } => {
                for (&i, e) in inputs.iter().zip(edges) {
                    columns[i].iter_mut().for_each(|v| *v = bin_of(e, *v) as f32);
                }
                columns
            }
            InputStep::Poly { inputs } => {
                for (k, &a) in inputs.iter().enumerate() {
                    for &b in &inputs[k..] {
                        let product =
                            columns[a].iter().zip(&columns[b]).map(|(&x, &y)| (x as f64 * y as f64) as f32).collect();
                        columns.push(product);
                    }
                }
                columns
            }
            InputStep::Pca { inputs, mean, components, rest } => {
                let n = columns.first().map_or(0, Vec::len);
                let mut out: Vec<Vec<f32>> = Vec::with_capacity(components.len() + rest.len());
                for component in components {
                    let mut pc = vec![0f64; n];
                    for ((&i, &m), &w) in inputs.iter().zip(mean).zip(component) {
                        for (acc, &x) in pc.iter_mut().zip(&columns[i]) {
                            *acc += (x as f64 - m) * w;
                        }
                    }
                    out.push(pc.into_iter().map(|v| v as f32).collect());
                }
                let mut columns: Vec<Option<Vec<f32>>> = columns.into_iter().map(Some).collect();
                out.extend(rest.iter().filter_map(|&i| columns[i].take()));
                out
            }
        }
    }
}

/// The bin of `v` among interior `edges`: how many edges are at or below it,
/// as `np.searchsorted(edges, v, side="right")`.
fn bin_of(edges: &[f64], v: f32) -> usize {
    edges.partition_point(|&e| e <= v as f64)
}

/// The inputs a step names, by index; every numeric input for an empty list.
pub(super) fn resolve(step: &str, names: &[String], inputs: &[Input]) -> Result<Vec<usize>, PrepError> {
    if names.is_empty() {
        return Ok((0..inputs.len()).filter(|&i| inputs[i].numeric).collect());
    }
    let all: Vec<String> = inputs.iter().map(Input::name).collect();
    names
        .iter()
        .map(|name| {
            all.iter().position(|n| n == name).ok_or_else(|| PrepError::NoSuchInput {
                step: step.to_string(),
                name: name.clone(),
                inputs: say_some(&all),
            })
        })
        .collect()
}

/// Up to eight names, and how many more.
fn say_some(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    match names.len().saturating_sub(8) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn values(column: &[f32]) -> Vec<f64> {
    column.iter().map(|&v| v as f64).collect()
}

/// The `q`-th percentile (0–100) of sorted `v`, interpolated linearly between
/// ranks as `np.percentile` does by default.
pub(super) fn percentile_linear(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let at = q / 100.0 * (v.len() - 1) as f64;
    let (lo, frac) = (at.floor() as usize, at - at.floor());
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (v[hi] - v[lo]) * frac
}

/// The `q`-th percentile (0–100) of sorted `v` by numpy's
/// `method="averaged_inverted_cdf"` (scikit-learn 1.9's default for
/// `KBinsDiscretizer`), computed in numpy's order of operations so that a
/// share landing exactly on a rank is seen as numpy sees it: there the mean
/// of the two values either side, else the value it falls in.
pub(super) fn percentile_averaged(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let n = v.len() as isize;
    let index = v.len() as f64 * (q / 100.0) - 1.0;
    let below = index.floor();
    let at = |k: isize| v[k.clamp(0, n - 1) as usize];
    if index - below == 0.0 {
        (at(below as isize) + at(below as isize + 1)) / 2.0
    } else {
        at(below as isize + 1)
    }
}

fn sorted(column: &[f32]) -> Vec<f64> {
    let mut v = values(column);
    v.sort_by(f64::total_cmp);
    v
}

/// A scale of zero (a constant input) is left as 1, as scikit-learn's
/// `_handle_zeros_in_scale` does, rather than divided by.
fn nonzero(scale: f64) -> f64 {
    if scale.abs() < 10.0 * f64::EPSILON {
        1.0
    } else {
        scale
    }
}

pub(super) fn fit_scale(
    scaler: Scaler,
    names: &[String],
    inputs: &[Input],
    train: &[Vec<f32>],
) -> Result<Fitted, PrepError> {
    let chosen = resolve("scale", names, inputs)?;
    let mut out = inputs.to_vec();
    let affine: Vec<Affine> = match scaler {
        Scaler::None => Vec::new(),
        Scaler::Standard => chosen
            .iter()
            .map(|&i| {
                let s = Standard::fit(train[i].iter().map(|&v| v as f64));
                Affine { center: s.mean, scale: s.std }
            })
            .collect(),
        Scaler::MinMax => chosen
            .iter()
            .map(|&i| {
                let v = values(&train[i]);
                let (lo, hi) = v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
                if lo.is_finite() {
                    Affine { center: lo, scale: nonzero(hi - lo) }
                } else {
                    Affine { center: 0.0, scale: 1.0 }
                }
            })
            .collect(),
        Scaler::Robust => chosen
            .iter()
            .map(|&i| {
                let v = sorted(&train[i]);
                let iqr = percentile_linear(&v, 75.0) - percentile_linear(&v, 25.0);
                Affine { center: percentile_linear(&v, 50.0), scale: nonzero(iqr) }
            })
            .collect(),
    };
    let n = chosen.len();
    let plural = if n == 1 { "input" } else { "inputs" };
    let summary = match scaler {
        Scaler::None => "Numeric features used in their own units, unscaled".to_string(),
        // The default pipeline's wording, which the page has always shown.
        Scaler::Standard if names.is_empty() => match n {
            1 => "Standardized the numeric feature (training mean and standard deviation)".to_string(),
            _ => format!("Standardized {n} numeric features (training mean and standard deviation)"),
        },
        Scaler::Standard => format!("Standardized {n} {plural} (training mean and standard deviation)"),
        Scaler::MinMax => format!("Scaled {n} {plural} to [0, 1] (training minimum and maximum)"),
        Scaler::Robust => format!("Robust-scaled {n} {plural} (training median and interquartile range)"),
    };
    for (&i, a) in chosen.iter().zip(&affine) {
        let input = &mut out[i];
        input.plain = false;
        input.carries = input.carries.map(|c| Carried {
            column: c.column,
            center: c.center + a.center * c.scale,
            scale: c.scale * a.scale,
        });
    }
    let changed = if affine.is_empty() { Vec::new() } else { chosen.iter().map(|&i| (Some(i), i)).collect() };
    Ok(Fitted { step: InputStep::Scale { inputs: chosen, affine }, inputs: out, summary, changed, pca: None })
}

pub(super) fn fit_bin(
    binning: Binning,
    bins: usize,
    names: &[String],
    inputs: &[Input],
    train: &[Vec<f32>],
) -> Result<Fitted, PrepError> {
    if !(2..=MAX_BINS).contains(&bins) {
        return Err(PrepError::Bins { bins, max: MAX_BINS });
    }
    let chosen = resolve("bin", names, inputs)?;
    let mut out = inputs.to_vec();
    let edges: Vec<Vec<f64>> = chosen
        .iter()
        .map(|&i| {
            let v = sorted(&train[i]);
            let (Some(&lo), Some(&hi)) = (v.first(), v.last()) else { return Vec::new() };
            match binning {
                // A constant input is one bin, as scikit-learn makes it.
                Binning::Uniform if hi == lo => Vec::new(),
                // As `np.linspace`: k steps of (max − min) / bins from the minimum.
                Binning::Uniform => {
                    let step = (hi - lo) / bins as f64;
                    (1..bins).map(|k| k as f64 * step + lo).collect()
                }
                Binning::Quantile => {
                    let step = 100.0 / bins as f64;
                    let all: Vec<f64> = (0..=bins).map(|k| percentile_averaged(&v, k as f64 * step)).collect();
                    // Bins narrower than 1e-8 are dropped, as scikit-learn drops them.
                    let mut kept = vec![all[0]];
                    for &e in &all[1..] {
                        if e - kept[kept.len() - 1] > 1e-8 {
                            kept.push(e);
                        }
                    }
                    kept[1..kept.len().saturating_sub(1).max(1)].to_vec()
                }
            }
        })
        .collect();
    for &i in &chosen {
        let name = format!("{} bin", out[i].name());
        out[i] = Input { numeric: true, ..Input::value(name, out[i].sources.clone()) };
    }
    let how = match binning {
        Binning::Uniform => "of equal width",
        Binning::Quantile => "of about equal counts",
    };
    let summary = format!(
        "Binned {} into {bins} bins {how} (training rows), each input replaced by its bin number 0 to {}",
        count_inputs(chosen.len()),
        bins - 1
    );
    let changed = chosen.iter().map(|&i| (Some(i), i)).collect();
    Ok(Fitted { step: InputStep::Bin { inputs: chosen, edges }, inputs: out, summary, changed, pca: None })
}

fn count_inputs(n: usize) -> String {
    if n == 1 {
        "1 input".to_string()
    } else {
        format!("{n} inputs")
    }
}

pub(super) fn fit_poly(names: &[String], inputs: &[Input]) -> Result<Fitted, PrepError> {
    let chosen = resolve("poly", names, inputs)?;
    let mut out = inputs.to_vec();
    let mut changed = Vec::new();
    for (k, &a) in chosen.iter().enumerate() {
        for &b in &chosen[k..] {
            let name = if a == b {
                format!("{}²", inputs[a].name())
            } else {
                format!("{} × {}", inputs[a].name(), inputs[b].name())
            };
            let mut sources = inputs[a].sources.clone();
            sources.extend(inputs[b].sources.iter().filter(|s| !inputs[a].sources.contains(s)));
            changed.push((None, out.len()));
            out.push(Input::value(name, sources));
        }
    }
    let summary = format!("Added {} squares and pairwise products of {}", changed.len(), count_inputs(chosen.len()));
    Ok(Fitted { step: InputStep::Poly { inputs: chosen }, inputs: out, summary, changed, pca: None })
}

pub(super) fn fit_pca(keep: Keep, inputs: &[Input], train: &[Vec<f32>]) -> Result<Fitted, PrepError> {
    let chosen: Vec<usize> = (0..inputs.len()).filter(|&i| inputs[i].numeric).collect();
    let p = chosen.len();
    if p == 0 {
        return Err(PrepError::PcaNoInputs);
    }
    if let Keep::Components(k) = keep {
        if k == 0 || k > p {
            return Err(PrepError::PcaKeep { keep: k, inputs: p });
        }
    }
    if let Keep::Variance(share) = keep {
        if !(share > 0.0 && share <= 1.0) {
            return Err(PrepError::VarianceShare(share));
        }
    }
    let n = train.first().map_or(0, Vec::len);
    let mean: Vec<f64> = chosen.iter().map(|&i| train[i].iter().map(|&v| v as f64).sum::<f64>() / n.max(1) as f64).collect();
    let centred: Vec<Vec<f64>> =
        chosen.iter().zip(&mean).map(|(&i, &m)| train[i].iter().map(|&v| v as f64 - m).collect()).collect();
    let mut cov = vec![0f64; p * p];
    for a in 0..p {
        for b in a..p {
            let s = centred[a].iter().zip(&centred[b]).map(|(x, y)| x * y).sum::<f64>() / (n.max(2) - 1) as f64;
            cov[a * p + b] = s;
            cov[b * p + a] = s;
        }
    }
    let (values, vectors) = symmetric_eigen(cov, p);
    let mut order: Vec<usize> = (0..p).collect();
    crate::base::sort_with(&mut order, &|&a, &b| values[b].total_cmp(&values[a]));
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let explained: Vec<f64> =
        order.iter().map(|&k| if total > 0.0 { values[k].max(0.0) / total } else { 1.0 / p as f64 }).collect();
    let kept = match keep {
        Keep::Components(k) => k,
        Keep::Variance(share) => {
            let mut sum = 0.0;
            explained
                .iter()
                .position(|&e| {
                    sum += e;
                    sum >= share - 1e-12
                })
                .map_or(p, |k| k + 1)
        }
    };
    // Each component's largest weight positive, as scikit-learn's `svd_flip` makes it.
    let components: Vec<Vec<f64>> = order[..kept]
        .iter()
        .map(|&k| {
            let v: Vec<f64> = (0..p).map(|i| vectors[i * p + k]).collect();
            let big = v.iter().fold(0.0f64, |b, &x| if x.abs() > b.abs() { x } else { b });
            if big < 0.0 {
                v.iter().map(|x| -x).collect()
            } else {
                v
            }
        })
        .collect();
    let rest: Vec<usize> = (0..inputs.len()).filter(|i| !chosen.contains(i)).collect();
    let sources: Vec<usize> = {
        let mut s: Vec<usize> = chosen.iter().flat_map(|&i| inputs[i].sources.clone()).collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    let mut out: Vec<Input> = (1..=kept).map(|k| Input::value(format!("PC{k}"), sources.clone())).collect();
    out.extend(rest.iter().map(|&i| inputs[i].clone()));
    let share: f64 = explained[..kept].iter().sum();
    let summary = format!(
        "Kept {kept} principal component{} of {}: {:.0} % of the variance",
        if kept == 1 { "" } else { "s" },
        count_inputs(p),
        share * 100.0
    );
    let pca = PcaReport {
        explained,
        kept,
        columns: chosen.iter().map(|&i| inputs[i].name()).collect(),
        loadings: components.clone(),
    };
    let changed = (0..kept).map(|k| (None, k)).collect();
    Ok(Fitted {
        step: InputStep::Pca { inputs: chosen, mean, components, rest },
        inputs: out,
        summary,
        changed,
        pca: Some(pca),
    })
}

/// Eigenvalues and eigenvectors (as the columns of a `p × p` row-major
/// matrix) of the symmetric `p × p` row-major matrix `a`, by cyclic Jacobi
/// rotations: a few dozen lines, exact to rounding, and quick for the tens of
/// inputs a table here has.
pub(super) fn symmetric_eigen(mut a: Vec<f64>, p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0f64; p * p];
    for i in 0..p {
        v[i * p + i] = 1.0;
    }
    for _sweep in 0..100 {
        let mut rotated = false;
        for i in 0..p {
            for j in i + 1..p {
                let aij = a[i * p + j];
                // Too small to change either diagonal entry: zero it, as Numerical Recipes' `jacobi` does.
                let (aii, ajj) = (a[i * p + i].abs(), a[j * p + j].abs());
                if aij == 0.0 || (aij.abs() * 1e2 + aii == aii && aij.abs() * 1e2 + ajj == ajj) {
                    a[i * p + j] = 0.0;
                    a[j * p + i] = 0.0;
                    continue;
                }
                rotated = true;
                let theta = (a[j * p + j] - a[i * p + i]) / (2.0 * aij);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..p {
                    let (aki, akj) = (a[k * p + i], a[k * p + j]);
                    a[k * p + i] = c * aki - s * akj;
                    a[k * p + j] = s * aki + c * akj;
                }
                for k in 0..p {
                    let (aik, ajk) = (a[i * p + k], a[j * p + k]);
                    a[i * p + k] = c * aik - s * ajk;
                    a[j * p + k] = s * aik + c * ajk;
                }
                for k in 0..p {
                    let (vki, vkj) = (v[k * p + i], v[k * p + j]);
                    v[k * p + i] = c * vki - s * vkj;
                    v[k * p + j] = s * vki + c * vkj;
                }
            }
        }
        // A sweep with nothing left to rotate: diagonal to rounding.
        if !rotated {
            break;
        }
    }
    ((0..p).map(|i| a[i * p + i]).collect(), v)
}

#[cfg(test)]
mod tests;
