//! The search of a boundary grid: every query holds all inputs but two (or
//! three) at one value, so the part of each training row's distance that
//! comes from the held inputs is the same for every query. It is folded into
//! one more coordinate: a k-d tree over the varying inputs and the square root
//! of that held part, queried at 0 in it. That tree splits on the held part
//! too, so the rows far from the slice drop out in whole boxes, and its
//! distances are the true distances up to rounding.
//!
//! Up to rounding only: the folded sum adds the same squares in another order
//! than [`dist2`] over all inputs, so two neighbours could trade places on a
//! last bit, and a distance-weighted vote would differ in its last bits from
//! the same cell predicted alone. So the folded tree only *finds* candidates:
//! a point whose folded distance (a lower bound of the true one, within a
//! relative [`SLACK`]) is beyond the k-th true distance found so far is
//! skipped, and every other is offered at its true distance, computed as the
//! full tree computes it. The neighbours, their order and their distances are
//! those of the full search, bit for bit.

use crate::base::{dist2, FeatureMatrix};

use super::kdtree::{Candidate, KdTree, Nearest};

/// How much a folded distance may exceed the true one by rounding, relative:
/// both sum the same rounded squares (the held part's root is rounded down,
/// so its square never exceeds it), in orders whose results differ by about
/// `inputs × 2⁻⁵³`; 10⁻⁹ covers a million inputs.
const SLACK: f64 = 1e-9;

/// About how many queries of a grid share one search of the tree (see
/// [`Folded::search_grid`]): 8 × 8 cells of a two-input boundary.
const TILE: usize = 64;

/// Most points in a leaf of the folded tree: it has three or four coordinates,
/// and a point that passes the folded test costs a distance over every input.
const LEAF: usize = 16;

/// A k-d tree over the varying inputs and the held part's root, with every
/// input of each point, for the true distances (see the module doc).
pub(super) struct Folded {
    tree: KdTree,
    /// The varying inputs, in the tree's first coordinates.
    varying: Vec<usize>,
    /// Point `i` of the tree (tree order) over all inputs: `full[i * n_features..]`.
    full: Vec<f32>,
    n_features: usize,
    /// Tree position of each training row, for [`Folded::seed`].
    position: Vec<u32>,
}

impl Folded {
    /// Folds the points of `full` (the model's tree over every input; an
    /// input of `held` is the same for every query) into a tree over the
    /// others. `None` when no input varies or none is held.
    pub fn new(full: &KdTree, held: &[Option<f32>]) -> Option<Self> {
        let n_features = held.len();
        let varying: Vec<usize> = (0..n_features).filter(|&j| held[j].is_none()).collect();
        if varying.is_empty() || varying.len() == n_features || varying.len() > super::FOLD_MAX_VARYING {
            return None;
        }
        let n = full.len();
        let mut columns = vec![vec![0.0f32; n]; varying.len() + 1];
        let mut full_at = vec![0u32; n];
        for (at, (row, point)) in full.points().enumerate() {
            full_at[row] = at as u32;
            for (column, &j) in columns.iter_mut().zip(&varying) {
                column[row] = point[j];
            }
            let held_part: f64 = point
                .iter()
                .zip(held)
                .filter_map(|(&p, h)| {
                    h.map(|h| {
                        let diff = p as f64 - h as f64;
                        diff * diff
                    })
                })
                .sum();
            columns[varying.len()][row] = root_below(held_part);
        }
        let tree = KdTree::with_leaves(&FeatureMatrix::from_columns(n, columns), LEAF);
        let mut position = vec![0u32; n];
        let mut points = Vec::with_capacity(n * n_features);
        for at in 0..tree.len() {
            let row = tree.row(at) as usize;
            position[row] = at as u32;
            points.extend_from_slice(full.point(full_at[row] as usize));
        }
        Some(Folded { tree, varying, full: points, n_features, position })
    }

    /// Fills `nearest` with the training rows nearest to `query` (every
    /// input), first offering the rows of `seeds` (the previous cell's
    /// neighbours, near this cell's: the walk then starts with a tight k-th
    /// distance and skips most of the tree).
    fn search(&self, query: &[f32], seeds: &[Candidate], nearest: &mut Nearest) {
        self.seed(seeds, query, nearest);
        // The query in the tree's coordinates: its varying inputs, and 0 for the held part.
        let mut folded = [0.0f32; super::FOLD_MAX_VARYING + 1];
        for (q, &j) in folded.iter_mut().zip(&self.varying) {
            *q = query[j];
        }
        let folded = &folded[..self.varying.len() + 1];
        let shrink = 1.0 - SLACK;
        self.tree.walk(folded, nearest, shrink, &mut |leaf, nearest| {
            for at in leaf {
                if nearest.worth_visiting(dist2(self.tree.point(at), folded) * shrink) {
                    nearest.offer(Candidate { dist2: dist2(self.full_point(at), query), row: self.tree.row(at) });
                }
            }
        });
    }

    /// Hands `answer` each query row of `x` (a grid whose held inputs are
    /// the ones this tree was folded for) with its neighbours, nearest first.
    ///
    /// Neighbouring queries share their neighbours, so the queries are taken
    /// in tiles of about [`TILE`] (buckets of a regular grid over the varying
    /// inputs' range): one query of a tile is searched through the tree, and
    /// its k neighbours bound the k-th distance of every query in the tile
    /// (a query in the tile is no farther from each of them than the tile's
    /// farthest corner). Only the rows within that bound of the tile, found
    /// once per tile, are candidates for its queries, each of which is then
    /// a scan of a few dozen rows instead of a walk through the tree.
    pub fn search_grid(&self, x: &FeatureMatrix, nearest: &mut Nearest, answer: &mut impl FnMut(usize, &[Candidate])) {
        let d = self.varying.len();
        let (tiles, order) = tiles(x, &self.varying);
        // The query over every input (the held ones stay as the first row has them).
        let mut query: Vec<f32> = x.columns().map(|c| c.first().copied().unwrap_or(0.0)).collect();
        let set = |query: &mut Vec<f32>, row: usize| {
            for &j in &self.varying {
                query[j] = x.column(j)[row];
            }
        };
        let (mut found, mut tile_found) = (Vec::new(), Vec::new());
        let (mut candidates, mut points) = (Vec::new(), Vec::new());
        let (mut lo, mut hi) = (vec![0.0f32; d + 1], vec![0.0f32; d + 1]);
        let mut corner = query.clone();
        for tile in tiles.windows(2).map(|w| &order[w[0]..w[1]]) {
            let Some(&middle) = tile.get(tile.len() / 2) else { continue };
            // The tile's box over the varying inputs (0 in the held part's coordinate).
            lo[..d].fill(f32::INFINITY);
            hi[..d].fill(f32::NEG_INFINITY);
            for &row in tile {
                for (i, &j) in self.varying.iter().enumerate() {
                    let v = x.column(j)[row as usize];
                    (lo[i], hi[i]) = (lo[i].min(v), hi[i].max(v));
                }
            }
            // The middle query's neighbours, and the farthest any of them is from the tile.
            set(&mut query, middle as usize);
            self.search(&query, &tile_found, nearest);
            nearest.drain_sorted(&mut tile_found);
            let mut bound = 0.0f64;
            for c in &tile_found {
                let point = self.full_point(self.position[c.row as usize] as usize);
                for mask in 0..1usize << d {
                    for (i, &j) in self.varying.iter().enumerate() {
                        corner[j] = if mask >> i & 1 == 0 { lo[i] } else { hi[i] };
                    }
                    bound = bound.max(dist2(point, &corner));
                }
            }
            if !bound.is_finite() || tile_found.is_empty() {
                // No finite bound (infinite inputs): each query walks the tree.
                for &row in tile {
                    set(&mut query, row as usize);
                    self.search(&query, &found, nearest);
                    nearest.drain_sorted(&mut found);
                    answer(row as usize, &found);
                }
                continue;
            }
            candidates.clear();
            self.tree.within(&lo, &hi, bound * (1.0 + SLACK), 1.0 - SLACK, &mut candidates);
            points.clear();
            points.extend(candidates.iter().flat_map(|&at| self.tree.point(at as usize).iter().copied()));
            let shrink = 1.0 - SLACK;
            let mut folded = [0.0f32; super::FOLD_MAX_VARYING + 1];
            for &row in tile {
                let row = row as usize;
                set(&mut query, row);
                for (q, &j) in folded.iter_mut().zip(&self.varying) {
                    *q = query[j];
                }
                let folded = &folded[..d + 1];
                // The previous query's neighbours first, for a tight k-th distance from the start.
                self.seed(&found, &query, nearest);
                for (&at, point) in candidates.iter().zip(points.chunks_exact(d + 1)) {
                    if nearest.worth_visiting(dist2(point, folded) * shrink) {
                        let at = at as usize;
                        nearest.offer(Candidate { dist2: dist2(self.full_point(at), &query), row: self.tree.row(at) });
                    }
                }
                nearest.drain_sorted(&mut found);
                answer(row, &found);
            }
        }
    }

    /// Offers `nearest` the rows of `seeds` at their distances from `query`.
    fn seed(&self, seeds: &[Candidate], query: &[f32], nearest: &mut Nearest) {
        for c in seeds {
            if let Some(&at) = self.position.get(c.row as usize) {
                nearest.offer(Candidate { dist2: dist2(self.full_point(at as usize), query), row: c.row });
            }
        }
    }

    fn full_point(&self, at: usize) -> &[f32] {
        &self.full[at * self.n_features..(at + 1) * self.n_features]
    }
}

/// The largest `f32` whose square (in `f64`, as [`dist2`] squares it) is at
/// most `x`: the held part as a coordinate that never overstates it.
pub(super) fn root_below(x: f64) -> f32 {
    let root = x.sqrt() as f32;
    if f64::from(root) * f64::from(root) > x {
        root.next_down()
    } else {
        root
    }
}

/// The rows of `x` in tiles: `order[tiles[t]..tiles[t + 1]]` are the rows
/// whose `varying` inputs fall in bucket `t` of a regular grid over their
/// range, with about [`TILE`] rows per non-empty bucket on a regular grid of
/// queries. A counting sort: linear in the rows.
fn tiles(x: &FeatureMatrix, varying: &[usize]) -> (Vec<usize>, Vec<u32>) {
    let n = x.n_rows();
    let per_side = ((n / TILE).max(1) as f64).powf(1.0 / varying.len().max(1) as f64).round().max(1.0) as usize;
    let ranges: Vec<(f32, f32)> = varying
        .iter()
        .map(|&j| x.column(j).iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v))))
        .collect();
    let bucket = |row: usize| {
        varying.iter().zip(&ranges).fold(0usize, |at, (&j, &(lo, hi))| {
            let place = ((x.column(j)[row] - lo) / (hi - lo) * per_side as f32) as usize;
            at * per_side + place.min(per_side - 1)
        })
    };
    let buckets: Vec<usize> = (0..n).map(bucket).collect();
    let mut tiles = vec![0usize; per_side.pow(varying.len() as u32) + 1];
    for &b in &buckets {
        tiles[b + 1] += 1;
    }
    for t in 1..tiles.len() {
        tiles[t] += tiles[t - 1];
    }
    let mut next = tiles.clone();
    let mut order = vec![0u32; n];
    for (row, &b) in buckets.iter().enumerate() {
        order[next[b]] = row as u32;
        next[b] += 1;
    }
    (tiles, order)
}
