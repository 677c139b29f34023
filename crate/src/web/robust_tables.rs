//! The tables of the "who it fails" and robustness cards, as header and rows
//! of text: the class report (laid out as scikit-learn prints it), the
//! worst-predicted rows, the groups, and the numbers behind the calibration,
//! noise and shift charts. Plain formatting, tested natively; `app::robust`
//! puts them in the page.

use crate::base::{format_count, format_significant};
use crate::eval::{ClassScores, GroupScores};
use crate::explain::{CalibrationView, ClassReportView, GroupsView, NoiseView, ShiftRule, WorstRowsView};

/// A table: its header cells and its rows of cells.
pub type TableText = (Vec<String>, Vec<Vec<String>>);

fn n3(v: f64) -> String {
    format_significant(v, 3)
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// The class report: a row per class, then accuracy, the macro and weighted
/// averages, balanced accuracy and log-loss.
pub fn class_report_table(view: &ClassReportView) -> TableText {
    let r = &view.report;
    let row = |name: &str, s: &ClassScores| {
        vec![name.to_string(), n3(s.precision), n3(s.recall), n3(s.f1), format_count(s.support)]
    };
    let mut rows: Vec<Vec<String>> = view.classes.iter().zip(&r.classes).map(|(name, s)| row(name, s)).collect();
    let support = format_count(r.macro_avg.support);
    let one = |name: &str, v: f64| vec![name.to_string(), String::new(), String::new(), n3(v), support.clone()];
    rows.push(one("accuracy", r.accuracy));
    rows.push(row("macro average", &r.macro_avg));
    rows.push(row("weighted average", &r.weighted_avg));
    rows.push(one("balanced accuracy", r.balanced_accuracy));
    rows.push(one("log-loss", r.log_loss));
    (strings(["class", "precision", "recall", "F1", "support"]), rows)
}

/// The worst-predicted rows, each with its table row number (1-based, as the
/// preview counts) and its feature values.
pub fn worst_rows_table(view: &WorstRowsView) -> TableText {
    let mut head = strings(["row", "truth", "predicted"]);
    head.push(view.measure.clone());
    head.extend(view.columns.iter().cloned());
    let rows = view
        .rows
        .iter()
        .map(|w| {
            let mut cells = vec![format_count(w.row + 1), w.truth.clone(), w.predicted.clone(), n3(w.how_wrong)];
            cells.extend(w.values.iter().cloned());
            cells
        })
        .collect();
    (head, rows)
}

/// A cell for a rate that may not exist (no row on that side).
fn maybe(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), n3)
}

/// The groups: level, rows, and the task's scores.
pub fn groups_table(view: &GroupsView) -> TableText {
    let values = view.groups.iter().any(|g| matches!(g.scores, GroupScores::Values { .. }));
    let head = match (values, &view.positive) {
        (true, _) => strings([view.column.as_str(), "test rows", "R²", "MAE"]),
        (false, Some(p)) => {
            let mut h = strings([view.column.as_str(), "test rows", "accuracy"]);
            h.push(format!("true-positive rate ({p})"));
            h.push(format!("false-positive rate ({p})"));
            h
        }
        (false, None) => strings([view.column.as_str(), "test rows", "accuracy"]),
    };
    let rows = view
        .groups
        .iter()
        .map(|g| {
            let mut cells = vec![g.level.clone(), format_count(g.rows)];
            match &g.scores {
                GroupScores::Values { r2, mae } => cells.extend([n3(*r2), n3(*mae)]),
                GroupScores::Classes { accuracy, tpr, fpr } => {
                    cells.push(n3(*accuracy));
                    if view.positive.is_some() {
                        cells.extend([maybe(*tpr), maybe(*fpr)]);
                    }
                }
            }
            cells
        })
        .collect();
    (head, rows)
}

/// The calibration chart's numbers: one row per bin.
pub fn calibration_table(view: &CalibrationView) -> TableText {
    let rows = view
        .bins
        .iter()
        .map(|b| vec![format!("{}–{}", n3(b.from), n3(b.to)), n3(b.predicted), n3(b.observed), format_count(b.count)])
        .collect();
    (strings(["probability bin", "mean probability", "share right", "test rows"]), rows)
}

/// The noise chart's numbers: a row per noise size, a column per line.
pub fn noise_table(view: &NoiseView) -> TableText {
    let c = &view.curves;
    let mut head = vec![c.x_label.clone()];
    head.extend(c.series.iter().map(|s| s.name.clone()));
    let sizes: Vec<f64> = c.series.first().map(|s| s.points.iter().map(|p| p.0).collect()).unwrap_or_default();
    let rows = sizes
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let mut row = vec![format_significant(x, 2)];
            row.extend(c.series.iter().map(|s| s.points.get(i).map_or(String::new(), |p| n3(p.1))));
            row
        })
        .collect();
    (head, rows)
}

/// The shift rule in the page's words, for the status line.
pub fn shift_rule_text(column: &str, rule: &ShiftRule) -> String {
    match rule {
        ShiftRule::Below(t) => format!("train where {column} ≤ {}", format_significant(*t, 4)),
        ShiftRule::Above(t) => format!("train where {column} > {}", format_significant(*t, 4)),
        ShiftRule::Levels(l) => format!("train where {column} is {}", l.join(" or ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{class_report, CalibrationBin};
    use crate::explain::{GroupRow, WorstRow};

    #[test]
    fn the_class_report_reads_like_scikit_learns() {
        let report = class_report(&[0, 0, 1], &[0, 1, 1], &[0.5, 0.5].repeat(3), 2).unwrap();
        let (head, rows) = class_report_table(&ClassReportView { classes: vec!["no".into(), "yes".into()], report });
        assert_eq!(head, vec!["class", "precision", "recall", "F1", "support"]);
        assert_eq!(rows[0], vec!["no", "1", "0.5", "0.667", "2"]);
        assert_eq!(rows[1], vec!["yes", "0.5", "1", "0.667", "1"]);
        assert_eq!(rows[2], vec!["accuracy", "", "", "0.667", "3"]);
        assert_eq!(
            rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>()[3..],
            ["macro average", "weighted average", "balanced accuracy", "log-loss"]
        );
        // log-loss of ½ everywhere: ln 2.
        assert_eq!(rows[6][3], "0.693");
    }

    #[test]
    fn worst_rows_count_from_one_like_the_preview() {
        let view = WorstRowsView {
            measure: "confidence".into(),
            columns: vec!["bill".into()],
            rows: vec![WorstRow {
                row: 0,
                truth: "Adelie".into(),
                predicted: "Gentoo".into(),
                how_wrong: 0.91234,
                values: vec!["39.1".into()],
            }],
            note: String::new(),
        };
        let (head, rows) = worst_rows_table(&view);
        assert_eq!(head, vec!["row", "truth", "predicted", "confidence", "bill"]);
        assert_eq!(rows, vec![vec!["1", "Adelie", "Gentoo", "0.912", "39.1"]]);
    }

    #[test]
    fn groups_show_rates_for_two_classes_only() {
        let group = |level: &str, tpr| GroupRow {
            level: level.into(),
            rows: 1200,
            scores: GroupScores::Classes { accuracy: 0.9, tpr, fpr: Some(0.1) },
        };
        let mut view = GroupsView {
            column: "sex".into(),
            options: vec![],
            groups: vec![group("female", Some(0.8)), group("male", None)],
            positive: Some("yes".into()),
            margin: 0.1,
            warning: None,
        };
        let (head, rows) = groups_table(&view);
        assert_eq!(head[3], "true-positive rate (yes)");
        assert_eq!(rows[0], vec!["female", "1,200", "0.9", "0.8", "0.1"]);
        assert_eq!(rows[1][3], "–");
        view.positive = None;
        assert_eq!(groups_table(&view).0.len(), 3);
        assert_eq!(groups_table(&view).1[0].len(), 3);
    }

    #[test]
    fn calibration_and_shift_words() {
        let view = CalibrationView {
            title: String::new(),
            bins: vec![CalibrationBin { from: 0.9, to: 1.0, predicted: 0.97, observed: 0.93, count: 48 }],
            brier: 0.05,
            note: String::new(),
        };
        assert_eq!(calibration_table(&view).1, vec![vec!["0.9–1", "0.97", "0.93", "48"]]);
        assert_eq!(shift_rule_text("bill", &ShiftRule::Below(45.0)), "train where bill ≤ 45");
        assert_eq!(
            shift_rule_text("island", &ShiftRule::Levels(vec!["Biscoe".into(), "Dream".into()])),
            "train where island is Biscoe or Dream"
        );
    }
}
