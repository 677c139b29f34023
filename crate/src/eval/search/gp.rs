//! The Bayesian search's surrogate: a Gaussian process over the searched
//! settings (Matérn 5/2 kernel, one length scale and a noise level chosen by
//! marginal likelihood from a small grid) and expected improvement. Written
//! here because the trials are few (tens to hundreds), so a dense Cholesky
//! factorisation of an n × n matrix is all it takes, and ndarray's linear
//! algebra crates need LAPACK, which does not build for wasm32.

/// A point of the search space: each searched setting in [0, 1] (its place
/// in its range, on its scale), or a choice's index.
pub type Point = Vec<f64>;

/// How far apart two points are for the kernel: numeric settings by their
/// difference, choices by whether they match.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Axis {
    Numeric,
    Choice,
}

/// Length scales and noise levels the fit chooses from (units: the [0, 1]
/// span of a setting; the scores' variance after standardising).
const LENGTH_SCALES: [f64; 6] = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6];
const NOISE_LEVELS: [f64; 4] = [1e-6, 1e-3, 1e-2, 1e-1];

/// A Gaussian process fitted to scores at points.
pub struct Process {
    axes: Vec<Axis>,
    points: Vec<Point>,
    length: f64,
    /// Lower Cholesky factor of K + noise·I, row-major.
    chol: Vec<f64>,
    /// (K + noise·I)⁻¹ y, in standardised scores.
    alpha: Vec<f64>,
    mean: f64,
    sd: f64,
}

impl Process {
    /// Fits to `scores` at `points` (at least one), choosing the length scale
    /// and noise with the highest marginal likelihood. `None` only when every
    /// candidate kernel matrix fails to factor, which a noise floor prevents.
    pub fn fit(axes: &[Axis], points: &[Point], scores: &[f64]) -> Option<Process> {
        let n = scores.len();
        let mean = scores.iter().sum::<f64>() / n as f64;
        let var = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n as f64;
        let sd = if var > 1e-24 { var.sqrt() } else { 1.0 };
        let y: Vec<f64> = scores.iter().map(|s| (s - mean) / sd).collect();
        let mut best: Option<(f64, Process)> = None;
        for &length in &LENGTH_SCALES {
            for &noise in &NOISE_LEVELS {
                let mut k = vec![0.0; n * n];
                for i in 0..n {
                    for j in 0..=i {
                        let v = matern52(distance(axes, &points[i], &points[j]) / length);
                        k[i * n + j] = v;
                        k[j * n + i] = v;
                    }
                    k[i * n + i] += noise;
                }
                let Some(chol) = cholesky(k, n) else { continue };
                let alpha = solve_upper(&chol, n, &solve_lower(&chol, n, &y));
                // log p(y) = −½ yᵀα − Σ log Lᵢᵢ − (n/2) log 2π; the constant is dropped.
                let fit = -0.5 * y.iter().zip(&alpha).map(|(a, b)| a * b).sum::<f64>()
                    - (0..n).map(|i| chol[i * n + i].ln()).sum::<f64>();
                if best.as_ref().is_none_or(|(b, _)| fit > *b) {
                    let process = Process { axes: axes.to_vec(), points: points.to_vec(), length, chol, alpha, mean, sd };
                    best = Some((fit, process));
                }
            }
        }
        best.map(|(_, p)| p)
    }

    /// The predicted score at `x` and its standard deviation, in score units.
    pub fn predict(&self, x: &[f64]) -> (f64, f64) {
        let n = self.points.len();
        let k: Vec<f64> = self.points.iter().map(|p| matern52(distance(&self.axes, p, x) / self.length)).collect();
        let mu = k.iter().zip(&self.alpha).map(|(a, b)| a * b).sum::<f64>();
        let v = solve_lower(&self.chol, n, &k);
        let var = (1.0 - v.iter().map(|a| a * a).sum::<f64>()).max(0.0);
        (self.mean + self.sd * mu, self.sd * var.sqrt())
    }

    /// Expected improvement over `best` (higher scores are better), with a
    /// small margin `xi` that keeps the search from polishing one point.
    pub fn expected_improvement(&self, x: &[f64], best: f64, xi: f64) -> f64 {
        let (mu, sigma) = self.predict(x);
        if sigma < 1e-12 {
            return (mu - best - xi).max(0.0);
        }
        let z = (mu - best - xi) / sigma;
        (mu - best - xi) * normal_cdf(z) + sigma * normal_pdf(z)
    }
}

fn distance(axes: &[Axis], a: &[f64], b: &[f64]) -> f64 {
    axes.iter()
        .zip(a.iter().zip(b))
        .map(|(axis, (x, y))| match axis {
            Axis::Numeric => (x - y).powi(2),
            Axis::Choice => f64::from(u8::from(x != y)),
        })
        .sum::<f64>()
        .sqrt()
}

fn matern52(r: f64) -> f64 {
    let s = 5f64.sqrt() * r;
    (1.0 + s + s * s / 3.0) * (-s).exp()
}

/// The lower Cholesky factor of the symmetric `n × n` matrix `a` (row-major),
/// or `None` if it is not positive definite.
fn cholesky(mut a: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let d = a[j * n + j] - (0..j).map(|k| a[j * n + k].powi(2)).sum::<f64>();
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let s = a[i * n + j] - (0..j).map(|k| a[i * n + k] * a[j * n + k]).sum::<f64>();
            a[i * n + j] = s / d;
        }
        for k in j + 1..n {
            a[j * n + k] = 0.0;
        }
    }
    Some(a)
}

/// Solves L x = b for the lower-triangular `l`.
fn solve_lower(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut x = vec![0.0; n];
    for i in 0..n {
        let s = b[i] - (0..i).map(|k| l[i * n + k] * x[k]).sum::<f64>();
        x[i] = s / l[i * n + i];
    }
    x
}

/// Solves Lᵀ x = b for the lower-triangular `l`.
fn solve_upper(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s = b[i] - (i + 1..n).map(|k| l[k * n + i] * x[k]).sum::<f64>();
        x[i] = s / l[i * n + i];
    }
    x
}

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Φ(z) through the complementary error function (Numerical Recipes'
/// Chebyshev fit, relative error under 1.2e-7 everywhere: ample for ranking
/// candidates).
fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    0.5 * if x >= 0.0 { erfc } else { 2.0 - erfc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_of_a_hand_worked_matrix() {
        // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
        let l = cholesky(vec![4.0, 2.0, 2.0, 3.0], 2).unwrap();
        assert_eq!(l[0], 2.0);
        assert_eq!(l[1], 0.0);
        assert_eq!(l[2], 1.0);
        assert!((l[3] - 2f64.sqrt()).abs() < 1e-15);
        // A x = [8, 7.5] has x = A⁻¹ b = ⅛ [[3, −2], [−2, 4]] b = [1.125, 1.75].
        let x = solve_upper(&l, 2, &solve_lower(&l, 2, &[8.0, 7.5]));
        assert!((x[0] - 1.125).abs() < 1e-12 && (x[1] - 1.75).abs() < 1e-12, "{x:?}");
        assert!(cholesky(vec![1.0, 2.0, 2.0, 1.0], 2).is_none(), "not positive definite");
    }

    #[test]
    fn the_normal_cdf_matches_known_values() {
        for (z, p) in [(0.0, 0.5), (1.0, 0.841_344_746), (-1.96, 0.024_997_895), (3.0, 0.998_650_102)] {
            assert!((normal_cdf(z) - p).abs() < 2e-7, "Φ({z}) = {} ≠ {p}", normal_cdf(z));
        }
    }

    #[test]
    fn the_process_passes_near_its_points_and_is_unsure_between_them() {
        let points: Vec<Point> = (0..9).map(|i| vec![i as f64 / 8.0]).collect();
        let scores: Vec<f64> = points.iter().map(|p| (6.0 * p[0]).sin()).collect();
        let gp = Process::fit(&[Axis::Numeric], &points, &scores).unwrap();
        let (_, far) = gp.predict(&[3.0]);
        for (p, s) in points.iter().zip(&scores) {
            let (mu, sd) = gp.predict(p);
            assert!((mu - s).abs() < 0.05, "at {p:?}: {mu} vs {s}");
            assert!(far > 3.0 * sd, "uncertain away from the data: {far} vs {sd} at {p:?}");
        }
    }

    #[test]
    fn expected_improvement_prefers_promise_and_doubt_over_a_known_point() {
        let points: Vec<Point> = vec![vec![0.1], vec![0.5], vec![0.9]];
        let gp = Process::fit(&[Axis::Numeric], &points, &[0.2, 0.8, 0.3]).unwrap();
        let best = 0.8;
        let at_best = gp.expected_improvement(&[0.5], best, 0.0);
        let near_best = gp.expected_improvement(&[0.6], best, 0.0);
        let at_worst = gp.expected_improvement(&[0.1], best, 0.0);
        assert!(near_best > at_best && near_best > at_worst, "{near_best} {at_best} {at_worst}");
    }

    #[test]
    fn choices_are_apart_by_whether_they_match() {
        let axes = [Axis::Numeric, Axis::Choice];
        assert_eq!(distance(&axes, &[0.5, 0.0], &[0.5, 2.0]), 1.0);
        assert_eq!(distance(&axes, &[0.5, 1.0], &[0.5, 1.0]), 0.0);
    }
}
