//! A hyperparameter search as plain data for its live charts: each trial's
//! cross-validated score, where it put each searched setting, and for a grid
//! over two settings the grid's rows and columns. The session builds it from
//! the trials so far; the renderers draw it as trials arrive.

use serde::{Deserialize, Serialize};

/// The trials of a search so far, over the settings it searches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchView {
    /// What a trial's score measures: "accuracy" or "R²" (a cross-validated mean).
    pub measure: String,
    /// Folds of the cross-validation behind each score.
    pub k: usize,
    pub settings: Vec<SearchedSetting>,
    pub trials: Vec<TrialPoint>,
    /// For a grid over exactly two settings, their grid values (the heat
    /// map's columns, then its rows); `None` otherwise.
    pub grid: Option<(Vec<f64>, Vec<f64>)>,
}

/// One searched setting, as its chart's axis shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchedSetting {
    /// The setting's label on the page ("max depth").
    pub label: String,
    pub scale: SettingScale,
}

/// How a setting's values run along an axis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SettingScale {
    Linear,
    /// The spec says the setting works by ratios: a log axis.
    Log,
    /// Named choices; a trial's value is the index of its choice.
    Levels(Vec<String>),
}

/// One trial: its score and the value it gave each searched setting (in
/// [`SearchView::settings`] order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialPoint {
    /// Trial number, from 0.
    pub index: usize,
    /// Mean score over the folds; NaN for a trial whose settings could not be fitted.
    pub score: f64,
    /// Standard deviation of the score over the folds.
    pub sd: f64,
    pub values: Vec<f64>,
}

impl SearchView {
    /// The best score after each trial, in trial order (NaN until a trial
    /// has a score): the line a search climbs.
    pub fn best_so_far(&self) -> Vec<f64> {
        let mut best = f64::NAN;
        self.trials
            .iter()
            .map(|t| {
                if t.score.is_finite() && (best.is_nan() || t.score > best) {
                    best = t.score;
                }
                best
            })
            .collect()
    }

    /// The trial with the best score, the first of equals.
    pub fn best(&self) -> Option<&TrialPoint> {
        self.trials.iter().filter(|t| t.score.is_finite()).fold(None, |b: Option<&TrialPoint>, t| match b {
            Some(b) if b.score >= t.score => Some(b),
            _ => Some(t),
        })
    }

    /// A setting's value as the page writes it: a choice's name, else the number.
    pub fn value_text(&self, setting: usize, value: f64) -> String {
        match self.settings.get(setting).map(|s| &s.scale) {
            Some(SettingScale::Levels(levels)) => levels.get(value as usize).cloned().unwrap_or_default(),
            _ => crate::base::format_number(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(index: usize, score: f64) -> TrialPoint {
        TrialPoint { index, score, sd: 0.01, values: vec![index as f64] }
    }

    #[test]
    fn the_best_so_far_climbs_past_failed_trials_and_the_first_of_equals_is_best() {
        let view = SearchView {
            measure: "accuracy".into(),
            k: 5,
            settings: vec![SearchedSetting {
                label: "criterion".into(),
                scale: SettingScale::Levels(vec!["gini".into(), "entropy".into()]),
            }],
            trials: vec![point(0, f64::NAN), point(1, 0.90), point(2, 0.85), point(3, 0.95), point(4, 0.95)],
            grid: None,
        };
        let best = view.best_so_far();
        assert!(best[0].is_nan());
        assert_eq!(best[1..], [0.90, 0.90, 0.95, 0.95]);
        assert_eq!(view.best().map(|t| t.index), Some(3));
        assert_eq!(view.value_text(0, 1.0), "entropy");
    }
}
