use crate::base::program::{Answer, Language, Precision, Program};
use crate::base::NoProgress;
use crate::model::{ParamValues, Predictions};
use crate::prep::{Binning, CategoryEncoding, Fill, GroupStat, Keep, PipelineSpec, Scaler, StepSpec};
use crate::session::tests::{loaded, train, train_request};
use crate::session::{Request, Response, Session, SessionError};

/// The models that lower themselves, by id.
const EXPORTED: [&str; 10] = [
    "mlp",
    "decision_tree",
    "random_forest",
    "gradient_boosting",
    "naive_bayes",
    "knn",
    "linear_regression",
    "ridge",
    "lasso",
    "logistic_regression",
];

/// Whether the program, run row by row, gives the page's predictions on the
/// test rows as `f32`, bit for bit; the first row that differs otherwise.
fn agrees(program: &Program, rows: &[Vec<f32>], page: &Predictions) -> Result<(), String> {
    for (r, row) in rows.iter().enumerate() {
        let ours = program.run(row);
        let theirs = match page.select_rows(&[r]) {
            Predictions::Classes { proba, .. } => {
                let label = page.select_rows(&[r]).labels().and_then(|l| l.first().copied()).unwrap_or(0);
                Answer::Class { label, proba }
            }
            Predictions::Values(v) => Answer::Value(v[0] as f32),
        };
        if ours != theirs {
            return Err(format!("row {r} {row:?}: program {ours:?}, page {theirs:?}"));
        }
    }
    Ok(())
}

fn trained(dataset: &str, model: &str, pipeline: Option<PipelineSpec>) -> Option<Session> {
    let (mut s, summary) = loaded(dataset);
    let mut request = train_request(&summary, 4);
    let spec = crate::model::find(model)?;
    if !spec.tasks.contains(&request.task) {
        return None;
    }
    request.model = model.to_string();
    request.params = ParamValues::new();
    request.pipeline = pipeline;
    train(&mut s, request);
    Some(s)
}

#[test]
fn every_exported_model_runs_as_the_page_predicts() {
    for dataset in ["iris", "penguins", "diabetes"] {
        for model in EXPORTED {
            let Some(s) = trained(dataset, model, None) else { continue };
            let program = s.program().unwrap_or_else(|e| panic!("{model} on {dataset}: {e}"));
            let (rows, page) = s.exported_test_rows().expect("trained");
            if let Err(e) = agrees(&program, &rows, &page) {
                panic!("{model} on {dataset}: {e}");
            }
        }
    }
}

#[test]
fn every_pipeline_step_lowers_as_it_encodes() {
    let specs = [
        vec![
            StepSpec::Impute { numbers: Fill::Mean, indicator: true },
            StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 0 },
            StepSpec::Aggregate { of: "body_mass_g".into(), by: "island".into(), stat: GroupStat::Mean },
            StepSpec::Scale { scaler: Scaler::Standard, columns: Vec::new() },
            StepSpec::Poly { columns: vec!["bill_length_mm".into(), "bill_depth_mm".into()] },
        ],
        vec![
            StepSpec::Impute { numbers: Fill::Median, indicator: false },
            StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 0 },
            StepSpec::Bin { binning: Binning::Quantile, bins: 5, columns: vec!["flipper_length_mm".into()] },
            StepSpec::Scale { scaler: Scaler::Robust, columns: Vec::new() },
            StepSpec::Pca { keep: Keep::Components(3) },
        ],
        vec![
            StepSpec::Impute { numbers: Fill::Median, indicator: false },
            StepSpec::Encode { encoding: CategoryEncoding::Target, min_count: 0 },
        ],
        vec![
            StepSpec::Impute { numbers: Fill::Median, indicator: false },
            StepSpec::Encode { encoding: CategoryEncoding::Ordinal, min_count: 0 },
        ],
    ];
    for steps in specs {
        for model in ["decision_tree", "logistic_regression", "ridge"] {
            let spec = PipelineSpec { steps: steps.clone() };
            let Some(s) = trained("penguins", model, Some(spec)) else { continue };
            let program = s.program().expect("lowers");
            let (rows, page) = s.exported_test_rows().expect("trained");
            if let Err(e) = agrees(&program, &rows, &page) {
                panic!("{model} with {steps:?}: {e}");
            }
        }
    }
}

#[test]
fn a_model_that_does_not_lower_says_so() {
    // An ensemble does not lower itself (yet): its members would each be a program.
    let (mut s, summary) = loaded("iris");
    let req = crate::session::EnsembleRequest {
        base: train_request(&summary, 3),
        members: vec!["decision_tree".into(), "knn".into()],
        kind: crate::model::ensemble::EnsembleKind::Vote { soft: true },
        weights: None,
        axes: None,
        slice: Vec::new(),
    };
    let Response::Ensembled(_) = s.handle(Request::Ensemble(req), &mut NoProgress) else { panic!("no ensemble") };
    assert!(matches!(s.program(), Err(SessionError::NotExportable(_))));
    let Response::Failed(e) =
        s.handle(Request::ExportCode { language: Language::C, precision: Precision::F32 }, &mut NoProgress)
    else {
        panic!("the ensemble exported")
    };
    assert!(e.to_string().contains("cannot be exported"), "{e}");
}
