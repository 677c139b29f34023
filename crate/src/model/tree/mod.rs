//! CART decision trees for classification and regression.

pub(crate) mod algorithm;
mod params;

use serde::{Deserialize, Serialize};

pub use params::{specs, Criterion, TreeParams};

use algorithm::{grow, prune, Features, Grown, Labels, Node, Presorted, Sample, Unweighted};

use crate::base::program::{Builder, Data, NotLowered, Op, Reg, Role, LEAF};
use crate::base::{FeatureInfo, FeatureMatrix, Progress, Scaling, Target, Task};
use crate::model::params::{at_least, require};
use crate::model::view::{ModelView, NodeValue, SplitView, TreeNodeView, TreeView};
use crate::model::{
    fit_boxed, from_json_boxed, load_boxed, to_json_boxed, Complexity, DataView, Explanation, Fit, FitError, FittedModel,
    ModelInfo, ModelSpec, ParamValues, PredictError, Predictions,
};

pub static INFO: ModelInfo = ModelInfo {
    id: "decision_tree",
    name: "Decision tree (CART)",
    tasks: &[Task::Classification, Task::Regression],
    scaling: Scaling::None,
    seeded: false,
    params: specs,
    complexity: Some(Complexity {
        key: "max_depth",
        values: &[1, 2, 3, 4, 6, 8, 10, 14, 20],
        cost_grows: false,
        zero_is_unlimited: true,
    }),
};

pub const SPEC: ModelSpec = ModelSpec {
    info: &INFO,
    fit: fit_boxed::<TreeParams>,
    load: load_boxed::<TreeParams>,
    to_json: to_json_boxed::<TreeParams>,
    from_json: from_json_boxed::<TreeParams>,
};

/// A fitted CART tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionTree {
    pub(crate) grown: Grown,
    /// Classification or regression: `fit` refuses clustering, so the matches
    /// below treat every task but classification as regression.
    task: Task,
    pub(crate) n_features: usize,
}

impl Fit for TreeParams {
    type Model = DecisionTree;

    fn from_values(task: Task, values: &ParamValues) -> Result<Self, FitError> {
        TreeParams::read(task, values)
    }

    fn check(&self) -> Result<(), FitError> {
        require(self.min_samples_leaf >= 1, "min rows per leaf", self.min_samples_leaf, "at least 1")?;
        require(self.min_samples_split >= 2, "min rows to split", self.min_samples_split, "at least 2")?;
        require(at_least(self.ccp_alpha, 0.0), "pruning (ccp α)", self.ccp_alpha, "a number from 0 up")
    }

    /// Grows a tree on `train`. CART as used here is deterministic: every
    /// feature is examined at every node, so `_seed` changes nothing; it is
    /// taken to keep the contract the same for every model.
    fn fit_checked(&self, train: &DataView, _seed: u64, progress: &mut dyn Progress) -> Result<DecisionTree, FitError> {
        train.check_fit_ready()?;
        let target = train.target();
        let (labels, task) = match &*target {
            Target::Classes { y, names } => (Labels::Classes { y, n_classes: names.len() }, Task::Classification),
            Target::Values(v) => (Labels::Values(v), Task::Regression),
            Target::Unlabeled { .. } => return Err(FitError::WrongTask(Task::Clustering.name().to_string())),
        };
        if (task == Task::Regression) != (self.criterion == Criterion::SquaredError) {
            return Err(FitError::WrongTask(format!("{:?} with the {:?} criterion", task, self.criterion).to_lowercase()));
        }
        let sample = Sample { labels, weights: Unweighted };
        let presorted = Presorted::new(&train.source().x, train.rows());
        let grown = prune(grow(presorted, sample, self, Features::All, progress), self.ccp_alpha);
        Ok(DecisionTree::from_grown(grown, task, train.n_cols()))
    }
}

impl DecisionTree {
    /// Wraps a tree grown elsewhere (a forest's member) on `n_features` inputs.
    pub(crate) fn from_grown(grown: Grown, task: Task, n_features: usize) -> Self {
        DecisionTree { grown, task, n_features }
    }

    pub fn nodes(&self) -> &[Node] {
        &self.grown.nodes
    }

    pub fn importances(&self) -> &[f64] {
        &self.grown.importances
    }

    fn value(&self, node: usize) -> &[f64] {
        let w = self.grown.value_width;
        &self.grown.values[node * w..(node + 1) * w]
    }

    /// The leaf each row of `x` lands in.
    fn leaf_of(&self, x: &FeatureMatrix, row: usize) -> usize {
        let nodes = &self.grown.nodes;
        let mut id = 0;
        while !nodes[id].is_leaf() {
            let node = &nodes[id];
            id = if x.column(node.feature as usize)[row] as f64 <= node.threshold { node.left } else { node.right } as usize;
        }
        id
    }

    /// Adds this tree's prediction for row `row` of `x` to `out`: the leaf's
    /// class proportions (one per class), or its mean (one number). A forest
    /// sums these over its members.
    pub(crate) fn add_prediction(&self, x: &FeatureMatrix, row: usize, out: &mut [f64]) {
        self.add_leaf(self.leaf_of(x, row), out);
    }

    /// The tree as rows of `x` walk it: with every split on an input that `x`
    /// holds at one value resolved in advance, when `x` is big enough to pay
    /// for that (a boundary grid varies two inputs; its rows then pass a few
    /// splits instead of a whole path). The same leaves either way.
    pub(crate) fn walker<'a>(&'a self, shape: &'a Shape) -> Walker<'a> {
        if !shape.held.iter().any(Option::is_some) {
            return Walker { tree: self, resolved: None, grid: None };
        }
        Walker { tree: self, resolved: Some(ResolvedTree::of(self, &shape.held)), grid: shape.grid.as_ref() }
    }

    /// Adds leaf `leaf`'s prediction to `out`.
    fn add_leaf(&self, leaf: usize, out: &mut [f64]) {
        let value = self.value(leaf);
        match self.task {
            Task::Classification => {
                let n = self.grown.nodes[leaf].n_samples as f64;
                out.iter_mut().zip(value).for_each(|(o, c)| *o += c / n);
            }
            _ => out[0] += value[0],
        }
    }

    /// The diagram of this tree in the columns' own terms.
    pub(crate) fn view(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> TreeView {
        let nodes = self
            .grown
            .nodes
            .iter()
            .enumerate()
            .map(|(id, node)| TreeNodeView {
                split: (!node.is_leaf()).then(|| {
                    let feature = &features[node.feature as usize];
                    SplitView {
                        feature: feature.column.clone(),
                        rule: feature.split_rule(node.threshold),
                        left: node.left as usize,
                        right: node.right as usize,
                    }
                }),
                n_samples: node.n_samples as usize,
                value: match self.task {
                    Task::Classification => NodeValue::Classes { counts: self.value(id).to_vec() },
                    _ => NodeValue::Mean { mean: self.value(id)[0] },
                },
                depth: node.depth as usize,
            })
            .collect();
        let target_range = match target {
            Target::Values(v) => v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x))),
            Target::Classes { .. } | Target::Unlabeled { .. } => (0.0, 0.0),
        };
        TreeView { nodes, class_names: target.class_names().to_vec(), target_name: target_name.to_string(), target_range }
    }
}

/// A tree as [`ResolvedTree`] reads it: the CART trees of the tree and the
/// forest, and boosting's, which store their splits another way.
pub(crate) trait Splits {
    /// Numbers a leaf adds to a row's answer.
    fn value_width(&self) -> usize;
    /// Node `id`'s split as `(feature, threshold, left, right)`, rows with
    /// `x[feature] as f64 <= threshold` going left; `None` at a leaf.
    fn split(&self, id: usize) -> Option<(u32, f64, u32, u32)>;
    /// The child of split `id` that a row holding `v` at its feature takes,
    /// by the model's own comparison (they differ only for a missing value).
    fn child(&self, id: usize, v: f32) -> usize;
    /// Adds leaf `id`'s prediction to `out` (`value_width` numbers).
    fn add_leaf(&self, id: usize, out: &mut [f64]);
}

impl Splits for DecisionTree {
    fn value_width(&self) -> usize {
        self.grown.value_width
    }

    fn split(&self, id: usize) -> Option<(u32, f64, u32, u32)> {
        let n = &self.grown.nodes[id];
        (!n.is_leaf()).then_some((n.feature, n.threshold, n.left, n.right))
    }

    fn child(&self, id: usize, v: f32) -> usize {
        let n = &self.grown.nodes[id];
        if v as f64 <= n.threshold {
            n.left as usize
        } else {
            n.right as usize
        }
    }

    fn add_leaf(&self, id: usize, out: &mut [f64]) {
        DecisionTree::add_leaf(self, id, out);
    }
}

/// Fewest rows for which resolving the held inputs' splits pays off.
const SPECIALIZE_FROM_ROWS: usize = 1024;

/// What a matrix of rows to predict looks like, found once for all the trees
/// of a forest: the inputs it holds at one value, and whether its rows are a
/// boundary plot's grid.
pub(crate) struct Shape {
    held: Vec<Option<f32>>,
    grid: Option<Grid>,
}

impl Shape {
    pub(crate) fn of(x: &FeatureMatrix) -> Shape {
        if x.n_rows() < SPECIALIZE_FROM_ROWS {
            return Shape { held: Vec::new(), grid: None };
        }
        let held = x.held_values();
        let grid = Grid::of(x, &held);
        Shape { held, grid }
    }

    /// Each input's one value, where every row holds it.
    pub(crate) fn held(&self) -> &[Option<f32>] {
        &self.held
    }

    /// The rows as a boundary plot's grid, when they are one.
    pub(crate) fn grid(&self) -> Option<&Grid> {
        self.grid.as_ref()
    }
}

/// Rows laid out as a `side` × `side` grid over two inputs, every other input
/// held: row `i` has one input at its `i % side`-th value and the other,
/// `down`, at its `i / side`-th, each sequence strictly monotone. A tree with
/// the held splits resolved then cuts the grid into rectangles, so a leaf's
/// prediction can be added to all its cells at once.
pub(crate) struct Grid {
    side: usize,
    /// The input that changes from grid row to grid row (the other varying
    /// one changes along a row).
    down: usize,
}

impl Grid {
    fn of(x: &FeatureMatrix, held: &[Option<f32>]) -> Option<Grid> {
        let varying: Vec<usize> = (0..held.len()).filter(|&j| held[j].is_none()).collect();
        let &[across, down] = varying.as_slice() else { return None };
        let n = x.n_rows();
        let side = (n as f64).sqrt().round() as usize;
        if side < 2 || side * side != n {
            return None;
        }
        let (a, b) = (x.column(across), x.column(down));
        let laid_out =
            (0..n).all(|i| a[i].to_bits() == a[i % side].to_bits() && b[i].to_bits() == b[i - i % side].to_bits());
        let monotone = |v: &mut dyn Iterator<Item = f32>| {
            let v: Vec<f32> = v.collect();
            v.windows(2).all(|w| w[0] < w[1]) || v.windows(2).all(|w| w[0] > w[1])
        };
        let ok = laid_out && monotone(&mut a[..side].iter().copied()) && monotone(&mut (0..side).map(|r| b[r * side]));
        ok.then_some(Grid { side, down })
    }

    /// The grid positions (columns, or rows for `down`) whose value
    /// of input `feature` is ≤ `threshold`: a prefix or a suffix of `0..side`,
    /// as the values rise or fall along the grid.
    fn at_most(&self, x: &FeatureMatrix, feature: usize, threshold: f64) -> (usize, usize) {
        let step = if feature == self.down { self.side } else { 1 };
        let v = |k: usize| x.column(feature)[k * step] as f64;
        let rising = v(0) < v(self.side - 1);
        // partition_point over 0..side on the same comparison a row's walk makes.
        let (mut lo, mut hi) = (0, self.side);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (v(mid) <= threshold) == rising {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if rising {
            (0, lo)
        } else {
            (lo, self.side)
        }
    }
}

/// Walks rows of one matrix down a tree (see [`DecisionTree::walker`]).
pub(crate) struct Walker<'a> {
    tree: &'a DecisionTree,
    resolved: Option<ResolvedTree>,
    grid: Option<&'a Grid>,
}

impl Walker<'_> {
    /// Adds the tree's prediction for every row of `x` to `sums` (row-major,
    /// `value_width` numbers per row): rectangle by rectangle on a grid, else
    /// row by row.
    pub(crate) fn add_all(&self, x: &FeatureMatrix, sums: &mut [f64]) {
        if let (Some(resolved), Some(grid)) = (&self.resolved, self.grid) {
            return resolved.paint(grid, x, sums);
        }
        let width = self.tree.grown.value_width;
        for (row, out) in sums.chunks_mut(width).enumerate() {
            self.add_prediction(x, row, out);
        }
    }

    pub(crate) fn add_prediction(&self, x: &FeatureMatrix, row: usize, out: &mut [f64]) {
        match &self.resolved {
            Some(resolved) => resolved.add_prediction(x, row, out),
            None => self.tree.add_prediction(x, row, out),
        }
    }
}

/// A tree with every split on a held input resolved: what is left splits
/// only on the inputs that vary, and each leaf's prediction is worked out
/// once for every row that reaches it.
pub(crate) struct ResolvedTree {
    /// Root first.
    nodes: Vec<Resolved>,
    /// Each leaf's prediction, `width` numbers per leaf.
    leaf_values: Vec<f64>,
    width: usize,
}

/// A node of a tree with some splits resolved: a split on a varying input
/// (children are indices among the resolved nodes), or a leaf.
struct Resolved {
    /// Feature tested, or [`algorithm::LEAF`].
    feature: u32,
    threshold: f64,
    left: u32,
    right: u32,
    /// For a leaf, its index among the leaf predictions.
    leaf: u32,
}

impl ResolvedTree {
    /// `tree` with the splits on the inputs `held` gives a value resolved.
    pub(crate) fn of(tree: &(impl Splits + ?Sized), held: &[Option<f32>]) -> ResolvedTree {
        let width = tree.value_width();
        let mut nodes: Vec<Resolved> = Vec::new();
        let mut leaf_values: Vec<f64> = Vec::new();
        // (original node, the new node whose left or right child it becomes)
        let mut stack: Vec<(usize, Option<(usize, bool)>)> = vec![(0, None)];
        while let Some((mut id, parent)) = stack.pop() {
            while let Some(v) = tree.split(id).and_then(|(f, ..)| held.get(f as usize).copied().flatten()) {
                id = tree.child(id, v);
            }
            let at = nodes.len();
            match parent {
                Some((p, false)) => nodes[p].left = at as u32,
                Some((p, true)) => nodes[p].right = at as u32,
                None => {}
            }
            let node = match tree.split(id) {
                Some((feature, threshold, left, right)) => {
                    stack.push((right as usize, Some((at, true))));
                    stack.push((left as usize, Some((at, false))));
                    Resolved { feature, threshold, left: 0, right: 0, leaf: 0 }
                }
                None => {
                    let leaf = (leaf_values.len() / width.max(1)) as u32;
                    let start = leaf_values.len();
                    leaf_values.resize(start + width, 0.0);
                    tree.add_leaf(id, &mut leaf_values[start..]);
                    Resolved { feature: algorithm::LEAF, threshold: 0.0, left: 0, right: 0, leaf }
                }
            };
            nodes.push(node);
        }
        ResolvedTree { nodes, leaf_values, width }
    }

    /// Adds the tree's prediction for every cell of `grid` (the rows of `x`)
    /// to `sums` (row-major, `width` numbers per row), rectangle by
    /// rectangle: every other input is held, so each split left cuts a span
    /// of grid columns or rows in two.
    pub(crate) fn paint(&self, grid: &Grid, x: &FeatureMatrix, sums: &mut [f64]) {
        let width = self.width;
        // (resolved node, columns, rows) still to cut.
        let mut stack = vec![(0usize, (0, grid.side), (0, grid.side))];
        while let Some((id, cols, rows)) = stack.pop() {
            if cols.0 >= cols.1 || rows.0 >= rows.1 {
                continue;
            }
            let node = &self.nodes[id];
            if node.feature == algorithm::LEAF {
                let value = &self.leaf_values[node.leaf as usize * width..(node.leaf as usize + 1) * width];
                for r in rows.0..rows.1 {
                    let start = (r * grid.side + cols.0) * width;
                    let end = (r * grid.side + cols.1) * width;
                    for out in sums[start..end].chunks_mut(width) {
                        out.iter_mut().zip(value).for_each(|(o, v)| *o += v);
                    }
                }
                continue;
            }
            let (lo, hi) = grid.at_most(x, node.feature as usize, node.threshold);
            // The part of the span on the "≤" side goes left, the rest right.
            let split = |span: (usize, usize)| {
                let yes = (span.0.max(lo), span.1.min(hi));
                let no = if lo == 0 { (span.0.max(hi), span.1) } else { (span.0, span.1.min(lo)) };
                (yes, no)
            };
            if node.feature as usize == grid.down {
                let (yes, no) = split(rows);
                stack.push((node.left as usize, cols, yes));
                stack.push((node.right as usize, cols, no));
            } else {
                let (yes, no) = split(cols);
                stack.push((node.left as usize, yes, rows));
                stack.push((node.right as usize, no, rows));
            }
        }
    }

    /// Adds the tree's prediction for row `row` of `x` to `out`.
    fn add_prediction(&self, x: &FeatureMatrix, row: usize, out: &mut [f64]) {
        let nodes = &self.nodes;
        let mut id = 0;
        while nodes[id].feature != algorithm::LEAF {
            let node = &nodes[id];
            id = if x.column(node.feature as usize)[row] as f64 <= node.threshold { node.left } else { node.right } as usize;
        }
        let start = nodes[id].leaf as usize * self.width;
        out.iter_mut().zip(&self.leaf_values[start..start + self.width]).for_each(|(o, v)| *o += v);
    }
}

/// One node of a tree as [`Op::Trees`] stores it; children are ids within
/// the node's own tree. Every tree-based model (a tree, a forest, boosting)
/// describes its trees in these terms, so they all share one walk.
pub(crate) enum FlatNode {
    /// Inputs with `x[feature] ≤ threshold` go to `left`, the others to `right`.
    Split { feature: u32, threshold: f64, left: u32, right: u32 },
    /// The numbers the leaf adds to the answer (as many as the answer's width).
    Leaf(Vec<f64>),
}

/// `trees` (each a list of [`FlatNode`]s, its root first) as one
/// [`Op::Trees`] over the inputs `inputs..` adding `width` numbers per leaf
/// into `dst..dst + width`, in the trees' order.
pub(crate) fn lower_flat_trees(
    trees: impl IntoIterator<Item = Vec<FlatNode>>,
    width: usize,
    b: &mut Builder,
    inputs: Reg,
    dst: Reg,
) {
    let (mut roots, mut feature, mut threshold, mut left, mut right, mut values) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for tree in trees {
        let base = feature.len() as u32;
        roots.push(base);
        for node in tree {
            match node {
                FlatNode::Leaf(leaf) => {
                    feature.push(LEAF);
                    threshold.push(0.0);
                    left.push((values.len() / width.max(1)) as u32);
                    right.push(0);
                    values.extend(leaf);
                }
                FlatNode::Split { feature: f, threshold: t, left: l, right: r } => {
                    feature.push(f);
                    threshold.push(t);
                    left.push(base + l);
                    right.push(base + r);
                }
            }
        }
    }
    let op = Op::Trees {
        src: inputs,
        dst,
        width,
        roots: b.constant("roots", Data::Index(roots)),
        feature: b.constant("feature", Data::Index(feature)),
        threshold: b.parameter("threshold", threshold, Role::Thresholds),
        left: b.constant("left", Data::Index(left)),
        right: b.constant("right", Data::Index(right)),
        values: b.parameter("leaf_values", values, Role::Leaves),
    };
    b.push(op);
}

/// `trees` as one [`Op::Trees`] over the inputs `inputs..`, summing their
/// leaf values (as [`DecisionTree::add_prediction`]) into fresh registers; the first.
pub(crate) fn lower_trees(trees: &[DecisionTree], b: &mut Builder, inputs: Reg) -> Reg {
    let width = trees.first().map_or(1, |t| t.grown.value_width);
    let flat = trees.iter().map(|tree| {
        (tree.grown.nodes.iter().enumerate())
            .map(|(id, node)| {
                if node.is_leaf() {
                    let mut leaf = vec![0.0; width];
                    tree.add_leaf(id, &mut leaf);
                    FlatNode::Leaf(leaf)
                } else {
                    FlatNode::Split { feature: node.feature, threshold: node.threshold, left: node.left, right: node.right }
                }
            })
            .collect()
    });
    let dst = b.regs(width);
    lower_flat_trees(flat, width, b, inputs, dst);
    dst
}

impl FittedModel for DecisionTree {
    fn lower(&self, b: &mut Builder, inputs: Reg) -> Result<Reg, NotLowered> {
        Ok(lower_trees(std::slice::from_ref(self), b, inputs))
    }

    fn predict(&self, x: &FeatureMatrix) -> Result<Predictions, PredictError> {
        if x.n_cols() != self.n_features {
            return Err(PredictError::FeatureCount { expected: self.n_features, found: x.n_cols() });
        }
        let width = self.grown.value_width;
        let mut sums = vec![0.0; x.n_rows() * width];
        self.walker(&Shape::of(x)).add_all(x, &mut sums);
        Ok(match self.task {
            Task::Classification => {
                Predictions::Classes { proba: sums.iter().map(|&v| v as f32).collect(), n_classes: width }
            }
            _ => Predictions::Values(sums),
        })
    }

    fn explain(&self, features: &[FeatureInfo], target: &Target, target_name: &str) -> Explanation {
        Explanation {
            views: {
                let tree = self.view(features, target, target_name);
                let leaves = tree.leaves_view();
                vec![ModelView::Tree(tree), ModelView::Leaves(leaves)]
            },
            feature_importance: Some(self.grown.importances.clone()),
            importance_measure: "impurity decrease",
        }
    }

    /// Per split: feature and threshold; per leaf: its stored value(s).
    fn n_parameters(&self) -> usize {
        let nodes = &self.grown.nodes;
        let leaves = nodes.iter().filter(|n| n.is_leaf()).count();
        2 * (nodes.len() - leaves) + leaves * self.grown.value_width
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Plain vectors and numbers always serialize; an empty result would only
        // understate the size, never stop the page.
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;

impl crate::model::Stored for DecisionTree {
    fn check_stored(&self) -> Result<(), crate::model::LoadError> {
        self.grown.check(self.n_features)
    }
}
