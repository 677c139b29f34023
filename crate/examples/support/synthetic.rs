//! The benchmark's synthetic classification data, seeded, so the native run,
//! the browser run and scikit-learn all fit the very same rows.

use micro_models::model::{Dataset, FeatureMatrix, Target};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `n_rows × n_cols` standard normal features; the class is the sign of a
/// noisy linear score of the first five plus an interaction, so a depth-5
/// tree has real work to do.
pub fn classification(n_rows: usize, n_cols: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut normal = move || {
        // Box–Muller: two uniforms give one standard normal.
        let (u, v): (f64, f64) = (rng.random::<f64>().max(f64::MIN_POSITIVE), rng.random());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let mut columns = vec![Vec::with_capacity(n_rows); n_cols];
    let mut y = Vec::with_capacity(n_rows);
    for _ in 0..n_rows {
        let row: Vec<f64> = (0..n_cols).map(|_| normal()).collect();
        let w = [1.0, -0.8, 0.6, 0.5, -0.4];
        let score: f64 = row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>() + 0.7 * row[0] * row[1 % n_cols] + 0.5 * normal();
        y.push(u32::from(score > 0.0));
        for (c, v) in columns.iter_mut().zip(&row) {
            c.push(*v as f32);
        }
    }
    Dataset {
        x: FeatureMatrix::from_columns(n_rows, columns),
        target: Target::Classes { y, names: vec!["0".into(), "1".into()] },
        feature_names: (0..n_cols).map(|j| format!("x{j}")).collect(),
    }
}

/// The shapes benchmarked, as (rows, columns).
pub const SHAPES: [(usize, usize); 2] = [(10_000, 10), (100_000, 10)];

/// Fits a depth-5 gini tree `repeats` times; returns the median fit time in
/// milliseconds (timed with `now_ms`) and the test accuracy on a 20% holdout.
pub fn bench_tree(data: &Dataset, repeats: usize, now_ms: impl Fn() -> f64) -> (f64, f64) {
    use micro_models::eval::accuracy;
    use micro_models::model::tree::{DecisionTree, TreeParams};
    use micro_models::model::{FittedModel, NoProgress};
    let n = data.x.n_rows();
    let cut = n - n / 5;
    let train = data.select_rows(&(0..cut).collect::<Vec<_>>());
    let test = data.select_rows(&(cut..n).collect::<Vec<_>>());
    let params = TreeParams::default_for(micro_models::explain::Task::Classification);
    let mut times = Vec::new();
    let mut model = None;
    for _ in 0..repeats {
        let start = now_ms();
        model = Some(DecisionTree::fit(&params, &train, 0, &mut NoProgress).expect("synthetic data fits"));
        times.push(now_ms() - start);
    }
    times.sort_by(f64::total_cmp);
    let predicted = model.expect("at least one repeat").predict(&test.x).expect("same features").labels().unwrap_or_default();
    let Target::Classes { y, .. } = &test.target else { unreachable!("synthetic data is a classification") };
    (times[times.len() / 2], accuracy(y, &predicted))
}
