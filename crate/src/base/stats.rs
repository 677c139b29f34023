//! The few statistics every layer shares: standardization and the scores
//! models are judged by.

use serde::{Deserialize, Serialize};

/// Training mean and standard deviation of a numeric column (or of a
/// regression target, for models that learn it standardized).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    pub mean: f64,
    pub std: f64,
}

impl Standard {
    /// Mean and population standard deviation (as scikit-learn's `StandardScaler`),
    /// with a constant column left unscaled (std 1) rather than divided by zero.
    pub fn fit(values: impl Iterator<Item = f64>) -> Standard {
        let (mut n, mut sum, mut sum_sq) = (0.0f64, 0.0f64, 0.0f64);
        for v in values {
            n += 1.0;
            sum += v;
            sum_sq += v * v;
        }
        if n == 0.0 {
            return Standard { mean: 0.0, std: 1.0 };
        }
        let mean = sum / n;
        let std = (sum_sq / n - mean * mean).max(0.0).sqrt();
        Standard { mean, std: if std > 1e-12 { std } else { 1.0 } }
    }

    pub fn apply(&self, v: f32) -> f32 {
        ((v as f64 - self.mean) / self.std) as f32
    }

    /// The value in the column's own units from its standardized `z`.
    pub fn invert(&self, z: f64) -> f64 {
        z * self.std + self.mean
    }
}

/// Share of rows whose predicted class equals the true one (NaN for no rows).
pub fn accuracy(truth: &[u32], predicted: &[u32]) -> f64 {
    let hits = truth.iter().zip(predicted).filter(|(a, b)| a == b).count();
    hits as f64 / truth.len() as f64
}

/// Coefficient of determination: 1 − SSE / SST. A constant truth gives 1 for a
/// perfect prediction and 0 otherwise, as in scikit-learn.
pub fn r2_score(truth: &[f64], predicted: &[f64]) -> f64 {
    let n = truth.len() as f64;
    let mean = truth.iter().sum::<f64>() / n;
    let sse: f64 = truth.iter().zip(predicted).map(|(t, p)| (t - p) * (t - p)).sum();
    let sst: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    if sst == 0.0 {
        return if sse == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - sse / sst
}

pub fn mean_absolute_error(truth: &[f64], predicted: &[f64]) -> f64 {
    truth.iter().zip(predicted).map(|(t, p)| (t - p).abs()).sum::<f64>() / truth.len() as f64
}

/// Squared Euclidean distance, summed in `f64` over four lanes (independent
/// sums the compiler keeps in vector registers instead of one long chain).
pub fn dist2(a: &[f32], b: &[f32]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4.remainder().iter().zip(b4.remainder()).map(|(&x, &y)| (x as f64 - y as f64).powi(2)).sum();
    for (x, y) in a4.zip(b4) {
        for lane in 0..4 {
            let diff = x[lane] as f64 - y[lane] as f64;
            lanes[lane] += diff * diff;
        }
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

/// Dot product in eight independent lanes, so the compiler vectorizes it; the
/// lanes are summed in a fixed order, so every platform gets the same bits.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    let mut lanes = [0.0f32; 8];
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_values() {
        assert_eq!(accuracy(&[0, 1, 1, 2], &[0, 1, 2, 2]), 0.75);
        // truth mean 2.5, SST = 5; SSE = 0.25 + 0 + 0 + 1 = 1.25 → R² = 0.75.
        assert_eq!(r2_score(&[1., 2., 3., 4.], &[1.5, 2., 3., 3.]), 0.75);
        assert_eq!(mean_absolute_error(&[1., 2., 3., 4.], &[1.5, 2., 3., 3.]), 0.375);
        assert_eq!(r2_score(&[2., 2.], &[2., 2.]), 1.0);
    }
}

/// Σ wᵢ · ln xᵢ over factors xᵢ ≥ 1, taken as the logarithm of the product of
/// each run of factors of equal weight: a logarithm only when the weight
/// changes or the product passes 1e150 (about every 500 rows of a binary log
/// loss), instead of one `log1p` per row, which was a tenth of a boosting round
/// and most of a logistic regression's fit (Rust's software logarithm in the
/// wasm build above all). Rounding each factor and product costs about 2⁻⁵³
/// per term, the order of `log1p`'s own rounding of the loss. `libm::log`
/// (not the platform's) keeps native and wasm fits bit-identical.
#[derive(Debug)]
pub struct LogSum {
    total: f64,
    weight: f64,
    /// The product since the last logarithm.
    product: f64,
}

impl Default for LogSum {
    fn default() -> Self {
        LogSum { total: 0.0, weight: 1.0, product: 1.0 }
    }
}

impl LogSum {
    /// Adds ln `x`, for `x` from 1 to 1e150.
    pub fn add(&mut self, x: f64) {
        self.add_weighted(1.0, x);
    }

    /// Adds `weight` · ln `x`, for `x` from 1 to 1e150.
    pub fn add_weighted(&mut self, weight: f64, x: f64) {
        if weight != self.weight {
            self.flush();
            self.weight = weight;
        }
        self.product *= x;
        if self.product > 1e150 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.product != 1.0 {
            self.total += self.weight * libm::log(self.product);
        }
        self.product = 1.0;
    }

    /// The sum of every term added.
    pub fn sum(mut self) -> f64 {
        self.flush();
        self.total
    }
}

#[cfg(test)]
mod log_sum_tests {
    use super::LogSum;

    /// The runs' logarithms give Σ wᵢ · ln xᵢ to within rounding: products that
    /// pass 1e150 several times, factors a hair above 1 (whose logarithms a sum
    /// of `ln_1p` would keep), and weights that change (balanced classes).
    #[test]
    fn a_sum_of_logarithms_is_the_logarithm_of_the_products() {
        let mut logs = LogSum::default();
        let mut expected = 0.0;
        for i in 0..4000 {
            let x = if i < 3000 { 1.0 + (i % 7) as f64 / 3.0 } else { 1.0 + 1e-12 };
            let e = (-((i * 37 % 101) as f64) * 0.4).exp();
            let w = if i % 7 < 3 { 0.25 } else { 0.75 };
            logs.add(x);
            logs.add_weighted(w, 1.0 + e);
            expected += x.ln() + w * e.ln_1p();
        }
        let sum = logs.sum();
        assert!((sum - expected).abs() <= 1e-12 * expected, "{sum} against {expected}");
        assert_eq!(LogSum::default().sum(), 0.0);
    }
}
