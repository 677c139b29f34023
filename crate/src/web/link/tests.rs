use super::*;
use crate::base::FeatureValue;
use crate::session::{SearchRequest, Trial};

/// Files stand in as their names.
type Link = WorkerLink<&'static str>;

/// A request that follows the pointer, told apart by its slice.
fn boundary(n: u32) -> Request {
    let slice = vec![("z".to_string(), FeatureValue::Number(n.into()))];
    Request::Boundary { x: "x".into(), y: "y".into(), slice, live: true, two_features: false }
}

fn pdp(feature: &str) -> Request {
    Request::PartialDependence { feature: feature.into() }
}

fn bundled(name: &str) -> Post<&'static str> {
    Post::Request(Request::LoadBundled { name: name.into() })
}

/// A link whose worker is ready and has `iris` loaded.
fn with_iris() -> Link {
    let mut link = Link::default();
    link.worker_started();
    assert_eq!(link.ready(), []);
    assert_eq!(link.load(Load::Bundled("iris".into())), Some(bundled("iris")));
    link.loaded();
    link
}

#[test]
fn requests_wait_for_the_worker_and_then_go_in_order() {
    let mut link = Link::default();
    link.worker_started();
    assert_eq!(link.send(pdp("a")), None);
    assert_eq!(link.send(pdp("b")), None);
    assert_eq!(link.ready(), [Post::Request(pdp("a")), Post::Request(pdp("b"))]);
    assert_eq!(link.send(pdp("c")), Some(pdp("c")));
    assert_eq!(link.ready(), [], "sent requests are not sent again");
}

#[test]
fn at_most_one_following_request_is_in_flight_and_only_the_newest_waits() {
    let mut link = with_iris();
    assert_eq!(link.send_latest(boundary(1)), Some(boundary(1)));
    assert_eq!(link.send_latest(boundary(2)), None, "one is in flight");
    assert_eq!(link.send_latest(boundary(3)), None);
    assert_eq!(link.following_answered(), Some(boundary(3)), "the newest, not the oldest");
    assert_eq!(link.send_latest(boundary(4)), None, "3 is in flight now");
    assert_eq!(link.following_answered(), Some(boundary(4)));
    assert_eq!(link.following_answered(), None, "nothing waits");
    assert_eq!(link.send_latest(boundary(5)), Some(boundary(5)), "idle again: it goes at once");
    // Other requests are not held back by a following one.
    assert_eq!(link.send(pdp("a")), Some(pdp("a")));
}

#[test]
fn a_crash_replays_the_table_into_the_fresh_worker() {
    let mut link = with_iris();
    // Training crashes the worker: no load failed, and a fresh one gets iris.
    assert_eq!(link.send(pdp("train")), Some(pdp("train")));
    assert_eq!(link.failed(), None);
    link.worker_started();
    assert_eq!(link.send(pdp("after")), None, "the fresh worker is not ready");
    assert_eq!(link.ready(), [bundled("iris"), Post::Request(pdp("after"))], "the table first");
    assert!(!link.loading(), "a replay is not the person's load");
    link.loaded();
    assert!(link.has_table());
    // And again after a second crash: the replay stays the table to replay.
    assert_eq!(link.failed(), None);
    link.worker_started();
    assert_eq!(link.ready(), [bundled("iris")]);
}

#[test]
fn a_file_that_crashes_the_worker_is_named_and_the_table_before_comes_back() {
    let mut link = with_iris();
    assert_eq!(link.load(Load::File("huge.csv")), Some(Post::File("huge.csv")));
    assert!(link.loading());
    assert_eq!(link.failed(), Some(Load::File("huge.csv")));
    assert!(!link.loading());
    link.worker_started();
    assert_eq!(link.ready(), [bundled("iris")], "not the file that crashed it");
}

#[test]
fn a_table_asked_for_while_the_worker_restarts_follows_the_replay() {
    let mut link = with_iris();
    assert_eq!(link.failed(), None);
    link.worker_started();
    assert_eq!(link.load(Load::File("new.csv")), None, "the fresh worker is not ready");
    assert_eq!(link.ready(), [bundled("iris"), Post::File("new.csv")]);
    link.loaded();
    assert!(link.loading(), "the first answer was the replay; new.csv is still coming");
    link.loaded();
    assert!(!link.loading());
    // new.csv is now the table a crash brings back.
    assert_eq!(link.failed(), None);
    link.worker_started();
    assert_eq!(link.ready(), [Post::File("new.csv")]);
}

#[test]
fn a_failing_replay_is_not_blamed_on_the_file_after_it() {
    let mut link = with_iris();
    assert_eq!(link.failed(), None);
    link.worker_started();
    assert_eq!(link.load(Load::File("new.csv")), None);
    assert_eq!(link.ready().len(), 2);
    assert_eq!(link.failed(), None, "the replay failed, not new.csv");
    assert!(link.loading(), "new.csv is still coming");
    assert_eq!(link.failed(), Some(Load::File("new.csv")));
}

#[test]
fn nothing_is_held_back_after_a_crash() {
    let mut link = with_iris();
    assert_eq!(link.send_latest(boundary(1)), Some(boundary(1)));
    assert_eq!(link.send_latest(boundary(2)), None);
    // The crash answers 1; the page then replaces the worker.
    assert_eq!(link.following_answered(), Some(boundary(2)));
    assert_eq!(link.failed(), None);
    link.worker_started();
    // 2 went to the dead worker and will never be answered: the pointer must
    // not wait for it.
    assert_eq!(link.send_latest(boundary(3)), None, "waits for the fresh worker, not for 2");
    assert_eq!(link.ready(), [bundled("iris"), Post::Request(boundary(3))]);
    assert_eq!(link.send_latest(boundary(4)), None, "3 is in flight");
    assert_eq!(link.following_answered(), Some(boundary(4)));
}

#[test]
fn cancel_drops_what_was_waiting_behind_the_pointer() {
    let mut link = with_iris();
    assert_eq!(link.send_latest(boundary(1)), Some(boundary(1)));
    assert_eq!(link.send_latest(boundary(2)), None);
    // Canceled before 1 was answered: its answer will never come.
    link.cancel();
    link.worker_started();
    assert_eq!(link.ready(), [bundled("iris")], "2 asked about a model the fresh worker has not got");
    assert_eq!(link.following_answered(), None);
}

#[test]
fn cancel_forgets_the_table_asked_for_and_what_waited() {
    let mut link = with_iris();
    assert_eq!(link.failed(), None);
    link.worker_started();
    assert_eq!(link.load(Load::File("slow.csv")), None);
    assert_eq!(link.send(pdp("a")), None);
    link.cancel();
    assert!(!link.loading());
    link.worker_started();
    assert_eq!(link.ready(), [bundled("iris")]);
    link.loaded();
    assert!(!link.loading());
}

#[test]
fn the_page_opens_on_a_table_only_when_it_has_none() {
    let mut link = Link::default();
    assert!(!link.has_table());
    assert_eq!(link.load(Load::File("first.csv")), None);
    assert!(link.has_table(), "one is on its way");
    link.worker_started();
    assert_eq!(link.ready(), [Post::File("first.csv")]);
    assert_eq!(link.failed(), Some(Load::File("first.csv")));
    assert!(!link.has_table(), "the first file failed: nothing to replay");
    link.worker_started();
    assert_eq!(link.ready(), []);
}

#[test]
fn the_loaded_file_is_there_to_read_again_until_a_bundled_table_replaces_it() {
    let mut link = with_iris();
    assert_eq!(link.loaded_file(), None, "a bundled table is no file");
    assert_eq!(link.load(Load::File("names.csv")), Some(Post::File("names.csv")));
    assert_eq!(link.loaded_file(), None, "not before it loaded");
    link.loaded();
    assert_eq!(link.loaded_file(), Some(&"names.csv"));
    // A file that fails leaves the one loaded before.
    assert_eq!(link.load(Load::File("broken.csv")), Some(Post::File("broken.csv")));
    assert_eq!(link.failed(), Some(Load::File("broken.csv")));
    assert_eq!(link.loaded_file(), Some(&"names.csv"));
    link.load(Load::Bundled("wine".into()));
    link.loaded();
    assert_eq!(link.loaded_file(), None);
}

fn search_request() -> SearchRequest {
    use crate::eval::search::{Dimension, Method, Range};
    let request = crate::session::TrainRequest {
        target: "species".into(),
        task: crate::base::Task::Classification,
        columns: vec![],
        model: "decision_tree".into(),
        params: Default::default(),
        seed: 42,
        pipeline: None,
        test_share: 0.2,
    };
    let dimensions = vec![Dimension { key: "max_depth".into(), range: Range::Int { low: 1, high: 8, log: false } }];
    SearchRequest {
        request,
        dimensions,
        method: Method::Random,
        budget: 20,
        per_setting: 5,
        k: 5,
        folding: Default::default(),
    }
}

/// Trial `index` with the cross-validated mean `score`.
fn trial(index: usize, score: f64) -> Trial {
    let cv = crate::session::CrossValidation {
        measure: "accuracy".into(),
        scores: vec![score; 5],
        mean: score,
        sd: 0.0,
        n_rows: 120,
        folding: Default::default(),
    };
    let searched: crate::model::ParamValues =
        [("max_depth".to_string(), crate::model::ParamValue::Int(index as i64 + 1))].into_iter().collect();
    Trial { index, params: searched.clone(), searched, outcome: Ok(cv) }
}

#[test]
fn a_search_goes_like_any_request_and_its_trials_are_kept_as_they_stream_in() {
    let mut link = with_iris();
    assert_eq!(link.search(search_request()), Some(Request::Search(search_request())));
    assert_eq!(link.trial(trial(0, 0.90)).map(<[Trial]>::len), Some(1));
    let so_far = link.trial(trial(1, 0.95)).unwrap();
    assert_eq!(so_far, [trial(0, 0.90), trial(1, 0.95)], "in the order they ended");
    assert_eq!(link.search_trials().map(<[Trial]>::len), Some(2), "for the live charts' redraw");
    assert_eq!(link.trial(trial(5, 0.99)), None, "not the next trial: a stale one");
    link.searched();
    assert_eq!(link.search_trials(), None);
    assert_eq!(link.trial(trial(2, 0.93)), None, "no search runs");
    assert_eq!(link.cancel(), None, "nothing to give back after the answer");
}

#[test]
fn a_search_asked_for_before_the_worker_is_ready_waits_for_it() {
    let mut link = Link::default();
    link.worker_started();
    assert_eq!(link.search(search_request()), None);
    assert_eq!(link.ready(), [Post::Request(Request::Search(search_request()))]);
}

#[test]
fn cancel_keeps_the_trials_so_far_and_the_best_of_them() {
    let mut link = with_iris();
    link.search(search_request());
    for (i, score) in [0.90, 0.96, 0.93].into_iter().enumerate() {
        link.trial(trial(i, score));
    }
    let kept = link.cancel().expect("the trials so far");
    assert_eq!(kept.trials, [trial(0, 0.90), trial(1, 0.96), trial(2, 0.93)]);
    assert_eq!(kept.best, Some(1));
    link.worker_started();
    assert_eq!(link.ready(), [bundled("iris")], "the search is not replayed");
    assert_eq!(link.trial(trial(3, 0.99)), None, "the stopped worker's last trial is dropped");
    assert_eq!(link.cancel(), None, "given back once");
}

#[test]
fn a_search_canceled_before_its_first_trial_gives_back_nothing() {
    let mut link = with_iris();
    link.search(search_request());
    assert_eq!(link.cancel(), None);
}

#[test]
fn a_crash_mid_search_keeps_the_trials_so_far() {
    let mut link = with_iris();
    link.search(search_request());
    link.trial(trial(0, 0.91));
    assert_eq!(link.failed(), None, "no load failed");
    let kept = link.stop_search().expect("the trial that ended");
    assert_eq!((kept.trials.len(), kept.best), (1, Some(0)));
    link.worker_started();
    assert_eq!(link.ready(), [bundled("iris")]);
}
