//! Scores of a clustering, which has no right answer to count hits against:
//! how tight the clusters are (inertia), how well separated (silhouette), and
//! how well they agree with a column the person compares them to (adjusted
//! Rand index).

use crate::base::FeatureMatrix;

/// Squared Euclidean distance between rows `a` and `b` of `x`, in `f64`.
fn dist2(x: &FeatureMatrix, a: usize, b: &dyn Fn(usize) -> f64) -> f64 {
    x.columns().enumerate().map(|(j, col)| (col[a] as f64 - b(j)).powi(2)).sum()
}

/// Sum of squared distances of each row of `x` to the centroid of its cluster
/// (`centroids[labels[row]]`, in the same units as `x`).
pub fn inertia(x: &FeatureMatrix, centroids: &[Vec<f32>], labels: &[u32]) -> f64 {
    labels.iter().enumerate().map(|(row, &c)| dist2(x, row, &|j| centroids[c as usize][j] as f64)).sum()
}

/// The mean silhouette of the rows of `x`: for each row, `(b − a) / max(a, b)`
/// with `a` its mean distance to the other rows of its cluster and `b` the mean
/// distance to the rows of the nearest other cluster; 0 for a row alone in its
/// cluster (as scikit-learn). `None` unless there are 2 to `n − 1` clusters.
/// Quadratic in the rows: callers pass a sample.
pub fn silhouette(x: &FeatureMatrix, labels: &[u32]) -> Option<f64> {
    let n = labels.len();
    let k = labels.iter().max().map_or(0, |&m| m as usize + 1);
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l as usize] += 1);
    let used = sizes.iter().filter(|&&s| s > 0).count();
    if used < 2 || used >= n {
        return None;
    }
    let mut sums = vec![0.0f64; k];
    let mut total = 0.0;
    for i in 0..n {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for j in 0..n {
            if i != j {
                sums[labels[j] as usize] += dist2(x, i, &|f| x.column(f)[j] as f64).sqrt();
            }
        }
        let own = labels[i] as usize;
        if sizes[own] <= 1 {
            continue;
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b =
            (0..k).filter(|&c| c != own && sizes[c] > 0).map(|c| sums[c] / sizes[c] as f64).fold(f64::INFINITY, f64::min);
        let spread = a.max(b);
        total += if spread > 0.0 { (b - a) / spread } else { 0.0 };
    }
    Some(total / n as f64)
}

/// The adjusted Rand index of two labelings of the same rows: 1 when they
/// group the rows identically (whatever the label numbers), about 0 for
/// random groupings, negative for worse than random. Both labelings grouping
/// everything alike (or nothing alike) counts as full agreement, as in scikit-learn.
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len().min(b.len());
    let size = |l: &[u32]| l.iter().max().map_or(0, |&m| m as usize + 1);
    let (ka, kb) = (size(&a[..n]), size(&b[..n]));
    let mut table = vec![0u64; ka * kb];
    let (mut rows, mut cols) = (vec![0u64; ka], vec![0u64; kb]);
    for (&i, &j) in a.iter().zip(b) {
        table[i as usize * kb + j as usize] += 1;
        rows[i as usize] += 1;
        cols[j as usize] += 1;
    }
    let pairs = |c: &u64| (*c as f64) * (*c as f64 - 1.0) / 2.0;
    let index: f64 = table.iter().map(pairs).sum();
    let (sum_a, sum_b): (f64, f64) = (rows.iter().map(pairs).sum(), cols.iter().map(pairs).sum());
    let expected = sum_a * sum_b / pairs(&(n as u64)).max(1.0);
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusted_rand_index_matches_hand_counts_and_scikit_learn() {
        // a = 0 0 1 1, b = 0 0 1 2: pairs together in both: 1 (rows 0, 1); in a: 2,
        // in b: 1; of C(4, 2) = 6 pairs. Expected 2 · 1 / 6 = 1/3, max (2 + 1) / 2 = 1.5,
        // ARI = (1 − 1/3) / (1.5 − 1/3) = 4/7 = 0.5714 (scikit-learn's documented 0.57).
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]) - 4.0 / 7.0).abs() < 1e-12);
        // The same grouping under other numbers.
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]), 1.0);
        // One cluster against all singletons: no pair agrees, 0 (scikit-learn: 0.0).
        assert_eq!(adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]), 0.0);
        assert_eq!(adjusted_rand_index(&[0, 0, 0], &[0, 0, 0]), 1.0);
        assert_eq!(adjusted_rand_index(&[], &[]), 1.0);
    }

    #[test]
    fn inertia_and_silhouette_match_hand_values() {
        // x = 0 2 10 12, clusters {0, 2} {10, 12} around 1 and 11: 4 × 1 = 4.
        let x = FeatureMatrix::from_columns(4, vec![vec![0., 2., 10., 12.]]);
        assert_eq!(inertia(&x, &[vec![1.0], vec![11.0]], &[0, 0, 1, 1]), 4.0);
        // Row 0: a = 2, b = (10 + 12) / 2 = 11, s = 9/11; row 1: a = 2, b = 9, s = 7/9;
        // rows 2 and 3 mirror them. Mean (9/11 + 7/9) / 2 = 0.7980.
        let s = silhouette(&x, &[0, 0, 1, 1]).unwrap();
        assert!((s - (9.0 / 11.0 + 7.0 / 9.0) / 2.0).abs() < 1e-12, "{s}");
        assert_eq!(silhouette(&x, &[0, 0, 0, 0]), None);
        assert_eq!(silhouette(&x, &[0, 1, 2, 3]), None);
    }
}
