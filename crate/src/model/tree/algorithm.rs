//! CART grown depth-first on presorted features.
//!
//! Each feature is sorted once at the root; when a node splits, every feature's
//! sorted slice is stably partitioned into its left and right parts, so no node
//! ever sorts again. A split search is then one sequential scan per feature,
//! which is what makes this as fast as scikit-learn's per-node sort.
//!
//! The same grower serves the random forest: rows carry whole-number weights
//! (bootstrap multiplicities), a node may look at a random subset of the
//! features, and the root's sort can be made once and filtered per tree
//! ([`Presorted::resample`]).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::params::{Criterion, TreeParams};
use crate::base::{FeatureMatrix, Progress};

/// Marks a leaf in [`Node::feature`].
pub const LEAF: u32 = u32::MAX;

/// Two neighbouring values closer than this are not split between (as in
/// scikit-learn), so that a threshold always separates distinct values.
const FEATURE_THRESHOLD: f32 = 1e-7;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Feature tested, or [`LEAF`].
    pub feature: u32,
    /// Rows with `x[feature] <= threshold` go left.
    pub threshold: f64,
    pub left: u32,
    pub right: u32,
    /// Training rows in the node, each counted as often as its weight (its
    /// bootstrap multiplicity in a forest).
    pub n_samples: u32,
    pub impurity: f64,
    pub depth: u32,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.feature == LEAF
    }
}

/// The labels a tree learns from.
#[derive(Clone, Copy)]
pub enum Labels<'a> {
    Classes { y: &'a [u32], n_classes: usize },
    Values(&'a [f64]),
}

impl Labels<'_> {
    /// Numbers stored per node: class counts, or the mean.
    pub fn value_width(&self) -> usize {
        match self {
            Labels::Classes { n_classes, .. } => *n_classes,
            Labels::Values(_) => 1,
        }
    }
}

/// How many times each row counts.
///
/// Weights are whole numbers because the only weights are bootstrap
/// multiplicities (scikit-learn's forest fits each tree with
/// `sample_weight = counts`): node sizes then stay row counts, so
/// [`Node::n_samples`] is the weighted count without a second field. Rows of
/// weight 0 must not appear in the presort (see [`Presorted::resample`]). A
/// trait rather than a slice of ones so that the single tree's scan pays
/// nothing for weights it does not have.
pub trait Weights: Copy {
    fn of(self, row: u32) -> u32;
}

/// Every row counts once.
#[derive(Clone, Copy)]
pub struct Unweighted;

impl Weights for Unweighted {
    #[inline]
    fn of(self, _: u32) -> u32 {
        1
    }
}

impl Weights for &[u32] {
    #[inline]
    fn of(self, row: u32) -> u32 {
        self[row as usize]
    }
}

/// What a tree learns from: labels and the rows' weights.
#[derive(Clone, Copy)]
pub struct Sample<'a, W: Weights> {
    pub labels: Labels<'a>,
    pub weights: W,
}

/// Which features a node's split search examines.
pub enum Features<'r> {
    /// Every feature, in column order (a single CART tree).
    All,
    /// `per_node` features drawn without replacement at every node, as in
    /// scikit-learn: when all of them are constant in the node, drawing goes on
    /// until one is not (or none is left).
    Random { per_node: usize, rng: &'r mut ChaCha8Rng },
}

/// A grown tree: nodes (0 is the root) and, per node, `value_width` numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grown {
    pub nodes: Vec<Node>,
    pub values: Vec<f64>,
    pub value_width: usize,
    /// Total impurity decrease per feature, normalized to sum to 1 (all zero
    /// for a single leaf).
    pub importances: Vec<f64>,
}

impl Grown {
    /// Whether a prediction on `n_features` inputs can walk this tree: each
    /// split tests an input there is and sends rows to two later nodes (so
    /// every walk ends at a leaf), and every node has its values.
    pub fn check(&self, n_features: usize) -> Result<(), crate::model::LoadError> {
        use crate::model::LoadError;
        let n = self.nodes.len();
        LoadError::unless(n > 0, || "a tree has no nodes".into())?;
        LoadError::unless(self.value_width > 0 && self.values.len() == n * self.value_width, || {
            format!("a tree of {n} nodes holds {} values, {} per node", self.values.len(), self.value_width)
        })?;
        LoadError::unless(self.importances.len() == n_features, || {
            format!("a tree on {n_features} inputs has {} importances", self.importances.len())
        })?;
        for (id, node) in self.nodes.iter().enumerate().filter(|(_, node)| !node.is_leaf()) {
            let later = |child: u32| (child as usize) > id && (child as usize) < n;
            LoadError::unless((node.feature as usize) < n_features, || {
                format!("node {id} tests input {} of {n_features}", node.feature)
            })?;
            LoadError::unless(later(node.left) && later(node.right), || {
                format!("node {id}'s children ({}, {}) are not later nodes of the {n}", node.left, node.right)
            })?;
        }
        Ok(())
    }
}

/// Sorted values of one feature within the current node ranges, with the row
/// each value came from. Both are partitioned together.
#[derive(Clone)]
struct SortedFeature {
    values: Vec<f32>,
    rows: Vec<u32>,
}

/// Every feature's values sorted once, ties by row: the costly part of growing
/// a tree, which a forest does once and reuses for all its trees.
#[derive(Clone)]
pub struct Presorted {
    features: Vec<SortedFeature>,
    /// Rows of the data the row numbers refer to (some may be left out).
    n_rows: usize,
}

impl Presorted {
    /// The presort of rows `rows` of `x` (all rows for `None`), numbered by
    /// their place in `rows`: a tree grown on a view of rows is then the tree
    /// grown on a copy of them, ties and all.
    pub fn new(x: &FeatureMatrix, rows: Option<&[usize]>) -> Self {
        let n = rows.map_or(x.n_rows(), <[usize]>::len);
        let features = x
            .columns()
            .map(|col| {
                let gathered: Vec<f32>;
                let col = match rows {
                    None => col,
                    Some(rows) => {
                        gathered = rows.iter().map(|&r| col[r]).collect();
                        &gathered
                    }
                };
                let mut rows: Vec<u32> = (0..n as u32).collect();
                rows.sort_unstable_by(|&a, &b| col[a as usize].total_cmp(&col[b as usize]).then(a.cmp(&b)));
                let values = rows.iter().map(|&r| col[r as usize]).collect();
                SortedFeature { values, rows }
            })
            .collect();
        Presorted { features, n_rows: n }
    }

    /// The presort of only the rows with a nonzero weight, without sorting
    /// again: filtering a sorted list keeps it sorted.
    pub fn resample(&self, weights: &[u32]) -> Presorted {
        let features = self
            .features
            .iter()
            .map(|f| {
                let kept = |&(&row, _): &(&u32, &f32)| weights[row as usize] > 0;
                let (rows, values) = f.rows.iter().zip(&f.values).filter(kept).unzip();
                SortedFeature { values, rows }
            })
            .collect();
        Presorted { features, n_rows: self.n_rows }
    }

    /// Rows present in the presort.
    fn len(&self) -> usize {
        self.features.first().map_or(0, |f| f.rows.len())
    }
}

struct Best {
    feature: usize,
    threshold: f64,
    proxy: f64,
}

/// Grows a tree on the presorted rows of `sample` (weights indexed by the
/// presort's row numbers).
pub fn grow<W: Weights>(
    presorted: Presorted,
    sample: Sample<W>,
    params: &TreeParams,
    mut features: Features,
    progress: &mut dyn Progress,
) -> Grown {
    let n = presorted.len();
    let Presorted { features: mut sorted, n_rows } = presorted;
    let n_features = sorted.len();
    let labels = sample.labels;
    let width = labels.value_width();
    let mut nodes: Vec<Node> = Vec::new();
    let mut values: Vec<f64> = Vec::new();
    let mut goes_left = vec![false; n_rows];
    let mut scratch_values: Vec<f32> = Vec::with_capacity(n);
    let mut scratch_rows: Vec<u32> = Vec::with_capacity(n);
    let mut scan = Scan::new(sample, params.criterion);
    let mut order: Vec<usize> = (0..n_features).collect();
    let mut settled = 0usize;

    // (node id, start, end, depth) of nodes still to grow.
    let mut stack = vec![(0usize, 0usize, n, 0usize)];
    nodes.push(placeholder());
    values.resize(width, 0.0);
    while let Some((id, start, end, depth)) = stack.pop() {
        let rows = &sorted[0].rows[start..end];
        let (weighted, impurity) = scan.node_stats(rows, &mut values[id * width..(id + 1) * width]);
        // As in scikit-learn, the size limits count distinct rows, not weights.
        let count = end - start;
        nodes[id] = Node { n_samples: weighted, impurity, depth: depth as u32, ..placeholder() };

        let can_split = params.max_depth.allows_split_at(depth)
            && count >= params.min_samples_split
            && count >= 2 * params.min_samples_leaf
            && impurity > f64::EPSILON;
        let best = if can_split {
            find_split(&sorted, start, end, params.min_samples_leaf, &mut scan, &mut order, &mut features)
        } else {
            None
        };
        let Some(best) = best else {
            settled += count;
            progress.report(settled, n, "growing the tree");
            continue;
        };

        let chosen = &sorted[best.feature];
        for pos in start..end {
            goes_left[chosen.rows[pos] as usize] = chosen.values[pos] as f64 <= best.threshold;
        }
        let mut n_left = 0;
        for feature in sorted.iter_mut() {
            n_left = partition(feature, start, end, &goes_left, &mut scratch_values, &mut scratch_rows);
        }
        let (left, right) = (nodes.len(), nodes.len() + 1);
        nodes.push(placeholder());
        nodes.push(placeholder());
        values.resize(nodes.len() * width, 0.0);
        let node = &mut nodes[id];
        node.feature = best.feature as u32;
        node.threshold = best.threshold;
        node.left = left as u32;
        node.right = right as u32;
        // Right is pushed first so the left subtree is grown first.
        stack.push((right, start + n_left, end, depth + 1));
        stack.push((left, start, start + n_left, depth + 1));
    }

    let importances = importances(&nodes, n_features);
    Grown { nodes, values, value_width: width, importances }
}

fn placeholder() -> Node {
    Node { feature: LEAF, threshold: 0.0, left: 0, right: 0, n_samples: 0, impurity: 0.0, depth: 0 }
}

/// The best split of the node's rows `start..end` over the examined features
/// (all, or a random subset drawn by partially shuffling `order`), if any split
/// leaves at least `min_leaf` rows on each side.
fn find_split<W: Weights>(
    sorted: &[SortedFeature],
    start: usize,
    end: usize,
    min_leaf: usize,
    scan: &mut Scan<W>,
    order: &mut [usize],
    features: &mut Features,
) -> Option<Best> {
    let count = end - start;
    let mut best: Option<Best> = None;
    let (mut visited, mut varying) = (0, false);
    for k in 0..order.len() {
        if let Features::Random { per_node, rng } = features {
            if visited >= *per_node && varying {
                break;
            }
            let j = rng.random_range(k..order.len());
            order.swap(k, j);
        }
        visited += 1;
        let feature = order[k];
        let values = &sorted[feature].values[start..end];
        let rows = &sorted[feature].rows[start..end];
        if values[count - 1] <= values[0] + FEATURE_THRESHOLD {
            continue; // constant in this node
        }
        varying = true;
        scan.reset();
        for i in 0..count - 1 {
            scan.move_left(rows[i]);
            let n_left = i + 1;
            if n_left < min_leaf {
                continue;
            }
            if count - n_left < min_leaf {
                break;
            }
            if values[i + 1] <= values[i] + FEATURE_THRESHOLD {
                continue;
            }
            let proxy = scan.proxy();
            if best.as_ref().is_none_or(|b| proxy > b.proxy) {
                let (lo, hi) = (values[i] as f64, values[i + 1] as f64);
                let mut threshold = lo / 2.0 + hi / 2.0;
                if threshold >= hi || !threshold.is_finite() {
                    threshold = lo;
                }
                best = Some(Best { feature, threshold, proxy });
            }
        }
    }
    best
}

/// Stably moves the rows marked in `goes_left` to the front of `start..end`;
/// returns how many went left.
fn partition(
    feature: &mut SortedFeature,
    start: usize,
    end: usize,
    goes_left: &[bool],
    scratch_values: &mut Vec<f32>,
    scratch_rows: &mut Vec<u32>,
) -> usize {
    scratch_values.clear();
    scratch_rows.clear();
    let mut write = start;
    for read in start..end {
        let row = feature.rows[read];
        let value = feature.values[read];
        if goes_left[row as usize] {
            feature.rows[write] = row;
            feature.values[write] = value;
            write += 1;
        } else {
            scratch_rows.push(row);
            scratch_values.push(value);
        }
    }
    feature.rows[write..end].copy_from_slice(scratch_rows);
    feature.values[write..end].copy_from_slice(scratch_values);
    write - start
}

/// Minimal cost-complexity pruning, as scikit-learn's `ccp_alpha`: while the
/// weakest split (the one whose subtree lowers the total weighted impurity
/// least per extra leaf) costs no more than `alpha`, it is turned into a leaf.
/// A split's cost is (R(t) − R(subtree)) / (leaves − 1), with R the node's
/// impurity × its share of the training weight. Returns the pruned tree with
/// its nodes renumbered root first and its importances recomputed.
pub fn prune(grown: Grown, alpha: f64) -> Grown {
    let total = grown.nodes.first().map_or(0.0, |n| n.n_samples as f64);
    if !(alpha > 0.0 && total > 0.0) {
        return grown;
    }
    // The importances cover every input, split on or not.
    let n_features = grown.importances.len();
    let Grown { mut nodes, values, value_width, .. } = grown;
    let risk = |n: &Node| n.impurity * n.n_samples as f64 / total;
    loop {
        let order = reachable(&nodes);
        // Subtree risk and leaf count, children before parents.
        let mut branch = vec![(0.0f64, 0usize); nodes.len()];
        for &id in order.iter().rev() {
            let node = &nodes[id];
            branch[id] = if node.is_leaf() {
                (risk(node), 1)
            } else {
                let (l, r) = (branch[node.left as usize], branch[node.right as usize]);
                (l.0 + r.0, l.1 + r.1)
            };
        }
        let cost = |id: usize| (risk(&nodes[id]) - branch[id].0) / (branch[id].1 - 1) as f64;
        let splits: Vec<usize> = order.iter().copied().filter(|&id| !nodes[id].is_leaf()).collect();
        let weakest = splits.iter().map(|&id| cost(id)).fold(f64::INFINITY, f64::min);
        if weakest.is_nan() || weakest > alpha {
            break;
        }
        // Every split as weak as the weakest goes at once (ties, as in scikit-learn's loop).
        let cut: Vec<usize> =
            splits.into_iter().filter(|&id| cost(id) <= weakest + 1e-12 * weakest.abs().max(1e-300)).collect();
        for id in cut {
            nodes[id].feature = LEAF;
        }
    }
    // Renumber what is still reachable, root first, and carry the values along.
    let order = reachable(&nodes);
    let mut new_id = vec![u32::MAX; nodes.len()];
    for (i, &id) in order.iter().enumerate() {
        new_id[id] = i as u32;
    }
    let mut kept_nodes = Vec::with_capacity(order.len());
    let mut kept_values = Vec::with_capacity(order.len() * value_width);
    for &id in &order {
        let mut node = nodes[id].clone();
        if !node.is_leaf() {
            node.left = new_id[node.left as usize];
            node.right = new_id[node.right as usize];
        }
        kept_nodes.push(node);
        kept_values.extend_from_slice(&values[id * value_width..(id + 1) * value_width]);
    }
    let importances = importances(&kept_nodes, n_features);
    Grown { nodes: kept_nodes, values: kept_values, value_width, importances }
}

/// The nodes reachable from the root, in preorder.
fn reachable(nodes: &[Node]) -> Vec<usize> {
    let mut order = Vec::with_capacity(nodes.len());
    let mut stack = if nodes.is_empty() { vec![] } else { vec![0usize] };
    while let Some(id) = stack.pop() {
        order.push(id);
        let node = &nodes[id];
        if !node.is_leaf() {
            stack.push(node.right as usize);
            stack.push(node.left as usize);
        }
    }
    order
}

/// Weighted impurity decrease per feature, normalized to sum to 1.
fn importances(nodes: &[Node], n_features: usize) -> Vec<f64> {
    let mut imp = vec![0.0; n_features];
    for node in nodes.iter().filter(|n| !n.is_leaf()) {
        let (l, r) = (&nodes[node.left as usize], &nodes[node.right as usize]);
        imp[node.feature as usize] +=
            node.n_samples as f64 * node.impurity - l.n_samples as f64 * l.impurity - r.n_samples as f64 * r.impurity;
    }
    let total: f64 = imp.iter().sum();
    if total > 0.0 {
        imp.iter_mut().for_each(|v| *v /= total);
    }
    imp
}

/// The running statistics of a scan over a node's rows, left part growing;
/// every count and sum is weighted.
struct Scan<'a, W: Weights> {
    labels: Labels<'a>,
    weights: W,
    criterion: Criterion,
    /// Total weight of the node and of the left part.
    total_weight: f64,
    left_weight: f64,
    /// Classification: class counts of the whole node and of the left part.
    total_counts: Vec<f64>,
    left_counts: Vec<f64>,
    /// Gini: sums of squared counts, kept incrementally.
    total_sq: f64,
    left_sq: f64,
    right_sq: f64,
    /// Regression: target sums of the node and of the left part.
    total_sum: f64,
    left_sum: f64,
}

impl<'a, W: Weights> Scan<'a, W> {
    fn new(sample: Sample<'a, W>, criterion: Criterion) -> Self {
        let k = sample.labels.value_width();
        Scan {
            labels: sample.labels,
            weights: sample.weights,
            criterion,
            total_weight: 0.0,
            left_weight: 0.0,
            total_counts: vec![0.0; k],
            left_counts: vec![0.0; k],
            total_sq: 0.0,
            left_sq: 0.0,
            right_sq: 0.0,
            total_sum: 0.0,
            left_sum: 0.0,
        }
    }

    /// Sets the node totals from `rows`, writes the node's value (weighted
    /// class counts or mean) into `value` and returns the node's weighted size
    /// and impurity.
    fn node_stats(&mut self, rows: &[u32], value: &mut [f64]) -> (u32, f64) {
        let weighted: u32 = rows.iter().map(|&r| self.weights.of(r)).sum();
        let n = weighted as f64;
        self.total_weight = n;
        let impurity = match self.labels {
            Labels::Classes { y, .. } => {
                self.total_counts.iter_mut().for_each(|c| *c = 0.0);
                for &r in rows {
                    self.total_counts[y[r as usize] as usize] += self.weights.of(r) as f64;
                }
                value.copy_from_slice(&self.total_counts);
                self.total_sq = self.total_counts.iter().map(|c| c * c).sum();
                class_impurity(&self.total_counts, n, self.criterion)
            }
            Labels::Values(y) => {
                let (mut sum, mut sum_sq) = (0.0, 0.0);
                for &r in rows {
                    let (v, w) = (y[r as usize], self.weights.of(r) as f64);
                    sum += w * v;
                    sum_sq += w * v * v;
                }
                self.total_sum = sum;
                let mean = sum / n;
                value[0] = mean;
                (sum_sq / n - mean * mean).max(0.0)
            }
        };
        (weighted, impurity)
    }

    fn reset(&mut self) {
        self.left_weight = 0.0;
        self.left_counts.iter_mut().for_each(|c| *c = 0.0);
        self.left_sq = 0.0;
        self.right_sq = self.total_sq;
        self.left_sum = 0.0;
    }

    fn move_left(&mut self, row: u32) {
        let w = self.weights.of(row) as f64;
        self.left_weight += w;
        match self.labels {
            Labels::Classes { y, .. } => {
                let c = y[row as usize] as usize;
                let left = self.left_counts[c];
                let right = self.total_counts[c] - left;
                // (a+w)² - a² = w(2a + w) and (b-w)² - b² = w(w - 2b).
                self.left_sq += w * (2.0 * left + w);
                self.right_sq += w * (w - 2.0 * right);
                self.left_counts[c] = left + w;
            }
            Labels::Values(y) => self.left_sum += w * y[row as usize],
        }
    }

    /// A quantity that orders splits like the impurity decrease does (larger is
    /// better) but is cheaper to compute; the node's own impurity cancels out.
    fn proxy(&self) -> f64 {
        let (nl, nr) = (self.left_weight, self.total_weight - self.left_weight);
        match (self.labels, self.criterion) {
            (Labels::Values(_), _) => {
                let right_sum = self.total_sum - self.left_sum;
                self.left_sum * self.left_sum / nl + right_sum * right_sum / nr
            }
            (_, Criterion::Entropy) => {
                let mut right = 0.0;
                let mut left = 0.0;
                for (&t, &l) in self.total_counts.iter().zip(&self.left_counts) {
                    left += xlogx(l);
                    right += xlogx(t - l);
                }
                // -(nl·H_l + nr·H_r) up to the node's constant, in nats.
                left - xlogx(nl) + right - xlogx(nr)
            }
            _ => self.left_sq / nl + self.right_sq / nr,
        }
    }
}

fn xlogx(v: f64) -> f64 {
    if v > 0.0 {
        v * v.ln()
    } else {
        0.0
    }
}

/// Gini impurity or entropy (in bits, as scikit-learn reports it) of counts.
fn class_impurity(counts: &[f64], n: f64, criterion: Criterion) -> f64 {
    match criterion {
        Criterion::Entropy => -counts.iter().filter(|&&c| c > 0.0).map(|&c| (c / n) * (c / n).log2()).sum::<f64>(),
        _ => 1.0 - counts.iter().map(|&c| (c / n) * (c / n)).sum::<f64>(),
    }
}
