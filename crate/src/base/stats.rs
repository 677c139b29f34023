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
