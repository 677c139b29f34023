//! Where a tree puts the training rows: each leaf's size and what it holds,
//! left to right as in the diagram. A deep tree's many tiny leaves (overfitting
//! made visible) read at a glance here, where the diagram needs scrolling.

use serde::{Deserialize, Serialize};

use super::{NodeValue, TreeView};

/// Most leaves drawn; past this the largest are kept, in diagram order.
pub const MAX_LEAVES: usize = 40;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeavesView {
    pub title: String,
    /// Class names in class order (empty for regression).
    pub class_names: Vec<String>,
    pub target_name: String,
    /// Smallest and largest training target (regression), for the bars' colors.
    pub target_range: (f64, f64),
    /// Leaves left to right as in the diagram.
    pub leaves: Vec<LeafView>,
    /// Leaves left out (the smallest), when there are more than [`MAX_LEAVES`].
    pub hidden: usize,
    /// Every leaf of the tree.
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeafView {
    pub n_samples: usize,
    pub value: NodeValue,
    pub depth: usize,
}

impl TreeView {
    /// The leaves reachable from the root, left to right (never looping on a
    /// malformed view).
    pub fn leaves_view(&self) -> LeavesView {
        let mut leaves = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![0usize];
        while let Some(id) = stack.pop() {
            let Some(node) = self.nodes.get(id) else { continue };
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            match &node.split {
                // Right first, so the left subtree comes out first.
                Some(split) => stack.extend([split.right, split.left]),
                None => leaves.push(LeafView { n_samples: node.n_samples, value: node.value.clone(), depth: node.depth }),
            }
        }
        let total = leaves.len();
        if total > MAX_LEAVES {
            let mut by_size: Vec<usize> = (0..total).collect();
            crate::base::sort_with(&mut by_size, &|&a, &b| leaves[b].n_samples.cmp(&leaves[a].n_samples));
            let mut keep = vec![false; total];
            by_size[..MAX_LEAVES].iter().for_each(|&i| keep[i] = true);
            leaves = leaves.into_iter().zip(keep).filter_map(|(l, k)| k.then_some(l)).collect();
        }
        LeavesView {
            title: format!("Where the training rows end up ({total} leaves, left to right)"),
            class_names: self.class_names.clone(),
            target_name: self.target_name.clone(),
            target_range: self.target_range,
            hidden: total - leaves.len(),
            leaves,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::SplitRule;
    use crate::model::view::{SplitView, TreeNodeView};

    fn node(split: Option<(usize, usize)>, n: usize, depth: usize) -> TreeNodeView {
        TreeNodeView {
            split: split.map(|(left, right)| SplitView {
                feature: "x".into(),
                rule: SplitRule::AtMost { threshold: 0.5 },
                left,
                right,
            }),
            n_samples: n,
            value: NodeValue::Classes { counts: vec![n as f64, 0.0] },
            depth,
        }
    }

    #[test]
    fn leaves_come_left_to_right_and_the_smallest_give_way() {
        // root → (1: leaf 30), (2 → 3: leaf 50, 4: leaf 20)
        let tree = TreeView {
            nodes: vec![
                node(Some((1, 2)), 100, 0),
                node(None, 30, 1),
                node(Some((3, 4)), 70, 1),
                node(None, 50, 2),
                node(None, 20, 2),
            ],
            class_names: vec!["a".into(), "b".into()],
            target_name: "y".into(),
            target_range: (0.0, 0.0),
        };
        let v = tree.leaves_view();
        assert_eq!(v.leaves.iter().map(|l| l.n_samples).collect::<Vec<_>>(), vec![30, 50, 20]);
        assert_eq!((v.hidden, v.total), (0, 3));
        // A chain with 60 leaves of sizes 1..=60: the 40 largest stay, in order.
        let mut nodes = Vec::new();
        for i in 0..60 {
            nodes.push(node(Some((2 * i + 1, 2 * i + 2)), 0, i));
            nodes.push(node(None, i + 1, i + 1));
        }
        nodes.push(node(None, 0, 60));
        let v = TreeView { nodes, ..tree }.leaves_view();
        assert_eq!((v.total, v.hidden, v.leaves.len()), (61, 21, MAX_LEAVES));
        assert_eq!(v.leaves.first().map(|l| l.n_samples), Some(21));
        assert_eq!(v.leaves.last().map(|l| l.n_samples), Some(60));
    }
}
