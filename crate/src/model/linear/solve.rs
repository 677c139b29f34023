//! Least squares on centered data, shared by OLS and ridge: the normal equations
//! (XcᵀXc + αI) w = Xcᵀyc, solved by a Cholesky factorization written here
//! (no LAPACK in the browser). Centering X and y first is what leaves the
//! intercept out of the penalty, as scikit-learn does.

use super::{regression_target, Kind, LinearModel};
use crate::base::FeatureMatrix;
use crate::model::{DataView, FitError};

/// Mean of each column, in f64.
pub(super) fn column_means(x: &FeatureMatrix) -> Vec<f64> {
    let n = x.n_rows().max(1) as f64;
    x.columns().map(|c| c.iter().map(|&v| v as f64).sum::<f64>() / n).collect()
}

/// Fits `min ‖yc − Xc w‖² + α‖w‖²` on centered data; the intercept then makes
/// the fit pass through the means: b = ȳ − x̄ᵀw.
pub(super) fn fit_least_squares(train: &DataView, alpha: f64, kind: Kind) -> Result<LinearModel, FitError> {
    train.check_fit_ready()?;
    let data = train.to_dataset();
    let train = &*data;
    let y = regression_target(train, if kind == Kind::Ridge { "ridge regression" } else { "linear regression" })?;
    let x = &train.x;
    let means = column_means(x);
    let y_mean = y.iter().sum::<f64>() / y.len() as f64;
    let (gram, rhs) = normal_equations(x, &means, y, y_mean);
    let coef = solve_regularized(gram, &rhs, alpha);
    let intercept = y_mean - coef.iter().zip(&means).map(|(w, m)| w * m).sum::<f64>();
    Ok(LinearModel { kind, coef, intercepts: vec![intercept], n_features: x.n_cols() })
}

/// XcᵀXc (p × p, row-major, both triangles) and Xcᵀyc, with Xc, yc the centered
/// data, accumulated in f64.
fn normal_equations(x: &FeatureMatrix, means: &[f64], y: &[f64], y_mean: f64) -> (Vec<f64>, Vec<f64>) {
    let p = x.n_cols();
    let mut gram = vec![0.0; p * p];
    let mut rhs = vec![0.0; p];
    for j in 0..p {
        let (cj, mj) = (x.column(j), means[j]);
        rhs[j] = cj.iter().zip(y).map(|(&a, &b)| (a as f64 - mj) * (b - y_mean)).sum();
        for k in 0..=j {
            let (ck, mk) = (x.column(k), means[k]);
            let g: f64 = cj.iter().zip(ck).map(|(&a, &b)| (a as f64 - mj) * (b as f64 - mk)).sum();
            gram[j * p + k] = g;
            gram[k * p + j] = g;
        }
    }
    (gram, rhs)
}

/// Solves (G + αI) w = c for a symmetric positive semi-definite `gram` G.
///
/// When G + αI is singular or nearly so (a constant column, two identical
/// columns, one-hot levels that sum to one, fewer rows than inputs), a tiny
/// ridge is added, starting at 1e-10 of the mean diagonal and growing tenfold
/// until the factorization succeeds. It picks, among the equally good exact
/// fits, the one with the smallest weights (what scikit-learn's least-squares
/// solver returns), and changes nothing measurable otherwise.
pub(super) fn solve_regularized(mut gram: Vec<f64>, rhs: &[f64], alpha: f64) -> Vec<f64> {
    let p = rhs.len();
    (0..p).for_each(|j| gram[j * p + j] += alpha);
    let scale = ((0..p).map(|j| gram[j * p + j]).sum::<f64>() / p.max(1) as f64).max(f64::MIN_POSITIVE);
    let mut jitter = 0.0;
    loop {
        let mut factor = gram.clone();
        (0..p).for_each(|j| factor[j * p + j] += jitter);
        if cholesky(&mut factor, p) {
            return cholesky_solve(&factor, rhs);
        }
        jitter = if jitter == 0.0 { 1e-10 * scale } else { jitter * 10.0 };
        if !jitter.is_finite() || jitter > scale * 1e6 {
            // Only non-finite sums get here (the inputs are checked finite); no weights beat wrong ones.
            return vec![0.0; p];
        }
    }
}

/// Factors the symmetric matrix `a` (p × p, row-major) as L·Lᵀ in place (L in the
/// lower triangle). False when a pivot is not clearly positive, i.e. the matrix is
/// singular to working precision.
fn cholesky(a: &mut [f64], p: usize) -> bool {
    for j in 0..p {
        let original = a[j * p + j];
        let mut d = original;
        for k in 0..j {
            d -= a[j * p + k] * a[j * p + k];
        }
        // Also false for NaN, which only non-finite sums could produce.
        if d.is_nan() || d <= 1e-12 * original.abs() {
            return false;
        }
        let d = d.sqrt();
        a[j * p + j] = d;
        for i in j + 1..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= a[i * p + k] * a[j * p + k];
            }
            a[i * p + j] = s / d;
        }
    }
    true
}

/// Solves L·Lᵀ x = b given the factor from [`cholesky`].
fn cholesky_solve(l: &[f64], b: &[f64]) -> Vec<f64> {
    let p = b.len();
    let mut x = b.to_vec();
    for i in 0..p {
        let s: f64 = (0..i).map(|k| l[i * p + k] * x[k]).sum();
        x[i] = (x[i] - s) / l[i * p + i];
    }
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|k| l[k * p + i] * x[k]).sum();
        x[i] = (x[i] - s) / l[i * p + i];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        // [4 2; 2 3] x = [2; 1]: det = 8, x = [ (3·2 − 2·1)/8, (4·1 − 2·2)/8 ] = [0.5, 0].
        let x = solve_regularized(vec![4.0, 2.0, 2.0, 3.0], &[2.0, 1.0], 0.0);
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
    }

    #[test]
    fn a_singular_system_gets_the_smallest_solution() {
        // Two identical inputs: [1 1; 1 1] w = [1; 1] has solutions w₁ + w₂ = 1;
        // the jitter picks the smallest, w = [0.5, 0.5].
        let x = solve_regularized(vec![1.0, 1.0, 1.0, 1.0], &[1.0, 1.0], 0.0);
        assert!((x[0] - 0.5).abs() < 1e-6 && (x[1] - 0.5).abs() < 1e-6, "{x:?}");
        // All zero (constant inputs): no information, zero weights.
        assert_eq!(solve_regularized(vec![0.0; 4], &[0.0, 0.0], 0.0), vec![0.0, 0.0]);
    }
}
