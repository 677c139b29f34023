//! A search's trials as a table, and how the best trial's cross-validated
//! score compares with the test score of the model it chose. Plain data,
//! tested natively; `app::search` only builds the DOM.

use crate::eval::{Metrics, SUPPORTED_BEYOND};
use crate::explain::SearchView;
use crate::session::{CrossValidation, Trial};
use crate::web::compare_table::{Sort, SortColumn};

/// A column of the trials table; its id is the header button's `data-sort`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// The trial's number, in the order the search ran them.
    Trial,
    /// A searched setting, by its place in the search's settings.
    Setting(usize),
    /// The cross-validated mean.
    Score,
}

impl SortKey {
    pub fn id(self) -> String {
        match self {
            SortKey::Trial => "trial".into(),
            SortKey::Setting(i) => format!("setting-{i}"),
            SortKey::Score => "score".into(),
        }
    }

    pub fn from_id(id: &str) -> Option<SortKey> {
        match id {
            "trial" => Some(SortKey::Trial),
            "score" => Some(SortKey::Score),
            _ => id.strip_prefix("setting-")?.parse().ok().map(SortKey::Setting),
        }
    }
}

impl SortColumn for SortKey {
    /// The score sorts best first; trials and settings from low to high.
    fn descending_first(self) -> bool {
        self == SortKey::Score
    }
}

/// The trials' places in `view` in display order: as run without a sort;
/// else by the column, a failed trial (or one without the setting) last,
/// ties in the order run.
pub fn order(view: &SearchView, sort: Option<Sort<SortKey>>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..view.trials.len()).collect();
    let Some(Sort { key, descending }) = sort else { return order };
    let value = |i: usize| {
        let t = &view.trials[i];
        let v = match key {
            SortKey::Trial => t.index as f64,
            SortKey::Setting(s) => t.values.get(s).copied().unwrap_or(f64::NAN),
            SortKey::Score => t.score,
        };
        Some(v).filter(|v| !v.is_nan())
    };
    order.sort_by(|&a, &b| match (value(a), value(b)) {
        (Some(x), Some(y)) if descending => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
}

/// A trial's cells: its number (from 1), each searched setting's value, and
/// its CV mean ± sd over folds (or why it failed).
pub fn cells(view: &SearchView, place: usize, trial: &Trial) -> Vec<String> {
    let point = &view.trials[place];
    let mut cells = vec![(point.index + 1).to_string()];
    cells.extend(point.values.iter().enumerate().map(|(s, &v)| view.value_text(s, v)));
    cells.push(match &trial.outcome {
        Ok(cv) => format!("{:.3} ± {:.3}", cv.mean, cv.sd),
        Err(e) => format!("failed: {e}"),
    });
    cells
}

/// The best trial's cross-validated score beside the test score of the
/// model with its settings, fitted on every training row.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// "accuracy" or "R²".
    pub measure: String,
    pub cv: f64,
    /// Standard deviation over the folds.
    pub cv_sd: f64,
    pub k: usize,
    /// Training rows the folds were cut from.
    pub cv_rows: usize,
    pub test: f64,
    pub test_se: f64,
    pub n_train: usize,
    pub n_test: usize,
    /// The standard error of the difference, √(sd²/k + se²).
    pub gap_se: f64,
    /// The CV score is far above the test score (see [`verdict`]).
    pub far: bool,
}

/// Sets the best trial's CV score beside the final model's test score.
///
/// "Far above" is a gap that the noise of the two scores does not explain:
/// the CV mean exceeds the test score by more than [`SUPPORTED_BEYOND`] (2)
/// standard errors of their difference, √(sd²/k + se²), where sd/√k is the
/// standard error of a mean over k folds (taken as independent; they share
/// training rows, so the true one is somewhat larger and the warning errs on
/// the side of speaking) and se the test score's own standard error
/// (`Metrics::test_se`). The same rule calls one model better than another
/// in the comparison. A clustering has no test score to set beside: `None`.
pub fn verdict(cv: &CrossValidation, metrics: &Metrics) -> Option<Verdict> {
    let (test, test_se, n_train, n_test) = match *metrics {
        Metrics::Classification { test_accuracy, test_se, n_train, n_test, .. } => (test_accuracy, test_se, n_train, n_test),
        Metrics::Regression { test_r2, test_se, n_train, n_test, .. } => (test_r2, test_se, n_train, n_test),
        Metrics::Clustering { .. } => return None,
    };
    let k = cv.scores.len().max(1);
    let gap_se = (cv.sd.powi(2) / k as f64 + test_se.powi(2)).sqrt();
    let far = gap_se.is_finite() && cv.mean - test > SUPPORTED_BEYOND * gap_se;
    Some(Verdict {
        measure: cv.measure.clone(),
        cv: cv.mean,
        cv_sd: cv.sd,
        k,
        cv_rows: cv.n_rows,
        test,
        test_se,
        n_train,
        n_test,
        gap_se,
        far,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{SearchedSetting, SettingScale, TrialPoint};
    use crate::session::{Folding, SessionError};

    fn cv(mean: f64, sd: f64) -> CrossValidation {
        CrossValidation {
            measure: "accuracy".into(),
            scores: vec![mean; 5],
            mean,
            sd,
            n_rows: 455,
            folding: Folding::Shuffled,
        }
    }

    fn view(points: &[(f64, f64)]) -> SearchView {
        SearchView {
            measure: "accuracy".into(),
            k: 5,
            settings: vec![SearchedSetting { label: "max depth".into(), scale: SettingScale::Linear }],
            trials: points
                .iter()
                .enumerate()
                .map(|(index, &(depth, score))| TrialPoint { index, score, sd: 0.02, values: vec![depth] })
                .collect(),
            grid: None,
        }
    }

    #[test]
    fn sorting_puts_failed_trials_last_and_a_second_click_reverses() {
        let v = view(&[(3.0, 0.90), (7.0, f64::NAN), (1.0, 0.95), (5.0, 0.93)]);
        assert_eq!(order(&v, None), [0, 1, 2, 3], "as run");
        let by_score = Sort::clicked(None, SortKey::Score);
        assert!(by_score.descending, "best first");
        assert_eq!(order(&v, Some(by_score)), [2, 3, 0, 1]);
        assert_eq!(
            order(&v, Some(Sort::clicked(Some(by_score), SortKey::Score))),
            [0, 3, 2, 1],
            "the failed trial stays last"
        );
        assert_eq!(order(&v, Some(Sort::clicked(None, SortKey::Setting(0)))), [2, 0, 3, 1], "shallow first");
        for key in [SortKey::Trial, SortKey::Setting(0), SortKey::Setting(12), SortKey::Score] {
            assert_eq!(SortKey::from_id(&key.id()), Some(key));
        }
        assert_eq!(SortKey::from_id("setting-x"), None);
    }

    #[test]
    fn a_row_reads_its_number_settings_and_score_or_why_it_failed() {
        let v = view(&[(3.0, 0.9512), (7.0, f64::NAN)]);
        let ok =
            Trial { index: 0, params: Default::default(), searched: Default::default(), outcome: Ok(cv(0.9512, 0.0204)) };
        assert_eq!(cells(&v, 0, &ok), ["1", "3", "0.951 ± 0.020"]);
        let failed = Trial { outcome: Err(SessionError::NoTable), index: 1, ..ok };
        assert_eq!(cells(&v, 1, &failed)[2], format!("failed: {}", SessionError::NoTable));
    }

    fn metrics(test_accuracy: f64, n_test: usize) -> Metrics {
        let test_se = crate::eval::accuracy_standard_error(test_accuracy, n_test);
        Metrics::Classification { train_accuracy: 1.0, test_accuracy, test_se, n_train: 455, n_test }
    }

    #[test]
    fn far_above_is_a_gap_beyond_two_standard_errors_of_the_difference() {
        // CV 0.96 ± 0.02 over 5 folds (se 0.0089); test 0.93 on 114 rows (se 0.0239):
        // the difference's se is 0.0255, so a gap of 0.03 is within noise.
        let close = verdict(&cv(0.96, 0.02), &metrics(0.93, 114)).unwrap();
        assert!((close.gap_se - 0.0255).abs() < 5e-4, "{}", close.gap_se);
        assert!(!close.far);
        // 0.85 on the same rows: a gap of 0.11 against a se of 0.036 is far.
        let far = verdict(&cv(0.96, 0.02), &metrics(0.85, 114)).unwrap();
        assert!(far.far, "{far:?}");
        // A test score above the CV score is never a warning.
        assert!(!verdict(&cv(0.90, 0.02), &metrics(0.99, 114)).unwrap().far);
        let clustering = Metrics::Clustering {
            train_inertia: 1.0,
            test_inertia: 1.0,
            n_clusters: 3,
            silhouette: None,
            agreement: None,
            n_train: 10,
            n_test: 2,
        };
        assert_eq!(verdict(&cv(0.9, 0.0), &clustering), None);
    }
}
