//! Ensembles through the protocol: they become the trained model, explain
//! themselves as any model does, and refuse bad requests with a reason.

use super::super::tests::{loaded, trace, train_request};
use super::*;
use crate::base::{NoProgress, Task};
use crate::eval::Metrics;
use crate::explain::Legend;
use crate::model::ensemble::{EnsembleError, EnsembleKind};
use crate::session::{DataSummary, Request};

fn request(summary: &DataSummary, members: &[&str], kind: EnsembleKind, weights: Option<Vec<f64>>) -> EnsembleRequest {
    EnsembleRequest {
        base: train_request(summary, 3),
        members: members.iter().map(|m| m.to_string()).collect(),
        kind,
        weights,
        axes: None,
        slice: Vec::new(),
    }
}

fn ensembled(s: &mut Session, req: EnsembleRequest) -> EnsembleReport {
    match s.handle(Request::Ensemble(req), &mut NoProgress) {
        Response::Ensembled(report) => *report,
        other => panic!("the ensemble gave {other:?}"),
    }
}

fn refused(s: &mut Session, req: EnsembleRequest) -> SessionError {
    match s.handle(Request::Ensemble(req), &mut NoProgress) {
        Response::Failed(e) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

const THREE: [&str; 3] = ["decision_tree", "logistic_regression", "knn"];

#[test]
fn a_soft_vote_on_penguins_becomes_the_trained_model() {
    let (mut s, summary) = loaded("penguins");
    let report = ensembled(&mut s, request(&summary, &THREE, EnsembleKind::Vote { soft: true }, Some(vec![1.0, 2.0, 1.0])));
    let trained = &report.trained;
    assert_eq!(trained.model_name, "Soft vote of 3");
    let Metrics::Classification { test_accuracy, .. } = trained.metrics else { panic!("classes") };
    assert!(test_accuracy > 0.9, "{test_accuracy}");
    assert!(
        trained
            .prep_summary
            .contains("standard-scaled because Logistic regression, k-nearest neighbours want scaled inputs"),
        "{}",
        trained.prep_summary
    );
    // The card counts every member's parameters.
    let members: usize = report.members.iter().map(|m| m.card.n_parameters).sum();
    assert_eq!(trained.card.n_parameters, members);
    assert_eq!(
        report.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["Decision tree (CART)", "Logistic regression", "k-nearest neighbours"]
    );
    // Every member and the ensemble on the same axes, at the comparison's grid.
    let b = trained.boundary.as_ref().expect("a boundary");
    for m in &report.members {
        let mb = m.boundary.as_ref().expect("a member boundary");
        assert_eq!((&mb.x.name, &mb.y.name, mb.grid_width), (&b.x.name, &b.y.name, boundary::SMALL_GRID));
        assert!(mb.title.starts_with(&m.name), "{}", mb.title);
    }
    let Ok(row) = &report.row.outcome else { panic!("the ensemble's comparison row") };
    assert_eq!(row.metrics, trained.metrics);
    assert_eq!(report.trust.as_ref().expect("vote weights").weights, vec![0.25, 0.5, 0.25]);
    let d = report.disagreement.as_ref().expect("a disagreement map");
    assert!(matches!(&d.legend, Legend::Scale { min, max, .. } if *min == 0.0 && *max == 1.0));
    // Every test row with both coordinates (one of penguins' 69 lacks one).
    assert_eq!(d.points.x.len(), b.points.is_test.iter().filter(|&&t| t).count());
    assert_eq!(d.points.x.len(), 68);
    assert!(d.points.value.iter().all(|&v| (0.0..=1.0).contains(&v)));

    // The ensemble is the trained model: a row traces through each member.
    let point = trace(&mut s, b, b.points.rows[0] as usize);
    assert_eq!(point.members.len(), 3);
    assert!(point.text.contains("Its members: decision tree (CART) says "), "{}", point.text);
    assert_eq!(point.members[1].weight, Some(0.5));
    // And refits on the plot's two axes as an ensemble.
    let two = Request::Boundary { x: b.x.name.clone(), y: b.y.name.clone(), slice: vec![], live: false, two_features: true };
    match s.handle(two, &mut NoProgress) {
        Response::Boundary(view) => assert!(view.title.starts_with("Soft vote of 3, refitted"), "{}", view.title),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_stack_on_penguins_reports_how_much_it_trusts_each_member() {
    let (mut s, summary) = loaded("penguins");
    let report = ensembled(&mut s, request(&summary, &THREE, EnsembleKind::Stack { meta: None, folds: 5 }, None));
    assert_eq!(report.trained.model_name, "Stack of 3 (Logistic regression)");
    let trust = report.trust.expect("a logistic meta model's weights");
    assert_eq!(trust.title, "How much the logistic regression trusts each member");
    assert!((trust.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // The model's own view is the same chart.
    assert!(matches!(report.trained.views.first(), Some(crate::model::view::ModelView::Members(_))));
    // No learning curve: an ensemble has no one complexity setting.
    assert!(report.trained.evaluation.learning_curve.is_none());
}

#[test]
fn an_average_of_values_maps_the_members_spread() {
    let (mut s, summary) = loaded("diabetes");
    let report = ensembled(&mut s, request(&summary, &["decision_tree", "ridge"], EnsembleKind::Average, None));
    assert_eq!(report.trained.model_name, "Average of 2");
    let d = report.disagreement.expect("a spread map");
    let Legend::Scale { name, max, .. } = &d.legend else { panic!("a scale") };
    assert_eq!(name, "spread of the members' progression");
    assert!(*max > 0.0);
}

#[test]
fn bad_ensembles_are_refused_and_the_trained_model_stays() {
    let (mut s, summary) = loaded("penguins");
    let before = ensembled(&mut s, request(&summary, &THREE, EnsembleKind::Vote { soft: false }, None));
    let vote = || EnsembleKind::Vote { soft: false };
    assert_eq!(refused(&mut s, request(&summary, &["knn"], vote(), None)), EnsembleError::TooFewMembers(1).into());
    assert!(matches!(
        refused(&mut s, request(&summary, &["knn", "kmeans"], vote(), None)),
        SessionError::Ensemble(EnsembleError::MemberTask { .. })
    ));
    assert!(matches!(
        refused(&mut s, request(&summary, &THREE, vote(), Some(vec![1.0, 1.0]))),
        SessionError::Ensemble(EnsembleError::WeightCount { members: 3, weights: 2 })
    ));
    let ridge_meta = EnsembleKind::Stack { meta: Some("ridge".into()), folds: 5 };
    assert!(matches!(
        refused(&mut s, request(&summary, &THREE, ridge_meta, None)),
        SessionError::Ensemble(EnsembleError::MetaTask { .. })
    ));
    let mut regression = request(&summary, &THREE, vote(), None);
    regression.base.task = Task::Clustering;
    assert!(matches!(refused(&mut s, regression), SessionError::Ensemble(EnsembleError::MemberTask { .. })));
    // The hard vote trained first is still the one explained.
    let b = before.trained.boundary.as_ref().expect("a boundary");
    assert_eq!(trace(&mut s, b, b.points.rows[0] as usize).members.len(), 3);
}
