//! Hyperparameter search: which settings to try next. Grid, random and
//! Bayesian search propose settings over a [`Space`] of the chosen model's
//! specs; the caller scores each proposal (by cross-validation on the
//! training rows) and hands the scores back. Nothing here fits a model.
//!
//! Trials are seeded one by one, not by the order they run in: random trial
//! `t` draws from its own ChaCha stream `t` of the search's seed, and a grid's
//! trial `t` is the grid's `t`-th point, so a pool of workers running trials
//! in any order gets the same settings. Bayesian search starts with the same
//! random trials, then proposes trial `t` from the scores of trials `0..t`
//! (a Gaussian process with expected improvement, see `gp`): it is sequential
//! by nature, and reproducible given those scores.

mod gp;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::model::{ParamKind, ParamSpec, ParamValue, ParamValues};
use gp::{Axis, Point, Process};

/// Random trials a Bayesian search starts from, before its surrogate is
/// trusted (Optuna's TPE also starts with a handful; 5 is scikit-optimize's
/// smallest sensible `n_initial_points` for a few settings).
pub const BAYESIAN_START: usize = 5;

/// Candidates the expected improvement is maximised over, per proposal.
const CANDIDATES: usize = 2048;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Every combination of evenly spaced values (on each setting's scale).
    Grid,
    /// Settings drawn uniformly on each setting's scale.
    Random,
    /// Random at first, then where a Gaussian process expects the most improvement.
    Bayesian,
}

/// Where one searched setting may go.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Range {
    Int { low: i64, high: i64, log: bool },
    Float { low: f64, high: f64, log: bool },
    Choice(Vec<String>),
}

/// One searched setting: a spec's key and its range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    pub key: String,
    pub range: Range,
}

/// Why a search cannot be set up as asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SearchError {
    NoSettings,
    /// The range is empty or reversed.
    EmptyRange {
        setting: String,
    },
    /// A log scale needs a range above zero.
    LogNeedsPositive {
        setting: String,
    },
    UnknownSetting(String),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::NoSettings => write!(f, "Pick at least one setting to search over."),
            SearchError::EmptyRange { setting } => {
                write!(f, "The range of '{setting}' is empty: its lowest value must be below its highest.")
            }
            SearchError::LogNeedsPositive { setting } => {
                write!(f, "'{setting}' is searched on a log scale, so its range must be above zero; raise its lowest value.")
            }
            SearchError::UnknownSetting(key) => write!(f, "The model has no setting '{key}' to search."),
        }
    }
}

impl std::error::Error for SearchError {}

impl Dimension {
    /// The whole range a spec allows, on the spec's scale. A log-scale whole
    /// number that may be 0 starts at 1 (0 would be log's minus infinity).
    pub fn from_spec(spec: &ParamSpec) -> Dimension {
        let range = match &spec.kind {
            ParamKind::Int { min, max, log_scale, .. } => {
                Range::Int { low: if *log_scale { (*min).max(1) } else { *min }, high: *max, log: *log_scale }
            }
            ParamKind::Float { min, max, log_scale, .. } => Range::Float { low: *min, high: *max, log: *log_scale },
            ParamKind::Choice { options, .. } => Range::Choice(options.iter().map(|o| o.to_string()).collect()),
        };
        Dimension { key: spec.key.to_string(), range }
    }

    fn check(&self) -> Result<(), SearchError> {
        let setting = || self.key.clone();
        let (low, high, log) = match &self.range {
            Range::Int { low, high, log } => (*low as f64, *high as f64, *log),
            Range::Float { low, high, log } => (*low, *high, *log),
            Range::Choice(options) if options.is_empty() => return Err(SearchError::EmptyRange { setting: setting() }),
            Range::Choice(_) => return Ok(()),
        };
        // NaN bounds fail too.
        if low.partial_cmp(&high).is_none_or(|o| o.is_gt()) {
            return Err(SearchError::EmptyRange { setting: setting() });
        }
        if log && low <= 0.0 {
            return Err(SearchError::LogNeedsPositive { setting: setting() });
        }
        Ok(())
    }

    fn axis(&self) -> Axis {
        match self.range {
            Range::Choice(_) => Axis::Choice,
            _ => Axis::Numeric,
        }
    }

    /// The value at `u` ∈ [0, 1] along a numeric range (on its scale), or
    /// the choice with index `⌊u · count⌋`.
    fn at(&self, u: f64) -> ParamValue {
        let u = u.clamp(0.0, 1.0);
        let along = |low: f64, high: f64, log: bool| {
            if log {
                (low.ln() + u * (high.ln() - low.ln())).exp()
            } else {
                low + u * (high - low)
            }
        };
        match &self.range {
            Range::Int { low, high, log } => {
                ParamValue::Int((along(*low as f64, *high as f64, *log).round() as i64).clamp(*low, *high))
            }
            Range::Float { low, high, log } => ParamValue::Float(along(*low, *high, *log).clamp(*low, *high)),
            Range::Choice(options) => {
                let i = ((u * options.len() as f64) as usize).min(options.len() - 1);
                ParamValue::Choice(options[i].clone())
            }
        }
    }

    /// Where `value` sits for the surrogate: its place in [0, 1] on the
    /// range's scale, or a choice's index.
    fn coordinate(&self, value: &ParamValue) -> f64 {
        let place = |v: f64, low: f64, high: f64, log: bool| {
            let (v, low, high) = if log { (v.ln(), low.ln(), high.ln()) } else { (v, low, high) };
            if high > low {
                (v - low) / (high - low)
            } else {
                0.0
            }
        };
        match (&self.range, value) {
            (Range::Int { low, high, log }, ParamValue::Int(v)) => place(*v as f64, *low as f64, *high as f64, *log),
            (Range::Float { low, high, log }, ParamValue::Float(v)) => place(*v, *low, *high, *log),
            (Range::Choice(options), ParamValue::Choice(v)) => options.iter().position(|o| o == v).unwrap_or(0) as f64,
            _ => 0.0,
        }
    }

    /// `per_setting` evenly spaced values (on the range's scale; whole
    /// numbers without repeats), or every choice.
    fn grid(&self, per_setting: usize) -> Vec<ParamValue> {
        if let Range::Choice(options) = &self.range {
            return options.iter().map(|o| ParamValue::Choice(o.clone())).collect();
        }
        let n = per_setting.max(1);
        let mut values: Vec<ParamValue> =
            (0..n).map(|i| self.at(if n == 1 { 0.5 } else { i as f64 / (n - 1) as f64 })).collect();
        values.dedup();
        values
    }

    /// A uniform draw on the range's scale (a choice: each equally likely).
    fn draw(&self, rng: &mut ChaCha8Rng) -> ParamValue {
        self.at(rng.random::<f64>())
    }

    /// A draw for the surrogate's candidates: a choice's index, else [0, 1].
    fn draw_coordinate(&self, rng: &mut ChaCha8Rng) -> f64 {
        match &self.range {
            Range::Choice(options) => rng.random_range(0..options.len()) as f64,
            _ => rng.random::<f64>(),
        }
    }

    /// The value at a surrogate coordinate.
    fn at_coordinate(&self, x: f64) -> ParamValue {
        match &self.range {
            Range::Choice(options) => ParamValue::Choice(options[(x as usize).min(options.len() - 1)].clone()),
            _ => self.at(x),
        }
    }
}

/// The settings a search may change, and how; the others keep their values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Space {
    dimensions: Vec<Dimension>,
}

impl Space {
    /// A space over `dimensions`, each naming one of `specs`.
    pub fn new(specs: &[ParamSpec], dimensions: Vec<Dimension>) -> Result<Space, SearchError> {
        if dimensions.is_empty() {
            return Err(SearchError::NoSettings);
        }
        for d in &dimensions {
            if !specs.iter().any(|s| s.key == d.key) {
                return Err(SearchError::UnknownSetting(d.key.clone()));
            }
            d.check()?;
        }
        Ok(Space { dimensions })
    }

    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// Every combination of the dimensions' grids, the last dimension
    /// changing fastest.
    pub fn grid(&self, per_setting: usize) -> Vec<ParamValues> {
        let mut points = vec![ParamValues::new()];
        for d in &self.dimensions {
            let values = d.grid(per_setting);
            points = points
                .into_iter()
                .flat_map(|p| {
                    values.iter().map(move |v| {
                        let mut q = p.clone();
                        q.insert(d.key.clone(), v.clone());
                        q
                    })
                })
                .collect();
        }
        points
    }

    fn point(&self, values: &ParamValues) -> Point {
        self.dimensions.iter().map(|d| values.get(&d.key).map_or(0.0, |v| d.coordinate(v))).collect()
    }
}

/// A search: its space, method and seed. Trial `t`'s settings come from
/// [`Search::propose`]; the searched keys overwrite the base settings.
#[derive(Clone, Debug)]
pub struct Search {
    space: Space,
    method: Method,
    seed: u64,
    /// A grid's points, in trial order.
    grid: Vec<ParamValues>,
}

impl Search {
    /// `per_setting` is a grid's values per numeric setting (ignored otherwise).
    pub fn new(space: Space, method: Method, per_setting: usize, seed: u64) -> Search {
        let grid = if method == Method::Grid { space.grid(per_setting) } else { Vec::new() };
        Search { space, method, seed, grid }
    }

    /// How many trials the search holds within `budget`: a grid's size if
    /// smaller, else the budget.
    pub fn trials(&self, budget: usize) -> usize {
        match self.method {
            Method::Grid => self.grid.len().min(budget),
            Method::Random | Method::Bayesian => budget,
        }
    }

    /// The searched settings of trial `t`, given the trials before it (their
    /// settings and scores, higher better; NaN for a trial that failed). Only
    /// a Bayesian search past its random start reads them.
    pub fn propose(&self, t: usize, earlier: &[(ParamValues, f64)]) -> ParamValues {
        match self.method {
            Method::Grid => self.grid.get(t).cloned().unwrap_or_default(),
            Method::Random => self.random(t),
            Method::Bayesian if t < BAYESIAN_START => self.random(t),
            Method::Bayesian => self.bayesian(t, earlier),
        }
    }

    /// The generator of trial `t`: stream `t` of the search's seed, so a
    /// trial's draw does not depend on which trials ran before it.
    fn rng(&self, t: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(t as u64);
        rng
    }

    fn random(&self, t: usize) -> ParamValues {
        let mut rng = self.rng(t);
        self.space.dimensions.iter().map(|d| (d.key.clone(), d.draw(&mut rng))).collect()
    }

    /// The candidate with the highest expected improvement over the best
    /// score so far, among random candidates and small steps around the best
    /// trial's settings. Trials that failed are left out of the fit.
    fn bayesian(&self, t: usize, earlier: &[(ParamValues, f64)]) -> ParamValues {
        let done: Vec<(Point, f64)> =
            earlier.iter().filter(|(_, s)| s.is_finite()).map(|(v, s)| (self.space.point(v), *s)).collect();
        let axes: Vec<Axis> = self.space.dimensions.iter().map(Dimension::axis).collect();
        let points: Vec<Point> = done.iter().map(|(p, _)| p.clone()).collect();
        let scores: Vec<f64> = done.iter().map(|(_, s)| *s).collect();
        let Some(process) = (!done.is_empty()).then(|| Process::fit(&axes, &points, &scores)).flatten() else {
            return self.random(t);
        };
        let (best_at, best) =
            scores.iter().copied().enumerate().fold((0, f64::NEG_INFINITY), |b, (i, s)| if s > b.1 { (i, s) } else { b });
        let worst = scores.iter().copied().fold(f64::INFINITY, f64::min);
        // Improvement worth the name: a hundredth of the scores' spread.
        let margin = 0.01 * (best - worst);
        let mut rng = self.rng(t);
        let mut chosen: Option<(f64, ParamValues)> = None;
        for c in 0..CANDIDATES {
            let x: Point = if c % 4 == 3 {
                // A step around the best so far (numeric settings only).
                self.space
                    .dimensions
                    .iter()
                    .zip(&points[best_at])
                    .map(|(d, &b)| match d.axis() {
                        Axis::Numeric => (b + 0.1 * (rng.random::<f64>() - 0.5)).clamp(0.0, 1.0),
                        Axis::Choice => b,
                    })
                    .collect()
            } else {
                self.space.dimensions.iter().map(|d| d.draw_coordinate(&mut rng)).collect()
            };
            // Whole numbers and choices are scored where they land.
            let values: ParamValues =
                self.space.dimensions.iter().zip(&x).map(|(d, &u)| (d.key.clone(), d.at_coordinate(u))).collect();
            let ei = process.expected_improvement(&self.space.point(&values), best, margin);
            if chosen.as_ref().is_none_or(|(e, _)| ei > *e) {
                chosen = Some((ei, values));
            }
        }
        chosen.map_or_else(|| self.random(t), |(_, values)| values)
    }
}

#[cfg(test)]
mod tests;
