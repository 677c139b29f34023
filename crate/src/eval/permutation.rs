//! Permutation importance: how much the test score drops when one column's
//! values are shuffled across rows, breaking its link to the target. It works
//! for any model, which is why it is the fallback when a model has no
//! importance of its own.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::base::{accuracy, r2_score, FeatureMatrix, Target};
use crate::model::{Dataset, FittedModel, PredictError, Predictions};

/// Makes the inputs of test rows `rows` with group `group` shuffled by `order`.
pub type Shuffled<'a> = dyn Fn(usize, &[usize], &[usize]) -> FeatureMatrix + 'a;

/// Mean and standard deviation of the score drop over `repeats` shuffles, for
/// each of `groups` things that can be shuffled (a table column, judged
/// whole), on at most `max_rows` test rows (a seeded sample, so the page stays
/// quick on big files). The score is accuracy, or R². `shuffled(group, rows,
/// order)` gives the inputs of test rows `rows` with group `group` taken from
/// row `order[r]` for row `r`: the session shuffles a table column's raw
/// values and encodes them again, so a column mixed into several inputs (a
/// PCA's) is shuffled everywhere it went.
pub fn permutation_importance(
    model: &dyn FittedModel,
    test: &Dataset,
    groups: usize,
    repeats: usize,
    max_rows: usize,
    seed: u64,
    shuffled: &Shuffled,
) -> Result<Vec<(f64, f64)>, PredictError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<usize> = (0..test.x.n_rows()).collect();
    if rows.len() > max_rows {
        rows.shuffle(&mut rng);
        rows.truncate(max_rows);
        rows.sort_unstable();
    }
    let data = test.select_rows(&rows);
    let base = score(&data.target, &model.predict(&data.x)?);
    let mut out = Vec::with_capacity(groups);
    for group in 0..groups {
        let mut drops = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let mut order: Vec<usize> = (0..data.x.n_rows()).collect();
            order.shuffle(&mut rng);
            drops.push(base - score(&data.target, &model.predict(&shuffled(group, &rows, &order))?));
        }
        let n = drops.len().max(1) as f64;
        let mean = drops.iter().sum::<f64>() / n;
        let std = (drops.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / n).sqrt();
        out.push((mean, std));
    }
    Ok(out)
}

fn score(target: &Target, predicted: &Predictions) -> f64 {
    match (target, predicted) {
        (Target::Classes { y, .. }, p) => accuracy(y, &p.labels().unwrap_or_default()),
        (Target::Values(v), Predictions::Values(p)) => r2_score(v, p),
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{NoProgress, Task};
    use crate::model::params::MaxDepth;
    use crate::model::tree::TreeParams;
    use crate::model::Fit;

    #[test]
    fn the_deciding_column_matters_and_noise_does_not() {
        // y = (a > 0.5); b is noise the tree is not allowed to use (depth 1).
        let n = 400;
        let a: Vec<f32> = (0..n).map(|i| ((i * 37) % 100) as f32 / 100.0).collect();
        let b: Vec<f32> = (0..n).map(|i| ((i * 61) % 97) as f32 / 97.0).collect();
        let y: Vec<u32> = a.iter().map(|&v| u32::from(v > 0.5)).collect();
        let data = Dataset {
            x: FeatureMatrix::from_columns(n, vec![a, b]),
            target: Target::Classes { y, names: vec!["no".into(), "yes".into()] },
            feature_names: vec!["a".into(), "b".into()],
        };
        let params = TreeParams { max_depth: MaxDepth::levels(1), ..TreeParams::default_for(Task::Classification) };
        let tree = params.fit(&data, 0, &mut NoProgress).unwrap();
        // Each input its own group, shuffled in place.
        let shuffled = |group: usize, rows: &[usize], order: &[usize]| {
            let x = data.x.select_rows(rows);
            let columns = x
                .columns()
                .enumerate()
                .map(|(j, col)| if j == group { order.iter().map(|&r| col[r]).collect() } else { col.to_vec() })
                .collect();
            FeatureMatrix::from_columns(rows.len(), columns)
        };
        let imp = permutation_importance(&tree, &data, 2, 5, 1000, 3, &shuffled).unwrap();
        // Shuffling a leaves about half the rows right: a drop near 0.5.
        assert!((imp[0].0 - 0.5).abs() < 0.1, "{:?}", imp[0]);
        assert!(imp[0].1 < 0.1);
        // The tree never looks at b: shuffling it changes nothing at all.
        assert_eq!(imp[1], (0.0, 0.0));
        // Fewer rows: a sample, still seeded.
        let few = permutation_importance(&tree, &data, 2, 5, 50, 3, &shuffled).unwrap();
        assert!((few[0].0 - 0.5).abs() < 0.2 && few[1] == (0.0, 0.0), "{few:?}");
        // Seeded: the same numbers again.
        assert_eq!(imp, permutation_importance(&tree, &data, 2, 5, 1000, 3, &shuffled).unwrap());
    }
}
