//! Work that splits into independent pieces, for a pool of workers: a job is
//! cut into [`Piece`]s, any worker holding the same table computes any piece
//! alone ([`Request::Piece`] → [`Response::PieceDone`]), and the pieces are
//! joined in index order ([`Job::add`]) into the answer the whole request
//! gives. A piece carries its own seed (a fold's and a trial's are the
//! request's, a compared model's the base request's), never a worker's, so
//! the joined answer is the whole one bit for bit however the pieces were
//! dealt. Three requests split: a cross-validation into its folds, a search
//! into its trials, a comparison into its models; and a trained model's
//! learning curve (its refits need the table and the request, not the
//! model) into one fold of one point each.

use serde::{Deserialize, Serialize};

use super::evaluate::{curve_slots, KeptCurve, CURVE_FOLDS};
/// What a learning curve's piece answers, and the frame its points are drawn in.
pub use super::evaluate::{CurveFold, CurveFrame};
use super::search::{self, KeptFolds, SearchRequest, Searched, Trial};
use super::validate::{CrossValidation, Folding, Folds};
use super::{compare_member, compared, Clock, CompareRequest, CompareRow, Request, Response, SessionError, TrainRequest};
use crate::base::NoProgress;
use crate::data::Table;
use crate::eval::search::{Method, BAYESIAN_START};
use crate::explain::EvaluationPiece;
use crate::model::ParamValues;

/// One independent piece of a job that splits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Piece {
    /// Fold `fold` (from 0) of the `k`-fold cross-validation of `request`.
    Fold { request: TrainRequest, k: usize, folding: Folding, fold: usize },
    /// Trial `trial` of `search`: its settings proposed after `earlier` (the
    /// searched settings and scores of trials `0..trial`, which only a
    /// Bayesian proposal past its random start reads; empty for any other),
    /// scored by the search's k-fold cross-validation.
    Trial { search: Box<SearchRequest>, trial: usize, earlier: Vec<(ParamValues, f64)> },
    /// Model `index` of `compare`, trained, scored and drawn.
    Member { compare: Box<CompareRequest>, index: usize },
    /// Fold `fold` of point `point` of the learning curve of the model
    /// `request` trains (a point past the curve's, on this table, is
    /// [`CurveFold::Beyond`]).
    Curve { request: TrainRequest, point: usize, fold: usize },
}

/// A piece computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PieceDone {
    /// Fold `fold`'s test score, what it measures, and the training rows the
    /// folds cut (the same for every fold).
    Fold { fold: usize, measure: String, score: f64, n_rows: usize },
    /// A search's trial (a fit that failed is its outcome, not the piece's).
    Trial(Box<Trial>),
    /// A comparison's row `index` (its fit and prediction times measured by
    /// the worker that computed it).
    Member { index: usize, row: Box<CompareRow> },
    /// Fold `fold` of the learning curve's point `point`.
    Curve { point: usize, fold: usize, outcome: CurveFold },
}

impl PieceDone {
    /// The index of the piece this is.
    pub fn index(&self) -> usize {
        match self {
            PieceDone::Fold { fold, .. } => *fold,
            PieceDone::Trial(trial) => trial.index,
            PieceDone::Member { index, .. } => *index,
            PieceDone::Curve { point, fold, .. } => point * CURVE_FOLDS + fold,
        }
    }
}

impl Piece {
    /// Computes the piece on `table`, as the whole request would (`clock`
    /// times a compared model; `kept` holds a search's folds between its
    /// trials, `curve` a learning curve's between its pieces).
    pub fn compute(
        &self,
        table: &Table,
        clock: Clock,
        kept: &mut KeptFolds,
        curve: &mut KeptCurve,
    ) -> Result<PieceDone, SessionError> {
        match self {
            Piece::Fold { request, k, folding, fold } => {
                let (measure, score, n_rows) = Folds::score_one(table, request, *k, folding, *fold)?;
                Ok(PieceDone::Fold { fold: *fold, measure: measure.to_string(), score, n_rows })
            }
            Piece::Trial { search, trial, earlier } => {
                kept.trial(table, search, *trial, earlier).map(|t| PieceDone::Trial(Box::new(t)))
            }
            Piece::Member { compare, index } => {
                let count = compare.models.len();
                let id = compare.models.get(*index).ok_or(SessionError::NoSuchPiece { index: *index, count })?;
                let row = compare_member(table, compare, (*index, id), clock, &mut NoProgress);
                Ok(PieceDone::Member { index: *index, row: Box::new(row) })
            }
            Piece::Curve { request, point, fold } => {
                let outcome = curve.fold(table, request, *point, *fold)?;
                Ok(PieceDone::Curve { point: *point, fold: *fold, outcome })
            }
        }
    }
}

/// What a job that splits is, and how its pieces join.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Folds {
        request: TrainRequest,
        k: usize,
        folding: Folding,
    },
    /// Trials from `sequential_from` on are proposed from every trial before
    /// them (a Bayesian search past its random start): each waits for those.
    Search {
        search: Box<SearchRequest>,
        sequential_from: usize,
    },
    Compare(Box<CompareRequest>),
    /// A learning curve: [`CURVE_FOLDS`] pieces per point it may have.
    Curve(TrainRequest),
}

/// A job cut into pieces, and the pieces done so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    kind: Kind,
    done: Vec<Option<PieceDone>>,
    /// A search's trials given out so far as [`Response::SearchTrial`]s:
    /// the first `shown`, in index order.
    shown: usize,
}

/// What a piece added to a job makes of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Joined {
    /// Pieces are still to come. These can be shown now, as the whole
    /// request's worker streams them: a search's trials that end an unbroken
    /// run from trial 0 ([`Response::SearchTrial`], in index order), a
    /// comparison's models done ([`Response::Progress`]).
    Waiting(Vec<Response>),
    /// Every piece is in: the last answers to show, then the whole request's.
    Done(Vec<Response>, Box<Response>),
}

impl Job {
    /// `request` cut into pieces, when it splits: a cross-validation into
    /// its folds, a search into its trials, a comparison into its models.
    /// `None` for a request that does not split, or would be one piece (a
    /// cross-validation of fewer than two folds, a comparison of one model,
    /// a search the worker will refuse: the whole request answers, with its
    /// own message where it refuses).
    pub fn split(request: &Request) -> Option<Job> {
        let (kind, n) = match request {
            Request::CrossValidate { request, k, folding } if *k >= 2 => {
                (Kind::Folds { request: request.clone(), k: *k, folding: folding.clone() }, *k)
            }
            Request::Search(req) => {
                let n = search::trial_count(req).filter(|&n| n >= 2)?;
                let sequential_from = if req.method == Method::Bayesian { BAYESIAN_START } else { n };
                (Kind::Search { search: Box::new(req.clone()), sequential_from }, n)
            }
            Request::Compare(req) if req.models.len() >= 2 => (Kind::Compare(Box::new(req.clone())), req.models.len()),
            _ => return None,
        };
        Some(Job { kind, done: vec![None; n], shown: 0 })
    }

    /// The learning curve of the model `request` trains, cut into one fold
    /// of one point per piece, answered as [`Request::Evaluate`] answers it
    /// for that model. `None` for a clustering (no curve) or settings the
    /// catalog cannot resolve (the primary computes the curve and says why).
    pub fn curve(request: &TrainRequest) -> Option<Job> {
        if request.task == crate::base::Task::Clustering {
            return None;
        }
        let n = curve_slots(request)? * CURVE_FOLDS;
        Some(Job { kind: Kind::Curve(request.clone()), done: vec![None; n], shown: 0 })
    }

    /// How many pieces the job has.
    pub fn len(&self) -> usize {
        self.done.len()
    }

    /// Whether the job has no piece (never: [`split`](Self::split) makes none such).
    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    /// Whether the primary worker only waits for this job's answer (a search,
    /// a comparison), so that a helper may take its core too; a
    /// cross-validation's folds are computed while the primary trains, a
    /// learning curve's while it trains and computes the other views.
    pub fn primary_waits(&self) -> bool {
        !matches!(self.kind, Kind::Folds { .. } | Kind::Curve(_))
    }

    /// Piece `index`, when it can be computed now: a Bayesian proposal past
    /// the random start waits for every trial before it. `None` for one
    /// that waits, or no such piece.
    pub fn piece(&self, index: usize) -> Option<Piece> {
        if !self.ready(index) {
            return None;
        }
        Some(match &self.kind {
            Kind::Folds { request, k, folding } => {
                Piece::Fold { request: request.clone(), k: *k, folding: folding.clone(), fold: index }
            }
            Kind::Search { search, sequential_from } => {
                let earlier = if index >= *sequential_from {
                    self.done[..index]
                        .iter()
                        .map(|d| match d {
                            Some(PieceDone::Trial(t)) => Some((t.searched.clone(), t.score())),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()?
                } else {
                    Vec::new()
                };
                Piece::Trial { search: search.clone(), trial: index, earlier }
            }
            Kind::Compare(compare) => Piece::Member { compare: compare.clone(), index },
            Kind::Curve(request) => {
                Piece::Curve { request: request.clone(), point: index / CURVE_FOLDS, fold: index % CURVE_FOLDS }
            }
        })
    }

    /// Whether piece `index` exists and can be computed now: a Bayesian
    /// proposal past the random start once every trial before it is in
    /// (`shown` counts the unbroken run of trials from 0).
    pub fn ready(&self, index: usize) -> bool {
        match &self.kind {
            Kind::Search { sequential_from, .. } if index >= *sequential_from => {
                index < self.done.len() && self.shown >= index
            }
            _ => index < self.done.len(),
        }
    }

    /// A piece came (again, from a second worker: the first copy stays; a
    /// piece of another kind of job is not this job's and changes nothing).
    pub fn add(&mut self, done: PieceDone) -> Joined {
        let fits = matches!(
            (&self.kind, &done),
            (Kind::Folds { .. }, PieceDone::Fold { .. })
                | (Kind::Search { .. }, PieceDone::Trial(_))
                | (Kind::Compare(_), PieceDone::Member { .. })
                | (Kind::Curve(_), PieceDone::Curve { .. })
        );
        if let Some(slot @ None) = self.done.get_mut(done.index()).filter(|_| fits) {
            *slot = Some(done);
        }
        let mut shown = Vec::new();
        match &self.kind {
            Kind::Search { .. } => {
                while let Some(Some(PieceDone::Trial(trial))) = self.done.get(self.shown) {
                    shown.push(Response::SearchTrial((**trial).clone()));
                    self.shown += 1;
                }
            }
            // A comparison's and a curve's progress, as pieces come in (the last one is the answer).
            Kind::Compare(_) | Kind::Curve(_) => {
                let count = self.done.iter().flatten().count();
                if fits && count < self.done.len() {
                    let what = match &self.kind {
                        Kind::Compare(compare) => format!("comparing: {count} of {} models done", compare.models.len()),
                        _ => "learning curve".into(),
                    };
                    shown.push(Response::Progress { done: count as u64, total: self.done.len() as u64, what });
                }
            }
            Kind::Folds { .. } => {}
        }
        match self.whole() {
            Some(answer) => Joined::Done(shown, Box::new(answer)),
            None => Joined::Waiting(shown),
        }
    }

    /// The whole request's answer, once every piece is in.
    fn whole(&self) -> Option<Response> {
        let done: Vec<&PieceDone> = self.done.iter().flatten().collect();
        if done.len() < self.done.len() {
            return None;
        }
        Some(match &self.kind {
            Kind::Folds { folding, .. } => {
                let (mut measure, mut n_rows, mut scores) = (String::new(), 0, Vec::with_capacity(done.len()));
                for d in done {
                    if let PieceDone::Fold { measure: m, score, n_rows: n, .. } = d {
                        measure.clone_from(m);
                        n_rows = *n;
                        scores.push(*score);
                    }
                }
                Response::CrossValidated(CrossValidation::of(&measure, scores, n_rows, folding.clone()))
            }
            Kind::Search { .. } => {
                let trials: Vec<Trial> = done
                    .into_iter()
                    .filter_map(|d| match d {
                        PieceDone::Trial(t) => Some((**t).clone()),
                        _ => None,
                    })
                    .collect();
                let best = search::best_trial(&trials);
                Response::Searched(Searched { trials, best })
            }
            Kind::Compare(compare) => {
                let rows = done
                    .into_iter()
                    .filter_map(|d| match d {
                        PieceDone::Member { row, .. } => Some((**row).clone()),
                        _ => None,
                    })
                    .collect();
                Response::Compared(Box::new(compared(compare, rows)))
            }
            Kind::Curve(_) => Response::Evaluated(Box::new(EvaluationPiece::LearningCurve(joined_curve(&done)))),
        })
    }
}

/// A learning curve from its pieces (one fold of one point each, in index
/// order): `None` when the rows could not be folded, as the whole curve is.
fn joined_curve(done: &[&PieceDone]) -> Option<crate::explain::LearningCurveView> {
    let outcomes: Vec<&CurveFold> = done
        .iter()
        .filter_map(|d| match d {
            PieceDone::Curve { outcome, .. } => Some(outcome),
            _ => None,
        })
        .collect();
    if outcomes.iter().any(|o| matches!(o, CurveFold::Unfoldable)) {
        return None;
    }
    let frame = outcomes.iter().find_map(|o| match o {
        CurveFold::Scored { frame, .. } => Some(frame),
        _ => None,
    })?;
    let points = outcomes
        .chunks(CURVE_FOLDS)
        .take(frame.len())
        .enumerate()
        .map(|(point, folds)| {
            let scores: Option<Vec<_>> = folds
                .iter()
                .map(|o| match o {
                    CurveFold::Scored { scores, .. } => Some(*scores),
                    _ => None,
                })
                .collect();
            frame.point(point, &scores?)
        })
        .collect();
    Some(frame.view(points))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::NoProgress;
    use crate::eval::search::{Dimension, Range};
    use crate::explain::{EvaluationPart, LearningCurveView};
    use crate::model::{ParamValue, ParamValues};
    use crate::session::validate::tests::species_request;
    use crate::session::Session;

    fn session(table: &str) -> Session {
        let mut session = Session::new(|| 0.0);
        let loaded = session.handle(Request::LoadBundled { name: table.into() }, &mut NoProgress);
        assert!(matches!(loaded, Response::Loaded(_)), "{loaded:?}");
        session
    }

    /// Every piece computed by a session of its own (as a helper worker
    /// would), the last ones first (a piece that must wait for earlier ones
    /// is dealt once it can be), joined: the whole request's answer, bit for
    /// bit, and what is shown on the way is what the whole request streams.
    /// The sessions' clock stands still, so a comparison's times are 0 in both.
    fn pieces_join_to_the_whole(table: &str, whole: Request) {
        let mut streamed = Vec::new();
        let expected = session(table).handle_streaming(whole.clone(), &mut NoProgress, &mut |r| streamed.push(r));
        assert!(!matches!(expected, Response::Failed(_)), "{expected:?}");
        let mut job = Job::split(&whole).expect("the request splits");
        let mut waiting: Vec<usize> = (0..job.len()).rev().collect();
        let (mut shown, mut joined) = (Vec::new(), None);
        while let Some(at) = waiting.iter().position(|&i| job.piece(i).is_some()) {
            let index = waiting.remove(at);
            let piece = job.piece(index).expect("it can be computed");
            let Response::PieceDone(done) = session(table).handle(Request::Piece(piece), &mut NoProgress) else {
                panic!("piece {index} failed")
            };
            assert_eq!(joined, None, "nothing after the last piece");
            match job.add(done) {
                Joined::Waiting(now) => shown.extend(now),
                Joined::Done(now, answer) => {
                    shown.extend(now);
                    joined = Some(*answer);
                }
            }
        }
        assert!(waiting.is_empty(), "every piece was dealt: {waiting:?}");
        assert_eq!(joined, Some(expected));
        shown.retain(|r| !matches!(r, Response::Progress { .. }));
        assert_eq!(shown, streamed);
    }

    #[test]
    fn a_cross_validation_split_into_folds_joins_to_the_whole_one() {
        let forest = ParamValues::from([("n_estimators".to_string(), ParamValue::Int(7))]);
        let (_, request) = species_request("iris", "random_forest", forest);
        pieces_join_to_the_whole("iris", Request::CrossValidate { request, k: 5, folding: Folding::Shuffled });
        let (_, request) = species_request("penguins", "logistic_regression", ParamValues::new());
        let folding = Folding::Grouped("island".into());
        pieces_join_to_the_whole("penguins", Request::CrossValidate { request, k: 3, folding });
    }

    fn tree_search(method: Method, budget: usize) -> SearchRequest {
        let (_, request) = species_request("iris", "decision_tree", ParamValues::new());
        let dimensions = vec![
            Dimension { key: "max_depth".into(), range: Range::Int { low: 1, high: 6, log: false } },
            Dimension { key: "ccp_alpha".into(), range: Range::Float { low: 1e-4, high: 0.3, log: true } },
        ];
        SearchRequest { request, dimensions, method, budget, per_setting: 3, k: 4, folding: Folding::Shuffled }
    }

    /// Trials dealt apart stream in index order and join to the whole
    /// search; a Bayesian search's proposals past its random start are
    /// proposed from the same earlier trials (and one that cannot be fitted
    /// is a trial that failed, as in the whole search).
    #[test]
    fn a_search_split_into_trials_joins_to_the_whole_one() {
        for method in [Method::Grid, Method::Random, Method::Bayesian] {
            pieces_join_to_the_whole("iris", Request::Search(tree_search(method, 8)));
        }
        // Trial 0, at least one row per leaf = 0, cannot be fitted.
        let mut failing = tree_search(Method::Grid, 3);
        failing.dimensions =
            vec![Dimension { key: "min_samples_leaf".into(), range: Range::Int { low: 0, high: 2, log: false } }];
        let expected = session("iris").handle(Request::Search(failing.clone()), &mut NoProgress);
        let Response::Searched(searched) = expected else { panic!("searched: {expected:?}") };
        assert!(searched.trials[0].outcome.is_err(), "{:?}", searched.trials[0]);
        pieces_join_to_the_whole("iris", Request::Search(failing));
    }

    #[test]
    fn a_bayesian_proposal_waits_for_every_trial_before_it() {
        let mut job = Job::split(&Request::Search(tree_search(Method::Bayesian, 7))).unwrap();
        assert!((0..BAYESIAN_START).all(|t| job.piece(t).is_some()), "the random start is dealt at once");
        assert_eq!(job.piece(BAYESIAN_START), None);
        let mut helper = session("iris");
        for t in (0..BAYESIAN_START).rev() {
            let Response::PieceDone(done) = helper.handle(Request::Piece(job.piece(t).unwrap()), &mut NoProgress) else {
                panic!("trial {t}")
            };
            assert_eq!(job.piece(BAYESIAN_START), None, "trial {t} in, trial 0 not yet");
            job.add(done);
        }
        let Some(Piece::Trial { earlier, .. }) = job.piece(BAYESIAN_START) else { panic!("proposed now") };
        assert_eq!(earlier.len(), BAYESIAN_START);
        assert_eq!(job.piece(BAYESIAN_START + 1), None);
    }

    #[test]
    fn a_comparison_split_into_models_joins_to_the_whole_one() {
        let (_, base) = species_request("iris", "decision_tree", ParamValues::new());
        let models = ["decision_tree", "knn", "no_such_model", "logistic_regression"].map(String::from).to_vec();
        // Without axes each model picks its own first two, the same for all.
        let compare = CompareRequest { base, models, axes: None, slice: Vec::new() };
        pieces_join_to_the_whole("iris", Request::Compare(compare.clone()));
        let axes = Some(("petal width (cm)".to_string(), "sepal length (cm)".to_string()));
        pieces_join_to_the_whole("iris", Request::Compare(CompareRequest { axes, ..compare }));
    }

    /// A trained model's learning curve, from a session that trained it
    /// (as the primary worker asks for it), against the curve's pieces dealt
    /// last first to two helper sessions by turns (each keeps the folds of
    /// the pieces it was dealt), joined: the same view, bit for bit.
    fn curve_pieces_join_to_the_whole(table: Request, request: TrainRequest) -> Option<LearningCurveView> {
        let loaded = |s: &mut Session| assert!(matches!(s.handle(table.clone(), &mut NoProgress), Response::Loaded(_)));
        let mut primary = Session::new(|| 0.0);
        loaded(&mut primary);
        let Response::Trained(report) = primary.handle(Request::Train(request.clone()), &mut NoProgress) else {
            panic!("trained")
        };
        assert!(report.pending.contains(&EvaluationPart::LearningCurve), "{:?}", report.pending);
        let expected = primary.handle(Request::Evaluate(EvaluationPart::LearningCurve), &mut NoProgress);
        let mut helpers = [Session::new(|| 0.0), Session::new(|| 0.0)];
        helpers.iter_mut().for_each(loaded);
        let mut job = Job::curve(&request).expect("the curve splits");
        assert!(!job.primary_waits(), "the primary computes the other views meanwhile");
        let mut joined = None;
        for (turn, index) in (0..job.len()).rev().enumerate() {
            let piece = job.piece(index).expect("every piece can be computed at once");
            let Response::PieceDone(done) = helpers[turn % 2].handle(Request::Piece(piece), &mut NoProgress) else {
                panic!("piece {index} failed")
            };
            assert_eq!(joined, None, "nothing after the last piece");
            if let Joined::Done(_, answer) = job.add(done) {
                joined = Some(*answer);
            }
        }
        assert_eq!(joined.as_ref(), Some(&expected));
        match expected {
            Response::Evaluated(piece) => match *piece {
                EvaluationPiece::LearningCurve(curve) => curve,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_learning_curve_split_into_folds_of_points_joins_to_the_whole_one() {
        let iris = || Request::LoadBundled { name: "iris".into() };
        // Over a setting (depth), and over shares of the rows (naive Bayes has no setting).
        for model in ["decision_tree", "naive_bayes", "knn"] {
            let (_, request) = species_request("iris", model, ParamValues::new());
            let curve = curve_pieces_join_to_the_whole(iris(), request).expect("a curve");
            assert!(curve.curves.series[1].points.len() >= 2, "{model}: {curve:?}");
        }
        // A regression's curve.
        let (_, mut request) = species_request("diabetes", "gradient_boosting", ParamValues::new());
        request.target = "progression".into();
        request.task = crate::base::Task::Regression;
        let diabetes = Request::LoadBundled { name: "diabetes".into() };
        assert!(curve_pieces_join_to_the_whole(diabetes, request).is_some());
    }

    /// On 9,000 rows the tree's curve is thinned: the pieces past its points
    /// fit nothing, and the joined curve is still the whole one.
    #[test]
    fn a_thinned_learning_curve_joins_to_the_whole_one() {
        let mut csv = String::from("a,b,y\n");
        for i in 0..9_000u32 {
            let (a, b) = ((i * 7919 % 1000) as f64 / 500.0 - 1.0, (i * 104_729 % 997) as f64 / 498.5 - 1.0);
            let y = if a + 0.3 * b + ((i % 13) as f64 - 6.0) / 30.0 > 0.0 { "up" } else { "down" };
            csv.push_str(&format!("{a:.3},{b:.3},{y}\n"));
        }
        let (_, mut request) = species_request("iris", "decision_tree", ParamValues::new());
        request.target = "y".into();
        request.columns =
            ["a", "b", "y"].map(|c| crate::session::ColumnUse::offered(c, crate::data::ColumnKind::Numeric)).to_vec();
        request.columns[2].kind = crate::data::ColumnKind::Categorical;
        let load = Request::Load { name: "t.csv".into(), bytes: csv.into_bytes(), encoding: None };
        let curve = curve_pieces_join_to_the_whole(load, request.clone()).expect("a curve");
        assert!(curve.note.contains("Thinned to 2 refits"), "{}", curve.note);
        let points = curve.curves.series[1].points.len();
        assert!(points * CURVE_FOLDS < Job::curve(&request).unwrap().len(), "some pieces are past the curve");
    }

    /// A clustering has no learning curve to split.
    #[test]
    fn a_clustering_has_no_curve_job() {
        let (_, mut request) = species_request("iris", "kmeans", ParamValues::new());
        request.task = crate::base::Task::Clustering;
        request.target = String::new();
        assert_eq!(Job::curve(&request), None);
    }

    #[test]
    fn a_piece_done_twice_counts_once_and_a_request_that_does_not_split_is_none() {
        let (_, request) = species_request("iris", "decision_tree", ParamValues::new());
        assert_eq!(Job::split(&Request::Train(request.clone())), None);
        let one = CompareRequest { base: request.clone(), models: vec!["knn".into()], axes: None, slice: Vec::new() };
        assert_eq!(Job::split(&Request::Compare(one)), None, "one model: nothing to share");
        let cv = Request::CrossValidate { request, k: 2, folding: Folding::Shuffled };
        let mut job = Job::split(&cv).unwrap();
        let done = |fold, score| PieceDone::Fold { fold, measure: "accuracy".into(), score, n_rows: 120 };
        assert_eq!(job.add(done(0, 0.9)), Joined::Waiting(Vec::new()));
        assert_eq!(job.add(done(0, 0.1)), Joined::Waiting(Vec::new()), "the second copy of piece 0 does not finish the job");
        let member = PieceDone::Member {
            index: 1,
            row: Box::new(CompareRow { model: "knn".into(), name: "kNN".into(), outcome: Err(SessionError::NoTable) }),
        };
        assert_eq!(job.add(member), Joined::Waiting(Vec::new()), "another job's piece");
        let Joined::Done(_, answer) = job.add(done(1, 0.8)) else { panic!("joined") };
        let Response::CrossValidated(cv) = *answer else { panic!("cross-validated") };
        assert_eq!(cv.scores, [0.9, 0.8], "the first copy stays, in index order");
    }

    #[test]
    fn a_piece_that_does_not_exist_is_refused() {
        let (_, request) = species_request("iris", "decision_tree", ParamValues::new());
        let piece = Piece::Fold { request: request.clone(), k: 5, folding: Folding::Shuffled, fold: 5 };
        let answer = session("iris").handle(Request::Piece(piece), &mut NoProgress);
        assert_eq!(answer, Response::Failed(SessionError::NoSuchFold { fold: 5, k: 5 }));
        let compare = CompareRequest { base: request, models: vec!["knn".into()], axes: None, slice: Vec::new() };
        let piece = Piece::Member { compare: Box::new(compare), index: 1 };
        let answer = session("iris").handle(Request::Piece(piece), &mut NoProgress);
        assert_eq!(answer, Response::Failed(SessionError::NoSuchPiece { index: 1, count: 1 }));
        let piece = Piece::Trial { search: Box::new(tree_search(Method::Grid, 50)), trial: 9, earlier: Vec::new() };
        let answer = session("iris").handle(Request::Piece(piece), &mut NoProgress);
        assert_eq!(answer, Response::Failed(SessionError::NoSuchPiece { index: 9, count: 9 }));
    }
}
