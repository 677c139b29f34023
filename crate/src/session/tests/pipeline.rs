//! Training through a pipeline the person built: the explanations take raw
//! column values and go through it.

use super::*;
use crate::prep::{CategoryEncoding, Fill, Keep, PipelineSpec, Scaler, StepSpec};

fn steps(more: Vec<StepSpec>) -> PipelineSpec {
    let mut steps = vec![
        StepSpec::Impute { numbers: Fill::Median, indicator: false },
        StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 0 },
    ];
    steps.extend(more);
    PipelineSpec { steps }
}

fn scaled_pca(keep: Keep) -> PipelineSpec {
    steps(vec![StepSpec::Scale { scaler: Scaler::Standard, columns: vec![] }, StepSpec::Pca { keep }])
}

#[test]
fn knn_on_ten_components_of_digits_is_explained_in_pixels() {
    let (mut s, summary) = loaded("digits");
    let mut req = train_request(&summary, 3);
    req.model = "knn".into();
    req.params = ParamValues::new();
    req.pipeline = Some(scaled_pca(Keep::Components(10)));
    let report = train(&mut s, req);
    // Pixels with two values read as yes/no flags, which PCA leaves as they are, after the components.
    let inputs = &report.pipeline.inputs;
    assert_eq!(inputs[..10], (1..=10).map(|k| format!("PC{k}")).collect::<Vec<_>>());
    assert!(inputs[10..].iter().all(|n| n.starts_with("pixel_")), "{inputs:?}");
    let pca = report.pipeline.steps[3].pca.as_ref().expect("the PCA step reports its components");
    let n = pca.columns.len();
    assert_eq!((n + inputs.len() - 10, pca.explained.len(), pca.kept, pca.loadings.len()), (64, n, 10, 10));
    assert!((pca.explained.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(pca.explained.windows(2).all(|w| w[0] >= w[1]), "largest first");
    assert!(report.pipeline.steps[3].summary.starts_with(&format!("Kept 10 principal components of {n} inputs")));
    assert!(report.prep_summary.contains("kept 10 principal components"), "{}", report.prep_summary);
    let Metrics::Classification { test_accuracy, .. } = report.metrics else { panic!() };
    assert!(test_accuracy > 0.9, "ten components keep the digits apart: {test_accuracy}");

    // Permutation importance per pixel column, each shuffled raw and encoded again.
    let permutation = report.evaluation.permutation.as_ref().expect("kNN gets permutation importance");
    assert!(permutation.items.iter().all(|(name, _)| name.starts_with("pixel_")), "{:?}", permutation.items);
    assert!(permutation.items[0].1 > 0.0);
    // Partial dependence along a pixel, through scaling and the components.
    let pdp = report.evaluation.partial_dependence.as_ref().expect("a partial dependence curve");
    assert!(pdp.feature.starts_with("pixel_"));

    // The boundary over two pixels: a traced row sits on the ground the model gives it.
    let b = report.boundary.as_ref().expect("a boundary over two pixels");
    let row = b.points.rows[3] as usize;
    let point = trace(&mut s, b, row);
    let traced = point.boundary.as_ref().expect("tracing redraws at the row's values");
    let Legend::Classes(names) = &traced.legend else { panic!("classes") };
    let predicted = names.iter().position(|c| point.text.contains(&format!("predicts {c} ")));
    assert_eq!(Some(ground_class(cell_under(traced, point.x, point.y), names.len())), predicted, "{}", point.text);
    assert!(point.text.contains("nearest training rows (circled)"), "{}", point.text);
    // What if the row had other values on the axes: raw pixel values, encoded through the pipeline.
    let moved = inspect_row(&mut s, b, row, Some((b.x.max, b.y.max)), traced.slice.clone());
    assert!(moved.text.starts_with(&format!("What if row {}", row + 1)), "{}", moved.text);

    // On its two axes alone, the same pipeline keeps at most two components.
    let Response::Boundary(two) = s.handle(
        Request::Boundary { x: b.x.name.clone(), y: b.y.name.clone(), slice: vec![], live: false, two_features: true },
        &mut NoProgress,
    ) else {
        panic!("the two-feature refit trains through the pipeline")
    };
    assert!(two.note.contains("refitted on"), "{}", two.note);
}

#[test]
fn a_tree_on_components_is_traced_through_them_and_centroids_stay_off_a_rotated_plot() {
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 3);
    req.pipeline = Some(scaled_pca(Keep::Variance(0.9)));
    let report = train(&mut s, req);
    assert_eq!(report.pipeline.inputs, ["PC1", "PC2"], "two components hold 90 % of iris, standardized");
    let b = report.boundary.as_ref().unwrap();
    let point = trace(&mut s, b, b.points.rows[0] as usize);
    assert!(point.text.contains("Path: PC1 = "), "the tree's rules read in components: {}", point.text);
    assert!(!point.path.is_empty());
    // Importance of the tree's own: per component, as a component mixes every column.
    let importance = report.importance.unwrap();
    assert!(importance.items.iter().all(|(n, _)| n.starts_with("PC")), "{:?}", importance.items);

    // k-means on the components: its centroids have no place on petal axes.
    let (mut s, summary) = loaded("iris");
    let mut req = cluster_request(&summary, "species");
    let plain = train(&mut s, req.clone());
    assert!(!plain.boundary.unwrap().centroids.is_empty(), "standardized centroids are read back");
    req.pipeline = Some(scaled_pca(Keep::Components(2)));
    let rotated = train(&mut s, req);
    assert!(rotated.boundary.unwrap().centroids.is_empty(), "no way back from components to columns");
}

#[test]
fn a_bad_spec_is_refused_with_the_prep_error() {
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 3);
    req.pipeline = Some(steps(vec![StepSpec::Poly { columns: vec!["petal size".into()] }]));
    let Response::Failed(SessionError::Prep(PrepError::NoSuchInput { name, inputs, .. })) =
        s.handle(Request::Train(req), &mut NoProgress)
    else {
        panic!("a step naming a missing input is refused")
    };
    assert_eq!(name, "petal size");
    assert!(inputs.contains("petal length (cm)"), "{inputs}");
    // Cross-validation fits the same spec per fold, and refuses it the same way.
    let mut req = train_request(&summary, 3);
    req.pipeline = Some(steps(vec![StepSpec::Pca { keep: Keep::Components(5) }]));
    assert!(matches!(
        s.handle(Request::CrossValidate { request: req, k: 3, folding: Folding::Shuffled }, &mut NoProgress),
        Response::Failed(SessionError::Prep(PrepError::PcaKeep { keep: 5, inputs: 4 }))
    ));
}
