use crate::base::{NoProgress, Task};
use crate::eval::Metrics;
use crate::session::tests::{load_fixture, loaded, train, train_request};
use crate::session::{PredictionsCsv, Request, Response, Session, SessionError, TrainRequest, NO_TARGET};

fn predictions(s: &mut Session) -> PredictionsCsv {
    match s.handle(Request::Predictions, &mut NoProgress) {
        Response::Predictions(p) => p,
        other => panic!("predictions gave {other:?}"),
    }
}

/// The header and the records of `csv`, read back by the csv crate.
fn read(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let head = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (head, rows)
}

fn count(rows: &[Vec<String>], column: usize, value: &str) -> usize {
    rows.iter().filter(|r| r[column] == value).count()
}

#[test]
fn every_penguin_gets_its_split_class_probabilities_and_whether_it_was_right() {
    let (mut s, summary) = loaded("penguins");
    let report =
        train(&mut s, TrainRequest { target: "species".into(), task: Task::Classification, ..train_request(&summary, 4) });
    let p = predictions(&mut s);
    let (head, rows) = read(&p.csv);
    assert_eq!(
        head,
        ["row", "split", "actual species", "predicted species", "P(Adelie)", "P(Gentoo)", "P(Chinstrap)", "right"]
    );
    assert_eq!((p.rows, rows.len(), p.unpredicted), (summary.n_rows, summary.n_rows, 0));
    let Metrics::Classification { n_train, n_test, test_accuracy, .. } = report.metrics else { panic!() };
    assert_eq!((count(&rows, 1, "train"), count(&rows, 1, "test")), (n_train, n_test));
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], (i + 1).to_string());
        let sum: f64 = r[4..7].iter().map(|v| v.parse::<f64>().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-5, "row {i}: probabilities sum to {sum}");
        // Only test rows are scored, and "right" says whether the prediction is the actual class.
        match r[1].as_str() {
            "test" => assert_eq!(r[7], if r[2] == r[3] { "yes" } else { "no" }),
            _ => assert_eq!(r[7], ""),
        }
    }
    // The test rows marked right make the page's test accuracy.
    assert!((count(&rows, 7, "yes") as f64 / n_test as f64 - test_accuracy).abs() < 1e-12);
}

#[test]
fn rows_without_a_target_are_predicted_and_said_so() {
    let mut s = Session::new(crate::session::native_clock);
    let summary = load_fixture(&mut s, "passengers.csv");
    let req = crate::session::tests::fixture_request(&summary, "survived", Task::Classification, "decision_tree");
    train(&mut s, req);
    let p = predictions(&mut s);
    let (_, rows) = read(&p.csv);
    assert_eq!(rows.len(), 90);
    // Every sixth passenger has no survived value: predicted, not scored.
    let unscored: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == NO_TARGET).collect();
    assert_eq!(unscored.len(), 15);
    assert!(unscored.iter().all(|r| r[2].is_empty() && !r[3].is_empty() && r.last().unwrap().is_empty()));
}

#[test]
fn a_regression_writes_the_value_and_the_test_rows_error() {
    let (mut s, summary) = loaded("diabetes");
    let report = train(&mut s, train_request(&summary, 4));
    let Metrics::Regression { test_mae, n_test, .. } = report.metrics else { panic!("a regression") };
    let (head, rows) = read(&predictions(&mut s).csv);
    assert_eq!(head[2..], ["actual progression", "predicted progression", "error"]);
    let errors: Vec<f64> = rows.iter().filter(|r| r[1] == "test").map(|r| r[4].parse().unwrap()).collect();
    assert_eq!(errors.len(), n_test);
    for r in &rows {
        if r[1] == "test" {
            let (actual, predicted, error): (f64, f64, f64) =
                (r[2].parse().unwrap(), r[3].parse().unwrap(), r[4].parse().unwrap());
            assert!((predicted - actual - error).abs() < 1e-9 * actual.abs().max(1.0));
        }
    }
    // The errors are the ones the page's mean absolute error averages.
    let mae = errors.iter().map(|e| e.abs()).sum::<f64>() / errors.len() as f64;
    assert!((mae - test_mae).abs() < 1e-9 * test_mae, "{mae} against {test_mae}");
}

#[test]
fn a_clustering_writes_each_rows_cluster() {
    let (mut s, summary) = loaded("iris");
    let req = TrainRequest {
        target: String::new(),
        task: Task::Clustering,
        model: "kmeans".into(),
        params: crate::model::ParamValues::from([("k".to_string(), crate::model::ParamValue::Int(3))]),
        ..train_request(&summary, 3)
    };
    train(&mut s, req);
    let (head, rows) = read(&predictions(&mut s).csv);
    assert_eq!(head, ["row", "split", "cluster"]);
    assert_eq!(rows.len(), 150);
    assert!(rows.iter().all(|r| ["cluster 1", "cluster 2", "cluster 3"].contains(&r[2].as_str())));
}

#[test]
fn predictions_need_a_trained_model() {
    let (mut s, _) = loaded("iris");
    assert_eq!(s.handle(Request::Predictions, &mut NoProgress), Response::Failed(SessionError::NotTrained));
}
