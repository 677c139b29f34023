//! Votes, averages and a stack's meta model worked by hand, then whole
//! ensembles fitted on a small seeded dataset: what they predict, what they
//! weigh, their bytes, and every refusal.

use super::*;
use crate::base::NoProgress;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn classes(rows: &[[f32; 3]]) -> Predictions {
    Predictions::Classes { proba: rows.iter().flatten().copied().collect(), n_classes: 3 }
}

#[test]
fn a_weighted_soft_vote_is_the_weighted_mean_of_probabilities() {
    // One row, three members.
    let a = classes(&[[0.7, 0.2, 0.1]]);
    let b = classes(&[[0.1, 0.6, 0.3]]);
    let c = classes(&[[0.2, 0.3, 0.5]]);
    let members = [a, b, c];
    // Weights 2, 1, 1: (2·0.7 + 0.1 + 0.2, 2·0.2 + 0.6 + 0.3, 2·0.1 + 0.3 + 0.5) / 4 = (0.425, 0.325, 0.25).
    let Predictions::Classes { proba, .. } = vote(&members, &[2.0, 1.0, 1.0], true, 1, 3) else { panic!("classes") };
    for (p, want) in proba.iter().zip([0.425, 0.325, 0.25]) {
        assert!((*p as f64 - want).abs() < 1e-7, "{proba:?}");
    }
    // Equal weights: (1.0, 1.1, 0.9) / 3, so the second class wins instead.
    let equal = vote(&members, &[1.0, 1.0, 1.0], true, 1, 3);
    assert_eq!(equal.labels(), Some(vec![1]));
    let Predictions::Classes { proba, .. } = equal else { panic!("classes") };
    assert!((proba[1] as f64 - 1.1 / 3.0).abs() < 1e-7);
}

#[test]
fn a_hard_vote_counts_weights_and_breaks_ties_to_the_lower_class() {
    // Two rows; member labels: row 0 → 2, 1, 1, 2; row 1 → 0, 2, 2, 2.
    let members = [
        classes(&[[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]]),
        classes(&[[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]),
        classes(&[[0.3, 0.4, 0.3], [0.2, 0.3, 0.5]]),
        classes(&[[0.0, 0.1, 0.9], [0.3, 0.3, 0.4]]),
    ];
    // Equal weights: row 0 is a 2–2 tie between classes 1 and 2, which goes to 1
    // (scikit-learn's argmax of the weighted count); row 1 is 3–1 for class 2.
    let equal = vote(&members, &[1.0; 4], false, 2, 3);
    assert_eq!(equal.labels(), Some(vec![1, 2]));
    let Predictions::Classes { proba, .. } = &equal else { panic!("classes") };
    assert_eq!(proba, &[0.0, 0.5, 0.5, 0.25, 0.0, 0.75]);
    // The first member's weight 3 outvotes the other three: 3 + 1 = 4 against 2 for row 0, 3 to 3 for row 1
    // (a tie, to class 0).
    let weighted = vote(&members, &[3.0, 1.0, 1.0, 1.0], false, 2, 3);
    assert_eq!(weighted.labels(), Some(vec![2, 0]));
}

#[test]
fn an_average_is_the_weighted_mean_of_values() {
    let members = [Predictions::Values(vec![1.0, 10.0]), Predictions::Values(vec![4.0, 20.0])];
    // (1·1 + 2·4) / 3 = 3, (10 + 40) / 3.
    assert_eq!(average(&members, &[1.0, 2.0], 2), Predictions::Values(vec![3.0, 50.0 / 3.0]));
}

#[test]
fn a_stack_drops_the_first_probability_of_two_classes() {
    let two = |p: &[f32]| Predictions::Classes { proba: p.to_vec(), n_classes: 2 };
    let x = stack_inputs(&[two(&[0.8, 0.2, 0.4, 0.6]), two(&[0.3, 0.7, 0.9, 0.1])], 2);
    assert_eq!(x.n_cols(), 2);
    assert_eq!(x.column(0), &[0.2, 0.6]);
    assert_eq!(x.column(1), &[0.7, 0.1]);
    // Three classes keep every column, member after member.
    let x = stack_inputs(&[classes(&[[0.1, 0.2, 0.7]]), classes(&[[0.5, 0.3, 0.2]])], 1);
    assert_eq!(x.n_cols(), 6);
    assert_eq!(x.column(4), &[0.3]);
}

/// A stack whose members are left out: the meta model alone, for its weights.
fn meta_only(meta: &'static ModelSpec, model: Box<dyn FittedModel>, n_classes: Option<usize>) -> Ensemble {
    Ensemble {
        task: if n_classes.is_some() { Task::Classification } else { Task::Regression },
        members: Vec::new(),
        combiner: Combiner::Stack { meta, folds: STACK_FOLDS, model },
        n_classes,
    }
}

#[test]
fn a_stack_meta_model_learns_the_members_weights_from_fixed_out_of_fold_predictions() {
    // Out-of-fold values of two members and a target that is exactly 1 + 0.3·a + 0.7·b:
    // least squares on them finds 0.3 and 0.7, and predicts new member values by them.
    let a = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let b = vec![2.0, 1.0, 4.0, 3.0, 6.0, 2.0];
    let y: Vec<f64> = a.iter().zip(&b).map(|(a, b)| 1.0 + 0.3 * a + 0.7 * b).collect();
    let ols = find("linear_regression").unwrap();
    let specs = [
        MemberSpec { spec: find("decision_tree").unwrap(), params: ParamValues::new() },
        MemberSpec { spec: find("knn").unwrap(), params: ParamValues::new() },
    ];
    let oof = [Predictions::Values(a), Predictions::Values(b)];
    let model = fit_meta(ols, &specs, &oof, Target::Values(y), 0).unwrap();
    let stack = meta_only(ols, model, None);
    let Predictions::Values(p) =
        stack.combine(&[Predictions::Values(vec![10.0]), Predictions::Values(vec![20.0])], 1).unwrap()
    else {
        panic!("values")
    };
    // 1 + 3 + 14 = 18.
    assert!((p[0] - 18.0).abs() < 1e-3, "{p:?}");
    let explained = stack.combine(&oof, 6).unwrap();
    let Predictions::Values(fitted) = explained else { panic!("values") };
    assert!((fitted[0] - 2.7).abs() < 1e-4, "{fitted:?}");
}

/// 90 rows of three classes around (0, 0), (3, 0) and (0, 3), seeded.
fn three_blobs() -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let centres = [(0.0, 0.0), (3.0, 0.0), (0.0, 3.0)];
    let (mut x0, mut x1, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..90 {
        let (cx, cy) = centres[i % 3];
        x0.push(cx + rng.random_range(-1.5f32..1.5));
        x1.push(cy + rng.random_range(-1.5f32..1.5));
        y.push((i % 3) as u32);
    }
    Dataset {
        x: FeatureMatrix::from_columns(90, vec![x0, x1]),
        target: Target::Classes { y, names: vec!["a".into(), "b".into(), "c".into()] },
        feature_names: vec!["x0".into(), "x1".into()],
    }
}

fn members(ids: &[&str]) -> Vec<(String, ParamValues)> {
    ids.iter().map(|id| (id.to_string(), ParamValues::new())).collect()
}

fn fitted(kind: EnsembleKind, weights: Option<Vec<f64>>) -> Ensemble {
    let params =
        EnsembleParams::new(Task::Classification, members(&["decision_tree", "logistic_regression", "knn"]), &kind, weights)
            .unwrap();
    params.fit(&three_blobs().as_view(), 0, &mut NoProgress).unwrap()
}

#[test]
fn a_fitted_vote_predicts_as_its_members_combined_and_loads_back() {
    let data = three_blobs();
    let ensemble = fitted(EnsembleKind::Vote { soft: true }, Some(vec![1.0, 2.0, 1.0]));
    assert_eq!(ensemble.name(), "Soft vote of 3");
    let predicted = ensemble.predict(&data.x).unwrap();
    let by_members = vote(&ensemble.member_predictions(&data.x).unwrap(), &[1.0, 2.0, 1.0], true, 90, 3);
    assert_eq!(predicted, by_members);
    let Predictions::Classes { proba, .. } = &predicted else { panic!("classes") };
    assert!(proba.chunks(3).all(|p| (p.iter().sum::<f32>() - 1.0).abs() < 1e-5));
    let parameters: usize = ensemble.members().iter().map(|m| m.model.n_parameters()).sum();
    assert_eq!(ensemble.n_parameters(), parameters);
    let back = Ensemble::from_bytes(&ensemble.to_bytes()).unwrap();
    assert_eq!(back.predict(&data.x).unwrap(), predicted);
    assert!(Ensemble::from_bytes(&[1, 2, 3]).is_err());
    let Some(view) = ensemble.trust(&data.target, "class") else { panic!("vote weights") };
    assert_eq!(view.weights, vec![0.25, 0.5, 0.25]);
}

#[test]
fn a_fitted_stack_trusts_its_members_by_the_meta_models_coefficients() {
    let data = three_blobs();
    let ensemble = fitted(EnsembleKind::Stack { meta: None, folds: 5 }, None);
    assert_eq!(ensemble.name(), "Stack of 3 (Logistic regression)");
    let Some(labels) = ensemble.predict(&data.x).unwrap().labels() else { panic!("classes") };
    let Target::Classes { y, .. } = &data.target else { panic!("classes") };
    assert!(crate::base::accuracy(y, &labels) > 0.8);
    let Some(view) = ensemble.trust(&data.target, "class") else { panic!("a logistic meta model's weights") };
    assert_eq!(view.members, vec!["Decision tree (CART)", "Logistic regression", "k-nearest neighbours"]);
    assert!((view.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9 && view.weights.iter().all(|&w| w > 0.0));
    // Nine meta inputs (three probabilities per member) and their coefficients, plus the members'.
    let parameters: usize = ensemble.members().iter().map(|m| m.model.n_parameters()).sum();
    assert!(ensemble.n_parameters() > parameters);
    let back = Ensemble::from_bytes(&ensemble.to_bytes()).unwrap();
    assert_eq!(back.predict(&data.x).unwrap(), ensemble.predict(&data.x).unwrap());
}

#[test]
fn bad_ensembles_are_refused_with_a_reason() {
    let vote = EnsembleKind::Vote { soft: false };
    let new = |task, ids: &[&str], kind: &EnsembleKind, weights| EnsembleParams::new(task, members(ids), kind, weights);
    let err = |r: Result<EnsembleParams, EnsembleError>| r.expect_err("refused");
    assert_eq!(err(new(Task::Classification, &["knn"], &vote, None)), EnsembleError::TooFewMembers(1));
    assert!(matches!(err(new(Task::Classification, &["knn", "ridge"], &vote, None)), EnsembleError::MemberTask { .. }));
    assert!(matches!(err(new(Task::Classification, &["knn", "nope"], &vote, None)), EnsembleError::UnknownModel(_)));
    let kmeans_meta = EnsembleKind::Stack { meta: Some("kmeans".into()), folds: 5 };
    assert!(matches!(
        err(new(Task::Classification, &["knn", "decision_tree"], &kmeans_meta, None)),
        EnsembleError::MetaTask { .. }
    ));
    assert!(matches!(err(new(Task::Regression, &["knn", "ridge"], &vote, None)), EnsembleError::KindTask { .. }));
    assert!(matches!(
        err(new(Task::Classification, &["knn", "decision_tree"], &EnsembleKind::Average, None)),
        EnsembleError::KindTask { .. }
    ));
    let two = ["knn", "decision_tree"];
    assert_eq!(
        err(new(Task::Classification, &two, &vote, Some(vec![1.0]))),
        EnsembleError::WeightCount { members: 2, weights: 1 }
    );
    assert!(matches!(
        err(new(Task::Classification, &two, &vote, Some(vec![1.0, -1.0]))),
        EnsembleError::BadWeight { index: 2, .. }
    ));
    assert!(matches!(
        err(new(Task::Classification, &two, &vote, Some(vec![f64::NAN, 1.0]))),
        EnsembleError::BadWeight { index: 1, .. }
    ));
    assert_eq!(err(new(Task::Classification, &two, &vote, Some(vec![0.0, 0.0]))), EnsembleError::ZeroWeights);
    let stack = EnsembleKind::Stack { meta: None, folds: 5 };
    assert_eq!(err(new(Task::Classification, &two, &stack, Some(vec![1.0, 1.0]))), EnsembleError::WeightsWithStack);
    let one_fold = EnsembleKind::Stack { meta: None, folds: 1 };
    assert_eq!(err(new(Task::Classification, &two, &one_fold, None)), EnsembleError::Folds(FoldError::TooFewFolds(1)));
    // Every message says what to do.
    assert!(EnsembleError::TooFewMembers(1).to_string().contains("Tick two or more"));
}
