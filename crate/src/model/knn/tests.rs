//! A worked example on one feature (neighbours and votes counted by hand), the k-d
//! tree against a brute-force scan, and the contract's edge cases.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::base::NoProgress;
use crate::model::Dataset;

/// x = 1 2 4 7 8, y = a a b b b.
fn line() -> Dataset {
    Dataset {
        x: FeatureMatrix::from_columns(5, vec![vec![1., 2., 4., 7., 8.]]),
        target: Target::Classes { y: vec![0, 0, 1, 1, 1], names: vec!["a".into(), "b".into()] },
        feature_names: vec!["x".into()],
    }
}

fn fit(data: &Dataset, k: usize, weights: Weights) -> KNearest {
    (KnnParams { k, weights }).fit(data, 0, &mut NoProgress).unwrap()
}

fn proba_at(model: &KNearest, x: f32) -> Vec<f32> {
    let Ok(Predictions::Classes { proba, .. }) = model.predict(&FeatureMatrix::from_columns(1, vec![vec![x]])) else {
        panic!("class probabilities expected")
    };
    proba
}

#[test]
fn the_vote_matches_the_hand_count() {
    // Query 3.5: distances to x = 1 2 4 7 8 are 2.5 1.5 0.5 3.5 4.5, so the 3 nearest
    // are rows 2 (0.5, b), 1 (1.5, a), 0 (2.5, a).
    let uniform = fit(&line(), 3, Weights::Uniform);
    assert_eq!(uniform.neighbours(&[3.5], 3), vec![(2, 0.5), (1, 1.5), (0, 2.5)]);
    // Uniform: a has 2 votes of 3.
    let p = proba_at(&uniform, 3.5);
    assert!((p[0] - 2.0 / 3.0).abs() < 1e-6 && (p[1] - 1.0 / 3.0).abs() < 1e-6, "{p:?}");
    // Distance: weights 1/0.5 = 2 (b), 1/1.5 = 0.667 and 1/2.5 = 0.4 (a):
    // P(b) = 2 / 3.0667 = 0.6522, so the nearer b outvotes the two a's.
    let p = proba_at(&fit(&line(), 3, Weights::Distance), 3.5);
    assert!((p[1] - 0.652_174).abs() < 1e-5, "{p:?}");
}

#[test]
fn ties_go_to_the_earlier_training_row() {
    // Query 3: rows 1 (x = 2) and 2 (x = 4) are both 1 away; row 1 comes first.
    let model = fit(&line(), 1, Weights::Uniform);
    assert_eq!(model.neighbours(&[3.0], 1), vec![(1, 1.0)]);
    assert_eq!(proba_at(&model, 3.0), vec![1.0, 0.0]);
    // Query 4 with k = 3: row 2 (0), row 1 (2), then rows 0 and 3 tie at 3: row 0 wins.
    assert_eq!(model.neighbours(&[4.0], 3), vec![(2, 0.0), (1, 2.0), (0, 3.0)]);
}

#[test]
fn an_exact_match_takes_all_the_distance_weight() {
    // Query 4 coincides with row 2 (b): with distance weights only it counts, although
    // rows 1 and 0 (both a) are among the 3 nearest.
    assert_eq!(proba_at(&fit(&line(), 3, Weights::Distance), 4.0), vec![0.0, 1.0]);
    assert_eq!(proba_at(&fit(&line(), 3, Weights::Uniform), 4.0)[0], 2.0 / 3.0);
}

#[test]
fn regression_averages_the_neighbours() {
    let data = Dataset { target: Target::Values(vec![1., 2., 4., 7., 8.]), ..line() };
    let x = FeatureMatrix::from_columns(1, vec![vec![3.5]]);
    // Uniform: (4 + 2 + 1) / 3 = 2.333.
    let Ok(Predictions::Values(v)) = fit(&data, 3, Weights::Uniform).predict(&x) else { panic!() };
    assert!((v[0] - 7.0 / 3.0).abs() < 1e-12);
    // Distance: (2·4 + 0.667·2 + 0.4·1) / (2 + 0.667 + 0.4) = 9.733 / 3.067 = 3.1739.
    let Ok(Predictions::Values(v)) = fit(&data, 3, Weights::Distance).predict(&x) else { panic!() };
    assert!((v[0] - 9.733_333 / 3.066_667).abs() < 1e-5, "{v:?}");
}

/// The k nearest rows by a full scan, sorted by (distance, row).
fn brute_force(data: &FeatureMatrix, query: &[f32], k: usize) -> Vec<(usize, f64)> {
    let mut all: Vec<(f64, usize)> = (0..data.n_rows())
        .map(|r| {
            let row: Vec<f32> = data.columns().map(|c| c[r]).collect();
            (crate::base::dist2(&row, query), r)
        })
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(k).map(|(d, r)| (r, d.sqrt())).collect()
}

#[test]
fn the_kd_tree_finds_exactly_what_a_full_scan_finds() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    // Continuous points, and points on a coarse integer grid (many duplicates and
    // equidistant neighbours, where the tie rule decides).
    for (dims, grid) in [(2, false), (3, true), (5, false), (1, true), (6, true)] {
        let n = 1500;
        let value = |rng: &mut ChaCha8Rng| {
            if grid {
                rng.random_range(0..6) as f32
            } else {
                rng.random_range(-3.0..3.0f32)
            }
        };
        let columns: Vec<Vec<f32>> = (0..dims).map(|_| (0..n).map(|_| value(&mut rng)).collect()).collect();
        let data = Dataset {
            x: FeatureMatrix::from_columns(n, columns),
            target: Target::Values(vec![0.0; n]),
            feature_names: (0..dims).map(|j| format!("x{j}")).collect(),
        };
        let model = fit(&data, 5, Weights::Uniform);
        for _ in 0..200 {
            let query: Vec<f32> = (0..dims).map(|_| value(&mut rng) + 0.5 * rng.random_range(-1.0..1.0f32)).collect();
            for k in [1, 7, 40] {
                assert_eq!(model.neighbours(&query, k), brute_force(&data.x, &query, k), "dims {dims}, k {k}");
            }
        }
    }
}

#[test]
fn small_and_degenerate_sets_give_defined_answers() {
    // k larger than the training set uses every row: 2 a's of 5 rows.
    let model = fit(&line(), 50, Weights::Uniform);
    assert_eq!(proba_at(&model, 100.0), vec![0.4, 0.6]);
    // Identical points: a single leaf, neighbours in row order.
    let same = Dataset {
        x: FeatureMatrix::from_columns(40, vec![vec![2.0; 40], vec![-1.0; 40]]),
        target: Target::Classes { y: (0..40).map(|i| (i % 2) as u32).collect(), names: vec!["a".into(), "b".into()] },
        feature_names: vec!["u".into(), "v".into()],
    };
    let model = fit(&same, 3, Weights::Distance);
    let found: Vec<usize> = model.neighbours(&[0.0, 0.0], 3).iter().map(|n| n.0).collect();
    assert_eq!(found, vec![0, 1, 2]);
    // Wrong sizes: an error from predict, no neighbours from the lookup.
    assert!(model.predict(&line().x).is_err());
    assert!(model.neighbours(&[1.0], 3).is_empty());
    assert!(model.neighbours(&[1.0, 2.0], 0).is_empty());
}

#[test]
fn the_model_is_its_data_and_round_trips() {
    let model = fit(&line(), 3, Weights::Distance);
    // 5 rows × (1 input + 1 target).
    assert_eq!(model.n_parameters(), 10);
    let back: KNearest = postcard::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(back, model);
    assert!(model.explain(&[], &line().target, "y").views.is_empty());
}

#[test]
fn params_are_validated() {
    let bad: ParamValues = [("k".to_string(), crate::model::ParamValue::Int(0))].into();
    assert!(KnnParams::from_values(Task::Classification, &bad).is_err());
    let ok = KnnParams::from_values(Task::Regression, &ParamValues::new()).unwrap();
    assert_eq!(ok, KnnParams::default());
}

#[test]
fn a_grid_with_held_inputs_finds_the_same_neighbours_to_the_bit() {
    // 600 rows in 6 dimensions; a 48 × 48 grid over inputs 1 and 4, the others
    // held. Continuous values, and values on a coarse integer grid (equal
    // distances everywhere, where the tie rule and the last bit decide).
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let n = 600;
    for coarse in [false, true] {
        let value = |rng: &mut ChaCha8Rng| {
            if coarse {
                rng.random_range(-2..=2) as f32
            } else {
                rng.random_range(-2.0..2.0)
            }
        };
        let columns: Vec<Vec<f32>> = (0..6).map(|_| (0..n).map(|_| value(&mut rng)).collect()).collect();
        let y = (0..n)
            .map(|r| u32::from(columns[0][r] + columns[1][r] * columns[4][r] > 0.0) + u32::from(columns[2][r] > 1.0))
            .collect();
        let data = Dataset {
            x: FeatureMatrix::from_columns(n, columns),
            target: Target::Classes { y, names: vec!["a".into(), "b".into(), "c".into()] },
            feature_names: (0..6).map(|j| format!("x{j}")).collect(),
        };
        let side = 48;
        let held = [0.3f32, 0.0, -0.7, 1.1, 0.0, 0.2];
        let grid: Vec<Vec<f32>> = (0..6)
            .map(|j| match j {
                1 => (0..side * side).map(|i| -2.0 + 4.0 * (i % side) as f32 / side as f32).collect(),
                4 => (0..side * side).map(|i| -2.0 + 4.0 * (i / side) as f32 / side as f32).collect(),
                _ => vec![held[j]; side * side],
            })
            .collect();
        let grid = FeatureMatrix::from_columns(side * side, grid);
        for k in [1, 7, 40] {
            let model = fit(&data, k, Weights::Distance);
            assert!(model.fold_held_inputs(&grid).is_some(), "the grid is folded");
            let Ok(Predictions::Classes { proba: folded, .. }) = model.predict(&grid) else { panic!() };
            // Row by row (too few queries to fold), through the full 6-d tree.
            for row in 0..side * side {
                let one = FeatureMatrix::from_columns(1, grid.columns().map(|c| vec![c[row]]).collect());
                let Ok(Predictions::Classes { proba, .. }) = model.predict(&one) else { panic!() };
                let bits = |p: &[f32]| p.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&proba), bits(&folded[row * 3..row * 3 + 3]), "coarse {coarse}, k {k}, row {row}");
            }
        }
    }
}

#[test]
fn the_held_part_s_root_never_overstates_it() {
    for x in [0.0, 1e-300, 1e-3, 2.0, 3.0, 7.123_456_789, 123_456.789, 1e30, 1e80, f64::INFINITY] {
        let r = super::folded::root_below(x);
        assert!(f64::from(r) * f64::from(r) <= x, "{x}: {r}");
        // And no larger f32 would do.
        let up = r.next_up();
        assert!(up.is_infinite() || f64::from(up) * f64::from(up) > x, "{x}: {r} is not the largest");
    }
}
