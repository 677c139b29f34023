//! What the work is, and how long work reports how far it has come.

use serde::{Deserialize, Serialize};

/// Whether a target is predicted as a class or as a number, or the rows are
/// grouped without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    Classification,
    Regression,
    /// No target: similar rows are grouped into clusters.
    Clustering,
}

impl Task {
    /// The task's name as the page writes it (and as its `<option>` values are).
    pub fn name(self) -> &'static str {
        match self {
            Task::Classification => "classification",
            Task::Regression => "regression",
            Task::Clustering => "clustering",
        }
    }
}

/// Receives progress during long work. `done` never exceeds `total`.
pub trait Progress {
    fn report(&mut self, done: usize, total: usize, what: &str);
}

/// For callers that do not show progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&mut self, _: usize, _: usize, _: &str) {}
}
