use super::*;
use crate::base::NoProgress;
use crate::model::{ParamValue, ParamValues};
use crate::session::{ColumnUse, Folding, Session, TrainRequest};

type TestPool = Pool<&'static str>;

fn forest_cv(k: usize) -> Request {
    let table = crate::data::read_csv(crate::session::bundled::bytes("iris").unwrap()).unwrap();
    let request = TrainRequest {
        target: "species".into(),
        task: crate::base::Task::Classification,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "random_forest".into(),
        params: ParamValues::from([("n_estimators".to_string(), ParamValue::Int(9))]),
        seed: 7,
        pipeline: None,
        test_share: 0.2,
    };
    Request::CrossValidate { request, k, folding: Folding::Shuffled }
}

/// What running a job through the pool gave: the answer, what was shown
/// before it, the pieces the primary computed and the helpers started.
struct Ran {
    answer: Response,
    shown: Vec<Response>,
    by_primary: usize,
    helpers: usize,
}

/// Helper workers simulated by sessions of their own, and the primary by
/// another: carries out the pool's actions until the job is done, failing
/// the helpers in `crash` on their first piece.
fn run(pool: &mut TestPool, job: Job, crash: &[usize]) -> Ran {
    let mut helpers: Vec<Option<Session>> = Vec::new();
    let mut primary = Session::new(|| 0.0);
    primary.handle(Request::LoadBundled { name: "iris".into() }, &mut NoProgress);
    let (mut by_primary, mut shown) = (0, Vec::new());
    let mut actions: std::collections::VecDeque<Action<&str>> = pool.start(job).into();
    while let Some(action) = actions.pop_front() {
        match action {
            Action::Spawn(n) => {
                assert_eq!(n, helpers.len(), "helpers are numbered in order");
                helpers.push(Some(Session::new(|| 0.0)));
                actions.extend(pool.ready(n));
            }
            Action::Post { helper, id, body: Body::Request(request) } => {
                let session = helpers[helper].as_mut().expect("never posted to once ended");
                let response = if matches!(request, Request::Piece(_)) && crash.contains(&helper) {
                    Response::Failed(crate::session::SessionError::Internal("out of memory".into()))
                } else {
                    session.handle(request, &mut NoProgress)
                };
                actions.extend(pool.reply(helper, id, response));
            }
            Action::Post { body: Body::File(file), .. } => panic!("no file here: {file}"),
            Action::End(helper) => helpers[helper] = None,
            Action::Primary(request) => {
                by_primary += 1;
                let Response::PieceDone(done) = primary.handle(request, &mut NoProgress) else { panic!("primary failed") };
                actions.extend(pool.done(done));
            }
            Action::Shown(response) => shown.push(response),
            Action::Done(answer) => {
                assert!(actions.is_empty(), "nothing after the answer: {actions:?}");
                return Ran { answer, shown, by_primary, helpers: helpers.len() };
            }
        }
    }
    panic!("the job never finished")
}

/// The whole request's answer from one worker, and what it streamed first.
fn whole(request: &Request) -> (Response, Vec<Response>) {
    let mut session = Session::new(|| 0.0);
    session.handle(Request::LoadBundled { name: "iris".into() }, &mut NoProgress);
    let mut streamed = Vec::new();
    let answer = session.handle_streaming(request.clone(), &mut NoProgress, &mut |r| streamed.push(r));
    (answer, streamed)
}

#[test]
fn one_helper_per_core_but_the_primarys_and_a_few_at_most() {
    assert_eq!(helpers_for(0), 0);
    assert_eq!(helpers_for(1), 0, "one core: the primary alone");
    assert_eq!(helpers_for(2), 1);
    assert_eq!(helpers_for(64), MAX_HELPERS);
}

#[test]
fn folds_dealt_to_helpers_join_to_the_single_workers_answer() {
    let cv = forest_cv(5);
    for size in [1, 2, 3, 7] {
        let mut pool = TestPool::new(size);
        pool.table(Load::Bundled("iris".into()));
        let ran = run(&mut pool, Job::split(&cv).unwrap(), &[]);
        assert_eq!(ran.answer, whole(&cv).0, "{size} helpers");
        assert_eq!(ran.by_primary, 0);
        assert_eq!(ran.helpers, size.min(5), "no more than the folds; the primary trains meanwhile: no helper more");
    }
}

#[test]
fn a_helper_that_fails_is_ended_and_its_piece_goes_to_the_primary() {
    let cv = forest_cv(5);
    let mut pool = TestPool::new(2);
    pool.table(Load::Bundled("iris".into()));
    let ran = run(&mut pool, Job::split(&cv).unwrap(), &[0]);
    assert_eq!(ran.answer, whole(&cv).0, "the same answer");
    assert_eq!(ran.by_primary, 1, "helper 0's one piece; helper 1 did the rest");
    // Every helper failing: the primary computes every piece.
    let mut pool = TestPool::new(2);
    pool.table(Load::Bundled("iris".into()));
    let ran = run(&mut pool, Job::split(&cv).unwrap(), &[0, 1]);
    assert_eq!(ran.answer, whole(&cv).0);
    assert_eq!(ran.by_primary, 5);
}

/// A trained model's learning curve dealt to helpers (one failing on its
/// first piece, which the primary computes) is the curve the primary
/// computes itself after training, and its progress is shown on the way.
#[test]
fn a_learning_curve_dealt_to_helpers_is_the_primarys_curve() {
    let Request::CrossValidate { request, .. } = forest_cv(2) else { panic!("a cross-validation") };
    let mut primary = Session::new(|| 0.0);
    primary.handle(Request::LoadBundled { name: "iris".into() }, &mut NoProgress);
    primary.handle(Request::Train(request.clone()), &mut NoProgress);
    let curve = primary.handle(Request::Evaluate(crate::explain::EvaluationPart::LearningCurve), &mut NoProgress);
    assert!(matches!(&curve, Response::Evaluated(_)), "{curve:?}");
    for crash in [&[][..], &[1]] {
        let mut pool = TestPool::new(3);
        pool.table(Load::Bundled("iris".into()));
        let job = Job::curve(&request).unwrap();
        let pieces = job.len();
        let ran = run(&mut pool, job, crash);
        assert_eq!(ran.answer, curve, "crash {crash:?}");
        assert_eq!(ran.helpers, 3, "the primary computes the other views: no helper more");
        assert_eq!(ran.by_primary, crash.len());
        assert_eq!(ran.shown.len(), pieces - 1, "a progress per piece but the last");
    }
}

#[test]
fn cancel_ends_every_helper_and_their_late_answers_are_dropped() {
    let mut pool = TestPool::new(2);
    pool.table(Load::Bundled("iris".into()));
    let actions = pool.start(Job::split(&forest_cv(4)).unwrap());
    assert_eq!(actions, [Action::Spawn(0), Action::Spawn(1)]);
    let posts = pool.ready(0);
    let Some(Action::Post { id, .. }) = posts.last() else { panic!("a piece for helper 0") };
    let id = *id;
    assert_eq!(pool.end_all(), [Action::End(0), Action::End(1)]);
    let done = PieceDone::Fold { fold: 0, measure: "accuracy".into(), score: 1.0, n_rows: 120 };
    assert_eq!(pool.reply(0, id, Response::PieceDone(done.clone())), [], "an ended helper's answer");
    assert_eq!(pool.done(done), [], "no job waits");
}

#[test]
fn a_forgotten_jobs_late_piece_is_dropped_and_a_new_job_ends_the_busy_helper() {
    let mut pool = TestPool::new(1);
    pool.table(Load::Bundled("iris".into()));
    assert_eq!(pool.start(Job::split(&forest_cv(2)).unwrap()), [Action::Spawn(0)]);
    let Some(Action::Post { id, .. }) = pool.ready(0).pop() else { panic!("a piece") };
    pool.forget();
    let done = PieceDone::Fold { fold: 0, measure: "accuracy".into(), score: 1.0, n_rows: 120 };
    assert_eq!(pool.reply(0, id, Response::PieceDone(done)), [], "nobody waits for it");
    // Helper 0 is idle again and takes the new job's first piece at once.
    let actions = pool.start(Job::split(&forest_cv(2)).unwrap());
    assert!(matches!(actions.as_slice(), [Action::Post { helper: 0, .. }]), "{actions:?}");
    // A job started while a piece computes ends that helper: its answer is the old job's.
    let actions = pool.start(Job::split(&forest_cv(3)).unwrap());
    assert_eq!(actions, [Action::End(0), Action::Spawn(0)]);
}

#[test]
fn a_table_changed_in_place_is_not_given_to_helpers() {
    let mut pool = TestPool::new(2);
    assert!(!pool.splits(), "no table yet");
    pool.table(Load::Bundled("iris".into()));
    assert!(pool.splits());
    assert_eq!(pool.start(Job::split(&forest_cv(2)).unwrap()), [Action::Spawn(0), Action::Spawn(1)]);
    assert_eq!(pool.unshared(), [Action::End(0), Action::End(1)], "they hold the table before the edit");
    assert!(!pool.splits(), "the edited table is the primary's alone");
    assert!(TestPool::new(0).table(Load::Bundled("iris".into())).is_empty());
}

#[test]
fn a_new_table_ends_the_helpers_holding_the_old_one() {
    let mut pool = TestPool::new(1);
    pool.table(Load::Bundled("iris".into()));
    assert_eq!(pool.start(Job::split(&forest_cv(2)).unwrap()), [Action::Spawn(0)]);
    assert_eq!(pool.table(Load::File("new.csv")), [Action::End(0)]);
    let actions = pool.start(Job::split(&forest_cv(2)).unwrap());
    assert_eq!(actions, [Action::Spawn(0)], "started again");
    let Action::Post { body, id, .. } = &pool.ready(0)[0] else { panic!("the table first") };
    assert_eq!((body, *id), (&Body::File("new.csv"), LOAD_ID));
}

fn tree_search(method: crate::eval::search::Method, budget: usize) -> Request {
    use crate::eval::search::{Dimension, Range};
    let Request::CrossValidate { request, .. } = forest_cv(2) else { unreachable!() };
    let request = TrainRequest { model: "decision_tree".into(), params: ParamValues::new(), ..request };
    let dimensions = vec![
        Dimension { key: "max_depth".into(), range: Range::Int { low: 1, high: 8, log: false } },
        Dimension { key: "min_samples_leaf".into(), range: Range::Int { low: 1, high: 20, log: true } },
    ];
    Request::Search(crate::session::SearchRequest {
        request,
        dimensions,
        method,
        budget,
        per_setting: 4,
        k: 3,
        folding: Folding::Shuffled,
    })
}

/// A search's trials dealt to helpers: the single worker's answer, and its
/// trials shown one by one in the order the single worker streams them. A
/// search gets a helper more than a cross-validation (the primary waits).
#[test]
fn trials_dealt_to_helpers_join_to_the_single_workers_search() {
    use crate::eval::search::Method;
    for (method, size, crash) in [
        (Method::Random, 2, &[][..]),
        (Method::Grid, 3, &[1][..]),
        (Method::Bayesian, 2, &[][..]),
        (Method::Bayesian, 1, &[0, 1][..]),
    ] {
        let search = tree_search(method, 9);
        let mut pool = TestPool::new(size);
        pool.table(Load::Bundled("iris".into()));
        let ran = run(&mut pool, Job::split(&search).unwrap(), crash);
        let (answer, streamed) = whole(&search);
        assert_eq!(ran.answer, answer, "{method:?}");
        assert_eq!(ran.shown, streamed, "{method:?}: every trial shown, in order");
        assert_eq!(ran.helpers, size + 1, "{method:?}: the primary's core too");
        if crash.len() == size + 1 {
            assert_eq!(ran.by_primary, 9, "every helper failed: the primary ran the whole search");
        }
    }
}

/// A comparison's models dealt to helpers: the single worker's table, with
/// its progress shown as each model is in.
#[test]
fn models_dealt_to_helpers_join_to_the_single_workers_comparison() {
    let Request::CrossValidate { request: base, .. } = forest_cv(2) else { unreachable!() };
    let models = ["decision_tree", "knn", "naive_bayes", "logistic_regression", "random_forest"].map(String::from).to_vec();
    let compare = Request::Compare(crate::session::CompareRequest { base, models, axes: None, slice: Vec::new() });
    let mut pool = TestPool::new(2);
    pool.table(Load::Bundled("iris".into()));
    let ran = run(&mut pool, Job::split(&compare).unwrap(), &[2]);
    assert_eq!(ran.answer, whole(&compare).0);
    let Response::Compared(report) = &ran.answer else { panic!("compared") };
    assert!(report.rows.iter().all(|r| r.outcome.is_ok()), "{report:?}");
    assert_eq!(ran.by_primary, 1, "helper 2 failed on its model");
    let progress: Vec<u64> =
        ran.shown.iter().map(|r| if let Response::Progress { done, .. } = r { *done } else { 0 }).collect();
    assert_eq!(progress, [1, 2, 3, 4], "a line per model done but the last");
}
