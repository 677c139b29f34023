//! Worked examples whose splits were computed by hand (the arithmetic is in
//! the comments), plus the contract's edge cases.

use super::*;
use crate::base::{Encoding, NoProgress, SplitRule};
use crate::model::params::MaxDepth;
use crate::model::view::ModelView;
use crate::model::Dataset;
use crate::model::Fit;
use crate::model::ParamValue;

fn classes(a: &[f32], b: &[f32], y: &[u32]) -> Dataset {
    Dataset {
        x: FeatureMatrix::from_columns(a.len(), vec![a.to_vec(), b.to_vec()]),
        target: Target::Classes { y: y.to_vec(), names: vec!["no".into(), "yes".into()] },
        feature_names: vec!["a".into(), "b".into()],
    }
}

/// a = 1..6, b = 0 0 1 0 1 1, y = 0 0 0 1 1 0.
fn six_rows() -> Dataset {
    classes(&[1., 2., 3., 4., 5., 6.], &[0., 0., 1., 0., 1., 1.], &[0, 0, 0, 1, 1, 0])
}

fn params(depth: usize, min_leaf: usize) -> TreeParams {
    TreeParams {
        max_depth: MaxDepth::levels(depth),
        min_samples_leaf: min_leaf,
        ..TreeParams::default_for(Task::Classification)
    }
}

#[test]
fn gini_splits_match_the_hand_computation() {
    // Root gini = 1 - (4/6)² - (2/6)² = 0.444. Weighted child gini per threshold on a:
    // 1.5 → 0.400, 2.5 → 0.333, 3.5 → 0.222, 4.5 → 0.417, 5.5 → 0.400; on b (0.5) → 0.444.
    // So the root asks a ≤ 3.5. Its right child (a = 4, 5, 6; y = 1 1 0) is best split at
    // a ≤ 5.5 (weighted gini 0) rather than b ≤ 0.5 (0.333).
    let tree = params(2, 1).fit(&six_rows(), 0, &mut NoProgress).unwrap();
    let nodes = tree.nodes();
    assert_eq!(nodes.len(), 5);
    assert_eq!((nodes[0].feature, nodes[0].threshold), (0, 3.5));
    assert!((nodes[0].impurity - 4.0 / 9.0).abs() < 1e-12);
    let right = &nodes[nodes[0].right as usize];
    assert_eq!((right.feature, right.threshold, right.n_samples), (0, 5.5, 3));
    // Importance of a: root 6·4/9 − 3·0 − 3·4/9 = 4/3, right child 3·4/9 = 4/3; b never splits.
    assert_eq!(tree.importances(), &[1.0, 0.0]);
    let labels = tree.predict(&six_rows().x).unwrap().labels().unwrap();
    assert_eq!(labels, vec![0, 0, 0, 1, 1, 0]);
}

#[test]
fn min_rows_per_leaf_limits_the_splits() {
    // With at least 2 rows per leaf, the candidates are 2.5 (0.333), 3.5 (0.222) and
    // 4.5 (0.417): the root still asks a ≤ 3.5, and its 3-row children cannot split again.
    let tree = params(5, 2).fit(&six_rows(), 0, &mut NoProgress).unwrap();
    assert_eq!(tree.nodes().len(), 3);
    let p = tree.predict(&six_rows().x).unwrap();
    let Predictions::Classes { proba, n_classes: 2 } = p else { panic!("expected classes") };
    // The right leaf holds y = 1 1 0: P(yes) = 2/3.
    assert!((proba[2 * 5 + 1] - 2.0 / 3.0).abs() < 1e-6);
}

#[test]
fn entropy_picks_the_same_root_here() {
    // Weighted entropy (bits): 2.5 → 0.667, 3.5 → 0.459, 4.5 → 0.874.
    let p = TreeParams { criterion: Criterion::Entropy, ..params(1, 1) };
    let tree = p.fit(&six_rows(), 0, &mut NoProgress).unwrap();
    assert_eq!(tree.nodes()[0].threshold, 3.5);
    assert!((tree.nodes()[0].impurity - 0.918_295_834).abs() < 1e-6);
}

#[test]
fn regression_splits_on_the_smallest_squared_error() {
    // x = 1 2 3 4, y = 1 1 3 5. SSE of children: 1.5 → 8, 2.5 → 0 + 2 = 2, 3.5 → 2.667.
    let data = Dataset {
        x: FeatureMatrix::from_columns(4, vec![vec![1., 2., 3., 4.]]),
        target: Target::Values(vec![1., 1., 3., 5.]),
        feature_names: vec!["x".into()],
    };
    let p = TreeParams { max_depth: MaxDepth::levels(1), ..TreeParams::default_for(Task::Regression) };
    let tree = p.fit(&data, 0, &mut NoProgress).unwrap();
    assert_eq!(tree.nodes()[0].threshold, 2.5);
    assert_eq!(tree.predict(&data.x).unwrap(), Predictions::Values(vec![1., 1., 4., 4.]));
}

#[test]
fn the_view_states_splits_in_the_columns_terms() {
    let tree = params(2, 1).fit(&six_rows(), 0, &mut NoProgress).unwrap();
    let features = [
        FeatureInfo { column: "flipper_mm".into(), encoding: Encoding::Value },
        FeatureInfo { column: "island".into(), encoding: Encoding::Level("Dream".into()) },
    ];
    let data = six_rows();
    let ex = tree.explain(&features, &data.target, "species");
    let Some(ModelView::Tree(view)) = ex.views.into_iter().next() else { panic!("a tree view") };
    let root = view.nodes[0].split.as_ref().unwrap();
    assert_eq!(root.feature, "flipper_mm");
    assert_eq!(root.rule, SplitRule::AtMost { threshold: 3.5 });
    assert_eq!(view.nodes[0].value, NodeValue::Classes { counts: vec![4.0, 2.0] });
    assert_eq!(view.class_names, vec!["no", "yes"]);
}

#[test]
fn degenerate_inputs_give_typed_errors() {
    let one_class = classes(&[1., 2.], &[0., 1.], &[1, 1]);
    assert_eq!(params(3, 1).fit(&one_class, 0, &mut NoProgress), Err(FitError::OneClass("yes".into())));
    let empty = classes(&[], &[], &[]);
    assert_eq!(params(3, 1).fit(&empty, 0, &mut NoProgress), Err(FitError::NoRows));
    let nan = classes(&[1., f32::NAN], &[0., 1.], &[0, 1]);
    assert!(matches!(params(3, 1).fit(&nan, 0, &mut NoProgress), Err(FitError::NonFinite { row: 2, .. })));
    let no_features = Dataset { x: FeatureMatrix::from_columns(2, vec![]), ..classes(&[1., 2.], &[0., 1.], &[0, 1]) };
    assert_eq!(params(3, 1).fit(&no_features, 0, &mut NoProgress), Err(FitError::NoFeatures));
    let tree = params(3, 1).fit(&six_rows(), 0, &mut NoProgress).unwrap();
    let wrong = FeatureMatrix::from_columns(1, vec![vec![1.0]]);
    assert_eq!(tree.predict(&wrong), Err(PredictError::FeatureCount { expected: 2, found: 1 }));
}

#[test]
fn constant_features_give_a_single_leaf() {
    let data = classes(&[1., 1., 1.], &[2., 2., 2.], &[0, 1, 0]);
    let tree = params(3, 1).fit(&data, 0, &mut NoProgress).unwrap();
    assert_eq!(tree.nodes().len(), 1);
    assert_eq!(tree.importances(), &[0.0, 0.0]);
}

#[test]
fn settings_come_from_the_specs() {
    let values: ParamValues = [("max_depth".to_string(), ParamValue::Int(1))].into();
    let model = (SPEC.fit)(&values, &six_rows().as_view(), 0, &mut NoProgress).unwrap();
    let ex = model.explain(
        &[
            FeatureInfo { column: "a".into(), encoding: Encoding::Value },
            FeatureInfo { column: "b".into(), encoding: Encoding::Value },
        ],
        &six_rows().target,
        "y",
    );
    let Some(ModelView::Tree(view)) = ex.views.into_iter().next() else { panic!("a tree view") };
    assert_eq!(view.nodes.len(), 3);
    let bad: ParamValues = [("max_depth".to_string(), ParamValue::Int(21))].into();
    assert!(matches!((SPEC.fit)(&bad, &six_rows().as_view(), 0, &mut NoProgress), Err(FitError::InvalidParam { .. })));
    // 0 is no limit: the tree grows until its leaves are pure.
    let unlimited: ParamValues = [("max_depth".to_string(), ParamValue::Int(0))].into();
    let deep = (SPEC.fit)(&unlimited, &six_rows().as_view(), 0, &mut NoProgress).unwrap();
    let full = params(20, 1).fit(&six_rows(), 0, &mut NoProgress).unwrap();
    assert_eq!(deep.to_bytes(), full.to_bytes());
}

#[test]
fn settings_built_in_code_are_checked_before_fitting() {
    let no_leaf = TreeParams { min_samples_leaf: 0, ..params(3, 1) };
    let err = no_leaf.fit(&six_rows(), 0, &mut NoProgress).unwrap_err();
    assert_eq!(err.to_string(), "Setting 'min rows per leaf' is 0, but it must be at least 1.");
    let nan_alpha = TreeParams { ccp_alpha: f64::NAN, ..params(3, 1) };
    assert!(matches!(nan_alpha.fit(&six_rows(), 0, &mut NoProgress), Err(FitError::InvalidParam { .. })));
}

#[test]
fn progress_reaches_every_row() {
    struct Last(usize, usize);
    impl Progress for Last {
        fn report(&mut self, done: usize, total: usize, _: &str) {
            assert!(done <= total && done >= self.0);
            *self = Last(done, total);
        }
    }
    let mut last = Last(0, 0);
    params(3, 1).fit(&six_rows(), 0, &mut last).unwrap();
    assert_eq!((last.0, last.1), (6, 6));
}

mod weighted {
    use super::*;
    use crate::model::tree::algorithm::{grow, Features, Labels, Presorted, Sample, Unweighted};

    /// x = 1 2 3 4, y = 0 1 0 1, weights 2 1 0 3 (a bootstrap that drew row 3 never).
    fn drawn() -> (FeatureMatrix, Vec<u32>, Vec<u32>) {
        (FeatureMatrix::from_columns(4, vec![vec![1., 2., 3., 4.]]), vec![0, 1, 0, 1], vec![2, 1, 0, 3])
    }

    fn grow_drawn(min_leaf: usize) -> Grown {
        let (x, y, w) = drawn();
        let sample = Sample { labels: Labels::Classes { y: &y, n_classes: 2 }, weights: w.as_slice() };
        grow(Presorted::new(&x, None).resample(&w), sample, &params(5, min_leaf), Features::All, &mut NoProgress)
    }

    #[test]
    fn weights_count_in_the_class_counts() {
        // Rows kept: x=1 (class 0, ×2), x=2 (class 1, ×1), x=4 (class 1, ×3): counts [2, 4],
        // gini 1 − (2/6)² − (4/6)² = 4/9. Cutting at 1.5 leaves [2, 0] | [0, 4]: pure.
        let grown = grow_drawn(1);
        assert_eq!(grown.nodes.len(), 3);
        let root = &grown.nodes[0];
        assert_eq!((root.threshold, root.n_samples), (1.5, 6));
        assert!((root.impurity - 4.0 / 9.0).abs() < 1e-12);
        assert_eq!(&grown.values[..2], &[2.0, 4.0]);
        assert_eq!((grown.nodes[1].n_samples, grown.nodes[2].n_samples), (2, 4));
    }

    #[test]
    fn min_rows_per_leaf_counts_distinct_rows_as_scikit_learn_does() {
        // With 2 rows per leaf, 1.5 would leave one distinct row (weight 2) on the left
        // and 3.0 one distinct row (weight 3) on the right: no split is allowed.
        assert_eq!(grow_drawn(2).nodes.len(), 1);
    }

    #[test]
    fn a_resampled_presort_grows_the_tree_of_the_selected_rows() {
        let data = six_rows();
        let Target::Classes { y, .. } = &data.target else { unreachable!() };
        let keep = [1, 0, 1, 1, 0, 1];
        let sample = Sample { labels: Labels::Classes { y, n_classes: 2 }, weights: &keep[..] };
        let resampled =
            grow(Presorted::new(&data.x, None).resample(&keep), sample, &params(3, 1), Features::All, &mut NoProgress);
        let rows = [0, 2, 3, 5];
        let selected = data.select_rows(&rows);
        let Target::Classes { y, .. } = &selected.target else { unreachable!() };
        let sample = Sample { labels: Labels::Classes { y, n_classes: 2 }, weights: Unweighted };
        let direct = grow(Presorted::new(&selected.x, None), sample, &params(3, 1), Features::All, &mut NoProgress);
        assert_eq!(resampled, direct);
    }
}

#[test]
fn a_grid_walks_a_resolved_tree_to_the_same_leaves() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let n = 400;
    let columns: Vec<Vec<f32>> = (0..4).map(|_| (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()).collect();
    let y = (0..n).map(|r| u32::from(columns[0][r] + columns[2][r] > 0.0) + u32::from(columns[3][r] > 0.5)).collect();
    let data = Dataset {
        x: FeatureMatrix::from_columns(n, columns),
        target: Target::Classes { y, names: vec!["a".into(), "b".into(), "c".into()] },
        feature_names: (0..4).map(|j| format!("x{j}")).collect(),
    };
    let tree = params(12, 1).fit(&data, 0, &mut NoProgress).unwrap();
    // A 40 × 40 grid over inputs 0 and 3, inputs 1 and 2 held: resolved in advance.
    let side = 40;
    let grid = FeatureMatrix::from_columns(
        side * side,
        vec![
            (0..side * side).map(|i| -1.0 + 2.0 * (i % side) as f32 / side as f32).collect(),
            vec![0.1; side * side],
            vec![-0.3; side * side],
            (0..side * side).map(|i| -1.0 + 2.0 * (i / side) as f32 / side as f32).collect(),
        ],
    );
    let shape = Shape::of(&grid);
    assert!(shape.grid.is_some(), "the rows are a grid");
    assert!(
        tree.walker(&shape).resolved.as_ref().is_some_and(|r| r.nodes.len() < tree.nodes().len()),
        "held splits are resolved"
    );
    let Ok(Predictions::Classes { proba: fast, .. }) = tree.predict(&grid) else { panic!() };
    for row in 0..side * side {
        let mut slow = vec![0.0; 3];
        tree.add_prediction(&grid, row, &mut slow);
        let fast_row: Vec<f64> = fast[row * 3..row * 3 + 3].iter().map(|&p| p as f64).collect();
        let slow: Vec<f64> = slow.iter().map(|&p| p as f32 as f64).collect();
        assert_eq!(fast_row, slow, "row {row}");
    }
}

#[test]
fn cost_complexity_pruning_cuts_the_weakest_split_first() {
    // x = 1 2 3 4, y = a a b a. Gini grows: root (a3 b1, gini 0.375) split at 2.5 into
    // a pure leaf {1, 2} and {3, 4} (a1 b1, gini 0.5), split at 3.5 into two pure leaves.
    // Risks (impurity × share of rows): root 0.375, right node 0.5 × 2/4 = 0.25, leaves 0.
    // Cost per extra leaf: right node (0.25 − 0) / 1 = 0.25; root (0.375 − 0) / 2 = 0.1875.
    let data = Dataset {
        x: FeatureMatrix::from_columns(4, vec![vec![1., 2., 3., 4.]]),
        target: Target::Classes { y: vec![0, 0, 1, 0], names: vec!["a".into(), "b".into()] },
        feature_names: vec!["x".into()],
    };
    let grown = |alpha: f64| {
        let p = TreeParams { ccp_alpha: alpha, ..params(10, 1) };
        p.fit(&data, 0, &mut NoProgress).unwrap()
    };
    assert_eq!(grown(0.0).nodes().len(), 5);
    assert_eq!(grown(0.18).nodes().len(), 5, "below the weakest link's cost nothing goes");
    // At 0.1875 the root is the weakest link: the whole tree folds into one leaf.
    let stump = grown(0.19);
    assert_eq!(stump.nodes().len(), 1);
    assert_eq!(stump.importances(), &[0.0]);
    let Ok(Predictions::Classes { proba, .. }) = stump.predict(&data.x) else { panic!() };
    assert_eq!(&proba[..2], &[0.75, 0.25]);
}

#[test]
fn more_pruning_keeps_a_smaller_subtree_of_the_same_splits() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let n = 300;
    let columns: Vec<Vec<f32>> = (0..3).map(|_| (0..n).map(|_| rng.random_range(0.0..1.0)).collect()).collect();
    // A noisy rule, so the full tree overfits with many small leaves.
    let y = (0..n).map(|r| u32::from(columns[0][r] + 0.3 * columns[1][r] + rng.random_range(-0.2..0.2) > 0.65)).collect();
    let data = Dataset {
        x: FeatureMatrix::from_columns(n, columns),
        target: Target::Classes { y, names: vec!["no".into(), "yes".into()] },
        feature_names: vec!["a".into(), "b".into(), "c".into()],
    };
    let full = params(20, 1).fit(&data, 0, &mut NoProgress).unwrap();
    let split_set = |t: &DecisionTree| -> Vec<(u32, u64)> {
        t.nodes().iter().filter(|n| !n.is_leaf()).map(|n| (n.feature, n.threshold.to_bits())).collect()
    };
    let all = split_set(&full);
    let mut last = full.nodes().len();
    for alpha in [0.001, 0.003, 0.01, 0.03] {
        let pruned = (TreeParams { ccp_alpha: alpha, ..params(20, 1) }).fit(&data, 0, &mut NoProgress).unwrap();
        assert!(pruned.nodes().len() <= last, "α {alpha}: {} nodes after {last}", pruned.nodes().len());
        assert!(split_set(&pruned).iter().all(|s| all.contains(s)), "α {alpha}: only splits of the full tree");
        let sum: f64 = pruned.importances().iter().sum();
        assert!(pruned.nodes().len() == 1 || (sum - 1.0).abs() < 1e-9);
        last = pruned.nodes().len();
    }
    assert!(last < full.nodes().len() / 4, "strong pruning leaves a small tree ({last} of {})", full.nodes().len());
}
