//! Hyperparameter search on the training rows: each trial's settings are
//! scored by k-fold cross-validation (the folds prepared once, see
//! [`Folds`]), and the test rows are never read. `eval::search` says which
//! settings to try; this runs them and reports each trial as it ends, so the
//! page can draw the search live and keep the best so far if it is cancelled.

use serde::{Deserialize, Serialize};

use super::validate::{CrossValidation, Folding, Folds};
use super::{SessionError, TrainRequest};
use crate::base::Task;
use crate::base::{NoProgress, Progress};
use crate::data::Table;
use crate::eval::search::{Dimension, Method, Range, Search, Space};
use crate::explain::{SearchView, SearchedSetting, SettingScale, TrialPoint};
use crate::model::{self, ParamValue, ParamValues};

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
    let search = proposer(req)?;
    let n = search.trials(req.budget);
    progress.report(0, n, "searching: preparing the folds");
    let folds = Folds::prepare(table, &req.request, req.k, &req.folding)?;
    let mut trials: Vec<Trial> = Vec::with_capacity(n);
    let mut earlier: Vec<(ParamValues, f64)> = Vec::with_capacity(n);
    for t in 0..n {
        let best = trials.iter().map(Trial::score).filter(|s| s.is_finite()).fold(f64::NAN, f64::max);
        let so_far =
            if best.is_finite() { format!(", best so far {}", crate::base::format_number(best)) } else { String::new() };
        progress.report(t, n, &format!("searching: trial {} of {n}{so_far}", t + 1));
        let trial = score_trial(&search, &folds, req, t, &earlier);
        on_trial(&trial);
        earlier.push((trial.searched.clone(), trial.score()));
        trials.push(trial);
    }
    progress.report(n, n, "searching");
    let best = best_trial(&trials);
    Ok(Searched { trials, best })
}

/// What proposes `req`'s trials, from the registry's specs of its model.
fn proposer(req: &SearchRequest) -> Result<Search, SessionError> {
    let spec = model::find(&req.request.model).ok_or_else(|| SessionError::UnknownModel(req.request.model.clone()))?;
    let space = Space::new(&(spec.params)(req.request.task), req.dimensions.clone())?;
    Ok(Search::new(space, req.method, req.per_setting, req.request.seed))
}

/// Trial `t`: the settings `search` proposes after `earlier` (the settings
/// and scores of trials `0..t`, which only a Bayesian proposal reads),
/// scored on `folds`. A fit that fails is the trial's outcome, not an error.
fn score_trial(search: &Search, folds: &Folds, req: &SearchRequest, t: usize, earlier: &[(ParamValues, f64)]) -> Trial {
    let searched = search.propose(t, earlier);
    let mut params = req.request.params.clone();
    params.extend(searched.clone());
    let outcome = folds.score(&params, req.request.seed, &mut NoProgress);
    Trial { index: t, params, searched, outcome }
}

/// How many trials `req` runs, from the catalog's specs (the page counts
/// them without the registry); `None` when the search will be refused.
pub fn trial_count(req: &SearchRequest) -> Option<usize> {
    let specs = model::catalog::find(&req.request.model).map(|m| (m.params)(req.request.task))?;
    let space = Space::new(&specs, req.dimensions.clone()).ok()?;
    Some(Search::new(space, req.method, req.per_setting, req.request.seed).trials(req.budget))
}

/// The folds a search's trials are scored on, kept by a worker between the
/// trials it is dealt ([`super::task::Piece::Trial`]): the preparation does
/// not depend on the settings, so a helper prepares the folds once per
/// search, as the whole search does, not once per trial.
#[derive(Default)]
pub struct KeptFolds(Option<(TrainRequest, usize, Folding, Folds)>);

impl KeptFolds {
    /// Forgets the folds (any request but a trial's: the memory is the
    /// training rows k times over).
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// Trial `t` of `req` alone, as [`run`] scores it after `earlier`: the
    /// same proposal, the same folds, the same fits, bit for bit.
    pub fn trial(
        &mut self,
        table: &Table,
        req: &SearchRequest,
        t: usize,
        earlier: &[(ParamValues, f64)],
    ) -> Result<Trial, SessionError> {
        let search = proposer(req)?;
        let count = search.trials(req.budget);
        if t >= count {
            return Err(SessionError::NoSuchPiece { index: t, count });
        }
        let key = (&req.request, req.k, &req.folding);
        let folds = match self.0.take() {
            Some(kept) if (&kept.0, kept.1, &kept.2) == key => kept,
            _ => {
                (req.request.clone(), req.k, req.folding.clone(), Folds::prepare(table, &req.request, req.k, &req.folding)?)
            }
        };
        let trial = score_trial(&search, &folds.3, req, t, earlier);
        self.0 = Some(folds);
        Ok(trial)
    }
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

/// The live charts' view of `req`'s search after `trials`: each trial's
/// score and searched values, the settings' labels and scales from the
/// model's specs, and for a grid over two settings the grid's values.
pub fn view(req: &SearchRequest, trials: &[Trial]) -> SearchView {
    let specs = model::catalog::find(&req.request.model).map(|m| (m.params)(req.request.task)).unwrap_or_default();
    let settings = req
        .dimensions
        .iter()
        .map(|d| SearchedSetting {
            label: specs.iter().find(|s| s.key == d.key).map_or_else(|| d.key.clone(), |s| s.label.to_string()),
            scale: match &d.range {
                Range::Choice(levels) => SettingScale::Levels(levels.clone()),
                Range::Int { log: true, .. } | Range::Float { log: true, .. } => SettingScale::Log,
                _ => SettingScale::Linear,
            },
        })
        .collect();
    let points = trials
        .iter()
        .map(|t| TrialPoint {
            index: t.index,
            score: t.score(),
            sd: t.outcome.as_ref().map_or(f64::NAN, |cv| cv.sd),
            values: req.dimensions.iter().map(|d| t.searched.get(&d.key).map_or(f64::NAN, |v| coordinate(d, v))).collect(),
        })
        .collect();
    let measure = trials
        .iter()
        .find_map(|t| t.outcome.as_ref().ok().map(|cv| cv.measure.clone()))
        .unwrap_or_else(|| if req.request.task == Task::Regression { "R²" } else { "accuracy" }.to_string());
    let grid = match (req.method, req.dimensions.as_slice()) {
        (Method::Grid, [a, b]) => Space::new(&specs, req.dimensions.clone()).ok().map(|space| {
            let points = space.grid(req.per_setting);
            let values = |d: &Dimension| {
                let mut seen: Vec<f64> = Vec::new();
                for v in points.iter().filter_map(|p| p.get(&d.key)).map(|v| coordinate(d, v)) {
                    if !seen.contains(&v) {
                        seen.push(v);
                    }
                }
                seen
            };
            (values(a), values(b))
        }),
        _ => None,
    };
    SearchView { measure, k: req.k, settings, trials: points, grid }
}

/// A searched value as a chart places it: the number, or a choice's index.
fn coordinate(d: &Dimension, value: &ParamValue) -> f64 {
    match (value, &d.range) {
        (ParamValue::Int(v), _) => *v as f64,
        (ParamValue::Float(v), _) => *v,
        (ParamValue::Choice(c), Range::Choice(levels)) => levels.iter().position(|l| l == c).map_or(f64::NAN, |i| i as f64),
        (ParamValue::Choice(_), _) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::search::Range;
    use crate::session::validate::tests::species_request;

    fn request(method: Method, budget: usize) -> (Table, SearchRequest) {
        let (table, request) = species_request("iris", "decision_tree", ParamValues::new());
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

    /// The worker posts what `handle_streaming` gives its sink: each trial as
    /// it ends, in order, then the whole search, whose trials are the same.
    #[test]
    fn a_search_request_streams_each_trial_before_its_answer() {
        let (_, req) = request(Method::Random, 4);
        let mut session = crate::session::Session::new(crate::session::native_clock);
        session.handle(crate::session::Request::LoadBundled { name: "iris".into() }, &mut NoProgress);
        let mut streamed = Vec::new();
        let answer =
            session.handle_streaming(crate::session::Request::Search(req), &mut NoProgress, &mut |r| streamed.push(r));
        let crate::session::Response::Searched(searched) = answer else { panic!("searched: {answer:?}") };
        let trials: Vec<crate::session::Response> =
            searched.trials.iter().cloned().map(crate::session::Response::SearchTrial).collect();
        assert_eq!(streamed, trials);
        assert_eq!(streamed.len(), 4);
    }

    #[test]
    fn a_search_without_a_table_is_refused() {
        let (_, req) = request(Method::Random, 4);
        let mut session = crate::session::Session::new(crate::session::native_clock);
        let answer = session.handle(crate::session::Request::Search(req), &mut NoProgress);
        assert_eq!(answer, crate::session::Response::Failed(SessionError::NoTable));
    }

    /// A grid over depth and criterion: the view labels both settings from
    /// the specs, places a choice at its index, and lists the grid's values
    /// for the heat map before every trial has run.
    #[test]
    fn the_view_of_a_two_setting_grid_has_its_rows_and_columns() {
        let (table, mut req) = request(Method::Grid, 50);
        req.per_setting = 3;
        req.dimensions
            .push(Dimension { key: "criterion".into(), range: Range::Choice(vec!["gini".into(), "entropy".into()]) });
        let searched = run(&table, &req, &mut NoProgress, &mut |_| {}).unwrap();
        let v = view(&req, &searched.trials[..4]);
        assert_eq!(v.measure, "accuracy");
        assert_eq!(v.settings[0].label, "max depth");
        assert_eq!(v.settings[0].scale, SettingScale::Linear);
        assert_eq!(v.grid, Some((vec![1.0, 4.0, 6.0], vec![0.0, 1.0])));
        assert_eq!(v.trials.len(), 4);
        assert_eq!(v.trials[1].values, [1.0, 1.0], "depth 1 with entropy");
        assert_eq!(v.trials[2].score, searched.trials[2].score());
        req.method = Method::Random;
        assert_eq!(view(&req, &[]).grid, None, "a heat map for a grid only");
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
