//! Hyperparameter search on the training rows: each trial's settings are
//! scored by k-fold cross-validation (the folds prepared once, see
//! [`Folds`]), and the test rows are never read. `eval::search` says which
//! settings to try; this runs them and reports each trial as it ends, so the
//! page can draw the search live and keep the best so far if it is cancelled.

use serde::{Deserialize, Serialize};

use super::validate::{CrossValidation, Folding, Folds};
use super::{SessionError, TrainRequest};
use crate::base::{NoProgress, Progress};
use crate::data::Table;
use crate::eval::search::{Dimension, Method, Search, Space};
use crate::model::{self, ParamValues};

/// A search the page asks for: which of `request`'s model settings to search,
/// how, for how many trials, scored on which folds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The model, columns, settings not searched, split and seed.
    pub request: TrainRequest,
    pub dimensions: Vec<Dimension>,
    pub method: Method,
    /// Most trials to run (a smaller grid runs whole).
    pub budget: usize,
    /// A grid's values per numeric setting.
    pub per_setting: usize,
    /// Folds of the cross-validation scoring each trial.
    pub k: usize,
    #[serde(default)]
    pub folding: Folding,
}

/// One trial: its settings (all of them, searched or not) and its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    /// Trial number, from 0, in the order the search proposed it.
    pub index: usize,
    /// The model's settings as tried: the request's, with the searched ones replaced.
    pub params: ParamValues,
    /// The searched settings alone.
    pub searched: ParamValues,
    /// The cross-validated score, or why these settings could not be fitted
    /// (a search goes on past a failed trial).
    pub outcome: Result<CrossValidation, SessionError>,
}

impl Trial {
    /// The trial's mean CV score; NaN for a failed trial, which Bayesian search skips.
    pub fn score(&self) -> f64 {
        self.outcome.as_ref().map_or(f64::NAN, |cv| cv.mean)
    }
}

/// Every trial run, and which did best.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Searched {
    pub trials: Vec<Trial>,
    /// Index in `trials` of the best score (the first of equals); `None` if every trial failed.
    pub best: Option<usize>,
}

/// Runs `req`'s search on `table`, calling `on_trial` as each trial ends
/// (the worker posts it to the page). Trials come out in index order, and a
/// given request gives the same trials, bit for bit, every time.
pub fn run(
    table: &Table,
    req: &SearchRequest,
    progress: &mut dyn Progress,
    on_trial: &mut dyn FnMut(&Trial),
) -> Result<Searched, SessionError> {
    let spec = model::find(&req.request.model).ok_or_else(|| SessionError::UnknownModel(req.request.model.clone()))?;
    let space = Space::new(&(spec.params)(req.request.task), req.dimensions.clone())?;
    let search = Search::new(space, req.method, req.per_setting, req.request.seed);
    let n = search.trials(req.budget);
    progress.report(0, n, "searching: preparing the folds");
    let folds = Folds::prepare(table, &req.request, req.k, &req.folding)?;
    let mut trials: Vec<Trial> = Vec::with_capacity(n);
    let mut earlier: Vec<(ParamValues, f64)> = Vec::with_capacity(n);
    for t in 0..n {
        let searched = search.propose(t, &earlier);
        let mut params = req.request.params.clone();
        params.extend(searched.clone());
        let best = trials.iter().map(Trial::score).filter(|s| s.is_finite()).fold(f64::NAN, f64::max);
        let so_far =
            if best.is_finite() { format!(", best so far {}", crate::base::format_number(best)) } else { String::new() };
        progress.report(t, n, &format!("searching: trial {} of {n}{so_far}", t + 1));
        let outcome = folds.score(&params, req.request.seed, &mut NoProgress);
        let trial = Trial { index: t, params, searched, outcome };
        on_trial(&trial);
        earlier.push((trial.searched.clone(), trial.score()));
        trials.push(trial);
    }
    progress.report(n, n, "searching");
    let best = best_trial(&trials);
    Ok(Searched { trials, best })
}

/// The trial with the highest score, the first of equals.
pub fn best_trial(trials: &[Trial]) -> Option<usize> {
    trials
        .iter()
        .enumerate()
        .filter(|(_, t)| t.score().is_finite())
        .fold(None, |best: Option<(usize, f64)>, (i, t)| match best {
            Some((_, s)) if s >= t.score() => best,
            _ => Some((i, t.score())),
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;
    use crate::eval::search::Range;
    use crate::session::{bundled, ColumnUse};

    fn request(method: Method, budget: usize) -> (Table, SearchRequest) {
        let table = read_csv(bundled::bytes("iris").unwrap()).unwrap();
        let request = TrainRequest {
            target: "species".into(),
            task: crate::base::Task::Classification,
            columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
            model: "decision_tree".into(),
            params: ParamValues::new(),
            seed: 42,
            pipeline: None,
            test_share: super::super::TEST_FRACTION,
        };
        let dimensions = vec![Dimension { key: "max_depth".into(), range: Range::Int { low: 1, high: 6, log: false } }];
        (table, SearchRequest { request, dimensions, method, budget, per_setting: 6, k: 5, folding: Folding::Shuffled })
    }

    /// A grid over depth 1..=6 runs six trials, each scored exactly as a
    /// cross-validation of that depth alone, and the best is the first of
    /// the highest mean.
    #[test]
    fn a_grid_scores_each_setting_as_its_own_cross_validation() {
        let (table, req) = request(Method::Grid, 50);
        let mut seen = Vec::new();
        let searched = run(&table, &req, &mut NoProgress, &mut |t| seen.push(t.index)).unwrap();
        assert_eq!(seen, (0..6).collect::<Vec<_>>());
        for trial in &searched.trials {
            let mut alone = req.request.clone();
            alone.params = trial.params.clone();
            let cv = super::super::validate::cross_validate(&table, &alone, 5, &Folding::Shuffled, &mut NoProgress);
            assert_eq!(trial.outcome, cv, "trial {}", trial.index);
        }
        let scores: Vec<f64> = searched.trials.iter().map(Trial::score).collect();
        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(searched.best, scores.iter().position(|&s| s == top));
        assert!(scores[0] < top, "depth 1 separates one species only: {scores:?}");
    }

    #[test]
    fn a_seeded_random_search_repeats_bit_for_bit() {
        let (table, req) = request(Method::Random, 8);
        let a = run(&table, &req, &mut NoProgress, &mut |_| {}).unwrap();
        let b = run(&table, &req, &mut NoProgress, &mut |_| {}).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.trials.len(), 8);
    }

    /// A request that went through serialization (as the page sends it to a
    /// worker) runs the same trials bit for bit. (The trials themselves are
    /// not checked through JSON: serde_json, without its `float_roundtrip`
    /// feature, may read a score back one ulp off; the worker posts them
    /// through serde-wasm-bindgen, which keeps every bit.)
    #[test]
    fn a_random_search_repeats_through_the_serialized_request() {
        let (table, mut req) = request(Method::Random, 6);
        req.dimensions.push(Dimension { key: "ccp_alpha".into(), range: Range::Float { low: 1e-4, high: 0.1, log: true } });
        let sent: SearchRequest = serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
        let direct = run(&table, &req, &mut NoProgress, &mut |_| {}).unwrap();
        let through = run(&table, &sent, &mut NoProgress, &mut |_| {}).unwrap();
        assert_eq!(direct, through);
    }

    #[test]
    fn an_unknown_setting_is_refused_before_any_trial() {
        let (table, mut req) = request(Method::Random, 8);
        req.dimensions[0].key = "depth_of_field".into();
        let err = run(&table, &req, &mut NoProgress, &mut |_| panic!("no trial")).unwrap_err();
        assert!(err.to_string().contains("depth_of_field"), "{err}");
    }
}
