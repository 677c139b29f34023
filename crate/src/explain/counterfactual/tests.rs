use super::*;
use crate::model::view::{NodeValue, SplitView, TreeNodeView};

/// Two features, x and y; the row at x = 1, y = 3; x spreads by 1, y by 2.
fn space() -> Space {
    Space { names: vec!["x".into(), "y".into()], origin: vec![1.0, 3.0], scale: vec![1.0, 2.0] }
}

fn leaf(counts: [f64; 2]) -> TreeNodeView {
    TreeNodeView {
        split: None,
        n_samples: counts.iter().sum::<f64>() as usize,
        value: NodeValue::Classes { counts: counts.to_vec() },
        depth: 0,
    }
}

fn split(feature: &str, threshold: f64, left: usize, right: usize) -> TreeNodeView {
    TreeNodeView {
        split: Some(SplitView { feature: feature.into(), rule: SplitRule::AtMost { threshold }, left, right }),
        n_samples: 0,
        value: NodeValue::Classes { counts: vec![0.0, 0.0] },
        depth: 0,
    }
}

/// x ≤ 2 → A; else y ≤ 1 → B; else A. The row (1, 3) is A.
fn tree() -> TreeView {
    TreeView {
        nodes: vec![split("x", 2.0, 1, 2), leaf([10.0, 0.0]), split("y", 1.0, 3, 4), leaf([0.0, 5.0]), leaf([3.0, 0.0])],
        class_names: vec!["A".into(), "B".into()],
        target_name: "t".into(),
        target_range: (0.0, 0.0),
    }
}

fn row() -> Vec<(String, FeatureValue)> {
    vec![("x".into(), FeatureValue::Number(1.0)), ("y".into(), FeatureValue::Number(3.0))]
}

/// The tree's class of a change of the row (standard deviations).
fn tree_class(delta: &[f64]) -> usize {
    let s = space();
    let v = s.values(delta);
    let values = vec![("x".to_string(), FeatureValue::Number(v[0])), ("y".to_string(), FeatureValue::Number(v[1]))];
    let t = tree();
    let path = t.path(&values);
    t.nodes[*path.last().unwrap()].value.majority().unwrap()
}

/// The smallest change a grid of `step` over ±`reach` standard deviations finds that `flips`.
fn grid_best(reach: f64, step: f64, flips: impl Fn(&[f64]) -> bool) -> f64 {
    let n = (reach / step).round() as i64;
    let mut best = f64::INFINITY;
    for i in -n..=n {
        for j in -n..=n {
            let d = [i as f64 * step, j as f64 * step];
            if norm(&d) < best && flips(&d) {
                best = norm(&d);
            }
        }
    }
    best
}

#[test]
fn the_nearest_leaf_of_another_class_is_exact_on_a_hand_built_tree() {
    // Leaf B is x > 2 and y ≤ 1: from (1, 3) that is +1 sd of x and −1 sd of y,
    // so the smallest change is (1, −1), √2 standard deviations.
    let delta = nearest_leaf(&tree(), &space(), &row(), 0).unwrap().unwrap();
    assert!((delta[0] - (1.0 + EDGE)).abs() < 1e-12 && (delta[1] + 1.0).abs() < 1e-12, "{delta:?}");
    assert_eq!(tree_class(&delta), 1);
    let grid = grid_best(3.0, 0.01, |d| tree_class(d) != 0);
    assert!(grid >= norm(&delta) - 1e-3, "a grid found {grid}, smaller than {}", norm(&delta));
    // Holding y (allowing x only), leaf B cannot be reached.
    let x_only = Space { names: vec!["x".into()], origin: vec![1.0], scale: vec![1.0] };
    assert_eq!(nearest_leaf(&tree(), &x_only, &row(), 0), Some(None));
    // A split on an input that is not a feature of the space has no box there.
    let mut pca = tree();
    pca.nodes[0] = split("PC1", 0.0, 1, 2);
    assert_eq!(nearest_leaf(&pca, &space(), &row(), 0), None);
}

#[test]
fn the_nearest_hyperplane_is_exact_for_a_two_feature_logistic_model() {
    // Log-odds of B: −3 + d₁ + 2·d₂ (d in standard deviations): the row (d = 0) is A.
    // The boundary is 3/√5 = 1.342 away, reached at d = (3/5, 6/5).
    let score = |d: &[f64]| -3.0 + d[0] + 2.0 * d[1];
    let delta = nearest_hyperplane(&[(-3.0, vec![1.0, 2.0])]).unwrap();
    assert!((delta[0] - 0.6).abs() < 1e-3 && (delta[1] - 1.2).abs() < 1e-3, "{delta:?}");
    assert!((norm(&delta) - 3.0 / 5f64.sqrt()).abs() < 2e-4);
    assert!(score(&delta) > 0.0, "the change flips the prediction");
    let grid = grid_best(3.0, 0.01, |d| score(d) > 0.0);
    assert!(grid >= norm(&delta) - 1e-3, "a grid found {grid}, smaller than {}", norm(&delta));
    // Of two other classes, the nearer boundary wins.
    let delta = nearest_hyperplane(&[(-3.0, vec![1.0, 2.0]), (-1.0, vec![0.0, -1.0])]).unwrap();
    assert!((delta[1] + 1.0).abs() < 1e-3 && delta[0].abs() < 1e-12, "{delta:?}");
    assert_eq!(nearest_hyperplane(&[(-1.0, vec![0.0, 0.0])]), None);
}

#[test]
fn the_search_finds_a_flip_about_as_small_as_a_grid_for_a_nearest_neighbour_model() {
    // A 1-nearest-neighbour model over four prototypes (in standard deviations);
    // the row (origin) is nearest to the class-0 prototype.
    let prototypes = [((0.2, -0.1), 0), ((1.5, 0.4), 1), ((-0.8, 1.6), 1), ((0.3, -2.0), 2)];
    let class = |d: &[f64]| {
        prototypes
            .iter()
            .min_by(|a, b| {
                let da = (a.0 .0 - d[0]).powi(2) + (a.0 .1 - d[1]).powi(2);
                let db = (b.0 .0 - d[0]).powi(2) + (b.0 .1 - d[1]).powi(2);
                da.total_cmp(&db)
            })
            .map_or(0, |p| p.1)
    };
    let calls = std::cell::Cell::new(0);
    let mut flips = |deltas: &[Vec<f64>]| {
        calls.set(calls.get() + deltas.len());
        deltas.iter().map(|d| class(d) != 0).collect()
    };
    let delta = search(2, &mut flips, 3).unwrap();
    assert_ne!(class(&delta), 0, "the change flips the prediction");
    let grid = grid_best(3.0, 0.01, |d| class(d) != 0);
    println!("search {:.4} vs grid {grid:.4} in {} predictions", norm(&delta), calls.get());
    assert!(norm(&delta) <= grid * 1.02 + 0.01, "search {} vs grid {grid}", norm(&delta));
    assert_eq!(search(2, &mut flips, 3), Some(delta), "seeded");
    // Nothing flips within reach: no answer.
    assert_eq!(search(2, &mut |d: &[Vec<f64>]| vec![false; d.len()], 3), None);
}
