//! FISTA (Beck & Teboulle 2009) for a smooth convex loss plus λ‖w‖₁ on the first
//! entries of the parameter vector (the weights; the intercepts that follow are
//! not penalized). Each step is a gradient step followed by soft-thresholding,
//! with Nesterov momentum, a backtracking estimate of the gradient's Lipschitz
//! constant, and an adaptive restart of the momentum whenever it points uphill
//! (O'Donoghue & Candès 2015), which keeps ill-conditioned problems converging.

use super::lbfgs::{dot, max_abs, Stop};
use crate::base::Progress;

/// Minimizes `f(x) + l1 · Σ_{i < n_penalized} |xᵢ|` from `x` in place.
/// `f(x, Some(grad))` returns the value and writes the gradient; `f(x, None)`
/// only the value. Stops when the gradient mapping (the proximal analogue of the
/// gradient, zero exactly at the optimum) is below `stop.gtol` in every entry.
/// Returns the number of iterations taken.
pub(super) fn minimize_l1(
    mut f: impl FnMut(&[f64], Option<&mut [f64]>) -> f64,
    x: &mut [f64],
    n_penalized: usize,
    l1: f64,
    stop: &Stop,
    progress: &mut dyn Progress,
) -> usize {
    let n = x.len();
    // `y` is the extrapolated point the gradient step starts from.
    let mut y = x.to_vec();
    let (mut grad, mut x_new, mut diff) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut fy = f(&y, Some(&mut grad));
    let mut lipschitz = 1.0;
    let mut t = 1.0f64;
    for iter in 0..stop.max_iter {
        progress.report(iter, stop.max_iter, "minimizing the loss");
        // Backtracking: the step 1/L must not overshoot the quadratic model of f at y.
        loop {
            let step = 1.0 / lipschitz;
            for i in 0..n {
                let v = y[i] - step * grad[i];
                x_new[i] = if i < n_penalized { v.signum() * (v.abs() - step * l1).max(0.0) } else { v };
                diff[i] = x_new[i] - y[i];
            }
            let f_new = f(&x_new, None);
            let model = fy + dot(&grad, &diff) + 0.5 * lipschitz * dot(&diff, &diff);
            if f_new <= model + 1e-12 * fy.abs() || !lipschitz.is_finite() {
                break;
            }
            lipschitz *= 2.0;
        }
        let mapping = max_abs(&diff) * lipschitz;
        // Restart the momentum when it would carry the iterate uphill.
        let uphill = diff.iter().zip(x_new.iter().zip(x.iter())).map(|(d, (a, b))| -d * (a - b)).sum::<f64>() > 0.0;
        let t_next = if uphill { 1.0 } else { (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0 };
        let momentum = if uphill { 0.0 } else { (t - 1.0) / t_next };
        for i in 0..n {
            y[i] = x_new[i] + momentum * (x_new[i] - x[i]);
        }
        x.copy_from_slice(&x_new);
        t = t_next;
        if mapping <= stop.gtol {
            return iter + 1;
        }
        fy = f(&y, Some(&mut grad));
        // Let the step grow again where the function is flatter than the last estimate.
        lipschitz *= 0.9;
    }
    stop.max_iter
}
