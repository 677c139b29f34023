//! Work that splits into independent pieces, for a pool of workers: a job is
//! cut into [`Piece`]s, any worker holding the same table computes any piece
//! alone ([`Request::Piece`] → [`Response::PieceDone`]), and the pieces are
//! joined in index order ([`Job::add`]) into the answer the whole request
//! gives. A piece carries its own seed (a fold's is the request's, as in the
//! whole cross-validation), never a worker's, so the joined answer is the
//! whole one bit for bit however the pieces were dealt.

use serde::{Deserialize, Serialize};

use super::validate::{CrossValidation, Folding, Folds};
use super::{Request, Response, SessionError, TrainRequest};
use crate::data::Table;

/// One independent piece of a job that splits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Piece {
    /// Fold `fold` (from 0) of the `k`-fold cross-validation of `request`.
    Fold { request: TrainRequest, k: usize, folding: Folding, fold: usize },
}

/// A piece computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PieceDone {
    /// Fold `fold`'s test score, what it measures, and the training rows the
    /// folds cut (the same for every fold).
    Fold { fold: usize, measure: String, score: f64, n_rows: usize },
}

impl PieceDone {
    /// The index of the piece this is.
    pub fn index(&self) -> usize {
        match self {
            PieceDone::Fold { fold, .. } => *fold,
        }
    }
}

impl Piece {
    /// Computes the piece on `table`, as the whole request would.
    pub fn compute(&self, table: &Table) -> Result<PieceDone, SessionError> {
        match self {
            Piece::Fold { request, k, folding, fold } => {
                let (measure, score, n_rows) = Folds::score_one(table, request, *k, folding, *fold)?;
                Ok(PieceDone::Fold { fold: *fold, measure: measure.to_string(), score, n_rows })
            }
        }
    }
}

/// A job cut into pieces, and the pieces done so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pieces: Vec<Piece>,
    done: Vec<Option<PieceDone>>,
    folding: Folding,
}

impl Job {
    /// `request` cut into pieces, when it splits: a cross-validation into
    /// its folds. `None` for a request that does not split (or a
    /// cross-validation of fewer than two folds, which the whole request
    /// refuses with its own message).
    pub fn split(request: &Request) -> Option<Job> {
        match request {
            Request::CrossValidate { request, k, folding } if *k >= 2 => {
                let pieces: Vec<Piece> = (0..*k)
                    .map(|fold| Piece::Fold { request: request.clone(), k: *k, folding: folding.clone(), fold })
                    .collect();
                Some(Job { done: vec![None; pieces.len()], pieces, folding: folding.clone() })
            }
            _ => None,
        }
    }

    /// The pieces, by index.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Piece `index` came (again, from a second worker: the first stays).
    /// Returns the whole request's answer once every piece is in.
    pub fn add(&mut self, index: usize, done: PieceDone) -> Option<Response> {
        if let Some(slot @ None) = self.done.get_mut(index) {
            *slot = Some(done);
        }
        let done: Vec<&PieceDone> = self.done.iter().flatten().collect();
        if done.len() < self.pieces.len() {
            return None;
        }
        let (mut measure, mut n_rows) = (String::new(), 0);
        let scores = done
            .iter()
            .map(|PieceDone::Fold { measure: m, score, n_rows: n, .. }| {
                measure.clone_from(m);
                n_rows = *n;
                *score
            })
            .collect();
        Some(Response::CrossValidated(CrossValidation::of(&measure, scores, n_rows, self.folding.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::NoProgress;
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
    /// would), joined in any order, is the whole request's answer, bit for bit.
    fn pieces_join_to_the_whole(table: &str, whole: Request) {
        let expected = session(table).handle(whole.clone(), &mut NoProgress);
        assert!(matches!(expected, Response::CrossValidated(_)), "{expected:?}");
        let mut job = Job::split(&whole).expect("a cross-validation splits");
        let mut joined = None;
        // Last piece first: the join is by index, not by arrival.
        for (index, piece) in job.pieces().to_vec().into_iter().enumerate().rev() {
            let Response::PieceDone(done) = session(table).handle(Request::Piece(piece), &mut NoProgress) else {
                panic!("piece {index} failed")
            };
            assert_eq!(joined, None, "nothing before the last piece");
            joined = job.add(index, done);
        }
        assert_eq!(joined, Some(expected));
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

    #[test]
    fn a_piece_done_twice_counts_once_and_a_request_that_does_not_split_is_none() {
        let (_, request) = species_request("iris", "decision_tree", ParamValues::new());
        assert_eq!(Job::split(&Request::Train(request.clone())), None);
        let cv = Request::CrossValidate { request, k: 2, folding: Folding::Shuffled };
        let mut job = Job::split(&cv).unwrap();
        let done = |score| PieceDone::Fold { fold: 0, measure: "accuracy".into(), score, n_rows: 120 };
        assert_eq!(job.add(0, done(0.9)), None);
        assert_eq!(job.add(0, done(0.1)), None, "the second copy of piece 0 does not finish the job");
        let Some(Response::CrossValidated(cv)) = job.add(1, done(0.8)) else { panic!("joined") };
        assert_eq!(cv.scores, [0.9, 0.8], "the first copy stays, in index order");
    }

    #[test]
    fn a_fold_that_does_not_exist_is_refused() {
        let (_, request) = species_request("iris", "decision_tree", ParamValues::new());
        let piece = Piece::Fold { request, k: 5, folding: Folding::Shuffled, fold: 5 };
        let answer = session("iris").handle(Request::Piece(piece), &mut NoProgress);
        assert_eq!(answer, Response::Failed(SessionError::NoSuchFold { fold: 5, k: 5 }));
    }
}
