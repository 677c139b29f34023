//! An exact k-d tree for k-nearest-neighbour search under Euclidean distance.
//!
//! Built once at fit: each node splits its points at the median of the dimension
//! with the widest spread, down to leaves of at most [`leaf_size`] points. Points
//! are stored row-major in tree order, so a leaf scan reads one contiguous slice.
//! Each node keeps its points' bounding box; a query skips every node whose box is
//! farther than the k-th best distance found so far.
//!
//! Neighbours are ordered by (squared distance, training row): among equidistant
//! points the earlier training row wins, so the result equals a brute-force scan
//! sorted by distance with a stable sort. To keep that exact, a node is skipped
//! only when its box is strictly farther than the current k-th neighbour.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use crate::base::{dist2, FeatureMatrix};

/// Most points in a leaf, by the number of dimensions. A leaf is scanned in
/// one contiguous loop the compiler vectorizes, while every inner node visited
/// costs two box distances over all dimensions; and the more dimensions, the
/// fewer points a box rules out. So the folded trees of a boundary grid (two
/// or three dimensions) keep small leaves (24, near scikit-learn's 30), and a
/// tree over many inputs larger ones: on 10 inputs, 64 cut fit plus the
/// prediction of the test rows by about a quarter at 10k rows and an eighth at
/// 100k, where it would slow the two-dimensional boundary search by half.
fn leaf_size(dims: usize) -> usize {
    if dims <= 3 {
        24
    } else {
        64
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct KdTree {
    dims: usize,
    /// Point `i` in tree order is `points[i * dims..(i + 1) * dims]`.
    points: Vec<f32>,
    /// The training row of each point in tree order.
    rows: Vec<u32>,
    nodes: Vec<KdNode>,
    /// Node `n`'s box: lower corner at `bounds[2 * n * dims..]`, upper corner right after.
    bounds: Vec<f32>,
    /// A squared distance added to each point's (tree order), and the least of
    /// them under each node; empty for a plain tree. See [`KdTree::with_offsets`].
    #[serde(skip)]
    offsets: Vec<f64>,
    #[serde(skip)]
    min_offsets: Vec<f64>,
    /// Tree position of each training row, for [`KdTree::seed`]; empty for a plain tree.
    #[serde(skip)]
    position: Vec<u32>,
}

/// Points `start..end` (tree order); `children` is `None` for a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct KdNode {
    start: u32,
    end: u32,
    children: Option<(u32, u32)>,
}

/// A candidate neighbour, ordered by squared distance, then by training row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Candidate {
    pub dist2: f64,
    pub row: u32,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.dist2.total_cmp(&other.dist2).then(self.row.cmp(&other.row))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The k best candidates so far, worst on top (a bounded max-heap). Reused across
/// queries so the search allocates nothing per query.
pub(super) struct Nearest {
    k: usize,
    heap: BinaryHeap<Candidate>,
}

impl Nearest {
    pub fn new(k: usize) -> Self {
        Nearest { k, heap: BinaryHeap::with_capacity(k + 1) }
    }

    /// Takes `c` if it is among the k best so far. A row already held is not
    /// taken twice (a search seeded with a neighbouring query's rows meets them again).
    fn offer(&mut self, c: Candidate) {
        if self.heap.len() < self.k {
            if !self.heap.iter().any(|h| h.row == c.row) {
                self.heap.push(c);
            }
        } else if self.heap.peek().is_some_and(|worst| c < *worst) && !self.heap.iter().any(|h| h.row == c.row) {
            if let Some(mut worst) = self.heap.peek_mut() {
                *worst = c;
            }
        }
    }

    /// Whether a node whose points are all at least `bound2` away can still contribute.
    fn worth_visiting(&self, bound2: f64) -> bool {
        self.heap.len() < self.k || self.heap.peek().is_some_and(|w| bound2 <= w.dist2)
    }

    /// The neighbours found, nearest first (ties by training row); empties the heap.
    pub fn drain_sorted(&mut self, out: &mut Vec<Candidate>) {
        out.clear();
        out.extend(self.heap.drain());
        out.sort_unstable();
    }
}

impl KdTree {
    /// Indexes every row of `x`.
    pub fn build(x: &FeatureMatrix) -> Self {
        let (n, dims) = (x.n_rows(), x.n_cols());
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut tree = KdTree {
            dims,
            points: Vec::new(),
            rows: Vec::new(),
            nodes: Vec::new(),
            bounds: Vec::new(),
            offsets: Vec::new(),
            min_offsets: Vec::new(),
            position: Vec::new(),
        };
        tree.split(x, &mut order, 0);
        let columns: Vec<&[f32]> = x.columns().collect();
        tree.points = order.iter().flat_map(|&r| columns.iter().map(move |c| c[r as usize])).collect();
        tree.rows = order;
        tree
    }

    /// Adds the node for `order[start..start + order.len()]` and its subtree; returns its id.
    fn split(&mut self, x: &FeatureMatrix, order: &mut [u32], start: usize) -> u32 {
        let id = self.nodes.len();
        self.nodes.push(KdNode { start: start as u32, end: (start + order.len()) as u32, children: None });
        // The node's bounding box, and the dimension along which it is widest.
        let corner = self.bounds.len();
        self.bounds.resize(corner + 2 * self.dims, 0.0);
        let mut widest = (0, 0.0f32);
        for (j, col) in x.columns().enumerate() {
            let (lo, hi) = order.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &r| {
                let v = col[r as usize];
                (lo.min(v), hi.max(v))
            });
            self.bounds[corner + j] = lo;
            self.bounds[corner + self.dims + j] = hi;
            if hi - lo > widest.1 {
                widest = (j, hi - lo);
            }
        }
        // A leaf when small, or when every point is the same (no dimension to split).
        if order.len() <= leaf_size(self.dims) || widest.1 <= 0.0 {
            return id as u32;
        }
        let col = x.column(widest.0);
        let mid = order.len() / 2;
        order.select_nth_unstable_by(mid, |&a, &b| col[a as usize].total_cmp(&col[b as usize]));
        let (left_rows, right_rows) = order.split_at_mut(mid);
        let left = self.split(x, left_rows, start);
        let right = self.split(x, right_rows, start + mid);
        self.nodes[id].children = Some((left, right));
        id as u32
    }

    /// Indexes every row of `x`, with row r's distance to any query counted as
    /// `offsets[r]` plus its distance in `x`'s dimensions: a search in a few
    /// dimensions when the others are the same for every query (a boundary
    /// grid), their share of each distance folded into the offset. A node is
    /// skipped when its least offset plus its box distance is too far.
    pub fn with_offsets(x: &FeatureMatrix, offsets: &[f64]) -> Self {
        let mut tree = KdTree::build(x);
        tree.offsets = tree.rows.iter().map(|&r| offsets.get(r as usize).copied().unwrap_or(0.0)).collect();
        tree.min_offsets = tree
            .nodes
            .iter()
            .map(|n| tree.offsets[n.start as usize..n.end as usize].iter().copied().fold(f64::INFINITY, f64::min))
            .collect();
        tree.position = vec![0; tree.rows.len()];
        for (i, &r) in tree.rows.iter().enumerate() {
            tree.position[r as usize] = i as u32;
        }
        tree
    }

    /// Offers `nearest` the training rows of `rows` at their distance from
    /// `query`: the neighbours of the previous cell of a grid are close to the
    /// next one's, so the search that follows starts with a tight bound and
    /// skips most of the tree. Rows this tree cannot place are ignored.
    pub fn seed(&self, rows: &[Candidate], query: &[f32], nearest: &mut Nearest) {
        for c in rows {
            let Some(&at) = self.position.get(c.row as usize) else { continue };
            let at = at as usize;
            let point = &self.points[at * self.dims..(at + 1) * self.dims];
            let offset = self.offsets.get(at).copied().unwrap_or(0.0);
            nearest.offer(Candidate { dist2: offset + dist2(point, query), row: c.row });
        }
    }

    /// Number of indexed points.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Every indexed point as (training row, its values).
    pub fn points(&self) -> impl Iterator<Item = (usize, &[f32])> {
        self.rows.iter().map(|&r| r as usize).zip(self.points.chunks_exact(self.dims.max(1)))
    }

    /// Fills `nearest` with the nearest indexed points to `query` (length `dims`).
    pub fn search(&self, query: &[f32], nearest: &mut Nearest) {
        if !self.nodes.is_empty() {
            let bound = self.bound2(0, query);
            self.visit(0, bound, query, nearest);
        }
    }

    fn visit(&self, id: usize, bound2: f64, query: &[f32], nearest: &mut Nearest) {
        if !nearest.worth_visiting(bound2) {
            return;
        }
        let node = self.nodes[id];
        match node.children {
            None => {
                let (start, end) = (node.start as usize, node.end as usize);
                let points = &self.points[start * self.dims..end * self.dims];
                for (i, p) in points.chunks_exact(self.dims).enumerate() {
                    let offset = self.offsets.get(start + i).copied().unwrap_or(0.0);
                    nearest.offer(Candidate { dist2: offset + dist2(p, query), row: self.rows[start + i] });
                }
            }
            Some((left, right)) => {
                let (left, right) = (left as usize, right as usize);
                let (bl, br) = (self.bound2(left, query), self.bound2(right, query));
                let (first, second) = if bl <= br { ((left, bl), (right, br)) } else { ((right, br), (left, bl)) };
                self.visit(first.0, first.1, query, nearest);
                self.visit(second.0, second.1, query, nearest);
            }
        }
    }

    /// A lower bound on the distance from `query` to any point under node `id`.
    fn bound2(&self, id: usize, query: &[f32]) -> f64 {
        self.box_dist2(id, query) + self.min_offsets.get(id).copied().unwrap_or(0.0)
    }

    /// Squared distance from `query` to the nearest point of node `id`'s box.
    fn box_dist2(&self, id: usize, query: &[f32]) -> f64 {
        let b = &self.bounds[2 * id * self.dims..2 * (id + 1) * self.dims];
        let (lo, hi) = b.split_at(self.dims);
        let mut sum = 0.0f64;
        for ((&q, &l), &h) in query.iter().zip(lo).zip(hi) {
            let gap = if q < l {
                l as f64 - q as f64
            } else if q > h {
                q as f64 - h as f64
            } else {
                0.0
            };
            sum += gap * gap;
        }
        sum
    }
}

impl KdTree {
    /// Whether a search can walk this tree: points of `dims` numbers, one
    /// training row (of `n_rows`) each, node ranges within the points,
    /// children later in the list (so every walk ends), a box per node.
    pub(super) fn check(&self, dims: usize, n_rows: usize) -> Result<(), crate::model::LoadError> {
        use crate::model::LoadError;
        let (n_points, n_nodes) = (self.rows.len(), self.nodes.len());
        LoadError::unless(self.dims == dims && self.points.len() == n_points * dims, || {
            format!("{} point numbers for {n_points} points of {dims} inputs", self.points.len())
        })?;
        LoadError::unless(self.rows.iter().all(|&r| (r as usize) < n_rows), || "a point names a row past the last".into())?;
        LoadError::unless(n_nodes > 0 && self.bounds.len() == 2 * n_nodes * dims, || {
            format!("{} box numbers for {n_nodes} nodes", self.bounds.len())
        })?;
        for (id, node) in self.nodes.iter().enumerate() {
            LoadError::unless(node.start <= node.end && node.end as usize <= n_points, || {
                format!("node {id} holds points {}..{} of {n_points}", node.start, node.end)
            })?;
            if let Some((left, right)) = node.children {
                let later = |c: u32| c as usize > id && (c as usize) < n_nodes;
                LoadError::unless(later(left) && later(right), || {
                    format!("node {id}'s children ({left}, {right}) are not later nodes of the {n_nodes}")
                })?;
            }
        }
        Ok(())
    }
}
