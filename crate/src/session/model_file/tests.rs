use super::super::tests::{loaded, train, train_request};
use super::*;
use crate::base::NoProgress;
use crate::model::{ParamValues, Predictions, REGISTRY};
use crate::prep::{Binning, CategoryEncoding, Fill, Keep, PipelineSpec, Scaler, StepSpec};
use crate::session::{Request, Response};

fn save(s: &mut Session) -> SavedModel {
    match s.handle(Request::SaveModel, &mut NoProgress) {
        Response::ModelSaved(saved) => saved,
        other => panic!("saving gave {other:?}"),
    }
}

fn load(s: &mut Session, json: &str) -> Result<LoadedModel, SessionError> {
    match s.handle(Request::LoadModel { json: json.to_string() }, &mut NoProgress) {
        Response::ModelLoaded(loaded) => Ok(*loaded),
        Response::Failed(e) => Err(e),
        other => panic!("loading a model gave {other:?}"),
    }
}

/// The trained model's answers on every row with a target.
fn predictions(s: &Session) -> Predictions {
    let trained = s.trained.as_ref().expect("a trained model");
    trained.model.predict(&trained.data.x).expect("it predicts")
}

/// Trains `req` on `dataset`, saves, loads the file into a fresh session on
/// the same dataset, and checks the same answers, bit for bit, and the same report.
fn round_trip(dataset: &str, req: TrainRequest) {
    let (mut s, _) = loaded(dataset);
    let report = train(&mut s, req.clone());
    let saved = save(&mut s);
    let (mut fresh, _) = loaded(dataset);
    let what = format!("{} on {dataset} ({:?})", req.model, req.task);
    let loaded = load(&mut fresh, &saved.json).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(predictions(&fresh), predictions(&s), "{what}");
    assert_eq!(loaded.report.metrics, report.metrics, "{what}");
    // Boosting's split gains are its training record, not its fitted state:
    // loaded, it is ranked by permutation importance instead.
    if req.model != "gradient_boosting" {
        assert_eq!(loaded.report.importance, report.importance, "{what}");
    }
    // The same boundary over the same axes.
    if let [x, y, ..] = report.axis_options.as_slice() {
        let boundary = |s: &mut Session| {
            let plot = Request::Boundary { x: x.clone(), y: y.clone(), slice: vec![], live: false, two_features: false };
            match s.handle(plot, &mut NoProgress) {
                Response::Boundary(b) => b.rgba,
                other => panic!("{what}: the boundary gave {other:?}"),
            }
        };
        assert!(boundary(&mut fresh) == boundary(&mut s), "{what}: the boundary differs");
    }
    assert_eq!(loaded.report.model_name, report.model_name, "{what}");
    assert_eq!(loaded.note, None, "{what}");
    // Saving the loaded model writes the same file.
    assert_eq!(save(&mut fresh).json, saved.json, "{what}");
}

#[test]
fn every_registered_model_round_trips_bit_for_bit_on_every_task() {
    for spec in REGISTRY {
        for &task in spec.tasks {
            // Penguins: missing values imputed and an island one-hot encoded.
            let dataset = match task {
                Task::Classification => "penguins",
                Task::Regression => "diabetes",
                Task::Clustering => "iris",
            };
            let (_, summary) = loaded(dataset);
            let mut req = train_request(&summary, 4);
            req.model = spec.id.to_string();
            req.params = ParamValues::new();
            req.task = task;
            if task == Task::Clustering {
                req.columns.retain(|c| c.name != "species");
            }
            round_trip(dataset, req);
        }
    }
}

#[test]
fn a_fitted_pipeline_with_every_input_step_round_trips() {
    let (_, summary) = loaded("penguins");
    let mut req = train_request(&summary, 4);
    req.model = "logistic_regression".into();
    req.params = ParamValues::new();
    req.pipeline = Some(PipelineSpec {
        steps: vec![
            StepSpec::Impute { numbers: Fill::Mean, indicator: true },
            StepSpec::Encode { encoding: CategoryEncoding::Target, min_count: 5 },
            StepSpec::Scale { scaler: Scaler::Standard, columns: Vec::new() },
            StepSpec::Bin { binning: Binning::Quantile, bins: 5, columns: vec!["flipper_length_mm".into()] },
            StepSpec::Poly { columns: vec!["bill_length_mm".into(), "bill_depth_mm".into()] },
            StepSpec::Pca { keep: Keep::Components(4) },
        ],
    });
    round_trip("penguins", req);
}

#[test]
fn a_distilled_student_round_trips_under_its_own_name() {
    let (mut s, summary) = loaded("iris");
    let mut req = train_request(&summary, 4);
    req.model = "random_forest".into();
    train(&mut s, req);
    let distill = crate::session::DistillRequest {
        student: crate::session::Student::Tree { max_depth: 3 },
        synthetic_rows: 200,
        seed: 1,
    };
    let Response::Distilled(student) = s.handle(Request::Distill(distill), &mut NoProgress) else { panic!("distilled") };
    let saved = save(&mut s);
    let (mut fresh, _) = loaded("iris");
    let loaded = load(&mut fresh, &saved.json).expect("loads");
    assert_eq!(predictions(&fresh), predictions(&s));
    assert_eq!(loaded.report.model_name, student.student.model_name);
}

/// A trained iris tree and its file, as a JSON value to damage.
fn iris_file() -> (Session, serde_json::Value) {
    let (mut s, summary) = loaded("iris");
    train(&mut s, train_request(&summary, 3));
    let json = save(&mut s).json;
    (s, serde_json::from_str(&json).expect("the file is JSON"))
}

/// Loads `json` into `s`, expects `err`'s kind of refusal, and checks that the
/// model trained before still answers as it did and saves the same file.
fn refused(s: &mut Session, json: &str) -> SessionError {
    let (before, file) = (predictions(s), save(s).json);
    let err = load(s, json).expect_err("a damaged file is refused");
    assert_eq!(predictions(s), before);
    assert_eq!(save(s).json, file);
    err
}

#[test]
fn a_file_from_a_newer_version_says_so_by_number() {
    let (mut s, mut file) = iris_file();
    file["version"] = serde_json::json!(3);
    let err = refused(&mut s, &file.to_string());
    assert_eq!(err, SessionError::ModelFileVersion { found: 3, reads: 1 });
    assert!(err.to_string().contains("made by a newer Micro Models, format 3; this page reads up to 1"), "{err}");
}

#[test]
fn damaged_files_are_refused_and_nothing_changes() {
    let (mut s, file) = iris_file();
    let text = file.to_string();
    // Cut short.
    let err = refused(&mut s, &text[..text.len() / 2]);
    assert!(matches!(&err, SessionError::ModelFileDamaged(why) if why.contains("not JSON")), "{err}");
    // Another JSON file.
    let err = refused(&mut s, r#"{"columns": []}"#);
    assert!(matches!(&err, SessionError::ModelFileDamaged(why) if why.contains("not a Micro Models model file")), "{err}");
    // A field of the wrong type, a field missing.
    let mut flipped = file.clone();
    flipped["split"]["seed"] = serde_json::json!("forty-two");
    assert!(matches!(refused(&mut s, &flipped.to_string()), SessionError::ModelFileDamaged(_)));
    let mut missing = file.clone();
    missing.as_object_mut().expect("an object").remove("pipeline");
    let err = refused(&mut s, &missing.to_string());
    assert!(matches!(&err, SessionError::ModelFileDamaged(why) if why.contains("pipeline")), "{err}");
    // A model the registry does not hold.
    let mut unknown = file.clone();
    unknown["model"]["id"] = serde_json::json!("quantum_forest");
    assert_eq!(refused(&mut s, &unknown.to_string()), SessionError::UnknownModel("quantum_forest".into()));
}

#[test]
fn a_tree_pointing_past_its_nodes_is_refused_before_it_predicts() {
    let (mut s, file) = iris_file();
    let nodes = file["model"]["state"]["grown"]["nodes"].as_array().expect("the tree's nodes").len();
    let mut bad = file.clone();
    bad["model"]["state"]["grown"]["nodes"][0]["right"] = serde_json::json!(nodes + 5);
    let err = refused(&mut s, &bad.to_string());
    assert!(
        matches!(&err, SessionError::Load(crate::model::LoadError::Inconsistent(why)) if why.contains("children")),
        "{err}"
    );
    // A child pointing back at its parent would walk forever.
    let mut cycle = file.clone();
    cycle["model"]["state"]["grown"]["nodes"][0]["left"] = serde_json::json!(0);
    assert!(matches!(refused(&mut s, &cycle.to_string()), SessionError::Load(_)));
    // A split on an input the pipeline does not make.
    let mut input = file.clone();
    input["model"]["state"]["grown"]["nodes"][0]["feature"] = serde_json::json!(40);
    assert!(matches!(refused(&mut s, &input.to_string()), SessionError::Load(_)));
}

#[test]
fn a_model_of_numbers_read_as_one_of_classes_is_refused() {
    let (mut s, summary) = loaded("diabetes");
    train(&mut s, train_request(&summary, 3));
    let mut file: serde_json::Value = serde_json::from_str(&save(&mut s).json).expect("JSON");
    file["request"]["task"] = serde_json::json!("Classification");
    let err = refused(&mut s, &file.to_string());
    assert!(matches!(&err, SessionError::ModelFileDamaged(why) if why.contains("answers do not fit")), "{err}");
}

#[test]
fn a_damaged_pipeline_is_refused() {
    let (mut s, file) = iris_file();
    let mut bad = file.clone();
    bad["pipeline"]["columns"][0]["column"] = serde_json::json!(99);
    let err = refused(&mut s, &bad.to_string());
    assert!(matches!(err, SessionError::Prep(PrepError::DamagedPipeline(_))), "{err}");
}

#[test]
fn the_model_needs_its_table_and_its_columns() {
    let (_, file) = iris_file();
    let mut empty = Session::new(crate::session::native_clock);
    let err = load(&mut empty, &file.to_string()).expect_err("no table");
    assert_eq!(err, SessionError::ModelNeedsTable("iris".into()));
    assert!(empty.trained.is_none());
    // Penguins lacks iris's columns: each one missing is named, and the table it needs.
    let (mut penguins, _) = loaded("penguins");
    let err = load(&mut penguins, &file.to_string()).expect_err("other columns");
    assert!(
        err.to_string().starts_with(
            "This table does not fit the model trained on 'iris': it has no columns 'sepal length (cm)', 'sepal width \
             (cm)', 'petal length (cm)', 'petal width (cm)'"
        ),
        "{err}"
    );
    assert!(penguins.trained.is_none());
}
