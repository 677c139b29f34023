//! Binning every feature once to `u8`, as scikit-learn's `_BinMapper` does: the
//! trees then split on bin indices and every histogram has at most 255 cells.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::model::DataView;

/// Most bins per feature (bin indices 0..=254 fit in a `u8`).
pub const MAX_BINS: usize = 255;
/// Rows used to find the thresholds; larger sets are subsampled (scikit-learn's 200,000).
const SUBSAMPLE: usize = 200_000;

/// Per feature, the ascending upper edges of every bin but the last: a value goes
/// to the first bin whose edge is ≥ it.
#[derive(Clone, Debug, PartialEq)]
pub struct BinMapper {
    pub thresholds: Vec<Vec<f64>>,
}

/// Binned features, kept twice, as each use reads them fastest.
///
/// Column-major (`bins[feature * n_rows + row]`) for partitioning a node's
/// rows on one feature. Row-major (`rows[row * n_features + feature]`) for the
/// histograms: a node's rows are scattered over the whole set, and in a column
/// each of them costs a cache line per feature, so below the root every
/// feature's histogram read nearly the whole column whatever the node's size
/// (8 MB at 800,000 rows × 10, more than the cache); in a row, a row's bins
/// share one line. A byte per value, so both together are half the size of the
/// `f32` features.
pub struct Binned {
    pub n_rows: usize,
    bins: Vec<u8>,
    rows: Vec<u8>,
    /// Bins in use per feature (`thresholds.len() + 1`).
    pub n_bins: Vec<usize>,
}

impl Binned {
    fn new(n_rows: usize, bins: Vec<u8>, n_bins: Vec<usize>) -> Self {
        let n_features = n_bins.len();
        let mut rows = vec![0u8; bins.len()];
        for (feature, column) in bins.chunks_exact(n_rows.max(1)).enumerate() {
            for (row, &b) in column.iter().enumerate() {
                rows[row * n_features + feature] = b;
            }
        }
        Binned { n_rows, bins, rows, n_bins }
    }

    pub fn column(&self, feature: usize) -> &[u8] {
        &self.bins[feature * self.n_rows..(feature + 1) * self.n_rows]
    }

    /// Every feature's bin of `row`.
    #[inline(always)]
    pub fn row(&self, row: usize) -> &[u8] {
        let n_features = self.n_bins.len();
        &self.rows[row * n_features..(row + 1) * n_features]
    }
}

impl BinMapper {
    /// Thresholds from the rows of `x` (a seeded subsample of [`SUBSAMPLE`] rows
    /// when there are more): midpoints between distinct values when a feature has
    /// at most [`MAX_BINS`] of them, else its percentiles at 254 even steps.
    pub fn fit(x: &DataView, seed: u64) -> Self {
        let n = x.n_rows();
        let subsample = (n > SUBSAMPLE).then(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rand::seq::index::sample(&mut rng, n, SUBSAMPLE).into_vec()
        });
        let (source, positions) = (&x.source().x, x.rows());
        let at = |row: usize| positions.map_or(row, |p| p[row]);
        let mut values: Vec<f64> = Vec::with_capacity(n.min(SUBSAMPLE));
        let thresholds = source
            .columns()
            .map(|col| {
                values.clear();
                match &subsample {
                    Some(rows) => values.extend(rows.iter().map(|&r| col[at(r)] as f64)),
                    None => values.extend((0..n).map(|r| col[at(r)] as f64)),
                }
                values.sort_unstable_by(f64::total_cmp);
                feature_thresholds(&values)
            })
            .collect();
        BinMapper { thresholds }
    }

    /// Every row of `x` as bin indices.
    pub fn transform(&self, x: &DataView) -> Binned {
        let n_rows = x.n_rows();
        let mut bins = Vec::with_capacity(n_rows * x.n_cols());
        for (col, edges) in x.source().x.columns().zip(&self.thresholds) {
            match x.rows() {
                None => bins.extend(col.iter().map(|&v| bin_of(edges, v as f64))),
                Some(rows) => bins.extend(rows.iter().map(|&r| bin_of(edges, col[r] as f64))),
            }
        }
        Binned::new(n_rows, bins, self.thresholds.iter().map(|t| t.len() + 1).collect())
    }
}

/// The bin of `v`: how many edges lie strictly below it.
fn bin_of(edges: &[f64], v: f64) -> u8 {
    edges.partition_point(|&t| t < v) as u8
}

/// Bin edges of one feature from its sorted values.
fn feature_thresholds(sorted: &[f64]) -> Vec<f64> {
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    if distinct.len() <= MAX_BINS {
        return distinct.windows(2).map(|w| (w[0] + w[1]) * 0.5).collect();
    }
    // numpy's percentile(method="averaged_inverted_cdf") at linspace(0, 100, 256)[1..255],
    // as scikit-learn 1.9 takes it, with numpy's arithmetic: at virtual index n·q − 1
    // the next value, or the midpoint of the two around it when the index is whole.
    let n = sorted.len();
    let step = 100.0 / MAX_BINS as f64;
    let mut edges: Vec<f64> = (1..MAX_BINS)
        .map(|i| {
            let at = n as f64 * (i as f64 * step / 100.0) - 1.0;
            let lo = at.floor();
            let (a, b) = match lo {
                _ if at < 0.0 => (sorted[0], sorted[0]),
                _ if at >= (n - 1) as f64 => (sorted[n - 1], sorted[n - 1]),
                _ => (sorted[lo as usize], sorted[lo as usize + 1]),
            };
            if at == lo {
                b - (b - a) * 0.5
            } else {
                b
            }
        })
        .collect();
    // Quantiles that coincide (a value repeated across bins) give one edge.
    edges.dedup();
    edges
}

/// The largest `f32` not above `t`: for any `f32` value `x`, `x ≤ t` exactly when
/// `x ≤ floor_f32(t)`, so a fitted model can store and compare thresholds in `f32`.
pub fn floor_f32(t: f64) -> f32 {
    let f = t as f32;
    if f as f64 > t {
        f.next_down()
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{FeatureMatrix, Target};
    use crate::model::Dataset;

    #[test]
    fn few_distinct_values_split_at_midpoints() {
        // Values 1 1 2 4: distinct 1, 2, 4 → edges 1.5 and 3; 4 lands in bin 2.
        let x = FeatureMatrix::from_columns(4, vec![vec![1., 1., 2., 4.], vec![5.; 4]]);
        let data = Dataset { x, target: Target::Values(vec![0.0; 4]), feature_names: vec!["a".into(), "b".into()] };
        let mapper = BinMapper::fit(&data.as_view(), 0);
        assert_eq!(mapper.thresholds, vec![vec![1.5, 3.0], vec![]]);
        let binned = mapper.transform(&data.as_view());
        assert_eq!(binned.column(0), &[0, 0, 1, 2]);
        assert_eq!(binned.column(1), &[0, 0, 0, 0]);
        assert_eq!(binned.n_bins, vec![3, 1]);
        assert_eq!((binned.row(2), binned.row(3)), (&[1, 0][..], &[2, 0][..]));
    }

    #[test]
    fn many_distinct_values_use_percentiles() {
        // 0..=509: 510 values, virtual index 510·i/255 − 1 = 2i − 1, always whole, so
        // each edge is the midpoint of values 2i − 1 and 2i: 1.5, 3.5, …, 507.5.
        let sorted: Vec<f64> = (0..510).map(f64::from).collect();
        let t = feature_thresholds(&sorted);
        assert_eq!(t.len(), MAX_BINS - 1);
        assert_eq!((t[0], t[1], t[253]), (1.5, 3.5, 507.5));
        // 0..=299: index 300·i/255 − 1 is fractional for i = 1 (0.176) → the next value, 1.
        let t = feature_thresholds(&(0..300).map(f64::from).collect::<Vec<_>>());
        assert_eq!(t[0], 1.0);
        // 600 values, half of them 0: the repeated quantiles give a single edge.
        let mut half: Vec<f64> = vec![0.0; 300];
        half.extend((1..=300).map(f64::from));
        assert!(feature_thresholds(&half).windows(2).all(|w| w[0] < w[1]));
        // At most 255 bins: the largest value still fits in a u8 bin.
        assert_eq!(bin_of(&t, 509.0), 254);
    }

    #[test]
    fn f32_floor_keeps_comparisons_exact() {
        let (a, b) = (0.1f32, 0.1f32.next_up());
        let mid = (a as f64 + b as f64) / 2.0;
        assert_eq!(floor_f32(mid), a);
        assert_eq!(floor_f32(2.5), 2.5);
    }
}
