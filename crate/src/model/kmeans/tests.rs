//! A worked example (centroids, inertia and elbow counted by hand), the seeding
//! and restarts, and the contract's edge cases.

use super::*;
use crate::model::NoProgress;

/// x = 1 2 10 11 and a constant second input.
fn pairs() -> Dataset {
    Dataset {
        x: FeatureMatrix::from_columns(4, vec![vec![1., 2., 10., 11.], vec![5.; 4]]),
        target: Target::Unlabeled { n_rows: 4 },
        feature_names: vec!["x".into(), "c".into()],
    }
}

fn fit(data: &Dataset, k: usize, seed: u64) -> Result<KMeans, FitError> {
    KMeans::fit(&KMeansParams { k, ..KMeansParams::default() }, data, seed, &mut NoProgress)
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
        let one = KMeans::fit(&KMeansParams { k: 5, n_init: 1, ..KMeansParams::default() }, &data, seed, &mut NoProgress).unwrap();
        let ten = KMeans::fit(&KMeansParams { k: 5, n_init: 10, ..KMeansParams::default() }, &data, seed, &mut NoProgress).unwrap();
        // The ten starts begin with the same one.
        assert!(ten.inertia() <= one.inertia(), "seed {seed}");
    }
}

#[test]
fn degenerate_sets_give_typed_errors_or_defined_clusters() {
    assert_eq!(fit(&pairs(), 5, 0).unwrap_err(), FitError::MoreClustersThanRows { k: 5, rows: 4 });
    let labelled = Dataset { target: Target::Values(vec![0.0; 4]), ..pairs() };
    assert_eq!(fit(&labelled, 2, 0).unwrap_err(), FitError::WrongTask("regression".into()));
    let empty = Dataset { x: FeatureMatrix::from_columns(0, vec![vec![]]), target: Target::Unlabeled { n_rows: 0 }, ..pairs() };
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
        let err = (spec.fit)(&ParamValues::new(), &pairs(), 0, &mut NoProgress).err();
        assert_eq!(err, Some(FitError::WrongTask("clustering".into())), "{}", spec.id);
    }
}

#[test]
fn params_are_validated() {
    let bad: ParamValues = [("k".to_string(), crate::model::ParamValue::Int(0))].into();
    assert!(KMeansParams::from_values(&bad).is_err());
    assert_eq!(KMeansParams::from_values(&ParamValues::new()).unwrap(), KMeansParams::default());
}
