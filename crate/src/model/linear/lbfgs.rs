//! Limited-memory BFGS for smooth convex objectives (the L2-penalized logistic
//! loss). Directions come from the last few steps and gradient changes (the
//! two-loop recursion); step lengths from a backtracking line search with the
//! Armijo condition, which is enough on a convex function.

use std::collections::VecDeque;

use crate::base::Progress;

/// Steps and gradient changes remembered.
const MEMORY: usize = 10;
/// Sufficient decrease: accept a step that achieves this fraction of the
/// decrease the gradient promises.
const ARMIJO: f64 = 1e-4;
/// Most halvings of a step before the search gives up (the objective cannot be
/// decreased further in floating point).
const MAX_BACKTRACKS: usize = 60;

/// When to stop.
pub(super) struct Stop {
    pub max_iter: usize,
    /// The largest gradient entry at which the point counts as optimal.
    pub gtol: f64,
    /// Stop when an iteration decreases the objective by less than this
    /// fraction of its value.
    pub ftol: f64,
}

/// Minimizes `f` from `x` in place; `f(x, grad)` returns the value and writes the
/// gradient. Returns the number of iterations taken.
pub(super) fn minimize(
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    x: &mut [f64],
    stop: &Stop,
    progress: &mut dyn Progress,
) -> usize {
    let n = x.len();
    let mut grad = vec![0.0; n];
    let mut fx = f(x, &mut grad);
    // The last MEMORY pairs (s = step, y = gradient change, 1 / sᵀy), oldest first.
    let mut history: VecDeque<Pair> = VecDeque::with_capacity(MEMORY);
    let mut alpha = [0.0; MEMORY];
    let (mut dir, mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for iter in 0..stop.max_iter {
        if max_abs(&grad) <= stop.gtol {
            return iter;
        }
        progress.report(iter, stop.max_iter, "minimizing the loss");
        // Two-loop recursion: dir = −H·grad with H the L-BFGS inverse Hessian.
        dir.iter_mut().zip(&grad).for_each(|(d, g)| *d = -g);
        for (pair, a) in history.iter().rev().zip(alpha.iter_mut()) {
            *a = pair.rho * dot(&pair.s, &dir);
            axpy(-*a, &pair.y, &mut dir);
        }
        let gamma = match history.back() {
            Some(last) => 1.0 / (last.rho * dot(&last.y, &last.y)),
            // No curvature known yet: a first step of at most unit length.
            None => 1.0 / dot(&grad, &grad).sqrt().max(1.0),
        };
        dir.iter_mut().for_each(|d| *d *= gamma);
        for (pair, a) in history.iter().zip(alpha[..history.len()].iter().rev()) {
            let beta = pair.rho * dot(&pair.y, &dir);
            axpy(a - beta, &pair.s, &mut dir);
        }
        let mut slope = dot(&dir, &grad);
        if slope >= 0.0 || slope.is_nan() {
            // Not a descent direction (rounding): forget the history, go downhill.
            history.clear();
            dir.iter_mut().zip(&grad).for_each(|(d, g)| *d = -g);
            slope = -dot(&grad, &grad);
        }
        // Backtracking line search from the full quasi-Newton step.
        let mut step = 1.0;
        let mut accepted = false;
        let mut f_new = fx;
        for _ in 0..MAX_BACKTRACKS {
            x_new.iter_mut().zip(x.iter().zip(&dir)).for_each(|(xn, (xi, d))| *xn = xi + step * d);
            f_new = f(&x_new, &mut g_new);
            if f_new <= fx + ARMIJO * step * slope {
                accepted = true;
                break;
            }
            // The minimizer of the quadratic through f(x), its slope and f(x + step·dir),
            // kept within [0.1, 0.5] of the step.
            let curvature = f_new - fx - slope * step;
            let next =
                if curvature.is_finite() && curvature > 0.0 { -slope * step * step / (2.0 * curvature) } else { 0.1 * step };
            step = next.clamp(0.1 * step, 0.5 * step);
        }
        if !accepted {
            // No decrease possible in floating point: as close as it gets.
            return iter;
        }
        // Remember the pair (reusing the oldest one's buffers once the memory is
        // full), unless the curvature along it is not clearly positive.
        let mut pair =
            if history.len() == MEMORY { history.pop_front().unwrap_or_else(|| Pair::new(n)) } else { Pair::new(n) };
        pair.s.iter_mut().zip(x_new.iter().zip(x.iter())).for_each(|(s, (a, b))| *s = a - b);
        pair.y.iter_mut().zip(g_new.iter().zip(&grad)).for_each(|(y, (a, b))| *y = a - b);
        let sy = dot(&pair.s, &pair.y);
        if sy > 1e-12 * dot(&pair.y, &pair.y) {
            pair.rho = 1.0 / sy;
            history.push_back(pair);
        }
        x.copy_from_slice(&x_new);
        std::mem::swap(&mut grad, &mut g_new);
        let decrease = fx - f_new;
        fx = f_new;
        if decrease <= stop.ftol * fx.abs().max(1.0) {
            return iter + 1;
        }
    }
    stop.max_iter
}

/// A step, the gradient change along it, and 1 / (their dot product).
struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

impl Pair {
    fn new(n: usize) -> Self {
        Pair { s: vec![0.0; n], y: vec![0.0; n], rho: 0.0 }
    }
}

pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(y, x)| *y += a * x);
}

pub(super) fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::NoProgress;

    #[test]
    fn finds_the_minimum_of_an_ill_conditioned_quadratic() {
        // f = ½(100·(a − 1)² + (b + 2)²): minimum at (1, −2).
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 100.0 * (x[0] - 1.0);
            g[1] = x[1] + 2.0;
            0.5 * (100.0 * (x[0] - 1.0).powi(2) + (x[1] + 2.0).powi(2))
        };
        let mut x = [0.0, 0.0];
        let iters = minimize(f, &mut x, &Stop { max_iter: 100, gtol: 1e-10, ftol: 0.0 }, &mut NoProgress);
        assert!((x[0] - 1.0).abs() < 1e-10 && (x[1] + 2.0).abs() < 1e-9, "{x:?} after {iters}");
        assert!(iters < 30, "{iters} iterations");
    }
}
