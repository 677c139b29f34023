//! The page's side of its conversation with the worker, as plain data. A
//! worker takes no request before it says it is ready (an earlier one would be
//! lost); a request that follows the pointer must not pile up behind the hand;
//! and a canceled or crashed worker is replaced by a fresh one that is given
//! the table loaded before, so the person loses nothing (a search stopped
//! half-way keeps the trials it streamed). Each of these rules
//! is a state the page must not get wrong, so they live here, without web-sys
//! types, where they are tested natively; the page posts what this returns.

use crate::session::{best_trial, Request, SearchRequest, Searched, Trial};

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

/// A message for the worker: a request, or a file handle to read.
// A post lives only until the page posts it, a few at a time: boxing the
// request would add an allocation and save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Post<F> {
    Request(Request),
    File(F),
}

/// What the page has asked the worker and what it still owes it.
#[derive(Debug)]
pub struct WorkerLink<F> {
    ready: bool,
    /// Requests made before the worker was ready, in order.
    queued: Vec<Request>,
    /// The last load that succeeded, replayed into a fresh worker.
    last_load: Option<Load<F>>,
    /// A load in flight, which becomes `last_load` when it succeeds.
    pending_load: Option<Load<F>>,
    /// `last_load` is being replayed into a fresh worker; its answer comes
    /// before the pending load's.
    replaying: bool,
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
            queued: Vec::new(),
            last_load: None,
            pending_load: None,
            replaying: false,
            following: false,
            next_following: None,
            search: None,
        }
    }
}

impl<F: Clone> WorkerLink<F> {
    /// A fresh worker was started, first or in place of a canceled or crashed
    /// one. It owes no answer, so the pointer may ask again at once, and
    /// requests wait for its [`ready`](Self::ready).
    pub fn worker_started(&mut self) {
        self.ready = false;
        self.following = false;
        self.next_following = None;
    }

    /// The worker can take requests: the table loaded before goes first (so a
    /// new file that fails leaves it in place), then the one asked for since,
    /// then every request made while waiting.
    pub fn ready(&mut self) -> Vec<Post<F>> {
        self.ready = true;
        self.replaying = self.last_load.is_some();
        let loads: Vec<Load<F>> = self.last_load.iter().chain(&self.pending_load).cloned().collect();
        let mut posts: Vec<Post<F>> = loads.into_iter().map(post_of).collect();
        posts.extend(self.queued.drain(..).map(Post::Request));
        posts
    }

    /// `request` now if the worker is ready, else kept until it is.
    pub fn send(&mut self, request: Request) -> Option<Request> {
        if self.ready {
            Some(request)
        } else {
            self.queued.push(request);
            None
        }
    }

    /// A request that follows the pointer (a slider moving, a point dragged):
    /// at most one is computed at a time, and while it is, a newer one replaces
    /// the one waiting, so the worker never falls behind the hand.
    pub fn send_latest(&mut self, request: Request) -> Option<Request> {
        if self.following {
            self.next_following = Some(request);
            return None;
        }
        self.following = true;
        self.send(request)
    }

    /// The worker answered a [`send_latest`](Self::send_latest) request: the
    /// newest one waiting goes now.
    pub fn following_answered(&mut self) -> Option<Request> {
        self.following = false;
        let next = self.next_following.take()?;
        self.send_latest(next)
    }

    /// The person asked for a table; it goes now if the worker is ready, else
    /// with the others on [`ready`](Self::ready).
    pub fn load(&mut self, load: Load<F>) -> Option<Post<F>> {
        self.pending_load = Some(load.clone());
        self.ready.then(|| post_of(load))
    }

    /// A table was loaded: the replayed one (the person's table is back), or
    /// the pending one, which is now the one to replay.
    pub fn loaded(&mut self) {
        if self.replaying {
            self.replaying = false;
        } else if let Some(load) = self.pending_load.take() {
            self.last_load = Some(load);
        }
    }

    /// The worker answered with a failure. Returns the load it was, to name
    /// its file, unless it was the replay: the table the person had is not
    /// what they just asked for.
    pub fn failed(&mut self) -> Option<Load<F>> {
        if std::mem::take(&mut self.replaying) {
            None
        } else {
            self.pending_load.take()
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
    pub fn search(&mut self, request: SearchRequest) -> Option<Request> {
        self.search = Some(Vec::new());
        self.send(Request::Search(request))
    }

    /// A trial of the search in flight ended; returns the trials so far. A
    /// trial that is not the next one expected (one the replaced worker had
    /// posted before it was stopped) is dropped, and so is any trial when no
    /// search runs: `None`.
    pub fn trial(&mut self, trial: Trial) -> Option<&[Trial]> {
        let trials = self.search.as_mut().filter(|t| t.len() == trial.index)?;
        trials.push(trial);
        Some(trials)
    }

    /// The trials of the search in flight so far (`None` when none runs): what
    /// its live charts show, e.g. redrawn at a new window size.
    pub fn search_trials(&self) -> Option<&[Trial]> {
        self.search.as_deref()
    }

    /// The search ended and its answer holds every trial: none is kept here.
    pub fn searched(&mut self) {
        self.search = None;
    }

    /// The search in flight stopped before its end (canceled, or its worker
    /// failed): the trials that ended, with the best of them; `None` when no
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

    /// A table is loaded or on its way, so the page need not open on one.
    pub fn has_table(&self) -> bool {
        self.last_load.is_some() || self.pending_load.is_some()
    }
}

/// How a load reaches the worker: a bundled table by name, a file as its handle.
fn post_of<F>(load: Load<F>) -> Post<F> {
    match load {
        Load::Bundled(name) => Post::Request(Request::LoadBundled { name }),
        Load::File(file) => Post::File(file),
        Load::Toy(toy) => Post::Request(Request::LoadToy(toy)),
    }
}

#[cfg(test)]
mod tests;
