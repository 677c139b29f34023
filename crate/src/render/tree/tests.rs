use super::super::tree_layout::SLOT;
use super::*;
use crate::base::SplitRule;
use crate::model::view::TreeNodeView;

fn node(split: Option<SplitView>, n_samples: usize, value: NodeValue, depth: usize) -> TreeNodeView {
    TreeNodeView { split, n_samples, value, depth }
}

fn at_most(feature: &str, threshold: f64, left: usize, right: usize) -> Option<SplitView> {
    Some(SplitView { feature: feature.into(), rule: SplitRule::AtMost { threshold }, left, right })
}

/// An iris tree with 7 nodes, as scikit-learn grows it at depth 2 (plus one more split).
fn iris_tree() -> TreeView {
    let c = |counts: [f64; 3]| NodeValue::Classes { counts: counts.to_vec() };
    TreeView {
        nodes: vec![
            node(at_most("petal_width", 0.8, 1, 2), 120, c([40.0, 41.0, 39.0]), 0),
            node(None, 40, c([40.0, 0.0, 0.0]), 1),
            node(at_most("petal_width", 1.75, 3, 4), 80, c([0.0, 41.0, 39.0]), 1),
            node(at_most("petal_length", 4.95, 5, 6), 44, c([0.0, 40.0, 4.0]), 2),
            node(None, 36, c([0.0, 1.0, 35.0]), 2),
            node(None, 39, c([0.0, 38.0, 1.0]), 3),
            node(None, 5, c([0.0, 2.0, 3.0]), 3),
        ],
        class_names: vec!["setosa".into(), "versicolor".into(), "virginica".into()],
        target_name: "species".into(),
        target_range: (0.0, 0.0),
    }
}

#[test]
fn size_grows_with_leaves_and_scale() {
    let theme = Theme::default();
    let (w, h) = tree_size(&iris_tree(), &theme, TreeFocus::default());
    assert_eq!(w as f64, 4.0 * SLOT - (SLOT - NODE_WIDTH) + 2.0 * MARGIN, "four leaves");
    let (w2, h2) = tree_size(&iris_tree(), &Theme::new(2.0), TreeFocus::default());
    assert_eq!((w2, h2), (2 * w, 2 * h));
    let mut wide = iris_tree();
    wide.nodes = super::super::tree_layout::tests::full_tree(6)
        .into_iter()
        .map(|n| TreeNodeView { value: NodeValue::Classes { counts: vec![1.0, 2.0] }, ..n })
        .collect();
    let (w, _) = tree_size(&wide, &theme, TreeFocus::default());
    assert_eq!(w as f64, 64.0 * SLOT - (SLOT - NODE_WIDTH) + 2.0 * MARGIN);
    let (w, h) = tree_size(&TreeView { nodes: vec![], ..iris_tree() }, &theme, TreeFocus::default());
    assert!(w == MIN_WIDTH as u32 && h > 0);
}

#[cfg(not(target_arch = "wasm32"))]
mod goldens {
    use super::*;
    use crate::render::golden::assert_golden;

    /// A small regression tree on a diabetes-like target, with a categorical and a boolean split.
    fn regression_tree() -> TreeView {
        let m = |mean: f64| NodeValue::Mean { mean };
        TreeView {
            nodes: vec![
                node(at_most("body_mass_index", 26.95, 1, 2), 1_353, m(152.13), 0),
                node(
                    Some(SplitView { feature: "smoker".into(), rule: SplitRule::IsFalse, left: 3, right: 4 }),
                    802,
                    m(118.4),
                    1,
                ),
                node(
                    Some(SplitView {
                        feature: "region".into(),
                        rule: SplitRule::IsNot { level: "north-east".into() },
                        left: 5,
                        right: 6,
                    }),
                    551,
                    m(201.2),
                    1,
                ),
                node(None, 610, m(96.7), 2),
                node(None, 192, m(187.3), 2),
                node(None, 402, m(214.9), 2),
                node(None, 149, m(164.2), 2),
            ],
            class_names: vec![],
            target_name: "disease progression after one year".into(),
            target_range: (25.0, 346.0),
        }
    }

    fn golden(name: &str, view: &TreeView, theme: Theme) {
        focused(name, view, theme, TreeFocus::default());
    }

    fn focused(name: &str, view: &TreeView, theme: Theme, focus: TreeFocus) {
        assert_golden(name, tree_size(view, &theme, focus), |area| draw_tree(area, view, &theme, focus));
    }

    #[test]
    fn traced_path_golden() {
        // petal_width 1.5 > 0.8, ≤ 1.75, petal_length 5.1 > 4.95: nodes 0, 2, 3, 6.
        let path = [0, 2, 3, 6];
        focused("tree_iris_path", &iris_tree(), Theme::default(), TreeFocus { path: &path, path_only: false });
        // A depth-6 tree (127 nodes) traced down its middle reads in one screen.
        let mut deep = iris_tree();
        deep.nodes = super::super::super::tree_layout::tests::full_tree(6)
            .into_iter()
            .enumerate()
            .map(|(i, n)| TreeNodeView { value: NodeValue::Classes { counts: vec![(i % 3) as f64, 2.0, 1.0] }, ..n })
            .collect();
        let path = [0, 2, 5, 12, 25, 52, 105];
        focused("tree_spine", &deep, Theme::default(), TreeFocus { path: &path, path_only: true });
    }

    #[test]
    fn iris_tree_golden() {
        golden("tree_iris", &iris_tree(), Theme::default());
    }

    #[test]
    fn iris_tree_hidpi_golden() {
        golden("tree_iris_2x", &iris_tree(), Theme::new(2.0));
    }

    #[test]
    fn regression_tree_golden() {
        golden("tree_regression", &regression_tree(), Theme::default());
    }

    #[test]
    fn empty_tree_golden() {
        golden("tree_empty", &TreeView { nodes: vec![], ..iris_tree() }, Theme::default());
    }
}
