//! Lloyd's algorithm from greedy k-means++ seeds, as scikit-learn's `KMeans`
//! (algorithm "lloyd") runs it: assign every row to its nearest centroid, move
//! each centroid to the mean of its rows, stop when no row changes cluster or
//! the centroids barely move, then assign once more so labels and centroids agree.
//!
//! The assignment uses Hamerly's bounds to skip rows that cannot have changed
//! cluster, which gives the same clusters as a full scan in a fraction of the
//! distance computations: a first pass over the bounds alone lists the rows
//! that might have, and only those are measured. Rows are copied once into
//! row-major order; sums of rows per cluster, distances and the inertia are
//! accumulated in `f64`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::base::{dist2, FeatureMatrix};

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
        for (j, col) in x.columns().enumerate() {
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
/// squared distances to the assigned centroid), rows per cluster and the
/// Lloyd rounds it took (scikit-learn's `n_iter_`).
#[derive(Clone, Debug, PartialEq)]
pub struct Clustering {
    pub centroids: Vec<f32>,
    pub inertia: f64,
    pub sizes: Vec<usize>,
    pub rounds: usize,
}

/// How many points [`Centers`] measures side by side.
const LANES: usize = 4;

/// Points stored in blocks of [`LANES`], feature-major within a block
/// (`blocks[b * d + j][l]`: feature j of point `b * LANES + l`), so the squared
/// distances from one row to a block are accumulated in a fixed-size array the
/// compiler keeps in registers (SIMD where the target has it). The last block
/// is padded with points at infinity, which are never nearest.
pub(super) struct Centers {
    k: usize,
    d: usize,
    blocks: Vec<[f64; LANES]>,
}

impl Centers {
    /// `points` is `k × d`, row-major.
    pub fn new(points: &[f32], k: usize, d: usize) -> Centers {
        let mut centers = Centers { k, d, blocks: Vec::new() };
        centers.set(points);
        centers
    }

    /// Replaces the points (as many, as long) in place: a Lloyd round moves
    /// the centroids without allocating.
    pub fn set(&mut self, points: &[f32]) {
        let (k, d) = (self.k, self.d);
        self.blocks.clear();
        self.blocks.resize(k.div_ceil(LANES) * d, [f64::INFINITY; LANES]);
        for (c, point) in points.chunks_exact(d.max(1)).take(k).enumerate() {
            for (j, &v) in point.iter().enumerate() {
                self.blocks[c / LANES * d + j][c % LANES] = v as f64;
            }
        }
    }

    /// Squared distances from `row` to the [`LANES`] points of one block.
    #[inline(always)]
    fn block(block: &[[f64; LANES]], row: &[f32]) -> [f64; LANES] {
        let mut acc = [0.0f64; LANES];
        for (&x, point) in row.iter().zip(block) {
            let x = x as f64;
            for (acc, &c) in acc.iter_mut().zip(point) {
                let diff = x - c;
                *acc += diff * diff;
            }
        }
        acc
    }

    /// Squared distance from `row` to each point, into `out` (length k).
    pub fn distances(&self, row: &[f32], out: &mut [f64]) {
        for (block, out) in self.blocks.chunks_exact(self.d.max(1)).zip(out.chunks_mut(LANES)) {
            out.iter_mut().zip(Centers::block(block, row)).for_each(|(out, acc)| *out = acc);
        }
    }

    /// The nearest point to `row` (ties to the lower index) with its squared
    /// distance, and the squared distance to the second nearest: folded block
    /// by block as the distances come, in minima rather than branches the
    /// processor would mispredict. A padding point is at infinity, so it is
    /// never nearest nor second (and with one point the second is infinite).
    pub fn nearest_two(&self, row: &[f32]) -> (usize, f64, f64) {
        let (mut best, mut first, mut second) = (0, f64::INFINITY, f64::INFINITY);
        for (b, block) in self.blocks.chunks_exact(self.d.max(1)).enumerate() {
            for (lane, dist) in Centers::block(block, row).into_iter().enumerate() {
                // As "if closer: second = first, first = dist", in min and max.
                best = if dist < first { b * LANES + lane } else { best };
                second = second.min(first.max(dist));
                first = first.min(dist);
            }
        }
        (best, first, second)
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
    // Each row's squared distance to each candidate, kept so that the chosen
    // one's need not be measured again.
    let mut candidate_dist = vec![0.0f64; n * trials];
    let mut candidates = Vec::with_capacity(trials);
    let mut candidate_points = Vec::with_capacity(trials * d);
    let mut totals = vec![0.0f64; trials];
    let mut cumulative = vec![0.0f64; n];
    for _ in 1..k {
        let mut running = 0.0;
        for (c, &v) in cumulative.iter_mut().zip(&closest) {
            running += v;
            *c = running;
        }
        candidates.clear();
        candidate_points.clear();
        for _ in 0..trials {
            let target = rng.random::<f64>() * potential;
            // The first row whose cumulative weight reaches the draw (numpy's searchsorted, left).
            let candidate = cumulative.partition_point(|&c| c < target).min(n - 1);
            candidates.push(candidate);
            candidate_points.extend_from_slice(rows.row(candidate));
        }
        // Every candidate's total of closest distances, in one pass over the rows.
        let points = Centers::new(&candidate_points, trials, d);
        totals.iter_mut().for_each(|t| *t = 0.0);
        for ((i, &old), row_dist) in closest.iter().enumerate().zip(candidate_dist.chunks_exact_mut(trials)) {
            points.distances(rows.row(i), row_dist);
            for (total, &dist) in totals.iter_mut().zip(row_dist.iter()) {
                *total += old.min(dist);
            }
        }
        let best = (0..trials).fold(0, |best, t| if totals[t] < totals[best] { t } else { best });
        potential = totals[best];
        for (old, row_dist) in closest.iter_mut().zip(candidate_dist.chunks_exact(trials)) {
            *old = old.min(row_dist[best]);
        }
        centroids.extend_from_slice(rows.row(candidates[best]));
    }
    centroids
}

/// Each row's cluster with Hamerly's bounds: an upper bound on the distance to
/// its own centroid and a lower bound on the distance to any other. A row whose
/// upper bound is below both its lower bound and half the gap from its centroid
/// to the nearest other cannot have changed cluster, so after the first few
/// rounds most rows are skipped without computing a single distance. The
/// clusters found are exactly Lloyd's.
struct Assignment {
    labels: Vec<u32>,
    upper: Vec<f64>,
    lower: Vec<f64>,
    /// Scratch: the rows an update has to measure.
    pending: Vec<u32>,
    /// Scratch, per cluster: how its rows' bounds loosen this round.
    loosen: Vec<Loosen>,
    /// Scratch: the centroids as [`Centers`] measures them, refilled each round.
    centers: Centers,
}

/// What a round does to the bounds of one cluster's rows, gathered so that the
/// pass over every row reads one entry per row rather than three arrays.
#[derive(Clone, Copy, Default)]
struct Loosen {
    /// How far the cluster's centroid moved: its rows' upper bound grows by it.
    grow: f64,
    /// How far any other centroid moved at most: its rows' lower bound shrinks by it.
    shrink: f64,
    /// Half the distance from its centroid to the nearest other.
    half_gap: f64,
}

impl Assignment {
    /// For `n` rows and `k` centroids of `d` inputs.
    fn new(n: usize, k: usize, d: usize) -> Assignment {
        Assignment {
            labels: vec![u32::MAX; n],
            upper: vec![0.0; n],
            lower: vec![0.0; n],
            pending: vec![0; n],
            loosen: vec![Loosen::default(); k],
            centers: Centers { k, d, blocks: Vec::new() },
        }
    }

    /// Assigns the rows to their nearest centroid (ties to the lower index),
    /// keeping `sums` and `counts` of the rows per cluster in step. Given how far
    /// each centroid `moved` since the last assignment, the bounds (loosened by
    /// that much) skip the rows that cannot have changed cluster; without, every
    /// row is measured (at the start, or after rows were moved by hand).
    /// Returns how many rows changed. Allocates nothing.
    fn update(
        &mut self,
        rows: &Rows,
        centroids: &[f32],
        moved: Option<&[f64]>,
        sums: &mut [f64],
        counts: &mut [usize],
    ) -> usize {
        let k = counts.len();
        let d = rows.d;
        let centroid = |c: usize| &centroids[c * d..(c + 1) * d];
        self.centers.set(centroids);
        // Any other centroid moved at most the farthest mover, or the runner-up
        // for the rows of the farthest mover itself.
        let (mut top, mut runner_up, mut top_c) = (0.0f64, 0.0f64, usize::MAX);
        for (c, &m) in moved.unwrap_or_default().iter().enumerate() {
            if m > top {
                (runner_up, top, top_c) = (top, m, c);
            } else if m > runner_up {
                runner_up = m;
            }
        }
        for (c, loosen) in self.loosen.iter_mut().enumerate() {
            let grow = moved.map_or(0.0, |moved| moved[c]);
            let shrink = if c == top_c { runner_up } else { top };
            *loosen = Loosen { grow, shrink, half_gap: f64::INFINITY };
        }
        // Half the distance from each centroid to its nearest other.
        for a in 0..k {
            for b in a + 1..k {
                let gap = dist2(centroid(a), centroid(b)).sqrt() / 2.0;
                self.loosen[a].half_gap = self.loosen[a].half_gap.min(gap);
                self.loosen[b].half_gap = self.loosen[b].half_gap.min(gap);
            }
        }
        // First, without a branch per row, the rows whose loosened bounds no
        // longer rule out a change; only those are measured below.
        let pending = if moved.is_some() {
            let mut pending = 0;
            for (i, ((upper, lower), &label)) in self.upper.iter_mut().zip(&mut self.lower).zip(&self.labels).enumerate() {
                let Loosen { grow, shrink, half_gap } = self.loosen[label as usize];
                *upper += grow;
                *lower -= shrink;
                self.pending[pending] = i as u32;
                pending += usize::from(*upper > lower.max(half_gap));
            }
            pending
        } else {
            self.pending.iter_mut().enumerate().for_each(|(i, p)| *p = i as u32);
            rows.n
        };
        let mut changed = 0;
        for &i in &self.pending[..pending] {
            let i = i as usize;
            let row = rows.row(i);
            let old = self.labels[i] as usize;
            if moved.is_some() {
                let bound = self.lower[i].max(self.loosen[old].half_gap);
                self.upper[i] = dist2(row, centroid(old)).sqrt();
                if self.upper[i] <= bound {
                    continue;
                }
            }
            let (best, first, second) = self.centers.nearest_two(row);
            self.upper[i] = first.sqrt();
            self.lower[i] = second.sqrt();
            if best != old {
                changed += 1;
                if old < k {
                    counts[old] -= 1;
                    sums[old * d..(old + 1) * d].iter_mut().zip(row).for_each(|(s, &v)| *s -= v as f64);
                }
                counts[best] += 1;
                sums[best * d..(best + 1) * d].iter_mut().zip(row).for_each(|(s, &v)| *s += v as f64);
                self.labels[i] = best as u32;
            }
        }
        changed
    }
}

/// Lloyd iterations from `init` (`k × d`) until no label changes, the
/// centroids move (squared, summed) no more than `tol`, or `max_iter` rounds.
pub(super) fn lloyd(rows: &Rows, mut centroids: Vec<f32>, k: usize, max_iter: usize, tol: f64) -> Clustering {
    let d = rows.d;
    let mut assignment = Assignment::new(rows.n, k, d);
    let mut sums = vec![0.0f64; k * d];
    let mut counts = vec![0usize; k];
    let mut stable = false;
    let mut exact = true;
    let mut moved = vec![0.0f64; k];
    let mut rounds = 0;
    for _ in 0..max_iter {
        rounds += 1;
        let bounds = (!exact).then_some(moved.as_slice());
        if assignment.update(rows, &centroids, bounds, &mut sums, &mut counts) == 0 && !exact {
            stable = true;
            break;
        }
        // Rows moved by hand invalidate their bounds: measure every row next round.
        exact = relocate_empty(rows, &centroids, &mut assignment.labels, &mut sums, &mut counts);
        let mut shift = 0.0;
        for c in 0..k {
            let mut step = 0.0;
            for j in 0..d {
                let new = (sums[c * d + j] / counts[c].max(1) as f64) as f32;
                step += (new as f64 - centroids[c * d + j] as f64).powi(2);
                centroids[c * d + j] = new;
            }
            moved[c] = step.sqrt();
            shift += step;
        }
        if shift <= tol {
            break;
        }
    }
    if !stable {
        // The centroids moved after the last assignment: assign once more.
        assignment.update(rows, &centroids, (!exact).then_some(moved.as_slice()), &mut sums, &mut counts);
    }
    let mut sizes = vec![0usize; k];
    let mut inertia = 0.0;
    for (i, &label) in assignment.labels.iter().enumerate() {
        let c = label as usize;
        sizes[c] += 1;
        inertia += dist2(rows.row(i), &centroids[c * d..(c + 1) * d]);
    }
    Clustering { centroids, inertia, sizes, rounds }
}

/// Gives each cluster left without rows the row farthest from its own centroid
/// (scikit-learn's rule), taking that row out of its old cluster's sums. Rows
/// are taken farthest first, ties to the lower row. Returns whether any row moved.
fn relocate_empty(rows: &Rows, centroids: &[f32], labels: &mut [u32], sums: &mut [f64], counts: &mut [usize]) -> bool {
    let d = rows.d;
    let empty: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] == 0).collect();
    if empty.is_empty() {
        return false;
    }
    let mut moved = false;
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
        moved = true;
    }
    moved
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
