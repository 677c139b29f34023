//! Lloyd's algorithm from greedy k-means++ seeds, as scikit-learn's `KMeans`
//! (algorithm "lloyd") runs it: assign every row to its nearest centroid, move
//! each centroid to the mean of its rows, stop when no row changes cluster or
//! the centroids barely move, then assign once more so labels and centroids agree.
//!
//! Rows are copied once into row-major order, and the nearest centroid is found
//! as the smallest `‖c‖² − 2·x·c` with the dot products of one row against every
//! centroid accumulated side by side (centroids stored feature-major), a loop
//! the compiler turns into SIMD. Sums of rows per cluster and the inertia are
//! accumulated in `f64`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::model::FeatureMatrix;

/// Rows of a feature matrix, row-major.
pub(super) struct Rows {
    pub data: Vec<f32>,
    pub n: usize,
    pub d: usize,
}

impl Rows {
    /// The rows `which` of `x` (all rows for `None`), row-major.
    pub fn gather(x: &FeatureMatrix, which: Option<&[usize]>) -> Rows {
        let d = x.n_cols();
        let n = which.map_or(x.n_rows(), <[usize]>::len);
        let mut data = vec![0.0f32; n * d];
        for (j, col) in x.columns().iter().enumerate() {
            for i in 0..n {
                data[i * d + j] = col[which.map_or(i, |w| w[i])];
            }
        }
        Rows { data, n, d }
    }

    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.d..(i + 1) * self.d]
    }

    /// scikit-learn's absolute tolerance: `tol` times the mean per-feature variance.
    pub fn tolerance(&self, tol: f64) -> f64 {
        if self.n == 0 || self.d == 0 {
            return 0.0;
        }
        let mut total = 0.0;
        for j in 0..self.d {
            let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
            for i in 0..self.n {
                let v = self.data[i * self.d + j] as f64;
                sum += v;
                sum_sq += v * v;
            }
            let mean = sum / self.n as f64;
            total += (sum_sq / self.n as f64 - mean * mean).max(0.0);
        }
        total / self.d as f64 * tol
    }
}

/// One run's result: centroids (`k × d`, row-major), the inertia (sum of
/// squared distances to the assigned centroid) and rows per cluster.
pub(super) struct Clustering {
    pub centroids: Vec<f32>,
    pub inertia: f64,
    pub sizes: Vec<usize>,
}

/// Squared Euclidean distance, summed in `f64`.
pub(super) fn dist2(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| (x as f64 - y as f64).powi(2)).sum()
}

/// Finds the nearest of `k` centroids for rows, reusing its buffers.
pub(super) struct Nearest {
    k: usize,
    d: usize,
    /// `transposed[j * k + c]`: feature j of centroid c.
    transposed: Vec<f32>,
    norms: Vec<f32>,
    dots: Vec<f32>,
}

impl Nearest {
    pub fn new(centroids: &[f32], k: usize, d: usize) -> Nearest {
        let mut transposed = vec![0.0f32; k * d];
        let mut norms = vec![0.0f32; k];
        for c in 0..k {
            let centroid = &centroids[c * d..(c + 1) * d];
            for (j, &v) in centroid.iter().enumerate() {
                transposed[j * k + c] = v;
            }
            norms[c] = centroid.iter().map(|v| v * v).sum();
        }
        Nearest { k, d, transposed, norms, dots: vec![0.0; k] }
    }

    /// The nearest centroid to `row` (ties to the lower index).
    pub fn of(&mut self, row: &[f32]) -> usize {
        let k = self.k;
        self.dots.iter_mut().for_each(|v| *v = 0.0);
        for (j, &x) in row.iter().enumerate().take(self.d) {
            let column = &self.transposed[j * k..(j + 1) * k];
            for (dot, &c) in self.dots.iter_mut().zip(column) {
                *dot += x * c;
            }
        }
        let mut best = 0;
        let mut best_score = f32::INFINITY;
        for c in 0..k {
            let score = self.norms[c] - 2.0 * self.dots[c];
            if score < best_score {
                best_score = score;
                best = c;
            }
        }
        best
    }
}

/// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): the first centroid is
/// a row drawn uniformly; each next one is the best of `2 + ⌊ln k⌋` rows drawn
/// with probability proportional to their squared distance to the nearest
/// centroid so far, "best" meaning the lowest total of those distances after it.
pub(super) fn plus_plus(rows: &Rows, k: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let (n, d) = (rows.n, rows.d);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centroids = Vec::with_capacity(k * d);
    let first = rng.random_range(0..n);
    centroids.extend_from_slice(rows.row(first));
    let mut closest: Vec<f64> = (0..n).map(|i| dist2(rows.row(i), rows.row(first))).collect();
    let mut potential: f64 = closest.iter().sum();
    let mut candidate_dist = vec![0.0f64; n];
    let mut best_dist = vec![0.0f64; n];
    for _ in 1..k {
        let mut cumulative = Vec::with_capacity(n);
        let mut running = 0.0;
        for &v in &closest {
            running += v;
            cumulative.push(running);
        }
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..trials {
            let target = rng.random::<f64>() * potential;
            // The first row whose cumulative weight reaches the draw (numpy's searchsorted, left).
            let candidate = cumulative.partition_point(|&c| c < target).min(n - 1);
            let mut total = 0.0;
            for (i, (out, &old)) in candidate_dist.iter_mut().zip(&closest).enumerate() {
                *out = old.min(dist2(rows.row(i), rows.row(candidate)));
                total += *out;
            }
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, candidate));
                std::mem::swap(&mut best_dist, &mut candidate_dist);
            }
        }
        let Some((total, chosen)) = best else { break };
        potential = total;
        std::mem::swap(&mut closest, &mut best_dist);
        centroids.extend_from_slice(rows.row(chosen));
    }
    centroids
}

/// Assigns every row to its nearest centroid; returns whether any label changed.
fn assign(rows: &Rows, centroids: &[f32], k: usize, labels: &mut [u32]) -> bool {
    let mut nearest = Nearest::new(centroids, k, rows.d);
    let mut changed = false;
    for (i, label) in labels.iter_mut().enumerate() {
        let c = nearest.of(rows.row(i)) as u32;
        changed |= *label != c;
        *label = c;
    }
    changed
}

/// Lloyd iterations from `init` (`k × d`) until no label changes, the
/// centroids move (squared, summed) no more than `tol`, or `max_iter` rounds.
pub(super) fn lloyd(rows: &Rows, mut centroids: Vec<f32>, k: usize, max_iter: usize, tol: f64) -> Clustering {
    let (n, d) = (rows.n, rows.d);
    let mut labels = vec![u32::MAX; n];
    let mut sums = vec![0.0f64; k * d];
    let mut counts = vec![0usize; k];
    let mut stable = false;
    for _ in 0..max_iter {
        let changed = assign(rows, &centroids, k, &mut labels);
        if !changed {
            stable = true;
            break;
        }
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for (i, &label) in labels.iter().enumerate() {
            let c = label as usize;
            counts[c] += 1;
            for (s, &v) in sums[c * d..(c + 1) * d].iter_mut().zip(rows.row(i)) {
                *s += v as f64;
            }
        }
        relocate_empty(rows, &centroids, &mut labels, &mut sums, &mut counts);
        let mut shift = 0.0;
        for c in 0..k {
            for j in 0..d {
                let new = (sums[c * d + j] / counts[c].max(1) as f64) as f32;
                shift += (new as f64 - centroids[c * d + j] as f64).powi(2);
                centroids[c * d + j] = new;
            }
        }
        if shift <= tol {
            break;
        }
    }
    if !stable {
        // The centroids moved after the last assignment: assign once more.
        assign(rows, &centroids, k, &mut labels);
    }
    let mut sizes = vec![0usize; k];
    let mut inertia = 0.0;
    for (i, &label) in labels.iter().enumerate() {
        let c = label as usize;
        sizes[c] += 1;
        inertia += dist2(rows.row(i), &centroids[c * d..(c + 1) * d]);
    }
    Clustering { centroids, inertia, sizes }
}

/// Gives each cluster left without rows the row farthest from its own centroid
/// (scikit-learn's rule), taking that row out of its old cluster's sums. Rows
/// are taken farthest first, ties to the lower row.
fn relocate_empty(rows: &Rows, centroids: &[f32], labels: &mut [u32], sums: &mut [f64], counts: &mut [usize]) {
    let d = rows.d;
    let empty: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] == 0).collect();
    if empty.is_empty() {
        return;
    }
    let mut far: Vec<(f64, usize)> = labels
        .iter()
        .enumerate()
        .map(|(i, &l)| (dist2(rows.row(i), &centroids[l as usize * d..(l as usize + 1) * d]), i))
        .collect();
    far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (&c, &(_, i)) in empty.iter().zip(&far) {
        let old = labels[i] as usize;
        // A cluster of one row keeps it: moving it would only empty another.
        if counts[old] <= 1 {
            continue;
        }
        for (j, &v) in rows.row(i).iter().enumerate() {
            sums[old * d + j] -= v as f64;
            sums[c * d + j] = v as f64;
        }
        counts[old] -= 1;
        counts[c] = 1;
        labels[i] = c as u32;
    }
}

/// The best of `n_init` (at least one) k-means++-seeded runs: the lowest
/// inertia, ties keeping the earlier run.
pub(super) fn best_of(rows: &Rows, k: usize, n_init: usize, max_iter: usize, tol: f64, rng: &mut ChaCha8Rng) -> Clustering {
    let tol = rows.tolerance(tol);
    let mut best = lloyd(rows, plus_plus(rows, k, rng), k, max_iter, tol);
    for _ in 1..n_init {
        let run = lloyd(rows, plus_plus(rows, k, rng), k, max_iter, tol);
        if run.inertia < best.inertia {
            best = run;
        }
    }
    best
}
