//! The comparison table as plain data: each model's cells, where it stands
//! once the noise of a small test set is taken into account, and the order the
//! person sorted it in. Native and tested; `app::compare` only builds the DOM.

use crate::base::{format_count, format_significant};
use crate::eval::{standings, Metrics, Standing, BOOTSTRAP_ROUNDS, SUPPORTED_BEYOND};
use crate::session::{CompareReport, CompareRow, Compared};
use crate::web::text::{plus_minus, score_text as score};

/// A column the table sorts by, in the table's order; its id is the header
/// button's `data-sort`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Model,
    Test,
    TestRows,
    Train,
    Parameters,
    Bytes,
    Micros,
    FitMs,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Model,
        SortKey::Test,
        SortKey::TestRows,
        SortKey::Train,
        SortKey::Parameters,
        SortKey::Bytes,
        SortKey::Micros,
        SortKey::FitMs,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SortKey::Model => "model",
            SortKey::Test => "test",
            SortKey::TestRows => "test-rows",
            SortKey::Train => "train",
            SortKey::Parameters => "parameters",
            SortKey::Bytes => "bytes",
            SortKey::Micros => "micros",
            SortKey::FitMs => "fit-ms",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// A trained row's number in this column, for sorting (names sort apart).
    fn value(self, c: &Compared) -> f64 {
        match self {
            SortKey::Model => f64::NAN,
            SortKey::Test => scores(c).0,
            SortKey::TestRows => n_test(c) as f64,
            SortKey::Train => scores(c).1,
            SortKey::Parameters => c.card.n_parameters as f64,
            SortKey::Bytes => c.card.bytes as f64,
            SortKey::Micros => c.card.micros_per_row,
            SortKey::FitMs => c.fit_ms,
        }
    }
}

impl SortColumn for SortKey {
    /// Scores sort best first (highest); names A to Z; costs cheapest first.
    fn descending_first(self) -> bool {
        matches!(self, SortKey::Test | SortKey::TestRows | SortKey::Train)
    }
}

/// A column of a sortable table (this one, the search's trials).
pub trait SortColumn: Copy + PartialEq {
    /// Whether a first click sorts it highest first.
    fn descending_first(self) -> bool;
}

/// The column a table is sorted by, and which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<K = SortKey> {
    pub key: K,
    pub descending: bool,
}

impl<K: SortColumn> Sort<K> {
    /// After a click on `key`'s header: the other way round if it already
    /// sorts by it, else its natural way.
    pub fn clicked(current: Option<Sort<K>>, key: K) -> Sort<K> {
        match current {
            Some(s) if s.key == key => Sort { key, descending: !s.descending },
            _ => Sort { key, descending: key.descending_first() },
        }
    }

    /// The header's `aria-sort` for `key`.
    pub fn aria(current: Option<Sort<K>>, key: K) -> &'static str {
        match current {
            Some(s) if s.key == key && s.descending => "descending",
            Some(s) if s.key == key => "ascending",
            _ => "none",
        }
    }
}

/// The rows' indices in display order: as asked without a sort; else by the
/// column, a model that failed (or a score that is no number) last, ties in
/// the order asked.
pub fn order(report: &CompareReport, sort: Option<Sort>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..report.rows.len()).collect();
    let Some(Sort { key, descending }) = sort else { return order };
    let directed = |o: std::cmp::Ordering| if descending { o.reverse() } else { o };
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&report.rows[a], &report.rows[b]);
        if key == SortKey::Model {
            return directed(ra.name.to_lowercase().cmp(&rb.name.to_lowercase()));
        }
        let value = |r: &CompareRow| r.outcome.as_ref().ok().map(|c| key.value(c)).filter(|v| !v.is_nan());
        match (value(ra), value(rb)) {
            (Some(x), Some(y)) => directed(x.total_cmp(&y)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    order
}

/// Where each row stands by its test score and that score's standard error
/// (see [`standings`]); a failed model stands nowhere.
pub fn row_standings(report: &CompareReport) -> Vec<Standing> {
    let scores: Vec<(f64, f64)> =
        report.rows.iter().map(|r| r.outcome.as_ref().map_or((f64::NAN, f64::NAN), |c| (scores(c).0, test_se(c)))).collect();
    standings(&scores)
}

/// What a row's standing says beside its name, and as its title.
pub fn standing_text(standing: Standing) -> Option<(&'static str, &'static str)> {
    match standing {
        Standing::Best => Some(("best", "The best test score, ahead of every other beyond its ± range.")),
        Standing::TiedBest => Some((
            "tied within noise",
            "The top test score, or one the ± ranges cannot tell from it: these test rows do not show a real difference.",
        )),
        Standing::Other => None,
    }
}

/// A trained row's cells after its name, in the table's order.
pub fn cells(c: &Compared) -> [String; 7] {
    let (test, train) = scores(c);
    [
        format!("{}{}", score(test), plus_minus(test_se(c))),
        format_count(n_test(c)),
        score(train),
        format_count(c.card.n_parameters),
        format_count(c.card.bytes),
        format_significant(c.card.micros_per_row, 2),
        format_significant(c.fit_ms, 2),
    ]
}

/// What the ± means and when a model is called best, for the note under the table.
pub fn note(report: &CompareReport) -> String {
    let how = match report.rows.iter().find_map(|r| r.outcome.as_ref().ok()).map(|c| &c.metrics) {
        Some(Metrics::Regression { .. }) => {
            format!(
                "half the width of the middle 68 % of R² over {BOOTSTRAP_ROUNDS} resamples of the test rows (a seeded \
                 bootstrap)"
            )
        }
        Some(Metrics::Clustering { .. }) => return "The silhouette is on the training rows; it has no ± range.".into(),
        _ => "√(p(1−p)/n) for an accuracy p on n test rows".into(),
    };
    format!(
        "± is the test score's standard error: {how}. A model is marked best only when it beats the runner-up by more \
         than {SUPPORTED_BEYOND} standard errors of the difference; otherwise the top ones are tied within noise. Sort by \
         a column's header; click a row to make that model the current one."
    )
}

/// The test score, then the training score (higher is better). A clustering
/// has no score on held-out rows: its silhouette stands in, on the training rows.
pub fn scores(c: &Compared) -> (f64, f64) {
    metric_scores(&c.metrics)
}

/// Test and train score of any model's metrics (a clustering: its silhouette).
pub fn metric_scores(metrics: &Metrics) -> (f64, f64) {
    match *metrics {
        Metrics::Classification { test_accuracy, train_accuracy, .. } => (test_accuracy, train_accuracy),
        Metrics::Regression { test_r2, train_r2, .. } => (test_r2, train_r2),
        Metrics::Clustering { silhouette, .. } => (silhouette.unwrap_or(f64::NAN), f64::NAN),
    }
}

fn test_se(c: &Compared) -> f64 {
    match c.metrics {
        Metrics::Classification { test_se, .. } | Metrics::Regression { test_se, .. } => test_se,
        Metrics::Clustering { .. } => f64::NAN,
    }
}

fn n_test(c: &Compared) -> usize {
    match c.metrics {
        Metrics::Classification { n_test, .. } | Metrics::Regression { n_test, .. } | Metrics::Clustering { n_test, .. } => {
            n_test
        }
    }
}

/// What the test score column measures.
pub fn score_name(report: &CompareReport) -> String {
    let name = report.rows.iter().find_map(|r| Some(metric_name(&r.outcome.as_ref().ok()?.metrics)));
    name.unwrap_or("test score").to_string()
}

/// The score [`metric_scores`] gives first, named.
pub fn metric_name(metrics: &Metrics) -> &'static str {
    match metrics {
        Metrics::Classification { .. } => "test accuracy",
        Metrics::Regression { .. } => "test R²",
        Metrics::Clustering { .. } => "silhouette",
    }
}

/// The ensemble just built joins the comparison on show as its last row (a
/// comparison of its own when none is on show); a rebuilt one of the same
/// name replaces the row it had.
pub fn add_ensemble(compared: &mut Option<CompareReport>, row: CompareRow) {
    let compared = compared.get_or_insert_with(|| CompareReport { rows: Vec::new(), noise: None });
    compared.rows.retain(|r| r.name != row.name);
    compared.rows.push(row);
}

/// A comparison arrived: it replaces the one on show, but while an ensemble
/// is the model on show (`ensemble_on_show`) its row stays, last, whichever
/// came first. A comparison run after building, or a link opened (which
/// builds the ensemble before it compares), shows what a comparison run
/// before building shows.
pub fn new_comparison(compared: &mut Option<CompareReport>, report: CompareReport, ensemble_on_show: bool) {
    let before = compared.replace(report);
    let kept = before.into_iter().flat_map(|c| c.rows).filter(|r| ensemble_on_show && r.is_ensemble());
    for row in kept {
        add_ensemble(compared, row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{ModelCard, SessionError};

    fn row(model: &str, test_accuracy: f64, n_test: usize, n_parameters: usize) -> CompareRow {
        let test_se = crate::eval::accuracy_standard_error(test_accuracy, n_test);
        CompareRow {
            model: model.into(),
            name: model.into(),
            outcome: Ok(Compared {
                metrics: Metrics::Classification {
                    train_accuracy: 1.0,
                    test_accuracy,
                    test_se,
                    n_train: 4 * n_test,
                    n_test,
                },
                card: ModelCard { n_parameters, bytes: 10 * n_parameters, micros_per_row: 0.5 },
                fit_ms: 1.0,
                boundary: None,
                learned_nothing: None,
                noise: None,
            }),
        }
    }

    fn failed(model: &str) -> CompareRow {
        CompareRow { model: model.into(), name: model.into(), outcome: Err(SessionError::NoTable) }
    }

    #[test]
    fn six_test_rows_tie_where_three_hundred_tell_apart() {
        // 5 of 6 right against 4 of 6: ± 0.152 and ± 0.192, no real difference.
        let small = CompareReport { rows: vec![row("tree", 5.0 / 6.0, 6, 9), row("knn", 4.0 / 6.0, 6, 0)], noise: None };
        assert_eq!(row_standings(&small), [Standing::TiedBest, Standing::TiedBest]);
        assert_eq!(cells(&small.rows[0].outcome.clone().unwrap())[..2], ["0.833 ± 0.152".to_string(), "6".into()]);
        // The same accuracies on 300 rows each: ± 0.022 and ± 0.027, a real difference.
        let large = CompareReport {
            rows: vec![row("tree", 5.0 / 6.0, 300, 9), row("knn", 4.0 / 6.0, 300, 0), failed("mlp")],
            noise: None,
        };
        assert_eq!(row_standings(&large), [Standing::Best, Standing::Other, Standing::Other]);
        assert_eq!(standing_text(Standing::TiedBest).unwrap().0, "tied within noise");
    }

    #[test]
    fn sorting_by_a_column_puts_failures_last_and_a_second_click_reverses() {
        let report = CompareReport {
            rows: vec![row("b_tree", 0.8, 30, 9), failed("a_mlp"), row("c_knn", 0.9, 30, 0), row("d_nb", 0.7, 30, 24)],
            noise: None,
        };
        assert_eq!(order(&report, None), [0, 1, 2, 3], "as asked");
        let by_test = Sort::clicked(None, SortKey::Test);
        assert_eq!(by_test, Sort { key: SortKey::Test, descending: true }, "best score first");
        assert_eq!(order(&report, Some(by_test)), [2, 0, 3, 1]);
        let reversed = Sort::clicked(Some(by_test), SortKey::Test);
        assert_eq!(order(&report, Some(reversed)), [3, 0, 2, 1], "the failed model stays last");
        assert_eq!(Sort::aria(Some(reversed), SortKey::Test), "ascending");
        assert_eq!(Sort::aria(Some(reversed), SortKey::Bytes), "none");
        let by_size = Sort::clicked(Some(reversed), SortKey::Parameters);
        assert_eq!(order(&report, Some(by_size)), [2, 0, 3, 1], "cheapest first");
        assert_eq!(order(&report, Some(Sort::clicked(None, SortKey::Model))), [1, 0, 2, 3], "by name, A to Z");
        for key in SortKey::ALL {
            assert_eq!(SortKey::from_id(key.id()), Some(key));
        }
    }

    #[test]
    fn the_note_says_how_the_range_is_computed() {
        let report = CompareReport { rows: vec![row("tree", 0.8, 30, 9)], noise: None };
        assert!(note(&report).starts_with("± is the test score's standard error: √(p(1−p)/n) for an accuracy p"));
        assert!(note(&report).contains("by more than 2 standard errors of the difference"));
    }

    #[test]
    fn the_ensemble_on_show_keeps_its_row_whichever_came_first() {
        let ensemble = |accuracy| CompareRow { model: CompareRow::ENSEMBLE.into(), ..row("Soft vote", accuracy, 30, 30) };
        let members = || CompareReport { rows: vec![row("tree", 0.8, 30, 9), row("knn", 0.9, 30, 0)], noise: None };
        let names = |c: &Option<CompareReport>| c.iter().flat_map(|c| &c.rows).map(|r| r.name.clone()).collect::<Vec<_>>();
        // By hand: compare, then build.
        let mut by_hand = None;
        new_comparison(&mut by_hand, members(), false);
        add_ensemble(&mut by_hand, ensemble(0.85));
        // As a link opens: build, then compare.
        let mut opened = None;
        add_ensemble(&mut opened, ensemble(0.85));
        assert_eq!(names(&opened), ["Soft vote"]);
        new_comparison(&mut opened, members(), true);
        assert_eq!(opened, by_hand);
        assert_eq!(names(&opened), ["tree", "knn", "Soft vote"]);
        // Compared again: still one row of it. Rebuilt: its new row replaces the old.
        new_comparison(&mut opened, members(), true);
        add_ensemble(&mut opened, ensemble(0.95));
        assert_eq!(names(&opened), ["tree", "knn", "Soft vote"]);
        assert_eq!(opened.as_ref().map(|c| scores(c.rows[2].outcome.as_ref().unwrap()).0), Some(0.95));
        // Once another model is trained the ensemble is not on show: a comparison drops its row.
        new_comparison(&mut opened, members(), false);
        assert_eq!(names(&opened), ["tree", "knn"]);
    }
}
