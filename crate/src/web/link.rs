//! The page's side of its conversation with the worker, as plain data. A
//! worker takes no request before it says it is ready (an earlier one would be
//! lost); a request that follows the pointer must not pile up behind the hand;
//! and a canceled or crashed worker is replaced by a fresh one that is given
//! the table loaded before, with the points added and removed by hand since
//! (the same edits, in the same order, as the worker took them), so the
//! person loses nothing (a search stopped
//! half-way keeps the trials it streamed). Every request is numbered
//! ([`RequestId`]) and the worker's replies carry its number, so a view's
//! progress goes to its line, a refused view is that view's failure, and a
//! failure while a search runs stops the search only when it is the
//! search's. Each of these rules
//! is a state the page must not get wrong, so they live here, without web-sys
//! types, where they are tested natively; the page posts what this returns.

use crate::data::ToyEdit;
use crate::explain::EvaluationPart;
use crate::session::{best_trial, Request, RequestId, SearchRequest, Searched, Trial};

/// A table to load: a bundled one by name, or the person's file. `F` is the
/// browser's `File` handle on the page (the worker reads the file itself, so
/// a 100 MB file is never copied on the page's thread, and a replay holds a
/// handle, not the bytes).
#[derive(Clone, Debug, PartialEq)]
pub enum Load<F> {
    Bundled(String),
    File(F),
    /// A toy set drawn by rule in the worker.
    Toy(crate::data::ToySpec),
}

/// What goes to the worker: a request, or a file handle to read.
// A post lives only until the page posts it, a few at a time: boxing the
// request would add an allocation and save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Body<F> {
    Request(Request),
    File(F),
}

/// A message for the worker, numbered: every reply it causes carries `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Post<F> {
    pub id: RequestId,
    pub body: Body<F>,
}

/// What a request was sent for: where its progress, its answer and its
/// failure go on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Purpose<F> {
    /// The table the person asked for.
    Load(Load<F>),
    /// The table loaded before, given to a fresh worker.
    Replay,
    /// A request that follows the pointer ([`WorkerLink::send_latest`]).
    Following,
    /// A point added to or removed from the toy set by hand
    /// ([`WorkerLink::edit_toy`]): answered, it is part of the table to replay.
    Edit(ToyEdit),
    /// A search, whose trials the link keeps as they stream in.
    Search,
    /// One evaluation view of the trained model: its progress and its
    /// failure go to that view's line.
    View(EvaluationPart),
    /// A piece of work that splits, computed by the primary (a helper
    /// failed on it): its failure stops the pool's job.
    Piece,
    /// Anything else (a training, a comparison, …): its progress goes to the
    /// page's bar.
    Other,
}

/// A request ended, answered or failed: what it was for, and what follows.
// Matched at once and dropped, as a `Post`: boxing would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Ended<F> {
    /// The table asked for: when it failed, the load, to name its file.
    Load(Option<Load<F>>),
    /// The table loaded before is back in a fresh worker (or failed to come
    /// back: the table the person had is not what they just asked for).
    Replay,
    /// A request that followed the pointer; the newest one waiting, to post now.
    Following(Option<Post<F>>),
    /// A search: when it failed, the trials that ended and the best of them.
    Search(Option<Searched>),
    /// An evaluation view.
    View(EvaluationPart),
    /// A piece of the pool's job.
    Piece,
    Other,
    /// No request in flight has this id: a replaced worker's, or none.
    Unknown,
}

/// What the page has asked the worker and what it still owes it.
#[derive(Debug)]
pub struct WorkerLink<F> {
    ready: bool,
    /// The id the next request gets.
    next_id: u64,
    /// Requests made before the worker was ready, in order.
    queued: Vec<(Post<F>, Purpose<F>)>,
    /// Requests posted to the worker and not yet answered, by id.
    in_flight: Vec<(RequestId, Purpose<F>)>,
    /// The last load that succeeded, replayed into a fresh worker...
    last_load: Option<Load<F>>,
    /// ...with the toy set's edits the worker made to it since, in order.
    edits: Vec<ToyEdit>,
    /// The load the person asked for last, until it is answered.
    pending_load: Option<Load<F>>,
    /// A request following the pointer is being computed...
    following: bool,
    /// ...and this is the newest one waiting for it.
    next_following: Option<Request>,
    /// The trials of the search in flight, in the order they arrived; `None`
    /// when no search runs.
    search: Option<Vec<Trial>>,
}

impl<F> Default for WorkerLink<F> {
    fn default() -> Self {
        Self {
            ready: false,
            next_id: 1,
            queued: Vec::new(),
            in_flight: Vec::new(),
            last_load: None,
            edits: Vec::new(),
            pending_load: None,
            following: false,
            next_following: None,
            search: None,
        }
    }
}

impl<F: Clone + PartialEq> WorkerLink<F> {
    /// A fresh worker was started, first or in place of a canceled or crashed
    /// one. It owes no answer (what the old one owed will never come), so the
    /// pointer may ask again at once, and requests wait for its
    /// [`ready`](Self::ready).
    pub fn worker_started(&mut self) {
        self.ready = false;
        self.in_flight.clear();
        self.following = false;
        self.next_following = None;
    }

    /// The worker can take requests: the table loaded before goes first (so a
    /// new file that fails leaves it in place), its toy set's edits with it
    /// (as a link's edits go: one `EditToy` each, so the fresh worker's table
    /// is the one on show, row for row), then the one asked for since, then
    /// every request made while waiting.
    pub fn ready(&mut self) -> Vec<Post<F>> {
        self.ready = true;
        let mut posts = Vec::new();
        if let Some(load) = self.last_load.clone() {
            posts.push(self.post(body_of(load), Purpose::Replay));
            for edit in self.edits.clone() {
                posts.push(self.post(Body::Request(Request::EditToy(edit)), Purpose::Replay));
            }
        }
        if let Some(load) = self.pending_load.clone() {
            posts.push(self.post(body_of(load.clone()), Purpose::Load(load)));
        }
        for (post, purpose) in std::mem::take(&mut self.queued) {
            self.in_flight.push((post.id, purpose));
            posts.push(post);
        }
        posts
    }

    /// Numbers `body` and keeps it as in flight.
    fn post(&mut self, body: Body<F>, purpose: Purpose<F>) -> Post<F> {
        let id = self.number();
        self.in_flight.push((id, purpose));
        Post { id, body }
    }

    fn number(&mut self) -> RequestId {
        self.next_id += 1;
        RequestId(self.next_id - 1)
    }

    /// `request`, for `purpose`, now if the worker is ready, else kept (with
    /// its id) until it is.
    fn send_for(&mut self, request: Request, purpose: Purpose<F>) -> Option<Post<F>> {
        if self.ready {
            return Some(self.post(Body::Request(request), purpose));
        }
        let post = Post { id: self.number(), body: Body::Request(request) };
        self.queued.push((post, purpose));
        None
    }

    /// `request` now if the worker is ready, else kept until it is.
    pub fn send(&mut self, request: Request) -> Option<Post<F>> {
        self.send_for(request, Purpose::Other)
    }

    /// A piece of the pool's job for the primary to compute (`Request::Piece`).
    pub fn piece(&mut self, request: Request) -> Option<Post<F>> {
        self.send_for(request, Purpose::Piece)
    }

    /// Nothing is asked of the worker or waiting to be: cancelling would stop nothing of its.
    pub fn idle(&self) -> bool {
        self.in_flight.is_empty() && self.queued.is_empty()
    }

    /// One evaluation view of the trained model (`Request::Evaluate`): its
    /// progress and its failure are that view's.
    pub fn evaluate(&mut self, part: EvaluationPart) -> Option<Post<F>> {
        self.send_for(Request::Evaluate(part.clone()), Purpose::View(part))
    }

    /// A request that follows the pointer (a slider moving, a point dragged):
    /// at most one is computed at a time, and while it is, a newer one replaces
    /// the one waiting, so the worker never falls behind the hand.
    pub fn send_latest(&mut self, request: Request) -> Option<Post<F>> {
        if self.following {
            self.next_following = Some(request);
            return None;
        }
        self.following = true;
        self.send_for(request, Purpose::Following)
    }

    /// A point added to or removed from the toy set loaded (a click, or a
    /// link's edit): once answered, a fresh worker is given it too.
    pub fn edit_toy(&mut self, edit: ToyEdit) -> Option<Post<F>> {
        self.send_for(Request::EditToy(edit.clone()), Purpose::Edit(edit))
    }

    /// The person asked for a table; it goes now if the worker is ready, else
    /// with the others on [`ready`](Self::ready).
    pub fn load(&mut self, load: Load<F>) -> Option<Post<F>> {
        self.pending_load = Some(load.clone());
        if !self.ready {
            return None;
        }
        Some(self.post(body_of(load.clone()), Purpose::Load(load)))
    }

    /// What request `id` was sent for, while it is in flight: where its
    /// progress goes. `None` for a replaced worker's request.
    pub fn purpose(&self, id: RequestId) -> Option<&Purpose<F>> {
        self.in_flight.iter().find(|(i, _)| *i == id).map(|(_, p)| p)
    }

    /// Request `id` is no longer in flight: what it was for.
    fn take(&mut self, id: RequestId) -> Option<Purpose<F>> {
        let at = self.in_flight.iter().position(|(i, _)| *i == id)?;
        Some(self.in_flight.remove(at).1)
    }

    /// The worker answered request `id`. A load answered is the table to
    /// replay from now on, unedited (the person's newer load, if one is still
    /// coming, stays pending); an edit answered changed that table, so it is
    /// replayed after it (the worker answers in order, so the edits are in
    /// the order it made them; a refused edit changed nothing and is not
    /// kept); a search answered holds every trial, so none is kept.
    pub fn answered(&mut self, id: RequestId) -> Ended<F> {
        match self.take(id) {
            Some(Purpose::Load(load)) => {
                if self.pending_load.as_ref() == Some(&load) {
                    self.pending_load = None;
                }
                self.last_load = Some(load);
                self.edits.clear();
                Ended::Load(None)
            }
            Some(Purpose::Edit(edit)) => {
                self.edits.push(edit);
                Ended::Other
            }
            Some(Purpose::Search) => {
                self.search = None;
                Ended::Search(None)
            }
            other => self.ended(other),
        }
    }

    /// The worker failed request `id`. A load that failed is given back to
    /// name its file (the table loaded before stays); a search that failed
    /// gives back the trials that ended.
    pub fn failed(&mut self, id: RequestId) -> Ended<F> {
        match self.take(id) {
            Some(Purpose::Load(load)) => {
                if self.pending_load.as_ref() == Some(&load) {
                    self.pending_load = None;
                }
                Ended::Load(Some(load))
            }
            Some(Purpose::Search) => Ended::Search(self.stop_search()),
            other => self.ended(other),
        }
    }

    /// What answered and failed requests share: a pointer's request lets the
    /// newest one waiting go.
    fn ended(&mut self, purpose: Option<Purpose<F>>) -> Ended<F> {
        match purpose {
            Some(Purpose::Following) => {
                self.following = false;
                let next = self.next_following.take().and_then(|next| self.send_latest(next));
                Ended::Following(next)
            }
            Some(Purpose::Replay) => Ended::Replay,
            Some(Purpose::View(part)) => Ended::View(part),
            Some(Purpose::Piece) => Ended::Piece,
            Some(Purpose::Other | Purpose::Edit(_)) => Ended::Other,
            Some(Purpose::Load(_) | Purpose::Search) | None => Ended::Unknown,
        }
    }

    /// The person stopped a long load, training or search; the page then
    /// replaces the worker. The table asked for is forgotten and so is every
    /// waiting request; the table loaded before is replayed. A search stopped
    /// half-way gives back the trials that ended (see
    /// [`stop_search`](Self::stop_search)).
    pub fn cancel(&mut self) -> Option<Searched> {
        self.pending_load = None;
        self.queued.clear();
        self.stop_search()
    }

    /// The person started a search: from now on its trials are kept as they
    /// arrive, so that a cancel or a crash cannot lose them.
    pub fn search(&mut self, request: SearchRequest) -> Option<Post<F>> {
        self.search = Some(Vec::new());
        self.send_for(Request::Search(request), Purpose::Search)
    }

    /// A trial of request `id` ended; returns the trials so far. A trial of
    /// no search in flight (one the replaced worker had posted before it was
    /// stopped), or not the next one expected, is dropped: `None`.
    pub fn trial(&mut self, id: RequestId, trial: Trial) -> Option<&[Trial]> {
        if self.purpose(id) != Some(&Purpose::Search) {
            return None;
        }
        self.pooled_trial(trial)
    }

    /// A search dealt to the pool of helpers ([`super::pool`]) instead of
    /// sent: its trials are kept as a sent search's are, as they come.
    pub fn pooled_search(&mut self) {
        self.search = Some(Vec::new());
    }

    /// A trial of the search in flight, sent or pooled; returns the trials
    /// so far. One that is not the next expected is dropped: `None`.
    pub fn pooled_trial(&mut self, trial: Trial) -> Option<&[Trial]> {
        let trials = self.search.as_mut().filter(|t| t.len() == trial.index)?;
        trials.push(trial);
        Some(trials)
    }

    /// The trials of the search in flight so far (`None` when none runs): what
    /// its live charts show, e.g. redrawn at a new window size.
    pub fn search_trials(&self) -> Option<&[Trial]> {
        self.search.as_deref()
    }

    /// The search in flight stopped before its end (canceled, or its worker
    /// crashed): the trials that ended, with the best of them; `None` when no
    /// search ran or no trial had ended.
    pub fn stop_search(&mut self) -> Option<Searched> {
        let trials = self.search.take().filter(|t| !t.is_empty())?;
        let best = best_trial(&trials);
        Some(Searched { trials, best })
    }

    /// A table the person asked for has not arrived yet.
    pub fn loading(&self) -> bool {
        self.pending_load.is_some()
    }

    /// The person's file behind the table loaded now, to read again (in
    /// another encoding); `None` for a bundled table.
    pub fn loaded_file(&self) -> Option<&F> {
        match &self.last_load {
            Some(Load::File(file)) => Some(file),
            _ => None,
        }
    }

    /// The table loaded now, as asked for: what a link names as its source.
    pub fn last_load(&self) -> Option<&Load<F>> {
        self.last_load.as_ref()
    }

    /// The table loaded now as a load repeats it, for helper workers: `None`
    /// once points were added or removed by hand (a replay's edits are
    /// given to the fresh worker, not to helpers: see
    /// [`super::pool::Pool::unshared`]).
    pub fn shared_table(&self) -> Option<&Load<F>> {
        self.last_load.as_ref().filter(|_| self.edits.is_empty())
    }

    /// A table is loaded or on its way, so the page need not open on one.
    pub fn has_table(&self) -> bool {
        self.last_load.is_some() || self.pending_load.is_some()
    }
}

/// How a load reaches the worker: a bundled table by name, a file as its handle.
pub(super) fn body_of<F>(load: Load<F>) -> Body<F> {
    match load {
        Load::Bundled(name) => Body::Request(Request::LoadBundled { name }),
        Load::File(file) => Body::File(file),
        Load::Toy(toy) => Body::Request(Request::LoadToy(toy)),
    }
}

#[cfg(test)]
mod tests;
