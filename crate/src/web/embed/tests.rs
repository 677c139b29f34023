use super::*;
use serde_json::json;

fn read_json(value: serde_json::Value) -> Result<HostCommand, String> {
    read(value)
}

#[test]
fn a_host_sets_the_dataset_three_ways() {
    assert_eq!(
        read_json(json!({"type": "set-dataset", "bundled": "iris"})),
        Ok(HostCommand::SetDataset(HostTable::Bundled("iris".into())))
    );
    assert_eq!(
        read_json(json!({"type": "set-dataset", "csv": "a,b\n1,2\n", "name": "x.csv"})),
        Ok(HostCommand::SetDataset(HostTable::Csv { name: "x.csv".into(), text: "a,b\n1,2\n".into() }))
    );
    let Ok(HostCommand::SetDataset(HostTable::Toy(toy))) =
        read_json(json!({"type": "set-dataset", "toy": "moons", "rows": 200, "noise": 0.3, "seed": 4}))
    else {
        panic!("a toy set")
    };
    assert_eq!((toy.kind.id(), toy.rows, toy.noise, toy.seed), ("moons", 200, 0.3, 4));
}

#[test]
fn a_host_configures_and_trains() {
    let Ok(HostCommand::Configure(c)) = read_json(json!({
        "type": "configure", "target": "species", "model": "decision_tree",
        "params": {"max_depth": 2, "criterion": "entropy"}, "seed": 7, "testShare": 0.25
    })) else {
        panic!("a configure")
    };
    assert_eq!(
        (c.target.as_deref(), c.model.as_deref(), c.seed, c.test_percent),
        (Some("species"), Some("decision_tree"), Some(7), Some(25))
    );
    let params = c.params("decision_tree", Task::Classification).unwrap();
    assert_eq!(params["max_depth"], crate::model::ParamValue::Int(2));
    assert_eq!(params["criterion"], crate::model::ParamValue::Choice("entropy".into()));
    assert_eq!(read_json(json!({"type": "train"})), Ok(HostCommand::Train));
    assert_eq!(read_json(json!({"type": "trace", "row": 13})), Ok(HostCommand::Trace(12)));
}

#[test]
fn every_bad_message_gets_words_back() {
    let err = |v: serde_json::Value| read_json(v).unwrap_err();
    assert!(err(json!({"type": "fly"})).contains("unknown variant `fly`"), "{}", err(json!({"type": "fly"})));
    assert!(err(json!({"model": "knn"})).contains("missing field `type`"));
    assert!(err(json!("train")).contains("could not read the message"));
    assert!(err(json!({"type": "train", "now": true})).contains("unknown field `now`"));
    assert!(err(json!({"type": "set-dataset", "bundled": "titanic"})).contains("no bundled dataset 'titanic'"));
    assert!(err(json!({"type": "set-dataset"})).contains("one of bundled, csv or toy"));
    assert!(err(json!({"type": "set-dataset", "bundled": "iris", "csv": "a"})).contains("one of bundled, csv or toy"));
    assert!(err(json!({"type": "set-dataset", "csv": "  "})).contains("csv is empty"));
    assert!(err(json!({"type": "set-dataset", "toy": "moons", "rows": 5})).contains("20"));
    assert!(err(json!({"type": "configure", "model": "gpt"})).contains("There is no model 'gpt'"));
    assert!(err(json!({"type": "configure", "task": "ranking"})).contains("no task 'ranking'"));
    assert!(err(json!({"type": "configure", "seed": -1})).contains("seed must be a whole number"));
    assert!(err(json!({"type": "configure", "testShare": 0.9})).contains("testShare"));
    assert!(err(json!({"type": "configure", "testShare": 0.123})).contains("testShare"));
    assert!(err(json!({"type": "configure", "params": {"max_depth": [1]}})).contains("could not read"));
    assert!(err(json!({"type": "trace", "row": 0})).contains("counted from 1"));
    assert!(err(json!({"type": "trace", "row": 1.5})).contains("counted from 1"));
    let Ok(HostCommand::Configure(c)) = read_json(json!({"type": "configure", "params": {"depth": 3, "max_depth": 999}}))
    else {
        panic!("a configure")
    };
    let e = c.params("decision_tree", Task::Classification).unwrap_err();
    assert!(e.contains("no setting 'depth'") && e.contains("max_depth"), "{e}");
    let c = Configure { params: vec![("max_depth".into(), "999".into())], ..Configure::default() };
    let e = c.params("decision_tree", Task::Classification).unwrap_err();
    assert!(e.contains("999"), "out of range, by value: {e}");
}

#[test]
fn the_page_posts_plain_objects() {
    assert_eq!(serde_json::to_value(PageMessage::Ready { needs_file: None }).unwrap(), json!({"type": "ready"}));
    let waiting = PageMessage::Ready { needs_file: Some(WantedFile { name: "survey.csv".into(), bytes: 12_345 }) };
    assert_eq!(
        serde_json::to_value(waiting).unwrap(),
        json!({"type": "ready", "needsFile": {"name": "survey.csv", "bytes": 12345}})
    );
    let metrics =
        Metrics::Classification { train_accuracy: 1.0, test_accuracy: 0.9, test_se: 0.05, n_train: 120, n_test: 30 };
    let trained = PageMessage::Trained {
        model: "knn".into(),
        name: "k-nearest neighbours".into(),
        metrics: HostMetrics::of(&metrics),
        text: "Test accuracy 0.900".into(),
    };
    assert_eq!(
        serde_json::to_value(trained).unwrap(),
        json!({"type": "trained", "model": "knn", "name": "k-nearest neighbours", "text": "Test accuracy 0.900",
               "metrics": {"task": "classification", "score": "accuracy", "train": 1.0, "test": 0.9, "testSe": 0.05,
                           "nTrain": 120, "nTest": 30}})
    );
    assert_eq!(
        serde_json::to_value(PageMessage::Error { message: "no".into() }).unwrap(),
        json!({"type": "error", "message": "no"})
    );
}
