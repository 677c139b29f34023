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
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::base::{dist2, FeatureMatrix};

/// Most points in a leaf, by the number of dimensions. A leaf is scanned in
/// one contiguous loop the compiler vectorizes, while every inner node visited
/// costs two box distances over all dimensions; and the more dimensions, the
/// fewer points a box rules out. So a tree over two or three inputs keeps
/// small leaves (24, near scikit-learn's 30), and a tree over many inputs
/// larger ones: on 10 inputs, 64 cut fit plus the prediction of the test rows
/// by about a quarter at 10k rows and an eighth at 100k. (A boundary grid's
/// folded tree picks its own, `folded::LEAF`.)
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
    #[inline]
    pub fn offer(&mut self, c: Candidate) {
        if self.takes(&c) && !self.heap.iter().any(|h| h.row == c.row) {
            self.put(c);
        }
    }

    /// [`Nearest::offer`] for a search that meets each row once (an unseeded walk).
    #[inline]
    fn offer_new(&mut self, c: Candidate) {
        if self.takes(&c) {
            self.put(c);
        }
    }

    /// Whether `c` is among the k best so far.
    #[inline]
    fn takes(&self, c: &Candidate) -> bool {
        self.heap.len() < self.k || self.heap.peek().is_some_and(|worst| c < worst)
    }

    /// Adds `c`, dropping the worst when k are held.
    fn put(&mut self, c: Candidate) {
        if self.heap.len() < self.k {
            self.heap.push(c);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            *worst = c;
        }
    }

    /// Whether a node whose points are all at least `bound2` away can still contribute.
    pub fn worth_visiting(&self, bound2: f64) -> bool {
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
    /// Indexes every row of `x`, in leaves of at most [`leaf_size`] points.
    pub fn build(x: &FeatureMatrix) -> Self {
        KdTree::with_leaves(x, leaf_size(x.n_cols()))
    }

    /// Indexes every row of `x`, in leaves of at most `leaf` points.
    pub fn with_leaves(x: &FeatureMatrix, leaf: usize) -> Self {
        let (n, dims) = (x.n_rows(), x.n_cols());
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut tree = KdTree { dims, points: Vec::new(), rows: Vec::new(), nodes: Vec::new(), bounds: Vec::new() };
        tree.split(x, &mut order, 0, leaf.max(1));
        let columns: Vec<&[f32]> = x.columns().collect();
        tree.points = order.iter().flat_map(|&r| columns.iter().map(move |c| c[r as usize])).collect();
        tree.rows = order;
        tree
    }

    /// Adds the node for `order[start..start + order.len()]` and its subtree; returns its id.
    fn split(&mut self, x: &FeatureMatrix, order: &mut [u32], start: usize, leaf: usize) -> u32 {
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
        if order.len() <= leaf || widest.1 <= 0.0 {
            return id as u32;
        }
        let col = x.column(widest.0);
        let mid = order.len() / 2;
        order.select_nth_unstable_by(mid, |&a, &b| col[a as usize].total_cmp(&col[b as usize]));
        let (left_rows, right_rows) = order.split_at_mut(mid);
        let left = self.split(x, left_rows, start, leaf);
        let right = self.split(x, right_rows, start + mid, leaf);
        self.nodes[id].children = Some((left, right));
        id as u32
    }

    /// Number of indexed points.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Every indexed point as (training row, its values).
    pub fn points(&self) -> impl Iterator<Item = (usize, &[f32])> {
        self.rows.iter().map(|&r| r as usize).zip(self.points.chunks_exact(self.dims.max(1)))
    }

    /// The training row of the point at tree position `at`.
    pub fn row(&self, at: usize) -> u32 {
        self.rows[at]
    }

    /// The point at tree position `at`.
    pub fn point(&self, at: usize) -> &[f32] {
        &self.points[at * self.dims..(at + 1) * self.dims]
    }

    /// Fills `nearest` with the nearest indexed points to `query` (length `dims`).
    pub fn search(&self, query: &[f32], nearest: &mut Nearest) {
        self.walk(query, nearest, 1.0, &mut |leaf, nearest| {
            for at in leaf {
                nearest.offer_new(Candidate { dist2: dist2(self.point(at), query), row: self.rows[at] });
            }
        });
    }

    /// Visits, nearest box first, every leaf that may hold a point nearer
    /// than `nearest`'s k-th, handing `scan` the leaf's tree positions. A
    /// node is skipped when its box distance times `shrink` is farther than
    /// the k-th: 1 when `scan` offers the distances the boxes bound, a little
    /// less when it offers distances that may exceed them by rounding (see
    /// `Folded`), so that no point is ever skipped by a rounding error.
    pub fn walk(
        &self,
        query: &[f32],
        nearest: &mut Nearest,
        shrink: f64,
        scan: &mut impl FnMut(Range<usize>, &mut Nearest),
    ) {
        if !self.nodes.is_empty() {
            let bound = self.box_dist2(0, query);
            self.visit(0, bound, query, nearest, shrink, scan);
        }
    }

    fn visit(
        &self,
        id: usize,
        bound2: f64,
        query: &[f32],
        nearest: &mut Nearest,
        shrink: f64,
        scan: &mut impl FnMut(Range<usize>, &mut Nearest),
    ) {
        if !nearest.worth_visiting(bound2 * shrink) {
            return;
        }
        let node = self.nodes[id];
        match node.children {
            None => scan(node.start as usize..node.end as usize, nearest),
            Some((left, right)) => {
                let (left, right) = (left as usize, right as usize);
                let (bl, br) = (self.box_dist2(left, query), self.box_dist2(right, query));
                let (first, second) = if bl <= br { ((left, bl), (right, br)) } else { ((right, br), (left, bl)) };
                self.visit(first.0, first.1, query, nearest, shrink, scan);
                self.visit(second.0, second.1, query, nearest, shrink, scan);
            }
        }
    }

    /// Appends to `out` the tree position of every point whose squared
    /// distance to the box `lo..=hi` times `shrink` is at most `radius2`,
    /// skipping whole nodes whose boxes are that far.
    pub fn within(&self, lo: &[f32], hi: &[f32], radius2: f64, shrink: f64, out: &mut Vec<u32>) {
        let mut stack = vec![0usize];
        while let Some(id) = stack.pop() {
            let Some(node) = self.nodes.get(id) else { continue };
            let b = &self.bounds[2 * id * self.dims..2 * (id + 1) * self.dims];
            if gap2(lo, hi, &b[..self.dims], &b[self.dims..]) * shrink > radius2 {
                continue;
            }
            match node.children {
                Some((left, right)) => stack.extend([right as usize, left as usize]),
                None => {
                    for at in node.start as usize..node.end as usize {
                        let p = self.point(at);
                        if gap2(lo, hi, p, p) * shrink <= radius2 {
                            out.push(at as u32);
                        }
                    }
                }
            }
        }
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

/// Squared distance between the boxes `a_lo..=a_hi` and `b_lo..=b_hi`.
fn gap2(a_lo: &[f32], a_hi: &[f32], b_lo: &[f32], b_hi: &[f32]) -> f64 {
    let mut sum = 0.0f64;
    for (((&al, &ah), &bl), &bh) in a_lo.iter().zip(a_hi).zip(b_lo).zip(b_hi) {
        let gap = if ah < bl {
            bl as f64 - ah as f64
        } else if bh < al {
            al as f64 - bh as f64
        } else {
            0.0
        };
        sum += gap * gap;
    }
    sum
}
