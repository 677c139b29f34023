use super::*;
use crate::base::NoProgress;
use crate::model::linear::LogisticParams;
use crate::session::tests::{loaded, train, train_request};
use crate::session::{Request, Response};

/// The default random forest on `dataset`'s default target.
fn forest(dataset: &str) -> Session {
    let (mut s, summary) = loaded(dataset);
    let mut req = train_request(&summary, 0);
    req.model = "random_forest".into();
    req.params = ParamValues::new();
    train(&mut s, req);
    s
}

fn distill(s: &mut Session, student: Student, synthetic_rows: usize) -> DistillReport {
    match s.handle(Request::Distill(DistillRequest { student, synthetic_rows, seed: 7 }), &mut NoProgress) {
        Response::Distilled(report) => *report,
        other => panic!("distilling gave {other:?}"),
    }
}

fn accuracy_of(metrics: &Metrics) -> f64 {
    match metrics {
        Metrics::Classification { test_accuracy, .. } => *test_accuracy,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_depth_4_tree_agrees_with_the_default_forest_on_95_percent_of_test_rows() {
    for dataset in ["iris", "penguins"] {
        let mut s = forest(dataset);
        let report = distill(&mut s, Student::Tree { max_depth: 4 }, 1000);
        let summary = &report.summary;
        let Fidelity::Agreement(agreement) = summary.fidelity else { panic!("{:?}", summary.fidelity) };
        println!(
            "{dataset}: fidelity {agreement:.3}, forest {:.3} → tree {:.3}, {:.0}× smaller, {:.1}× faster ({} → {} bytes)",
            accuracy_of(&summary.teacher_metrics),
            accuracy_of(&summary.student_metrics),
            summary.shrink(),
            summary.speedup(),
            summary.teacher_card.bytes,
            summary.student_card.bytes,
        );
        assert!(agreement >= 0.95, "{dataset}: the tree agrees with the forest on {agreement}");
        assert!(summary.shrink() > 10.0, "{dataset}: {}", summary.shrink());
        // The student is the trained model now, with a tree to trace.
        assert!(report.student.model_name.starts_with("Depth-4 decision tree, distilled from the random forest"));
        assert!(matches!(report.student.views.first(), Some(crate::model::view::ModelView::Tree(_))));
        assert_eq!(s.trained.as_ref().map(|t| t.model_name.as_str()), Some(report.student.model_name.as_str()));
    }
}

#[test]
fn distilling_again_learns_from_the_same_teacher_until_a_model_is_trained() {
    let mut s = forest("iris");
    let first = distill(&mut s, Student::Tree { max_depth: 2 }, 0);
    let second = distill(&mut s, Student::Logistic, 200);
    assert_eq!(first.summary.teacher, "Random forest");
    assert_eq!(second.summary.teacher, "Random forest");
    assert_eq!(first.summary.teacher_metrics, second.summary.teacher_metrics);
    // The student cannot be refitted on two axes: that would teach it the truth.
    let refit = Request::Boundary {
        x: "petal_length".into(),
        y: "petal_width".into(),
        slice: vec![],
        live: false,
        two_features: true,
    };
    assert_eq!(s.handle(refit, &mut NoProgress), Response::Failed(SessionError::DistilledRefit));
    // Training another model drops the teacher: the new model teaches.
    let (_, summary) = loaded("iris");
    train(&mut s, train_request(&summary, 3));
    assert!(s.teacher.is_none());
    let third = distill(&mut s, Student::Tree { max_depth: 3 }, 0);
    assert_eq!(third.summary.teacher, "Decision tree (CART)");
}

#[test]
fn a_regression_teacher_is_measured_by_r2_and_bad_settings_are_refused() {
    let (mut s, summary) = loaded("penguins");
    let mut req = train_request(&summary, 0);
    req.target = "body_mass_g".into();
    req.task = Task::Regression;
    req.model = "random_forest".into();
    req.params = ParamValues::new();
    train(&mut s, req);
    let report = distill(&mut s, Student::Mlp { hidden: 8 }, 300);
    let Fidelity::R2(r2) = report.summary.fidelity else { panic!() };
    assert!(r2 > 0.8, "R² against the teacher {r2}");
    for (student, rows) in
        [(Student::Tree { max_depth: 9 }, 0), (Student::Mlp { hidden: 0 }, 0), (Student::Logistic, 20_001)]
    {
        let answer = s.handle(Request::Distill(DistillRequest { student, synthetic_rows: rows, seed: 1 }), &mut NoProgress);
        assert!(matches!(answer, Response::Failed(SessionError::StudentSetting(_))), "{answer:?}");
    }
    let mut empty = Session::new(crate::session::native_clock);
    let answer = empty.handle(
        Request::Distill(DistillRequest { student: Student::Logistic, synthetic_rows: 0, seed: 1 }),
        &mut NoProgress,
    );
    assert_eq!(answer, Response::Failed(SessionError::NoTable));
}

#[test]
fn jitter_is_seeded_stays_near_a_real_row_and_keeps_its_categories() {
    let s = forest("penguins");
    let (table, trained) = (s.table.as_ref().unwrap(), s.trained.as_ref().unwrap());
    let pipeline = &trained.pipeline;
    let rows: Vec<usize> = trained.split.train.iter().map(|&i| trained.rows[i]).collect();
    let raw = pipeline.raw_rows(table, &rows);
    let column = |name: &str| table.column_index(name).unwrap();
    let (flipper, island) = (column("flipper_length_mm"), column("island"));
    let numeric = [flipper];
    let a = jitter(&raw, &numeric, 500, 0.25, 3);
    // Missing values stay NaN, so the rows compare as text.
    let text = |r: &RawRows| format!("{r:?}");
    assert_eq!(text(&a), text(&jitter(&raw, &numeric, 500, 0.25, 3)), "seeded");
    assert_ne!(text(&a), text(&jitter(&raw, &numeric, 500, 0.25, 4)));
    assert_eq!(a.len(), 500);
    // Each synthetic flipper length is within a quarter standard deviation of
    // a real one, and some move nearly that far.
    let real = raw.numbers(flipper).unwrap();
    let reach = 0.25 * Standard::fit(real.iter().filter(|v| !v.is_nan()).map(|&v| v as f64)).std;
    let nearest = |v: f32| real.iter().map(|&r| (r as f64 - v as f64).abs()).fold(f64::INFINITY, f64::min);
    let moved = a.numbers(flipper).unwrap();
    assert!(moved.iter().filter(|v| !v.is_nan()).all(|&v| nearest(v) <= reach + 1e-3), "reach {reach}");
    let exact = moved.iter().filter(|&&v| real.contains(&v)).count();
    assert!(exact < 50, "{exact} of 500 synthetic lengths are a real one: the jitter hardly moved them");
    // Every synthetic row's island is a real row's island (the one it was drawn from).
    let islands = |r: &RawRows| {
        let x = pipeline.encode(r);
        pipeline
            .features()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.column == "island")
            .map(|(j, _)| x.column(j).to_vec())
            .collect::<Vec<_>>()
    };
    let (real_islands, synthetic_islands) = (islands(&raw), islands(&a));
    assert_eq!(synthetic_islands.len(), 3, "one-hot island");
    for r in 0..500 {
        let one_hot: Vec<f32> = synthetic_islands.iter().map(|c| c[r]).collect();
        assert_eq!(one_hot.iter().sum::<f32>(), 1.0);
        assert!((0..rows.len()).any(|t| real_islands.iter().map(|c| c[t]).collect::<Vec<_>>() == one_hot));
    }
    assert_eq!(a.numbers(island), None);
    assert_eq!(jitter(&raw, &numeric, 0, 0.25, 3).len(), 0);
}

/// One input, two rows at −1 and 1, for each soft-target fit.
fn two_rows() -> FeatureMatrix {
    FeatureMatrix::from_columns(2, vec![vec![-1.0, 1.0]])
}

fn probabilities(model: &dyn FittedModel, x: &FeatureMatrix) -> Vec<f32> {
    match model.predict(x) {
        Ok(Predictions::Classes { proba, .. }) => proba,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_logistic_student_learns_the_teachers_probabilities_not_only_its_labels() {
    // The teacher says 30 % and 70 % for class 1 at x = −1 and x = 1, fifty
    // rows each. Hand-worked: the weight w solves the mean loss's gradient
    // (σ(w) − 0.7) + w/100 = 0 (the L2 term ½w² / (C·100)), w = 0.8091, so
    // p(1 | x = 1) = σ(w) = 0.6919. The hard labels (0 then 1) would teach
    // σ(w) = 1 − w/100 instead: w = 3.359, p = 0.9664.
    let x = FeatureMatrix::from_columns(100, vec![(0..100).map(|i| if i < 50 { -1.0 } else { 1.0 }).collect()]);
    let repeat = |pair: [f32; 4]| -> Vec<f32> {
        (0..100).flat_map(|i| if i < 50 { [pair[0], pair[1]] } else { [pair[2], pair[3]] }).collect()
    };
    let soft = LogisticParams::default().fit_soft(&x, &repeat([0.7, 0.3, 0.3, 0.7]), 2, &mut NoProgress).unwrap();
    let p = probabilities(&soft, &x);
    assert!((p[199] - 0.6919).abs() < 1e-3 && (p[1] - 0.3081).abs() < 1e-3, "{:?}", &p[..2]);
    let hard = LogisticParams::default().fit_soft(&x, &repeat([1.0, 0.0, 0.0, 1.0]), 2, &mut NoProgress).unwrap();
    assert!((probabilities(&hard, &x)[199] - 0.9664).abs() < 1e-3, "{:?}", probabilities(&hard, &x)[199]);
    // Three classes: the softmax path follows its teacher as well (with the
    // weak penalty of 100 rows, to within a few points).
    let teacher = [0.6, 0.3, 0.1, 0.1, 0.3, 0.6];
    let repeat3 = (0..100).flat_map(|i| if i < 50 { &teacher[..3] } else { &teacher[3..] }).copied().collect::<Vec<f32>>();
    let soft = LogisticParams::default().fit_soft(&x, &repeat3, 3, &mut NoProgress).unwrap();
    let p = probabilities(&soft, &x);
    assert!(p[..3].iter().chain(&p[297..]).zip(&teacher).all(|(p, q)| (p - q).abs() < 0.03), "{:?}", &p[..3]);
    let x = two_rows();
    // One-hot soft targets are the ordinary fit, bit for bit.
    let data = Dataset {
        x: x.clone(),
        target: Target::Classes { y: vec![0, 1], names: vec!["a".into(), "b".into()] },
        feature_names: vec!["x".into()],
    };
    let ordinary = LogisticParams::default().fit(&data, 0, &mut NoProgress).unwrap();
    let one_hot = LogisticParams::default().fit_soft(&x, &[1.0, 0.0, 0.0, 1.0], 2, &mut NoProgress).unwrap();
    assert_eq!(probabilities(&ordinary, &x), probabilities(&one_hot, &x));
    assert!(matches!(
        LogisticParams::default().fit_soft(&x, &[1.0, 0.0], 2, &mut NoProgress),
        Err(crate::model::FitError::SoftTargets { rows: 2, classes: 2, given: 2 })
    ));
}

#[test]
fn a_network_student_learns_the_teachers_probabilities() {
    let x = two_rows();
    let params = MlpParams { hidden: vec![4], max_epochs: 2000, learning_rate: 0.01, ..MlpParams::default() };
    let teacher = [0.7, 0.3, 0.3, 0.7];
    let soft = params.fit_soft(&x, &teacher, &[0, 1], 5, &mut NoProgress).unwrap();
    let p = probabilities(&soft, &x);
    assert!((p[3] - 0.7).abs() < 0.05 && (p[1] - 0.3).abs() < 0.05, "{p:?}");
    let hard = params.fit_soft(&x, &[1.0, 0.0, 0.0, 1.0], &[0, 1], 5, &mut NoProgress).unwrap();
    assert!(probabilities(&hard, &x)[3] > 0.85, "{:?}", probabilities(&hard, &x));
}
