//! Where each node of a tree diagram goes, independent of any drawing backend.
//!
//! A tidy layout: leaves take consecutive slots left to right, each parent is centered
//! over its two children, one row per depth. Two nodes on a row never share a slot, so
//! boxes narrower than a slot never overlap and edges never cross. Deep trees are cut at
//! the deepest depth that keeps the diagram at most so many slots wide ([`MAX_SLOTS`],
//! or what fits the page's card); the cut nodes are shown as stand-ins ("folded"
//! branches) for their hidden subtrees, and the ones the person opened are drawn open.

use crate::model::view::TreeView;

/// Width of a node box, CSS px.
pub(crate) const NODE_WIDTH: f64 = 146.0;
/// Horizontal pitch of leaf slots, CSS px (box plus gap).
pub(crate) const SLOT: f64 = 156.0;
/// Most leaf slots drawn: 180 slots stay under 30,000 px wide, which browsers still
/// accept as a canvas side, so even a person who opens every fold gets a drawing.
pub(crate) const MAX_SLOTS: usize = 180;

/// What a laid-out node shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A split drawn with its children (indices into [`TreeLayout::nodes`]).
    Split {
        left: usize,
        right: usize,
    },
    Leaf,
    /// A split whose subtree is not drawn (folded); `hidden` nodes lie below it.
    Collapsed {
        hidden: usize,
    },
}

/// A node with its place in the diagram.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Placed {
    /// Index into `TreeView::nodes`.
    pub node: usize,
    /// Row, 0 for the root.
    pub depth: usize,
    /// Horizontal center, in slots (the first leaf is at 0.5).
    pub center: f64,
    pub shape: Shape,
}

/// The whole placement, nodes in preorder (root first, left subtrees before right).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TreeLayout {
    pub nodes: Vec<Placed>,
    /// Leaf slots used: the diagram's width in slots.
    pub slots: usize,
    /// Deepest row drawn.
    pub shown_depth: usize,
    /// Deepest row of the whole tree.
    pub full_depth: usize,
    /// Only a path's nodes are expanded (see [`spine_layout`]).
    pub path_only: bool,
    /// Nodes reachable from the root (drawn or hidden).
    pub total_nodes: usize,
    /// Leaves of the whole tree (drawn or hidden).
    pub total_leaves: usize,
}

impl TreeLayout {
    /// Branches drawn folded to leave room (not counting those off a traced path).
    pub fn folded(&self) -> usize {
        if self.path_only {
            0
        } else {
            self.nodes.iter().filter(|n| matches!(n.shape, Shape::Collapsed { .. })).count()
        }
    }

    /// Rows drawn.
    pub fn rows(&self) -> usize {
        if self.nodes.is_empty() {
            0
        } else {
            self.shown_depth + 1
        }
    }

    /// Width of the node boxes' extent, CSS px (no margins).
    pub fn width(&self) -> f64 {
        if self.slots == 0 {
            0.0
        } else {
            self.slots as f64 * SLOT - (SLOT - NODE_WIDTH)
        }
    }

    /// Left edge of node `i`'s box, CSS px from the left of the extent.
    pub fn box_left(&self, i: usize) -> f64 {
        self.nodes[i].center * SLOT - SLOT / 2.0
    }
}

/// A node reached from the root, in preorder.
struct Visit {
    node: usize,
    depth: usize,
    /// Positions (in the preorder list) of the two children, when the node is a usable split.
    children: Option<(usize, usize)>,
}

/// Lays out `view`, cut where it would exceed [`MAX_SLOTS`] or `max_depth`. Never
/// panics on malformed views: a child index out of range, a node reached twice (a
/// cycle or shared child) or a split pointing at itself makes that node a leaf, and
/// nodes unreachable from the root are left out.
pub(crate) fn layout(view: &TreeView, max_depth: usize) -> TreeLayout {
    cut_layout(view, max_depth, MAX_SLOTS, &[])
}

/// Lays out `view` cut at the deepest depth (at most `max_depth`) that takes at
/// most `max_slots` slots, then opens the folded branches with the most rows one
/// by one while the slots last (each opening takes one more). The splits in
/// `open` (node indices of the view: opened by the person, or on a traced path)
/// show their children all the same, so the diagram may then be wider.
pub(crate) fn cut_layout(view: &TreeView, max_depth: usize, max_slots: usize, open: &[usize]) -> TreeLayout {
    let visits = walk(view);
    if visits.is_empty() {
        return TreeLayout::default();
    }
    let full_depth = visits.iter().map(|v| v.depth).max().unwrap_or(0);
    let cut = deepest_fitting_depth(&visits, full_depth, max_slots).min(max_depth);
    let mut is_open = vec![false; view.nodes.len()];
    for &node in open {
        if let Some(flag) = is_open.get_mut(node) {
            *flag = true;
        }
    }
    loop {
        let laid = place(&visits, full_depth, false, |v| v.depth < cut || is_open[v.node]);
        let biggest = laid
            .nodes
            .iter()
            .filter(|n| matches!(n.shape, Shape::Collapsed { .. }) && n.depth < max_depth)
            .max_by_key(|n| (view.nodes[n.node].n_samples, std::cmp::Reverse(n.node)));
        match biggest {
            Some(n) if laid.slots < max_slots => is_open[n.node] = true,
            _ => return laid,
        }
    }
}

/// Lays out only the nodes on `path` (root first) with their children: every
/// branch off the path is folded into a stand-in, so a path through a tree of
/// any size reads in one screen.
pub(crate) fn spine_layout(view: &TreeView, path: &[usize]) -> TreeLayout {
    let visits = walk(view);
    if visits.is_empty() {
        return TreeLayout::default();
    }
    let full_depth = visits.iter().map(|v| v.depth).max().unwrap_or(0);
    place(&visits, full_depth, true, |v| path.contains(&v.node))
}

/// Places the nodes reachable through expanded splits: `expand` says which
/// splits show their children; the others become stand-ins for their subtrees.
fn place(visits: &[Visit], full_depth: usize, path_only: bool, expand: impl Fn(&Visit) -> bool) -> TreeLayout {
    // Nodes below each visit, from the end of the preorder so children come first.
    let mut below = vec![0usize; visits.len()];
    for i in (0..visits.len()).rev() {
        if let Some((l, r)) = visits[i].children {
            below[i] = 2 + below[l] + below[r];
        }
    }
    // A node is kept when it is the root or its parent is expanded; the
    // preorder of what remains is the preorder of the cut tree.
    let mut kept_flag = vec![false; visits.len()];
    kept_flag[0] = true;
    for (i, v) in visits.iter().enumerate() {
        if let Some((l, r)) = v.children.filter(|_| kept_flag[i] && expand(v)) {
            kept_flag[l] = true;
            kept_flag[r] = true;
        }
    }
    let mut placed_index = vec![usize::MAX; visits.len()];
    let kept: Vec<usize> = (0..visits.len()).filter(|&i| kept_flag[i]).collect();
    for (p, &i) in kept.iter().enumerate() {
        placed_index[i] = p;
    }
    let mut nodes: Vec<Placed> = kept
        .iter()
        .map(|&i| {
            let v = &visits[i];
            let shape = match v.children {
                Some((l, r)) if expand(v) => Shape::Split { left: placed_index[l], right: placed_index[r] },
                Some(_) => Shape::Collapsed { hidden: below[i] },
                None => Shape::Leaf,
            };
            Placed { node: v.node, depth: v.depth, center: 0.0, shape }
        })
        .collect();

    // Leaves (and stand-ins) take slots in preorder, i.e. left to right...
    let mut slots = 0;
    for n in nodes.iter_mut().filter(|n| !matches!(n.shape, Shape::Split { .. })) {
        n.center = slots as f64 + 0.5;
        slots += 1;
    }
    // ...and parents, visited after their children, sit centered over them.
    for i in (0..nodes.len()).rev() {
        if let Shape::Split { left, right } = nodes[i].shape {
            nodes[i].center = (nodes[left].center + nodes[right].center) / 2.0;
        }
    }

    TreeLayout {
        shown_depth: nodes.iter().map(|n| n.depth).max().unwrap_or(0),
        nodes,
        slots,
        full_depth,
        path_only,
        total_nodes: visits.len(),
        total_leaves: visits.iter().filter(|v| v.children.is_none()).count(),
    }
}

/// A node waiting on the walk's stack.
struct Pending {
    node: usize,
    depth: usize,
    /// Preorder position of the parent, and whether this is its right child.
    parent: Option<(usize, bool)>,
}

/// Preorder walk from node 0 with an explicit stack (deep trees must not overflow the call stack).
fn walk(view: &TreeView) -> Vec<Visit> {
    let n = view.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let mut claimed = vec![false; n];
    claimed[0] = true;
    let mut visits: Vec<Visit> = Vec::with_capacity(n);
    let mut stack = vec![Pending { node: 0, depth: 0, parent: None }];
    while let Some(Pending { node, depth, parent }) = stack.pop() {
        let position = visits.len();
        if let Some((p, is_right)) = parent {
            let children = visits[p].children.get_or_insert((usize::MAX, usize::MAX));
            if is_right {
                children.1 = position
            } else {
                children.0 = position
            }
        }
        visits.push(Visit { node, depth, children: None });
        let Some(split) = &view.nodes[node].split else { continue };
        let (l, r) = (split.left, split.right);
        if l < n && r < n && l != r && !claimed[l] && !claimed[r] {
            claimed[l] = true;
            claimed[r] = true;
            // Right pushed first so the left subtree is walked (and numbered) first.
            stack.push(Pending { node: r, depth: depth + 1, parent: Some((position, true)) });
            stack.push(Pending { node: l, depth: depth + 1, parent: Some((position, false)) });
        }
    }
    visits
}

/// The deepest depth at which the cut tree needs at most `max_slots` slots: every leaf
/// down to that depth plus every split on it (each becomes a stand-in).
fn deepest_fitting_depth(visits: &[Visit], full_depth: usize, max_slots: usize) -> usize {
    let mut leaves = vec![0usize; full_depth + 1];
    let mut splits = vec![0usize; full_depth + 1];
    for v in visits {
        if v.children.is_some() {
            splits[v.depth] += 1
        } else {
            leaves[v.depth] += 1
        }
    }
    let mut leaves_so_far = 0;
    let mut best = 0;
    for d in 0..=full_depth {
        leaves_so_far += leaves[d];
        if leaves_so_far + splits[d] <= max_slots {
            best = d;
        }
    }
    best
}

#[cfg(test)]
pub(crate) mod tests;
