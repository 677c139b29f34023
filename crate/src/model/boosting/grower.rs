//! One tree on gradients and hessians, grown best-first from histograms, as
//! scikit-learn's `TreeGrower`.
//!
//! Every node keeps, per feature and bin, the sums of gradients and hessians and
//! the row count of its rows. A split is then one scan over at most 255 bins per
//! feature instead of over the rows. When a node splits, only the smaller child's
//! histogram is built from its rows; the larger child's is the parent's minus the
//! smaller one's (the subtraction trick), reusing the parent's buffer. Histogram
//! buffers come from a pool kept across trees and rounds, so growing allocates
//! nothing per node.

use crate::model::params::MaxDepth;
use serde::{Deserialize, Serialize};

use super::bins::{floor_f32, Binned};

/// Marks a leaf in [`Node::feature`].
pub const LEAF: u32 = u32::MAX;
/// A child needs at least this much hessian (scikit-learn's `min_hessian_to_split`).
const MIN_HESSIAN_TO_SPLIT: f64 = 1e-3;

/// A node of a fitted tree. Rows with `x[feature] ≤ threshold` go to `left`, the
/// others to `left + 1`; a leaf adds `value` to the raw score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub feature: u32,
    /// Stored as the largest `f32` not above the bin edge: exact for `f32` inputs.
    pub threshold: f32,
    pub left: u32,
    /// Leaf value, learning rate included (0 for a split).
    pub value: f64,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.feature == LEAF
    }
}

/// What limits a tree and shapes its leaves.
#[derive(Clone, Copy, Debug)]
pub struct TreeSettings {
    pub max_leaf_nodes: usize,
    pub max_depth: MaxDepth,
    pub min_samples_leaf: usize,
    pub l2_regularization: f64,
    pub learning_rate: f64,
}

/// Sums over the rows of one bin.
#[derive(Clone, Copy, Default)]
struct Cell {
    g: f64,
    h: f64,
    n: u32,
}

/// A node's histogram: 256 cells per feature, so a `u8` bin indexes it without a
/// bounds check; only the first `n_bins[feature]` are used.
type Histogram = Vec<[Cell; 256]>;

/// The best split of a node.
#[derive(Clone, Copy)]
struct Split {
    gain: f64,
    feature: usize,
    bin: u8,
    g_left: f64,
    h_left: f64,
    n_left: usize,
}

/// A node being grown: its rows are `indices[start..end]`.
struct Growing {
    start: usize,
    end: usize,
    depth: usize,
    sum_g: f64,
    sum_h: f64,
    /// Index into the histogram pool while the node may still split.
    hist: Option<usize>,
    split: Option<Split>,
    /// Its place in the output tree.
    out: usize,
}

impl Growing {
    fn n(&self) -> usize {
        self.end - self.start
    }
}

/// Grows trees on one binned training set, reusing its buffers from tree to tree.
pub struct Grower<'a> {
    binned: &'a Binned,
    thresholds: &'a [Vec<f64>],
    settings: TreeSettings,
    pool: Vec<Histogram>,
    free: Vec<usize>,
    indices: Vec<u32>,
    scratch: Vec<u32>,
    nodes: Vec<Growing>,
    splittable: Vec<usize>,
    /// The leaves of the last tree: `(start, end, value)` into `indices`.
    leaves: Vec<(usize, usize, f64)>,
}

impl<'a> Grower<'a> {
    pub fn new(binned: &'a Binned, thresholds: &'a [Vec<f64>], settings: TreeSettings) -> Self {
        let n = binned.n_rows;
        Grower {
            binned,
            thresholds,
            settings,
            pool: Vec::new(),
            free: Vec::new(),
            indices: Vec::with_capacity(n),
            scratch: vec![0; n],
            nodes: Vec::new(),
            splittable: Vec::new(),
            leaves: Vec::new(),
        }
    }

    /// Grows one tree on per-row `grad` and `hess` (`None`: every hessian is 1),
    /// adding each split's gain to `importance[feature]`.
    pub fn grow(&mut self, grad: &[f32], hess: Option<&[f32]>, importance: &mut [f64]) -> Vec<Node> {
        let n = self.binned.n_rows;
        self.indices.clear();
        self.indices.extend(0..n as u32);
        self.nodes.clear();
        self.splittable.clear();
        self.leaves.clear();
        let mut out = vec![Node { feature: LEAF, threshold: 0.0, left: 0, value: 0.0 }];

        let sum_g: f64 = grad.iter().map(|&g| g as f64).sum();
        let sum_h: f64 = hess.map_or(n as f64, |h| h.iter().map(|&h| h as f64).sum());
        let root = Growing { start: 0, end: n, depth: 0, sum_g, sum_h, hist: None, split: None, out: 0 };
        self.nodes.push(root);
        if n < 2 * self.settings.min_samples_leaf || sum_h < MIN_HESSIAN_TO_SPLIT {
            self.finalize(0, &mut out);
            return out;
        }
        let hist = self.take_histogram();
        self.build_histogram(hist, None, grad, hess);
        self.nodes[0].hist = Some(hist);
        self.consider(0, &mut out);

        while let Some(id) = self.pop_best() {
            let (left, right) = self.split(id, &mut out, importance);
            let depth = self.nodes[left].depth;
            let n_leaves = self.leaves.len() + self.splittable.len() + 2;
            let at_limit = n_leaves >= self.settings.max_leaf_nodes || !self.settings.max_depth.allows_split_at(depth);
            let can_split = |node: &Growing| !at_limit && node.n() >= 2 * self.settings.min_samples_leaf;
            let (split_left, split_right) = (can_split(&self.nodes[left]), can_split(&self.nodes[right]));
            let parent_hist = self.nodes[id].hist.take();
            if split_left || split_right {
                let (small, large) =
                    if self.nodes[left].n() < self.nodes[right].n() { (left, right) } else { (right, left) };
                let hist = self.take_histogram();
                let rows = (self.nodes[small].start, self.nodes[small].end);
                self.build_histogram(hist, Some(rows), grad, hess);
                let parent = parent_hist.expect("a split node has its histogram");
                self.subtract(parent, hist);
                self.nodes[small].hist = Some(hist);
                self.nodes[large].hist = Some(parent);
            } else if let Some(h) = parent_hist {
                self.free.push(h);
            }
            for (child, can) in [(left, split_left), (right, split_right)] {
                if can {
                    self.consider(child, &mut out)
                } else {
                    self.finalize(child, &mut out)
                }
            }
            if n_leaves >= self.settings.max_leaf_nodes {
                while let Some(id) = self.splittable.pop() {
                    self.finalize(id, &mut out);
                }
            }
        }
        out
    }

    /// Adds the last tree's leaf values to the raw scores of the rows in each leaf.
    pub fn add_leaf_values(&self, raw: &mut [f64]) {
        for &(start, end, value) in &self.leaves {
            for &row in &self.indices[start..end] {
                raw[row as usize] += value;
            }
        }
    }

    fn take_histogram(&mut self) -> usize {
        self.free.pop().unwrap_or_else(|| {
            self.pool.push(vec![[Cell::default(); 256]; self.binned.n_bins.len()]);
            self.pool.len() - 1
        })
    }

    /// Fills histogram `hist` from all rows (`rows = None`, the root) or from the
    /// rows `indices[start..end]`, a row at a time: its gradient and hessian are
    /// read once and added to every feature's histogram, independent cells the
    /// CPU updates side by side. Each cell still sums its rows in row order, as
    /// a feature-at-a-time loop would.
    ///
    /// Below the root a node's rows are scattered over the whole set, and at a
    /// million rows nearly every row's bins, gradient and hessian miss the
    /// cache: the loop asks for those of the row [`PREFETCH_DISTANCE`] ahead
    /// while it adds this one, as LightGBM's histogram loop does, so the
    /// misses overlap instead of stalling one after another.
    fn build_histogram(&mut self, hist: usize, rows: Option<(usize, usize)>, grad: &[f32], hess: Option<&[f32]>) {
        let binned = self.binned;
        let hist = &mut self.pool[hist];
        for (cells, &n_bins) in hist.iter_mut().zip(&binned.n_bins) {
            cells[..n_bins].fill(Cell::default());
        }
        let indices = rows.map(|(start, end)| &self.indices[start..end]);
        match (indices, hess) {
            (None, Some(hess)) => {
                for (row, (&g, &h)) in grad.iter().zip(hess).enumerate() {
                    accumulate(hist, binned.row(row), g, h);
                }
            }
            (None, None) => grad.iter().enumerate().for_each(|(row, &g)| accumulate_constant(hist, binned.row(row), g)),
            (Some(rows), Some(hess)) => {
                for (i, &row) in rows.iter().enumerate() {
                    if let Some(&ahead) = rows.get(i + PREFETCH_DISTANCE) {
                        let ahead = ahead as usize;
                        prefetch(binned.row(ahead));
                        prefetch(&grad[ahead]);
                        prefetch(&hess[ahead]);
                    }
                    let row = row as usize;
                    accumulate(hist, binned.row(row), grad[row], hess[row]);
                }
            }
            (Some(rows), None) => {
                for (i, &row) in rows.iter().enumerate() {
                    if let Some(&ahead) = rows.get(i + PREFETCH_DISTANCE) {
                        prefetch(binned.row(ahead as usize));
                        prefetch(&grad[ahead as usize]);
                    }
                    accumulate_constant(hist, binned.row(row as usize), grad[row as usize]);
                }
            }
        }
        if hess.is_none() {
            // Every hessian is 1: the hessian sum is the count.
            for (cells, &n_bins) in hist.iter_mut().zip(&binned.n_bins) {
                cells[..n_bins].iter_mut().for_each(|cell| cell.h = cell.n as f64);
            }
        }
    }

    /// `pool[large] -= pool[small]`: the larger child from its parent.
    fn subtract(&mut self, large: usize, small: usize) {
        let (a, b) = if large < small {
            let (lo, hi) = self.pool.split_at_mut(small);
            (&mut lo[large], &hi[0])
        } else {
            let (lo, hi) = self.pool.split_at_mut(large);
            (&mut hi[0], &lo[small])
        };
        for ((big, little), &n_bins) in a.iter_mut().zip(b.iter()).zip(&self.binned.n_bins) {
            for (x, y) in big[..n_bins].iter_mut().zip(&little[..n_bins]) {
                x.g -= y.g;
                x.h -= y.h;
                x.n -= y.n;
            }
        }
    }

    /// Finds the node's best split: queued if it gains anything, else a leaf.
    fn consider(&mut self, id: usize, out: &mut [Node]) {
        let split = self.best_split(id);
        match split {
            Some(s) if s.gain > 0.0 => {
                self.nodes[id].split = Some(s);
                self.splittable.push(id);
            }
            _ => self.finalize(id, out),
        }
    }

    /// The split with the largest gain over every feature and bin boundary that
    /// leaves `min_samples_leaf` rows and enough hessian on each side. Ties go
    /// to the lower feature, then the lower bin (scikit-learn's order).
    fn best_split(&self, id: usize) -> Option<Split> {
        let node = &self.nodes[id];
        let hist = &self.pool[node.hist?];
        let (n, sum_g, sum_h) = (node.n(), node.sum_g, node.sum_h);
        let lambda = self.settings.l2_regularization;
        let min_leaf = self.settings.min_samples_leaf;
        let parent_score = score(sum_g, sum_h, lambda);
        let mut best: Option<Split> = None;
        for (feature, cells) in hist.iter().enumerate() {
            let (mut g_left, mut h_left, mut n_left) = (0.0f64, 0.0f64, 0usize);
            for (bin, cell) in cells[..self.binned.n_bins[feature] - 1].iter().enumerate() {
                g_left += cell.g;
                h_left += cell.h;
                n_left += cell.n as usize;
                if n_left < min_leaf {
                    continue;
                }
                if n - n_left < min_leaf {
                    break;
                }
                if h_left < MIN_HESSIAN_TO_SPLIT {
                    continue;
                }
                if sum_h - h_left < MIN_HESSIAN_TO_SPLIT {
                    break;
                }
                let gain = score(g_left, h_left, lambda) + score(sum_g - g_left, sum_h - h_left, lambda) - parent_score;
                if best.is_none_or(|b| gain > b.gain) {
                    best = Some(Split { gain, feature, bin: bin as u8, g_left, h_left, n_left });
                }
            }
        }
        best
    }

    /// The queued node with the largest gain (the earliest queued among equals).
    fn pop_best(&mut self) -> Option<usize> {
        let gain = |id: usize| self.nodes[id].split.map_or(f64::NEG_INFINITY, |s| s.gain);
        let pos = (0..self.splittable.len()).fold(None, |best: Option<usize>, i| match best {
            Some(b) if gain(self.splittable[b]) >= gain(self.splittable[i]) => Some(b),
            _ => Some(i),
        })?;
        Some(self.splittable.remove(pos))
    }

    /// Splits node `id`: partitions its rows (stably) and adds both children,
    /// returning their ids.
    fn split(&mut self, id: usize, out: &mut Vec<Node>, importance: &mut [f64]) -> (usize, usize) {
        let Growing { start, end, depth, sum_g, sum_h, split, out: at, .. } = self.nodes[id];
        let s = split.expect("only nodes with a split are queued");
        let col = self.binned.column(s.feature);
        // Branch-free: every row is written to both sides, and only the cursor of
        // its own side moves on (the direction of a row is unpredictable).
        let (mut write, mut spilled) = (start, 0);
        for read in start..end {
            let row = self.indices[read];
            let left = col[row as usize] <= s.bin;
            self.indices[write] = row;
            self.scratch[spilled] = row;
            write += left as usize;
            spilled += !left as usize;
        }
        self.indices[write..end].copy_from_slice(&self.scratch[..spilled]);
        debug_assert_eq!(write - start, s.n_left);

        importance[s.feature] += s.gain;
        let left_out = out.len();
        out.push(Node { feature: LEAF, threshold: 0.0, left: 0, value: 0.0 });
        out.push(Node { feature: LEAF, threshold: 0.0, left: 0, value: 0.0 });
        out[at] = Node {
            feature: s.feature as u32,
            threshold: floor_f32(self.thresholds[s.feature][s.bin as usize]),
            left: left_out as u32,
            value: 0.0,
        };
        let child = |start, end, g, h, out| Growing {
            start,
            end,
            depth: depth + 1,
            sum_g: g,
            sum_h: h,
            hist: None,
            split: None,
            out,
        };
        self.nodes.push(child(start, write, s.g_left, s.h_left, left_out));
        self.nodes.push(child(write, end, sum_g - s.g_left, sum_h - s.h_left, left_out + 1));
        (self.nodes.len() - 2, self.nodes.len() - 1)
    }

    /// Makes node `id` a leaf with value −G / (H + λ) × learning rate, and returns
    /// its histogram to the pool.
    fn finalize(&mut self, id: usize, out: &mut [Node]) {
        let node = &mut self.nodes[id];
        if let Some(h) = node.hist.take() {
            self.free.push(h);
        }
        let value = -node.sum_g / (node.sum_h + self.settings.l2_regularization + 1e-15) * self.settings.learning_rate;
        out[node.out].value = value;
        self.leaves.push((node.start, node.end, value));
    }
}

/// How many rows ahead of the one being added the histogram loop fetches:
/// far enough for a fetch from memory (a few hundred cycles) to land before
/// its row comes up, a dozen or so nanoseconds per row.
const PREFETCH_DISTANCE: usize = 24;

/// Asks the CPU to bring `value`'s cache line into the cache, without waiting
/// for it. Only x86-64 has the instruction that fetches without waiting (wasm
/// has none), so elsewhere this does nothing.
#[inline(always)]
fn prefetch<T: ?Sized>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never faults nor reads or
    // writes anything the program sees, and the pointer comes from a live
    // reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// G² / (H + λ): how much a node with these sums lowers the (second-order) loss
/// when it predicts its optimal value; a split's gain is the children's scores
/// minus the parent's.
fn score(g: f64, h: f64, lambda: f64) -> f64 {
    g * g / (h + lambda + 1e-15)
}

/// The histogram loop for one row: its bin of every feature gets its gradient
/// and hessian.
#[inline(always)]
fn accumulate(hist: &mut [[Cell; 256]], bins: &[u8], g: f32, h: f32) {
    let (g, h) = (g as f64, h as f64);
    for (cells, &b) in hist.iter_mut().zip(bins) {
        let cell = &mut cells[b as usize];
        cell.g += g;
        cell.h += h;
        cell.n += 1;
    }
}

/// The histogram loop when every hessian is 1 (its sum is filled in from the count).
#[inline(always)]
fn accumulate_constant(hist: &mut [[Cell; 256]], bins: &[u8], g: f32) {
    let g = g as f64;
    for (cells, &b) in hist.iter_mut().zip(bins) {
        let cell = &mut cells[b as usize];
        cell.g += g;
        cell.n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{FeatureMatrix, Target};
    use crate::model::boosting::bins::BinMapper;
    use crate::model::Dataset;

    /// Every leaf's histogram, built by the row-at-a-time loop that fetches
    /// rows ahead, is bit for bit the histogram summed feature by feature
    /// straight from the per-row gradients over the leaf's rows in row order.
    #[test]
    fn a_leafs_histogram_is_the_plain_sum_over_its_rows() {
        let n = 600;
        // A small linear congruential generator: values no hand would pick.
        let mut state = 12345u64;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 40) as f32 / (1u64 << 24) as f32
        };
        let columns: Vec<Vec<f32>> = (0..3).map(|_| (0..n).map(|_| next()).collect()).collect();
        let grad: Vec<f32> = (0..n).map(|i| next() - if columns[0][i] > 0.4 { 0.9 } else { 0.1 }).collect();
        let hess: Vec<f32> = (0..n).map(|_| 0.25 * next()).collect();
        let data = Dataset {
            feature_names: vec!["a".into(), "b".into(), "c".into()],
            x: FeatureMatrix::from_columns(n, columns),
            target: Target::Values(vec![0.0; n]),
        };
        let mapper = BinMapper::fit(&data.as_view(), 0);
        let binned = mapper.transform(&data.as_view());
        let settings = TreeSettings {
            max_leaf_nodes: 8,
            max_depth: MaxDepth::Unlimited,
            min_samples_leaf: 5,
            l2_regularization: 0.0,
            learning_rate: 0.1,
        };
        let mut grower = Grower::new(&binned, &mapper.thresholds, settings);
        // Leaves longer than the prefetch distance, whose loop fetches ahead.
        let mut long_leaves = 0;
        for hess in [Some(&hess[..]), None] {
            let tree = grower.grow(&grad, hess, &mut [0.0; 3]);
            assert!(tree.len() >= 7, "the tree split a few times: {} nodes", tree.len());
            for (start, end, _) in grower.leaves.clone() {
                let id = grower.take_histogram();
                grower.build_histogram(id, Some((start, end)), &grad, hess);
                let rows = &grower.indices[start..end];
                assert!(rows.is_sorted());
                long_leaves += usize::from(rows.len() > PREFETCH_DISTANCE);
                for (feature, cells) in grower.pool[id].iter().enumerate() {
                    let mut want = [Cell::default(); 256];
                    for &row in rows {
                        let cell = &mut want[binned.column(feature)[row as usize] as usize];
                        cell.g += grad[row as usize] as f64;
                        cell.h += hess.map_or(1.0, |h| h[row as usize] as f64);
                        cell.n += 1;
                    }
                    for (got, want) in cells.iter().zip(&want).take(binned.n_bins[feature]) {
                        assert_eq!((got.g.to_bits(), got.h.to_bits(), got.n), (want.g.to_bits(), want.h.to_bits(), want.n));
                    }
                }
                grower.free.push(id);
            }
        }
        assert!(long_leaves >= 4, "{long_leaves} leaves had rows to fetch ahead");
    }
}
