//! The page's pool of helper workers, as plain data: work that splits (a
//! cross-validation's folds, a search's trials, a comparison's models:
//! [`crate::session::task`]) is dealt piece by piece to helper workers,
//! while the primary worker, which keeps the session and the person's
//! model, trains and computes the views, or only waits. Helpers are started
//! lazily the first time such work comes and are given the table the same
//! way a crashed worker is (the link's last load); each computes one piece
//! at a time and answers it, and the pieces are joined in index order, so
//! the answer is the single worker's bit for bit, and what the single
//! worker streams on the way (a search's trials) is shown in the same
//! order. A helper that fails or crashes is ended and its piece goes to the
//! primary, so nothing the person asked for is lost; cancel ends every
//! helper. Like [`super::link`], this is tested natively; the page carries
//! out its [`Action`]s.

use super::link::{body_of, Body, Load};
use crate::session::task::{Job, Joined, PieceDone};
use crate::session::{Request, RequestId, Response};

/// Most helpers started, whatever the core count: each holds the table.
pub const MAX_HELPERS: usize = 7;

/// The id a helper's table load is posted with (pieces take their own).
pub const LOAD_ID: RequestId = RequestId(u64::MAX);

/// How many helpers to start beside the primary worker for `cores` logical
/// cores (`navigator.hardwareConcurrency`, or the page's `?workers=`): one
/// per core but the primary's, at most [`MAX_HELPERS`]; none on one core.
pub fn helpers_for(cores: usize) -> usize {
    cores.saturating_sub(1).min(MAX_HELPERS)
}

/// What the page does for the pool.
#[derive(Clone, Debug, PartialEq)]
pub enum Action<F> {
    /// Start helper `n` (the next one).
    Spawn(usize),
    /// Post `body` to helper `helper`, as request `id`.
    Post { helper: usize, id: RequestId, body: Body<F> },
    /// End helper `helper`: it failed, or holds work nobody waits for.
    End(usize),
    /// Compute this piece in the primary worker (a helper failed on it).
    Primary(Request),
    /// Show this now, as the whole request's worker streams it: a search's
    /// trial ([`Response::SearchTrial`]), a comparison's progress.
    Shown(Response),
    /// Every piece is in: the job's answer, as the whole request gives it.
    Done(Response),
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Helper {
    /// Took its table load (it answers in order, so pieces may follow it).
    ready: bool,
    /// The piece it computes: the post's id and the piece's index.
    piece: Option<(RequestId, usize)>,
    /// Ended: never posted to again.
    ended: bool,
}

/// Helpers and the job they share.
#[derive(Debug)]
pub struct Pool<F> {
    size: usize,
    helpers: Vec<Helper>,
    job: Option<Job>,
    /// Pieces not dealt yet, by index.
    waiting: Vec<usize>,
    /// The table every helper loads.
    table: Option<Load<F>>,
    next_id: u64,
}

/// No helpers: everything in the primary worker.
impl<F> Default for Pool<F> {
    fn default() -> Self {
        Pool { size: 0, helpers: Vec::new(), job: None, waiting: Vec::new(), table: None, next_id: 1 }
    }
}

impl<F: Clone> Pool<F> {
    /// A pool of at most `size` helpers (see [`helpers_for`]); none starts yet.
    pub fn new(size: usize) -> Self {
        Pool { size, ..Pool::default() }
    }

    /// Nobody waits for the job any more (a new training was asked for):
    /// pieces still computing are dropped when they come.
    pub fn forget(&mut self) {
        self.job = None;
        self.waiting.clear();
    }

    /// Whether work that splits goes to helpers: `false` with one worker,
    /// and when no table a helper could load is the primary's.
    pub fn splits(&self) -> bool {
        self.size > 0 && self.table.is_some()
    }

    /// Whether a job is being computed (its answer has not come yet).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The primary's table changed in a way a load cannot repeat (a toy set
    /// edited by hand, a column's missing tokens set): helpers holding the
    /// old one end, and work goes whole to the primary until the next load.
    pub fn unshared(&mut self) -> Vec<Action<F>> {
        self.table = None;
        self.end_all()
    }

    /// The table changed: helpers holding the old one are ended (they are
    /// started again, with the new table, when work comes).
    pub fn table(&mut self, table: Load<F>) -> Vec<Action<F>> {
        self.table = Some(table);
        self.end_all()
    }

    /// Ends every helper and forgets the job: the person canceled, or a new
    /// job replaces one whose pieces are still computing.
    pub fn end_all(&mut self) -> Vec<Action<F>> {
        self.job = None;
        self.waiting.clear();
        let ends = self.helpers.iter().enumerate().filter(|(_, h)| !h.ended).map(|(i, _)| Action::End(i)).collect();
        self.helpers.clear();
        ends
    }

    /// Deals `job`'s pieces: to idle helpers now, to helpers started for it.
    /// A job whose pieces still compute is replaced (its helpers ended). A
    /// job the primary only waits for (a search, a comparison) gets one
    /// helper more: the primary's core would otherwise stand idle.
    pub fn start(&mut self, job: Job) -> Vec<Action<F>> {
        let mut actions = if self.helpers.iter().any(|h| h.piece.is_some()) { self.end_all() } else { Vec::new() };
        self.waiting = (0..job.len()).collect();
        let wanted = (self.size + usize::from(job.primary_waits())).min(job.len());
        self.job = Some(job);
        let live = self.helpers.iter().filter(|h| !h.ended).count();
        for _ in live..wanted {
            self.helpers.push(Helper::default());
            actions.push(Action::Spawn(self.helpers.len() - 1));
        }
        actions.extend(self.deal());
        actions
    }

    /// Helper `helper` is up: it gets the table, then a piece.
    pub fn ready(&mut self, helper: usize) -> Vec<Action<F>> {
        let (Some(table), Some(h)) = (self.table.clone(), self.helpers.get_mut(helper)) else { return Vec::new() };
        if h.ended {
            return Vec::new();
        }
        h.ready = true;
        let mut actions = vec![Action::Post { helper, id: LOAD_ID, body: body_of(table) }];
        actions.extend(self.deal());
        actions
    }

    /// Helper `helper` answered request `id`.
    pub fn reply(&mut self, helper: usize, id: RequestId, response: Response) -> Vec<Action<F>> {
        let current = self.helpers.get(helper).and_then(|h| h.piece);
        match response {
            Response::Ready | Response::Progress { .. } | Response::Loaded(_) => Vec::new(),
            Response::PieceDone(done) => match current {
                Some((posted, index)) if posted == id => {
                    // Another piece than the one posted: a broken helper, whose piece the primary computes.
                    if done.index() != index {
                        return self.crashed(helper);
                    }
                    if let Some(h) = self.helpers.get_mut(helper) {
                        h.piece = None;
                    }
                    self.done(done)
                }
                _ => Vec::new(),
            },
            // A refusal or a crash, of its load or its piece: the helper is
            // ended and its piece computed by the primary, which answers as
            // the whole request would (and says why, if it fails too).
            _ => self.crashed(helper),
        }
    }

    /// Helper `helper` failed or crashed.
    pub fn crashed(&mut self, helper: usize) -> Vec<Action<F>> {
        let Some(h) = self.helpers.get_mut(helper).filter(|h| !h.ended) else { return Vec::new() };
        h.ended = true;
        let piece = h.piece.take();
        let mut actions = vec![Action::End(helper)];
        if let Some(piece) = piece.and_then(|(_, index)| self.job.as_ref()?.piece(index)) {
            actions.push(Action::Primary(Request::Piece(piece)));
        }
        actions.extend(self.deal());
        actions
    }

    /// A piece came, from a helper or the primary: what it lets the page
    /// show, and the pieces it lets be dealt (a Bayesian proposal waits for
    /// every trial before it).
    pub fn done(&mut self, done: PieceDone) -> Vec<Action<F>> {
        let Some(job) = self.job.as_mut() else { return Vec::new() };
        match job.add(done) {
            Joined::Waiting(shown) => {
                let mut actions: Vec<Action<F>> = shown.into_iter().map(Action::Shown).collect();
                actions.extend(self.deal());
                actions
            }
            Joined::Done(shown, answer) => {
                self.job = None;
                self.waiting.clear();
                shown.into_iter().map(Action::Shown).chain([Action::Done(*answer)]).collect()
            }
        }
    }

    /// The next waiting pieces that can be computed now, each to a helper
    /// that is ready and idle; when no live helper is left, to the primary.
    fn deal(&mut self) -> Vec<Action<F>> {
        let Some(job) = self.job.as_ref() else { return Vec::new() };
        let mut actions = Vec::new();
        let next = |waiting: &mut Vec<usize>| {
            let at = waiting.iter().position(|&i| job.ready(i))?;
            let index = waiting.remove(at);
            Some((index, job.piece(index)?))
        };
        if self.helpers.iter().all(|h| h.ended) {
            while let Some((_, piece)) = next(&mut self.waiting) {
                actions.push(Action::Primary(Request::Piece(piece)));
            }
            return actions;
        }
        for (helper, h) in self.helpers.iter_mut().enumerate() {
            if !h.ready || h.ended || h.piece.is_some() {
                continue;
            }
            let Some((index, piece)) = next(&mut self.waiting) else { break };
            let id = RequestId(self.next_id);
            self.next_id += 1;
            h.piece = Some((id, index));
            actions.push(Action::Post { helper, id, body: Body::Request(Request::Piece(piece)) });
        }
        actions
    }
}

#[cfg(test)]
mod tests;
