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

/// A complete classification tree of `depth` (2^depth leaves), as a deep tree on a wide table grows.
fn full_classes(depth: usize) -> TreeView {
    let nodes = super::super::tree_layout::tests::full_tree(depth)
        .into_iter()
        .enumerate()
        .map(|(i, n)| TreeNodeView { value: NodeValue::Classes { counts: vec![(i % 3) as f64, 2.0, 1.0] }, ..n })
        .collect();
    TreeView { nodes, ..iris_tree() }
}

/// The card of the page at 1280 × 800, CSS px.
const CARD: f64 = 822.0;

#[test]
fn a_small_tree_opens_whole_and_shrunk_to_its_card() {
    // Seven leaves (penguins at depth 3) are wider than the card at full size.
    let mut view = full_classes(3);
    view.nodes[6].split = None;
    let scene = TreeScene::fitted(&view, TreeFocus::default(), CARD);
    assert_eq!(scene.plan.layout.folded(), 0, "nothing folded");
    let camera = scene.fit();
    assert!(camera.zoom < 1.0 && camera.zoom >= min_fit_zoom(), "{camera:?}");
    assert!(camera.zoom * size::SMALL >= MIN_FIT_TEXT);
    // The boxes lie inside the canvas, margins included.
    let right = camera.x + camera.zoom * scene.plan.layout.width();
    assert!(camera.x >= 0.0 && right <= CARD, "{camera:?} {right}");
    assert_eq!(scene.size(&Theme::new(2.0)).0, 2 * CARD as u32, "the canvas is the card's width");
    // A tree that fits is drawn at full size, not blown up.
    assert_eq!(TreeScene::fitted(&iris_tree(), TreeFocus::default(), CARD).fit().zoom, 1.0);
}

#[test]
fn a_deep_tree_folds_its_deepest_branches_to_fit_and_opens_them_on_request() {
    let view = full_classes(5);
    let scene = TreeScene::fitted(&view, TreeFocus::default(), CARD);
    let folded = scene.plan.layout.folded();
    assert!(folded > 0, "32 leaves cannot fit");
    assert!(scene.describe(&view).starts_with(&format!("Decision tree for species — {folded} branches folded. 63 nodes")));
    let camera = scene.fit();
    assert!(camera.zoom >= min_fit_zoom());
    assert!(camera.x >= 0.0 && camera.x + camera.zoom * scene.plan.layout.width() <= CARD);
    // A click on the middle of a folded box names it; opening it shows its children.
    let node = scene.plan.layout.nodes.iter().find(|n| matches!(n.shape, Shape::Collapsed { .. })).unwrap().node;
    let center = scene.node_center(camera, node).unwrap();
    assert_eq!(scene.folded_at(camera, center), Some(node));
    assert_eq!(scene.folded_at(camera, (1.0, 1.0)), None, "the title is no folded box");
    // The keyboard opens the shallowest folded branch first, and the words name the first question.
    let first = scene.first_folded().expect("a folded branch");
    let depth = |node: usize| scene.plan.layout.nodes.iter().find(|n| n.node == node).map(|n| n.depth);
    let shallowest =
        scene.plan.layout.nodes.iter().filter(|n| matches!(n.shape, Shape::Collapsed { .. })).map(|n| n.depth).min();
    assert_eq!(depth(first), shallowest);
    assert!(scene.describe(&view).contains(". First question: "), "{}", scene.describe(&view));
    let opened = [node];
    let wider = TreeScene::fitted(&view, TreeFocus { opened: &opened, ..TreeFocus::default() }, CARD);
    assert!(wider.plan.layout.nodes.iter().any(|n| n.node == node && matches!(n.shape, Shape::Split { .. })));
    // A traced path is never folded away.
    let path = [0, 2, 6, 14, 30, 62];
    let traced = TreeScene::fitted(&view, TreeFocus { path: &path, ..TreeFocus::default() }, CARD);
    assert!(path.iter().all(|&n| traced.plan.layout.nodes.iter().any(|p| p.node == n)));
}

#[test]
fn zoom_keeps_its_point_and_fit_restores_the_picture() {
    let scene = TreeScene::fitted(&full_classes(4), TreeFocus::default(), CARD);
    let fit = scene.fit();
    let about = (300.0, scene.header + 100.0);
    let zoomed = scene.zoom(fit, 1.5, about);
    assert!((zoomed.zoom - 1.5 * fit.zoom).abs() < 1e-9);
    // The point under the pointer stays under it.
    let before = ((about.0 - fit.x) / fit.zoom, (about.1 - scene.header - fit.y) / fit.zoom);
    let after = ((about.0 - zoomed.x) / zoomed.zoom, (about.1 - scene.header - zoomed.y) / zoomed.zoom);
    assert!((before.0 - after.0).abs() < 1e-6 && (before.1 - after.1).abs() < 1e-6, "{before:?} {after:?}");
    // Zooming back out lands on the fitted picture again; fit is fit.
    let back = scene.zoom(zoomed, 1.0 / 1.5, about);
    assert!((back.zoom - fit.zoom).abs() < 1e-9 && (back.x - fit.x).abs() < 1e-6);
    assert_eq!(scene.fit(), fit);
    // Zoom stays within bounds, and a pan cannot throw the tree off the canvas.
    assert_eq!(scene.zoom(fit, 1e9, about).zoom, MAX_ZOOM);
    assert_eq!(scene.zoom(fit, f64::NAN, about), fit);
    let far = scene.pan(zoomed, (1e6, -1e6));
    assert!(far.x <= zoomed.zoom * MARGIN + 1e-9, "{far:?}");
    assert!(far.x + far.zoom * scene.plan.layout.width() >= CARD - far.zoom * MARGIN - 1e-9);
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
        focused("tree_iris_path", &iris_tree(), Theme::default(), TreeFocus { path: &path, ..TreeFocus::default() });
        // A depth-6 tree (127 nodes) traced down its middle reads in one screen.
        let mut deep = iris_tree();
        deep.nodes = super::super::super::tree_layout::tests::full_tree(6)
            .into_iter()
            .enumerate()
            .map(|(i, n)| TreeNodeView { value: NodeValue::Classes { counts: vec![(i % 3) as f64, 2.0, 1.0] }, ..n })
            .collect();
        let path = [0, 2, 5, 12, 25, 52, 105];
        focused("tree_spine", &deep, Theme::default(), TreeFocus { path: &path, path_only: true, ..TreeFocus::default() });
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
    #[test]
    fn a_zoomed_scene_draws_its_title_whole_over_the_boxes() {
        use plotters::prelude::*;
        crate::render::golden::register_test_font();
        let view = full_classes(5);
        let scene = TreeScene::fitted(&view, TreeFocus::default(), CARD);
        let (w, h) = scene.size(&Theme::default());
        let mut pixels = vec![0u8; (w * h * 3) as usize];
        {
            let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
            let camera = scene.pan(scene.zoom(scene.fit(), 3.0, (400.0, 400.0)), (0.0, -500.0));
            draw_tree_scene(&area, &view, &Theme::default(), &scene, camera).unwrap();
        }
        // The title's row has ink from its left margin on, and nothing from the boxes
        // shows through the header band's blank left edge.
        let inked = |x: u32, y: u32| pixels[((y * w + x) * 3) as usize] < 128;
        let title_rows = MARGIN as u32..(MARGIN + 19.0) as u32;
        assert!(title_rows.clone().any(|y| (MARGIN as u32..MARGIN as u32 + 12).any(|x| inked(x, y))), "title drawn");
        assert!(title_rows.clone().all(|y| (0..MARGIN as u32 - 2).all(|x| !inked(x, y))), "nothing under the margin");
    }

    #[test]
    fn fitted_and_zoomed_goldens() {
        // A depth-5 tree opened in a 1280 × 800 page's card, then zoomed in on its left.
        let view = full_classes(5);
        let scene = TreeScene::fitted(&view, TreeFocus::default(), CARD);
        let theme = Theme::default();
        assert_golden("tree_fitted", scene.size(&theme), |area| draw_tree_scene(area, &view, &theme, &scene, scene.fit()));
        let camera = scene.zoom(scene.fit(), 2.0, (0.0, scene.header));
        assert_golden("tree_zoomed", scene.size(&theme), |area| draw_tree_scene(area, &view, &theme, &scene, camera));
    }
}
