//! A worked example (centroids, inertia and elbow counted by hand), the seeding
//! and restarts, and the contract's edge cases.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::base::NoProgress;
use crate::model::Dataset;

/// x = 1 2 10 11 and a constant second input.
fn pairs() -> Dataset {
    Dataset {
        x: FeatureMatrix::from_columns(4, vec![vec![1., 2., 10., 11.], vec![5.; 4]]),
        target: Target::Unlabeled { n_rows: 4 },
        feature_names: vec!["x".into(), "c".into()],
    }
}

fn fit(data: &Dataset, k: usize, seed: u64) -> Result<KMeans, FitError> {
    (KMeansParams { k, ..KMeansParams::default() }).fit(data, seed, &mut NoProgress)
}

#[test]
fn two_pairs_make_two_clusters_as_counted_by_hand() {
    let model = fit(&pairs(), 2, 0).unwrap();
    let mut centroids = model.centroids().unwrap();
    centroids.sort_by(|a, b| a[0].total_cmp(&b[0]));
    // Means of {1, 2} and {10, 11}; the constant input stays 5.
    assert_eq!(centroids, vec![vec![1.5, 5.0], vec![10.5, 5.0]]);
    // Every row is 0.5 from its centroid: 4 × 0.25 = 1.
    assert_eq!(model.inertia(), 1.0);
    let labels = model.labels(&pairs().x).unwrap();
    assert_eq!(labels[0], labels[1]);
    assert_eq!(labels[2], labels[3]);
    assert_ne!(labels[0], labels[2]);
    // One-hot predictions of the same clusters.
    let Predictions::Classes { proba, n_classes: 2 } = model.predict(&pairs().x).unwrap() else { panic!("classes") };
    assert_eq!(proba[labels[0] as usize], 1.0);
    assert_eq!(proba.iter().sum::<f32>(), 4.0);
    assert_eq!(model.n_parameters(), 4);
}

#[test]
fn the_elbow_falls_as_counted_by_hand() {
    let model = fit(&pairs(), 2, 0).unwrap();
    // k = 1: mean 6, squared deviations 25 + 16 + 16 + 25 = 82 → 20.5 per row.
    // k = 2: 1 / 4 = 0.25. k = 3: {1} {2} {10, 11} or the mirror, 0.5 / 4 = 0.125.
    // k = 4: every row its own centroid, 0. The elbow stops at 4 rows.
    assert_eq!(model.elbow, vec![(1, 20.5), (2, 0.25), (3, 0.125), (4, 0.0)]);
    let explanation = model.explain(&[], &Target::Unlabeled { n_rows: 4 }, "");
    let [ModelView::Curves(view)] = explanation.views.as_slice() else { panic!("the elbow") };
    assert_eq!(view.series[1].name, "chosen k = 2");
    assert_eq!(view.series[1].points, vec![(2.0, 0.0), (2.0, 20.5)]);
    // Only x separates the clusters; the constant input none.
    assert_eq!(explanation.feature_importance, Some(vec![1.0, 0.0]));
}

/// Three round blobs of 60 points in 2-D around (0, 0), (6, 0) and (0, 6).
fn blobs() -> Dataset {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for (cx, cy) in [(0.0f32, 0.0f32), (6.0, 0.0), (0.0, 6.0)] {
        for i in 0..60 {
            let angle = i as f32 * 0.7;
            let radius = (i % 7) as f32 * 0.15;
            xs.push(cx + radius * angle.cos());
            ys.push(cy + radius * angle.sin());
        }
    }
    Dataset {
        x: FeatureMatrix::from_columns(180, vec![xs, ys]),
        target: Target::Unlabeled { n_rows: 180 },
        feature_names: vec!["u".into(), "v".into()],
    }
}

#[test]
fn blobs_are_found_whatever_the_seed_and_the_seed_is_repeatable() {
    for seed in 0..5 {
        let model = fit(&blobs(), 3, seed).unwrap();
        let labels = model.labels(&blobs().x).unwrap();
        for blob in labels.chunks(60) {
            assert!(blob.iter().all(|&l| l == blob[0]), "seed {seed}: a blob is split");
        }
        assert_eq!(model.sizes, vec![60, 60, 60]);
        assert_eq!(model, fit(&blobs(), 3, seed).unwrap(), "seed {seed}: not repeatable");
    }
    // Different seeds start elsewhere, so the clusters come out numbered differently.
    let orders: Vec<Vec<u32>> = (0..5).map(|s| fit(&blobs(), 3, s).unwrap().labels(&blobs().x).unwrap()).collect();
    assert!(orders.iter().any(|o| o != &orders[0]));
}

#[test]
fn restarts_never_do_worse_than_one_start() {
    let data = blobs();
    for seed in 0..5 {
        let one = (KMeansParams { k: 5, n_init: 1, ..KMeansParams::default() }).fit(&data, seed, &mut NoProgress).unwrap();
        let ten = (KMeansParams { k: 5, n_init: 10, ..KMeansParams::default() }).fit(&data, seed, &mut NoProgress).unwrap();
        // The ten starts begin with the same one.
        assert!(ten.inertia() <= one.inertia(), "seed {seed}");
    }
}

#[test]
fn degenerate_sets_give_typed_errors_or_defined_clusters() {
    assert_eq!(fit(&pairs(), 5, 0).unwrap_err(), FitError::MoreClustersThanRows { k: 5, rows: 4 });
    let labelled = Dataset { target: Target::Values(vec![0.0; 4]), ..pairs() };
    assert_eq!(fit(&labelled, 2, 0).unwrap_err(), FitError::WrongTask("regression".into()));
    let empty =
        Dataset { x: FeatureMatrix::from_columns(0, vec![vec![]]), target: Target::Unlabeled { n_rows: 0 }, ..pairs() };
    assert_eq!(fit(&empty, 1, 0).unwrap_err(), FitError::NoRows);
    // Fewer distinct points than clusters: every row sits on a centroid, the spare
    // centroid duplicates one and stays empty.
    let same = Dataset {
        x: FeatureMatrix::from_columns(5, vec![vec![3., 3., 3., 7., 7.]]),
        target: Target::Unlabeled { n_rows: 5 },
        feature_names: vec!["x".into()],
    };
    let model = fit(&same, 3, 1).unwrap();
    assert_eq!(model.inertia(), 0.0);
    assert_eq!(model.sizes.iter().sum::<usize>(), 5);
    assert!(model.predict(&pairs().x).is_err());
    let back: KMeans = postcard::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(back, model);
}

#[test]
fn supervised_models_refuse_a_set_without_target() {
    for spec in crate::model::REGISTRY.iter().filter(|s| !s.tasks.contains(&Task::Clustering)) {
        let err = (spec.fit)(&ParamValues::new(), &pairs().as_view(), 0, &mut NoProgress).err();
        assert_eq!(err, Some(FitError::WrongTask("clustering".into())), "{}", spec.id);
    }
}

#[test]
fn params_are_validated() {
    let bad: ParamValues = [("k".to_string(), crate::model::ParamValue::Int(0))].into();
    assert!(KMeansParams::from_values(Task::Clustering, &bad).is_err());
    assert_eq!(KMeansParams::from_values(Task::Clustering, &ParamValues::new()).unwrap(), KMeansParams::default());
}

#[test]
fn hamerly_bounds_give_exactly_the_clusters_of_a_full_scan() {
    use rand::Rng;
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let (n, d, k) = (600, 3, 6);
    let x =
        FeatureMatrix::from_columns(n, (0..d).map(|_| (0..n).map(|_| rng.random_range(-2.0..2.0f32)).collect()).collect());
    let rows = Rows::gather(&x, None);
    let init = lloyd::plus_plus(&rows, k, &mut rng);
    let fast = lloyd::lloyd(&rows, init.clone(), k, 300, 0.0);

    // Plain Lloyd: measure every row against every centroid each round.
    let mut centroids = init;
    let mut labels = vec![usize::MAX; n];
    loop {
        let next: Vec<usize> = (0..n)
            .map(|i| {
                (0..k).fold(0, |b, c| {
                    if crate::base::dist2(rows.row(i), &centroids[c * d..(c + 1) * d])
                        < crate::base::dist2(rows.row(i), &centroids[b * d..(b + 1) * d])
                    {
                        c
                    } else {
                        b
                    }
                })
            })
            .collect();
        if next == labels {
            break;
        }
        labels = next;
        for c in 0..k {
            let members: Vec<usize> = (0..n).filter(|&i| labels[i] == c).collect();
            assert!(!members.is_empty(), "no empty cluster on this data");
            for j in 0..d {
                centroids[c * d + j] =
                    (members.iter().map(|&i| rows.row(i)[j] as f64).sum::<f64>() / members.len() as f64) as f32;
            }
        }
    }
    let mut sizes = vec![0; k];
    labels.iter().for_each(|&c| sizes[c] += 1);
    assert_eq!(fast.sizes, sizes);
    for (a, b) in fast.centroids.iter().zip(&centroids) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
}

#[test]
fn nearest_two_is_a_full_scan_with_ties_to_the_lower_centroid() {
    use rand::Rng;
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    // From one centroid (no second) to two blocks and a padded third; the
    // coordinates are small integers, so distances tie often and are exact
    // whatever the order they are summed in.
    for k in 1..=9 {
        let d = 3;
        let points: Vec<f32> = (0..k * d).map(|_| rng.random_range(-2..=2) as f32).collect();
        let centers = Centers::new(&points, k, d);
        for _ in 0..200 {
            let row: Vec<f32> = (0..d).map(|_| rng.random_range(-2..=2) as f32).collect();
            let dist: Vec<f64> = points.chunks(d).map(|p| crate::base::dist2(&row, p)).collect();
            let best = (0..k).fold(0, |b, c| if dist[c] < dist[b] { c } else { b });
            let second = (0..k).filter(|&c| c != best).map(|c| dist[c]).fold(f64::INFINITY, f64::min);
            assert_eq!(centers.nearest_two(&row), (best, dist[best], second), "k {k}, row {row:?}");
        }
    }
}

#[test]
fn the_start_and_its_rounds_are_the_fits_own() {
    // What the benchmark hands scikit-learn must be what a fit runs from:
    // one start's rounds give the fitted model's centroids, inertia and rounds.
    let data = blobs();
    for seed in 0..3 {
        let params = KMeansParams { k: 4, n_init: 1, ..KMeansParams::default() };
        let model = params.fit(&data, seed, &mut NoProgress).unwrap();
        let start = params.start(&data.x, seed).unwrap();
        assert_eq!(start.centroids().len(), 4 * 2);
        let run = params.run_from(&data.x, &start).unwrap();
        assert_eq!(
            (run.centroids, run.inertia, run.sizes, run.rounds),
            (model.centroids, model.inertia, model.sizes, model.rounds),
            "seed {seed}"
        );
    }
    let params = KMeansParams { k: 4, ..KMeansParams::default() };
    let start = params.start(&data.x, 0).unwrap();
    let wider = FeatureMatrix::from_columns(2, vec![vec![0.0; 2]; 3]);
    assert!(matches!(params.run_from(&wider, &start), Err(FitError::InvalidParam { .. })));
    let few = FeatureMatrix::from_columns(3, vec![vec![0.0; 3]; 2]);
    assert_eq!(params.start(&few, 0).unwrap_err(), FitError::MoreClustersThanRows { k: 4, rows: 3 });
}
