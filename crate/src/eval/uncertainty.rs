//! How far a test score would move on other test rows: its standard error,
//! and which differences between compared models it supports. Six test rows
//! cannot tell two models apart; the page must not crown one as if they could.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Resamples of the test rows behind an R² standard error: enough for its
/// second digit, cheap next to any fit.
pub const BOOTSTRAP_ROUNDS: usize = 200;

/// A difference counts only beyond this many standard errors of it (about a
/// 95 % interval under a normal approximation).
pub const SUPPORTED_BEYOND: f64 = 2.0;

/// The standard error of an accuracy `p` measured on `n` rows, each right or
/// wrong on its own: √(p(1−p)/n). `NaN` without rows.
pub fn accuracy_standard_error(p: f64, n: usize) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    (p * (1.0 - p) / n as f64).sqrt()
}

/// The standard error of R² over the test rows, from [`BOOTSTRAP_ROUNDS`]
/// resamples of the rows drawn with replacement from `seed`: half the width
/// of the middle 68 % of their R² (one standard error either side, were R²
/// normal). Not their standard deviation: on a few rows a resample whose
/// actual values nearly agree has an R² of −1000, which would swamp it. A
/// resample whose actual values are all equal has no R² and is skipped;
/// `NaN` when fewer than two resamples have one.
pub fn r2_standard_error(actual: &[f64], predicted: &[f64], seed: u64) -> f64 {
    let n = actual.len().min(predicted.len());
    if n < 2 {
        return f64::NAN;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut picks = vec![0usize; n];
    let mut r2s = Vec::with_capacity(BOOTSTRAP_ROUNDS);
    for _ in 0..BOOTSTRAP_ROUNDS {
        for pick in picks.iter_mut() {
            *pick = rng.random_range(0..n);
        }
        let mean = picks.iter().map(|&i| actual[i]).sum::<f64>() / n as f64;
        let total: f64 = picks.iter().map(|&i| (actual[i] - mean).powi(2)).sum();
        if total > 0.0 {
            let residual: f64 = picks.iter().map(|&i| (actual[i] - predicted[i]).powi(2)).sum();
            r2s.push(1.0 - residual / total);
        }
    }
    if r2s.len() < 2 {
        return f64::NAN;
    }
    r2s.sort_by(f64::total_cmp);
    (quantile(&r2s, 0.84) - quantile(&r2s, 0.16)) / 2.0
}

/// The `q` quantile of sorted `values`, interpolated between neighbours.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let at = q * (sorted.len() - 1) as f64;
    let (low, high) = (at.floor() as usize, at.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (at - low as f64)
}

/// Where a model stands in a comparison by its test score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The top score, ahead of every other beyond the noise.
    Best,
    /// The top score, or one the noise cannot tell from it.
    TiedBest,
    /// Behind beyond the noise, or nothing to compare (a lone or scoreless model).
    Other,
}

/// Each model's standing from its (score, standard error), higher scores
/// better. A model ties with the top one when their difference is at most
/// [`SUPPORTED_BEYOND`] standard errors of the difference, √(se₁² + se₂²)
/// (as if the two scores were independent: on the same test rows they are
/// not, which this ignores and so errs towards "tied"). The top one is
/// [`Standing::Best`] only when it ties with none. Scores that are not
/// numbers stand nowhere; an unknown standard error supports no difference.
pub fn standings(scores: &[(f64, f64)]) -> Vec<Standing> {
    let mut standing = vec![Standing::Other; scores.len()];
    let top = (0..scores.len()).filter(|&i| !scores[i].0.is_nan()).max_by(|&a, &b| scores[a].0.total_cmp(&scores[b].0));
    let Some(top) = top else { return standing };
    let (best, best_se) = scores[top];
    let ties: Vec<usize> = (0..scores.len())
        .filter(|&i| i != top && !scores[i].0.is_nan())
        .filter(|&i| {
            let (score, se) = scores[i];
            let noise = SUPPORTED_BEYOND * (best_se.powi(2) + se.powi(2)).sqrt();
            // An unknown spread (NaN) supports no difference.
            noise.is_nan() || best - score <= noise
        })
        .collect();
    let others = scores.iter().enumerate().filter(|&(i, s)| i != top && !s.0.is_nan()).count();
    if ties.is_empty() {
        if others > 0 {
            standing[top] = Standing::Best;
        }
    } else {
        standing[top] = Standing::TiedBest;
        for i in ties {
            standing[i] = Standing::TiedBest;
        }
    }
    standing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_standard_error_by_hand() {
        // 0.9 on 100 rows: √(0.9 · 0.1 / 100) = 0.03; 5 of 6 right: √(5/6 · 1/6 / 6) = 0.1521.
        assert!((accuracy_standard_error(0.9, 100) - 0.03).abs() < 1e-12);
        assert!((accuracy_standard_error(5.0 / 6.0, 6) - 0.152_145_154).abs() < 1e-8);
        assert_eq!(accuracy_standard_error(1.0, 6), 0.0, "all right is no spread, as the formula says");
        assert!(accuracy_standard_error(0.5, 0).is_nan());
    }

    #[test]
    fn r2_standard_error_shrinks_with_rows_and_repeats_with_its_seed() {
        let rows = |n: usize| -> (Vec<f64>, Vec<f64>) {
            let actual: Vec<f64> = (0..n).map(|i| i as f64).collect();
            // Predictions off by ±3, alternating: R² near 1 − 9 / var.
            let predicted = actual.iter().enumerate().map(|(i, a)| a + if i % 2 == 0 { 3.0 } else { -3.0 }).collect();
            (actual, predicted)
        };
        let (a, p) = rows(40);
        assert_eq!(r2_standard_error(&a, &a, 1), 0.0, "perfect predictions on every resample");
        let small = r2_standard_error(&a, &p, 7);
        assert_eq!(small.to_bits(), r2_standard_error(&a, &p, 7).to_bits(), "same seed, same bits");
        let (a4, p4) = rows(160);
        let large = r2_standard_error(&a4, &p4, 7);
        assert!(small > 0.0 && large > 0.0);
        // Four times the rows: the spread is smaller (it does not halve: the
        // wider range of the actual values also pushes R² towards 1).
        assert!(large < small / 2.0, "{large} vs {small}");
        assert!(r2_standard_error(&[1.0], &[1.0], 0).is_nan(), "one row has no spread to resample");
        // Six rows, one far off: resamples that leave out the others' spread
        // have huge negative R², which must not swamp the range.
        let six = r2_standard_error(&[10.0, 12.0, 14.0, 16.0, 18.0, 20.0], &[11.0, 12.5, 13.0, 17.0, 18.5, 12.0], 3);
        assert!(six > 0.1 && six < 3.0, "{six}");
        assert!(r2_standard_error(&[2.0, 2.0], &[1.0, 3.0], 0).is_nan(), "no resample has an R²");
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[0.0, 10.0], 0.84), 8.4);
        assert_eq!(quantile(&[1.0, 2.0, 3.0], 0.5), 2.0);
    }

    #[test]
    fn best_only_beyond_the_noise_of_the_difference() {
        use Standing::*;
        // 0.90 ± 0.03 against 0.79 ± 0.04: the difference 0.11 is more than
        // 2 · √(0.03² + 0.04²) = 0.10, so the first is best.
        assert_eq!(standings(&[(0.90, 0.03), (0.79, 0.04)]), [Best, Other]);
        // Against 0.81 ± 0.04 the difference 0.09 is within 0.10: tied.
        assert_eq!(standings(&[(0.81, 0.04), (0.90, 0.03)]), [TiedBest, TiedBest]);
        // Only the models within the noise of the top one tie with it.
        assert_eq!(standings(&[(0.90, 0.03), (0.81, 0.04), (0.5, 0.05)]), [TiedBest, TiedBest, Other]);
        // Six test rows: 5 of 6 against 4 of 6 is no real difference.
        let se = |k: f64| accuracy_standard_error(k / 6.0, 6);
        assert_eq!(standings(&[(5.0 / 6.0, se(5.0)), (4.0 / 6.0, se(4.0))]), [TiedBest, TiedBest]);
    }

    #[test]
    fn a_lone_or_scoreless_model_is_not_crowned() {
        use Standing::*;
        assert_eq!(standings(&[(0.9, 0.03)]), [Other]);
        assert_eq!(standings(&[(f64::NAN, 0.1), (0.9, 0.03)]), [Other, Other]);
        assert_eq!(standings(&[]), Vec::<Standing>::new());
        // An unknown spread supports no difference.
        assert_eq!(standings(&[(0.9, f64::NAN), (0.8, 0.01)]), [TiedBest, TiedBest]);
    }
}
