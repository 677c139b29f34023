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

fn bundled(name: &str) -> Body<&'static str> {
    Body::Request(Request::LoadBundled { name: name.into() })
}

/// What posts carry, without their ids.
fn bodies(posts: Vec<Post<&'static str>>) -> Vec<Body<&'static str>> {
    posts.into_iter().map(|p| p.body).collect()
}

/// The request a post carries.
fn request(post: Option<Post<&'static str>>) -> Option<Request> {
    match post?.body {
        Body::Request(request) => Some(request),
        Body::File(file) => panic!("a file, {file}, where a request was expected"),
    }
}

/// The id of a post that went at once.
fn id(post: Option<Post<&'static str>>) -> RequestId {
    post.expect("posted at once").id
}

/// The id of the post that carries `body`.
fn id_of(posts: &[Post<&'static str>], body: &Body<&'static str>) -> RequestId {
    posts.iter().find(|p| p.body == *body).expect("posted").id
}

/// A link whose worker is ready and has `iris` loaded.
fn with_iris() -> Link {
    let mut link = Link::default();
    link.worker_started();
    assert_eq!(link.ready(), []);
    let load = id(link.load(Load::Bundled("iris".into())));
    assert_eq!(link.answered(load), Ended::Load(None));
    link
}

#[test]
fn requests_wait_for_the_worker_and_then_go_in_order() {
    let mut link = Link::default();
    link.worker_started();
    assert_eq!(link.send(pdp("a")), None);
    assert_eq!(link.send(pdp("b")), None);
    let posts = link.ready();
    assert_ne!(posts[0].id, posts[1].id, "every request has its own id");
    assert_eq!(bodies(posts), [Body::Request(pdp("a")), Body::Request(pdp("b"))]);
    assert_eq!(request(link.send(pdp("c"))), Some(pdp("c")));
    assert_eq!(link.ready(), [], "sent requests are not sent again");
}

#[test]
fn at_most_one_following_request_is_in_flight_and_only_the_newest_waits() {
    let mut link = with_iris();
    let one = id(link.send_latest(boundary(1)));
    assert_eq!(link.send_latest(boundary(2)), None, "one is in flight");
    assert_eq!(link.send_latest(boundary(3)), None);
    let Ended::Following(next) = link.answered(one) else { panic!("a following request") };
    let three = next.clone().map(|p| p.id);
    assert_eq!(request(next), Some(boundary(3)), "the newest, not the oldest");
    assert_eq!(link.send_latest(boundary(4)), None, "3 is in flight now");
    let Ended::Following(next) = link.answered(three.unwrap()) else { panic!("a following request") };
    let four = next.clone().map(|p| p.id);
    assert_eq!(request(next), Some(boundary(4)));
    assert_eq!(link.answered(four.unwrap()), Ended::Following(None), "nothing waits");
    assert_eq!(request(link.send_latest(boundary(5))), Some(boundary(5)), "idle again: it goes at once");
    // Other requests are not held back by a following one.
    assert_eq!(request(link.send(pdp("a"))), Some(pdp("a")));
}

#[test]
fn a_crash_replays_the_table_into_the_fresh_worker() {
    let mut link = with_iris();
    // Training crashes the worker: no load failed, and a fresh one gets iris.
    let train = id(link.send(pdp("train")));
    assert_eq!(link.failed(train), Ended::Other);
    link.worker_started();
    assert_eq!(link.send(pdp("after")), None, "the fresh worker is not ready");
    let posts = link.ready();
    let replay = posts[0].id;
    assert_eq!(bodies(posts), [bundled("iris"), Body::Request(pdp("after"))], "the table first");
    assert!(!link.loading(), "a replay is not the person's load");
    assert_eq!(link.answered(replay), Ended::Replay);
    assert!(link.has_table());
    // And again after a second crash: the replay stays the table to replay.
    link.worker_started();
    assert_eq!(bodies(link.ready()), [bundled("iris")]);
}

#[test]
fn a_file_that_crashes_the_worker_is_named_and_the_table_before_comes_back() {
    let mut link = with_iris();
    let post = link.load(Load::File("huge.csv")).expect("the worker is ready");
    assert_eq!(post.body, Body::File("huge.csv"));
    assert!(link.loading());
    assert_eq!(link.failed(post.id), Ended::Load(Some(Load::File("huge.csv"))));
    assert!(!link.loading());
    link.worker_started();
    assert_eq!(bodies(link.ready()), [bundled("iris")], "not the file that crashed it");
}

#[test]
fn a_table_asked_for_while_the_worker_restarts_follows_the_replay() {
    let mut link = with_iris();
    link.worker_started();
    assert_eq!(link.load(Load::File("new.csv")), None, "the fresh worker is not ready");
    let posts = link.ready();
    let (replay, new) = (id_of(&posts, &bundled("iris")), id_of(&posts, &Body::File("new.csv")));
    assert_eq!(bodies(posts), [bundled("iris"), Body::File("new.csv")]);
    assert_eq!(link.answered(replay), Ended::Replay);
    assert!(link.loading(), "the first answer was the replay; new.csv is still coming");
    assert_eq!(link.answered(new), Ended::Load(None));
    assert!(!link.loading());
    // new.csv is now the table a crash brings back.
    link.worker_started();
    assert_eq!(bodies(link.ready()), [Body::File("new.csv")]);
}

#[test]
fn a_failing_replay_is_not_blamed_on_the_file_after_it() {
    let mut link = with_iris();
    link.worker_started();
    assert_eq!(link.load(Load::File("new.csv")), None);
    let posts = link.ready();
    let (replay, new) = (id_of(&posts, &bundled("iris")), id_of(&posts, &Body::File("new.csv")));
    assert_eq!(link.failed(replay), Ended::Replay, "the replay failed, not new.csv");
    assert!(link.loading(), "new.csv is still coming");
    assert_eq!(link.failed(new), Ended::Load(Some(Load::File("new.csv"))));
}

#[test]
fn a_load_answered_while_a_newer_one_comes_leaves_the_newer_pending() {
    let mut link = with_iris();
    let first = id(link.load(Load::File("a.csv")));
    let second = id(link.load(Load::File("b.csv")));
    assert_eq!(link.answered(first), Ended::Load(None));
    assert_eq!(link.loaded_file(), Some(&"a.csv"));
    assert!(link.loading(), "b.csv is still coming");
    assert_eq!(link.answered(second), Ended::Load(None));
    assert_eq!(link.loaded_file(), Some(&"b.csv"));
    assert!(!link.loading());
}

#[test]
fn nothing_is_held_back_after_a_crash() {
    let mut link = with_iris();
    let one = id(link.send_latest(boundary(1)));
    assert_eq!(link.send_latest(boundary(2)), None);
    // The crash answers 1 and lets 2 go; the page then replaces the worker.
    let Ended::Following(two) = link.failed(one) else { panic!("a following request") };
    assert_eq!(request(two), Some(boundary(2)));
    link.worker_started();
    // 2 went to the dead worker and will never be answered: the pointer must
    // not wait for it.
    assert_eq!(link.send_latest(boundary(3)), None, "waits for the fresh worker, not for 2");
    let posts = link.ready();
    let three = id_of(&posts, &Body::Request(boundary(3)));
    assert_eq!(bodies(posts), [bundled("iris"), Body::Request(boundary(3))]);
    assert_eq!(link.send_latest(boundary(4)), None, "3 is in flight");
    let Ended::Following(four) = link.answered(three) else { panic!("a following request") };
    assert_eq!(request(four), Some(boundary(4)));
}

#[test]
fn cancel_drops_what_was_waiting_behind_the_pointer() {
    let mut link = with_iris();
    let one = id(link.send_latest(boundary(1)));
    assert_eq!(link.send_latest(boundary(2)), None);
    // Canceled before 1 was answered: its answer will never come.
    link.cancel();
    link.worker_started();
    assert_eq!(bodies(link.ready()), [bundled("iris")], "2 asked about a model the fresh worker has not got");
    assert_eq!(link.answered(one), Ended::Unknown, "the stopped worker's request");
    assert_eq!(request(link.send_latest(boundary(3))), Some(boundary(3)), "nothing holds the pointer back");
}

#[test]
fn cancel_forgets_the_table_asked_for_and_what_waited() {
    let mut link = with_iris();
    link.worker_started();
    assert_eq!(link.load(Load::File("slow.csv")), None);
    assert_eq!(link.send(pdp("a")), None);
    link.cancel();
    assert!(!link.loading());
    link.worker_started();
    let posts = link.ready();
    let replay = posts[0].id;
    assert_eq!(bodies(posts), [bundled("iris")]);
    assert_eq!(link.answered(replay), Ended::Replay);
    assert!(!link.loading());
}

#[test]
fn the_page_opens_on_a_table_only_when_it_has_none() {
    let mut link = Link::default();
    assert!(!link.has_table());
    assert_eq!(link.load(Load::File("first.csv")), None);
    assert!(link.has_table(), "one is on its way");
    link.worker_started();
    let posts = link.ready();
    let first = posts[0].id;
    assert_eq!(bodies(posts), [Body::File("first.csv")]);
    assert_eq!(link.failed(first), Ended::Load(Some(Load::File("first.csv"))));
    assert!(!link.has_table(), "the first file failed: nothing to replay");
    link.worker_started();
    assert_eq!(link.ready(), []);
}

#[test]
fn the_loaded_file_is_there_to_read_again_until_a_bundled_table_replaces_it() {
    let mut link = with_iris();
    assert_eq!(link.loaded_file(), None, "a bundled table is no file");
    let names = id(link.load(Load::File("names.csv")));
    assert_eq!(link.loaded_file(), None, "not before it loaded");
    link.answered(names);
    assert_eq!(link.loaded_file(), Some(&"names.csv"));
    // A file that fails leaves the one loaded before.
    let broken = id(link.load(Load::File("broken.csv")));
    assert_eq!(link.failed(broken), Ended::Load(Some(Load::File("broken.csv"))));
    assert_eq!(link.loaded_file(), Some(&"names.csv"));
    let wine = id(link.load(Load::Bundled("wine".into())));
    link.answered(wine);
    assert_eq!(link.loaded_file(), None);
}

#[test]
fn a_refused_view_is_that_views_failure_and_not_the_trainings() {
    let mut link = with_iris();
    let train = id(link.send(pdp("train")));
    let permutation = link.evaluate(EvaluationPart::Permutation).expect("the worker is ready");
    assert_eq!(permutation.body, Body::Request(Request::Evaluate(EvaluationPart::Permutation)));
    assert_eq!(link.answered(train), Ended::Other);
    assert_eq!(link.failed(permutation.id), Ended::View(EvaluationPart::Permutation), "the page marks that line failed");
    assert_eq!(link.failed(permutation.id), Ended::Unknown, "a request ends once");
    // The next view is asked for and answered as any other.
    let curve = id(link.evaluate(EvaluationPart::LearningCurve));
    assert_eq!(link.answered(curve), Ended::View(EvaluationPart::LearningCurve));
}

#[test]
fn progress_is_routed_to_the_request_that_made_it() {
    let mut link = with_iris();
    let train = id(link.send(pdp("train")));
    let cv = id(link.send(pdp("cross-validate")));
    let view = id(link.evaluate(EvaluationPart::LearningCurve));
    assert_eq!(link.purpose(train), Some(&Purpose::Other), "a training's progress goes to the page's bar");
    assert_eq!(link.purpose(cv), Some(&Purpose::Other));
    assert_eq!(link.purpose(view), Some(&Purpose::View(EvaluationPart::LearningCurve)), "a view's to its line");
    link.answered(view);
    assert_eq!(link.purpose(view), None, "late progress of a view that came is nobody's");
    // A stopped worker's progress is nobody's either.
    let view = id(link.evaluate(EvaluationPart::Permutation));
    link.cancel();
    link.worker_started();
    assert_eq!(link.purpose(view), None);
}

#[test]
fn a_failure_while_a_search_runs_stops_it_only_when_it_is_the_searchs() {
    let mut link = with_iris();
    let slider = id(link.send_latest(boundary(1)));
    let search = id(link.search(search_request()));
    assert_eq!(link.trial(search, trial(0, 0.90)).map(<[Trial]>::len), Some(1));
    // The slider's request, sent before, is refused: the search goes on.
    assert_eq!(link.failed(slider), Ended::Following(None));
    assert_eq!(link.search_trials().map(<[Trial]>::len), Some(1), "its trials are kept");
    assert_eq!(link.trial(search, trial(1, 0.95)).map(<[Trial]>::len), Some(2), "and more come");
    assert_eq!(link.trial(slider, trial(2, 0.99)), None, "only the search's own trials count");
    // Now the search itself fails: the trials so far and the best come back.
    let Ended::Search(Some(kept)) = link.failed(search) else { panic!("the search's trials") };
    assert_eq!((kept.trials.len(), kept.best), (2, Some(1)));
    assert_eq!(link.search_trials(), None);
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
    let post = link.search(search_request()).expect("the worker is ready");
    assert_eq!(post.body, Body::Request(Request::Search(search_request())));
    let search = post.id;
    assert_eq!(link.trial(search, trial(0, 0.90)).map(<[Trial]>::len), Some(1));
    let so_far = link.trial(search, trial(1, 0.95)).unwrap();
    assert_eq!(so_far, [trial(0, 0.90), trial(1, 0.95)], "in the order they ended");
    assert_eq!(link.search_trials().map(<[Trial]>::len), Some(2), "for the live charts' redraw");
    assert_eq!(link.trial(search, trial(5, 0.99)), None, "not the next trial: a stale one");
    assert_eq!(link.answered(search), Ended::Search(None));
    assert_eq!(link.search_trials(), None);
    assert_eq!(link.trial(search, trial(2, 0.93)), None, "no search runs");
    assert_eq!(link.cancel(), None, "nothing to give back after the answer");
}

#[test]
fn a_search_asked_for_before_the_worker_is_ready_waits_for_it() {
    let mut link = Link::default();
    link.worker_started();
    assert_eq!(link.search(search_request()), None);
    let posts = link.ready();
    let search = posts[0].id;
    assert_eq!(bodies(posts), [Body::Request(Request::Search(search_request()))]);
    assert_eq!(link.purpose(search), Some(&Purpose::Search), "in flight under the id it was given");
}

#[test]
fn cancel_keeps_the_trials_so_far_and_the_best_of_them() {
    let mut link = with_iris();
    let search = id(link.search(search_request()));
    for (i, score) in [0.90, 0.96, 0.93].into_iter().enumerate() {
        link.trial(search, trial(i, score));
    }
    let kept = link.cancel().expect("the trials so far");
    assert_eq!(kept.trials, [trial(0, 0.90), trial(1, 0.96), trial(2, 0.93)]);
    assert_eq!(kept.best, Some(1));
    link.worker_started();
    assert_eq!(bodies(link.ready()), [bundled("iris")], "the search is not replayed");
    assert_eq!(link.trial(search, trial(3, 0.99)), None, "the stopped worker's last trial is dropped");
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
    let search = id(link.search(search_request()));
    link.trial(search, trial(0, 0.91));
    let Ended::Search(Some(kept)) = link.failed(search) else { panic!("the trial that ended") };
    assert_eq!((kept.trials.len(), kept.best), (1, Some(0)));
    link.worker_started();
    assert_eq!(bodies(link.ready()), [bundled("iris")]);
}

/// Runs `posts` in `worker` as the worker would, in order: each answer with
/// its post's id.
fn run(worker: &mut crate::session::Session, posts: Vec<Post<&'static str>>) -> Vec<(RequestId, crate::session::Response)> {
    use crate::base::NoProgress;
    posts
        .into_iter()
        .map(|post| match post.body {
            Body::Request(request) => (post.id, worker.handle(request, &mut NoProgress)),
            Body::File(file) => panic!("a file, {file}, where a request was expected"),
        })
        .collect()
}

/// The summary a table request answered with.
fn summary(response: &crate::session::Response) -> &crate::session::DataSummary {
    use crate::session::Response;
    match response {
        Response::Loaded(summary) | Response::ToyEdited(summary) => summary,
        other => panic!("a table's answer, not {other:?}"),
    }
}

#[test]
fn a_crash_after_points_clicked_onto_a_toy_set_gives_the_fresh_worker_the_same_table() {
    use crate::data::{ToyEdit, ToyKind, ToySpec};
    use crate::session::{Response, Session};
    let spec = ToySpec { kind: ToyKind::Moons, rows: 60, noise: 0.1, seed: 5, classes: 2 };
    let add = |x1, class: &str| ToyEdit::Add { x1, x2: 0.25, class: class.into() };
    let mut link = Link::default();
    let mut worker = Session::new(|| 0.0);
    link.worker_started();
    assert_eq!(link.ready(), []);
    let load = link.load(Load::Toy(spec.clone())).expect("the worker is ready");
    for (id, _) in run(&mut worker, vec![load]) {
        assert_eq!(link.answered(id), Ended::Load(None));
    }
    assert_eq!(link.shared_table(), Some(&Load::Toy(spec.clone())), "drawn by rule: helpers can draw it too");
    // Three clicks, and one the worker refuses (no row 999): the refused one
    // changed nothing, so it is not replayed.
    let clicks = [add(0.5, "upper"), ToyEdit::Remove { row: 3 }, ToyEdit::Remove { row: 999 }, add(-0.5, "lower")];
    let mut on_show = None;
    for click in clicks {
        let post = link.edit_toy(click).expect("the worker is ready");
        for (id, response) in run(&mut worker, vec![post]) {
            match response {
                Response::Failed(_) => assert_eq!(link.failed(id), Ended::Other),
                edited => {
                    assert_eq!(link.answered(id), Ended::Other);
                    on_show = Some(summary(&edited).clone());
                }
            }
        }
    }
    let on_show = on_show.expect("edits answered");
    assert_eq!((on_show.n_rows, on_show.toy_edits.len()), (61, 3));
    assert_eq!(link.shared_table(), None, "edited in place: the primary's alone");
    // A training crashes the worker; the fresh one is given the set and its edits.
    let train = id(link.send(pdp("train")));
    assert_eq!(link.failed(train), Ended::Other);
    link.worker_started();
    let mut fresh = Session::new(|| 0.0);
    let answers = run(&mut fresh, link.ready());
    assert_eq!(answers.len(), 4, "the set, then each edit the worker made");
    let (_, last) = answers.last().expect("answered");
    assert_eq!(summary(last), &on_show, "the same rows, hash and edits as the table on show");
    for (id, _) in answers {
        assert_eq!(link.answered(id), Ended::Replay);
    }
    // The replay's answers are not edits again: a second crash replays the same.
    link.worker_started();
    let again = run(&mut Session::new(|| 0.0), link.ready());
    assert_eq!(summary(&again.last().expect("answered").1), &on_show);
    // A new table drops the edits: they were the old table's.
    let redrawn = id(link.load(Load::Toy(spec.clone())));
    assert_eq!(link.answered(redrawn), Ended::Load(None));
    link.worker_started();
    assert_eq!(bodies(link.ready()), [Body::Request(Request::LoadToy(spec))]);
}

/// A search dealt to the pool sends nothing; its trials, joined by the
/// pool, are kept in order as a sent search's, and a stop gives them back;
/// a piece the primary computes for the pool fails as the pool's.
#[test]
fn a_pooled_search_keeps_its_trials_as_a_sent_one_and_a_pieces_failure_is_the_pools() {
    let mut link = with_iris();
    link.pooled_search();
    assert!(link.idle(), "nothing was asked of the worker");
    assert_eq!(link.pooled_trial(trial(0, 0.90)).map(<[Trial]>::len), Some(1));
    assert_eq!(link.pooled_trial(trial(2, 0.99)), None, "not the next trial");
    link.pooled_trial(trial(1, 0.95));
    let kept = link.stop_search().expect("the trials so far");
    assert_eq!((kept.trials, kept.best), (vec![trial(0, 0.90), trial(1, 0.95)], Some(1)));
    assert_eq!(link.pooled_trial(trial(2, 0.93)), None, "no search runs");
    let piece = id(link.piece(Request::Predictions));
    assert!(!link.idle());
    assert_eq!(link.failed(piece), Ended::Piece);
    assert!(link.idle());
}
