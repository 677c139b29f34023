//! The trained model's answer for every row of the loaded table, as CSV text
//! the page downloads: which split the row was in, the prediction, the class
//! probabilities (or the value, or the cluster) and, for the test rows, whether
//! it was right or by how much it missed. Computed here, natively, so the page
//! only saves the text.

use serde::{Deserialize, Serialize};

use super::{SessionError, Trained};
use crate::base::Target;
use crate::data::Table;
use crate::model::Predictions;

/// What `split` says of a row the model neither trained nor was tested on:
/// its target is missing, so the model still answers but nothing scores it.
pub const NO_TARGET: &str = "no target";

/// Every table row's prediction, as CSV, with the counts the page says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictionsCsv {
    /// Header and one line per table row, in table order.
    pub csv: String,
    /// Data rows written (the table's rows).
    pub rows: usize,
    /// Rows written without a prediction, because the model gave no finite
    /// answer for them (an input the pipeline could not fill): said, not dropped.
    pub unpredicted: usize,
}

/// How one table row relates to the trained model.
#[derive(Clone, Copy)]
enum Split {
    Train,
    Test,
    NoTarget,
}

impl Split {
    fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Test => "test",
            Split::NoTarget => NO_TARGET,
        }
    }
}

/// Predicts every row of `table` through the trained pipeline and model and
/// writes the rows as CSV (the csv crate quotes names with commas or quotes).
///
/// Columns: `row` (counted from 1, as the page's tables count), `split`,
/// then for classes `actual`, `predicted`, one `P(<class>)` per class and
/// `right` (test rows only); for values `actual`, `predicted`, `error`
/// (predicted − actual, test rows only); for a clustering `cluster`.
pub(super) fn predictions_csv(table: &Table, trained: &Trained) -> Result<PredictionsCsv, SessionError> {
    let all: Vec<usize> = (0..table.n_rows).collect();
    let predicted = trained.model.predict(&trained.pipeline.transform(table, &all))?;
    let labels = predicted.labels();
    // Each table row's place among the trained rows, and its split.
    let mut place: Vec<Option<(usize, Split)>> = vec![None; table.n_rows];
    for (split, rows) in [(Split::Train, &trained.split.train), (Split::Test, &trained.split.test)] {
        for &i in rows {
            if let Some(slot) = trained.rows.get(i).and_then(|&r| place.get_mut(r)) {
                *slot = Some((i, split));
            }
        }
    }
    let target = &trained.data.target;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header(target, &trained.target_name)).map_err(written)?;
    let mut unpredicted = 0;
    for (row, at) in place.iter().enumerate() {
        let split = at.map_or(Split::NoTarget, |(_, s)| s);
        let mut record = vec![(row + 1).to_string(), split.name().to_string()];
        let answer = answer(&predicted, labels.as_deref(), row);
        if answer.is_none() {
            unpredicted += 1;
        }
        let scored = matches!(split, Split::Test);
        match (target, answer) {
            (Target::Classes { y, names }, answer) => {
                let actual = at.and_then(|(i, _)| y.get(i)).map(|&c| c as usize);
                record.push(actual.and_then(|c| names.get(c)).cloned().unwrap_or_default());
                match answer {
                    Some(Answer::Class { best, proba }) => {
                        record.push(names.get(best).cloned().unwrap_or_default());
                        record.extend(proba.iter().map(|p| p.to_string()));
                        let right = actual.filter(|_| scored).map(|c| if c == best { "yes" } else { "no" });
                        record.push(right.unwrap_or_default().to_string());
                    }
                    _ => record.extend(std::iter::repeat_n(String::new(), names.len() + 2)),
                }
            }
            (Target::Values(v), answer) => {
                let actual = at.and_then(|(i, _)| v.get(i)).copied();
                record.push(actual.map(|a| a.to_string()).unwrap_or_default());
                match answer {
                    Some(Answer::Value(p)) => {
                        record.push(p.to_string());
                        let error = actual.filter(|_| scored).map(|a| (p - a).to_string());
                        record.push(error.unwrap_or_default());
                    }
                    _ => record.extend([String::new(), String::new()]),
                }
            }
            (Target::Unlabeled { .. }, Some(Answer::Class { best, .. })) => {
                record.push(super::boundary::cluster_name(best + 1))
            }
            (Target::Unlabeled { .. }, _) => record.push(String::new()),
        }
        out.write_record(&record).map_err(written)?;
    }
    let bytes = out.into_inner().map_err(written)?;
    let csv = String::from_utf8(bytes).map_err(written)?;
    Ok(PredictionsCsv { csv, rows: table.n_rows, unpredicted })
}

/// The CSV header for a model of `target`, named `target_name`.
fn header(target: &Target, target_name: &str) -> Vec<String> {
    let mut head = vec!["row".to_string(), "split".to_string()];
    match target {
        Target::Classes { names, .. } => {
            head.push(format!("actual {target_name}"));
            head.push(format!("predicted {target_name}"));
            head.extend(names.iter().map(|n| format!("P({n})")));
            head.push("right".to_string());
        }
        Target::Values(_) => {
            head.push(format!("actual {target_name}"));
            head.push(format!("predicted {target_name}"));
            head.push("error".to_string());
        }
        Target::Unlabeled { .. } => head.push("cluster".to_string()),
    }
    head
}

/// One row's answer, when it is finite.
enum Answer<'a> {
    Class { best: usize, proba: &'a [f32] },
    Value(f64),
}

/// Row `row`'s answer from `predicted`, whose most probable classes are `labels`.
fn answer<'a>(predicted: &'a Predictions, labels: Option<&[u32]>, row: usize) -> Option<Answer<'a>> {
    match predicted {
        Predictions::Classes { proba, n_classes } => {
            let p = proba.get(row * n_classes..(row + 1) * n_classes)?;
            let best = *labels?.get(row)? as usize;
            p.iter().all(|v| v.is_finite()).then_some(Answer::Class { best, proba: p })
        }
        Predictions::Values(v) => v.get(row).copied().filter(|v| v.is_finite()).map(Answer::Value),
    }
}

/// Writing CSV into memory fails only on a bug.
fn written(e: impl std::fmt::Display) -> SessionError {
    SessionError::Internal(format!("writing the CSV: {e}"))
}

#[cfg(test)]
mod tests;
