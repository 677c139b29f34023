use super::*;
use crate::base::SplitRule;
use crate::model::view::{NodeValue, SplitView, TreeNodeView};

fn leaf(depth: usize) -> TreeNodeView {
    TreeNodeView { split: None, n_samples: 10, value: NodeValue::Mean { mean: 1.0 }, depth }
}

fn split(depth: usize, left: usize, right: usize) -> TreeNodeView {
    let split = SplitView { feature: "x".into(), rule: SplitRule::AtMost { threshold: 0.5 }, left, right };
    TreeNodeView { split: Some(split), ..leaf(depth) }
}

fn layout_all(view: &TreeView) -> TreeLayout {
    layout(view, usize::MAX)
}

#[test]
fn a_depth_limit_cuts_the_tree_there() {
    let l = layout(&view(full_tree(5)), 2);
    assert_eq!((l.shown_depth, l.full_depth, l.slots), (2, 5, 4));
    assert_eq!(l.nodes.iter().filter(|n| n.shape == Shape::Collapsed { hidden: 14 }).count(), 4);
}

fn view(nodes: Vec<TreeNodeView>) -> TreeView {
    TreeView { nodes, class_names: vec![], target_name: "y".into(), target_range: (0.0, 1.0) }
}

/// A complete binary tree of the given depth, built breadth first.
pub(crate) fn full_tree(depth: usize) -> Vec<TreeNodeView> {
    let count = (1usize << (depth + 1)) - 1;
    (0..count)
        .map(|i| {
            let d = (usize::BITS - 1 - (i + 1).leading_zeros()) as usize;
            if d < depth {
                split(d, 2 * i + 1, 2 * i + 2)
            } else {
                leaf(d)
            }
        })
        .collect()
}

#[test]
fn three_levels_centered_in_order_and_apart() {
    // root(0) → a(1), b(2); a → leaf 3, leaf 4; b → c(5), leaf 6; c → leaf 7, leaf 8
    let nodes =
        vec![split(0, 1, 2), split(1, 3, 4), split(1, 5, 6), leaf(2), leaf(2), split(2, 7, 8), leaf(2), leaf(3), leaf(3)];
    let l = layout_all(&view(nodes));
    assert_eq!(l.folded(), 0);
    assert_eq!((l.slots, l.rows(), l.total_nodes, l.total_leaves), (5, 4, 9, 5));
    // Leaves in preorder get consecutive slots left to right.
    let leaves: Vec<(usize, f64)> = l.nodes.iter().filter(|n| n.shape == Shape::Leaf).map(|n| (n.node, n.center)).collect();
    assert_eq!(leaves, vec![(3, 0.5), (4, 1.5), (7, 2.5), (8, 3.5), (6, 4.5)]);
    // Parents centered over their children.
    for n in &l.nodes {
        if let Shape::Split { left, right } = n.shape {
            assert_eq!(n.center, (l.nodes[left].center + l.nodes[right].center) / 2.0);
            assert_eq!((l.nodes[left].depth, l.nodes[right].depth), (n.depth + 1, n.depth + 1));
        }
    }
    // No two boxes on a row overlap.
    for a in 0..l.nodes.len() {
        for b in a + 1..l.nodes.len() {
            if l.nodes[a].depth == l.nodes[b].depth {
                let (la, lb) = (l.box_left(a), l.box_left(b));
                assert!((la - lb).abs() >= NODE_WIDTH, "nodes {a} and {b} overlap");
            }
        }
    }
    assert_eq!(l.width(), 5.0 * SLOT - (SLOT - NODE_WIDTH));
}

#[test]
fn deep_trees_collapse_to_at_most_the_cap() {
    let l = layout_all(&view(full_tree(12)));
    // Depth 7 has 128 nodes (fits), depth 8 has 256 (does not); the 52 slots
    // left open 52 of the depth-7 branches, leftmost first (all hold as many rows).
    assert_eq!((l.shown_depth, l.full_depth, l.slots), (8, 12, MAX_SLOTS));
    let stand_ins: Vec<&Placed> = l.nodes.iter().filter(|n| matches!(n.shape, Shape::Collapsed { .. })).collect();
    assert_eq!((stand_ins.len(), l.folded()), (MAX_SLOTS, MAX_SLOTS));
    // Each depth-8 node has a full subtree of depth 4 below: 2^5 - 2 nodes.
    assert_eq!((stand_ins[0].depth, stand_ins[0].shape), (8, Shape::Collapsed { hidden: 30 }));
    assert_eq!(l.total_nodes, (1 << 13) - 1);
    assert!(l.width() + 2.0 * 16.0 <= 30_000.0);

    let l = layout_all(&view(full_tree(6)));
    assert_eq!(l.folded(), 0);
    assert_eq!(l.slots, 64);
}

#[test]
fn the_spine_shows_the_path_and_folds_the_rest() {
    // Depth 4 full tree; the path 0 → 2 → 5 → 12 → 25 (rightmost then left turns).
    let l = spine_layout(&view(full_tree(4)), &[0, 2, 5, 12, 25]);
    assert!(l.path_only && l.folded() == 0);
    // Each of the 4 splits on the path shows both children: 1 + 2·4 nodes.
    assert_eq!(l.nodes.len(), 9);
    let expanded: Vec<usize> = l.nodes.iter().filter(|n| matches!(n.shape, Shape::Split { .. })).map(|n| n.node).collect();
    assert_eq!(expanded, vec![0, 2, 5, 12]);
    // Node 1's subtree (depth 1 of a depth-4 tree) folds 14 nodes.
    assert!(l.nodes.iter().any(|n| n.node == 1 && n.shape == Shape::Collapsed { hidden: 14 }));
    assert_eq!((l.slots, l.shown_depth), (5, 4));
}

#[test]
fn malformed_trees_do_not_panic() {
    assert_eq!(layout_all(&view(vec![])), TreeLayout::default());
    // A cycle back to the root, a child out of range, a split onto itself.
    let l = layout_all(&view(vec![split(0, 1, 2), split(1, 0, 2), split(1, 9, 9)]));
    assert_eq!(l.nodes.len(), 3);
    assert!(l.nodes[1..].iter().all(|n| n.shape == Shape::Leaf));
    // A chain 10,000 deep (each split: a leaf left, the next split right) is walked
    // without recursion, and cut to fit.
    let nodes: Vec<TreeNodeView> = (0..=20_000)
        .map(|i| if i % 2 == 0 && i < 20_000 { split(i / 2, i + 1, i + 2) } else { leaf(i.div_ceil(2)) })
        .collect();
    let l = layout_all(&view(nodes));
    assert_eq!((l.slots, l.shown_depth, l.full_depth), (MAX_SLOTS, MAX_SLOTS - 1, 10_000));
}

#[test]
fn a_slot_budget_folds_the_deepest_rows_and_opened_splits_show_their_children() {
    // Depth 3 of a full depth-5 tree is 8 splits: 8 slots fit a budget of 10, 16 do not;
    // the two spare slots open the two branches with the most rows (here: all alike,
    // so the first two).
    let l = cut_layout(&view(full_tree(5)), usize::MAX, 10, &[]);
    assert_eq!((l.slots, l.shown_depth, l.folded()), (10, 4, 10));
    let opened: Vec<usize> =
        l.nodes.iter().filter(|n| n.depth == 3 && matches!(n.shape, Shape::Split { .. })).map(|n| n.node).collect();
    assert_eq!(opened, vec![7, 8]);
    // A split the person opened draws its two children, even past the budget.
    let l = cut_layout(&view(full_tree(5)), usize::MAX, 8, &[14]);
    assert_eq!((l.slots, l.shown_depth, l.folded()), (9, 4, 9));
    assert!(l.nodes.iter().any(|n| n.node == 14 && matches!(n.shape, Shape::Split { .. })));
}
