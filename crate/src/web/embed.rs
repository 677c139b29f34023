//! The page embedded in another (an `<iframe>` in a lesson): the messages a
//! host page may post to drive it, read and checked here, and the messages
//! it posts back. Native and tested; the page only listens and posts.
//!
//! Host → page: `{type: 'set-dataset', bundled: 'iris'}` (or `csv: '…', name:
//! 'x.csv'`, or `toy: 'moons', rows, noise, seed`), `{type: 'configure',
//! target, task, model, params: {…}, seed, testShare}` (each optional),
//! `{type: 'train'}`, `{type: 'trace', row}` (row numbered from 1, as the
//! page says it). Page → host: `{type: 'ready'}` (or, when the page's link
//! was made with a person's own file, `{type: 'ready', needsFile: {name,
//! bytes}}`: the page waits for that file, which the host may post as
//! `set-dataset` with its `csv`), `{type: 'trained', model, name, metrics:
//! {…}, text}`, `{type: 'error', message}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::base::Task;
use crate::data::ToySpec;
use crate::eval::Metrics;
use crate::model::{self, ParamValues};
use crate::session::{bundled, TEST_SHARES};
use crate::web::input;

/// A message as a host posts it, before it is checked.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
enum Posted {
    SetDataset {
        bundled: Option<String>,
        csv: Option<String>,
        name: Option<String>,
        toy: Option<String>,
        rows: Option<f64>,
        noise: Option<f64>,
        seed: Option<u64>,
        blobs: Option<f64>,
    },
    Configure {
        target: Option<String>,
        task: Option<String>,
        model: Option<String>,
        #[serde(default)]
        params: BTreeMap<String, Setting>,
        seed: Option<f64>,
        #[serde(rename = "testShare")]
        test_share: Option<f64>,
    },
    Train {},
    Trace {
        row: f64,
    },
}

/// A setting's value as a host writes it: a number or a choice's text.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum Setting {
    Number(f64),
    Text(String),
}

/// The table a host asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum HostTable {
    Bundled(String),
    /// CSV text, read as a dropped file of that name would be.
    Csv {
        name: String,
        text: String,
    },
    Toy(ToySpec),
}

/// What a host asks the page to set; `None` leaves the page's control as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Configure {
    pub target: Option<String>,
    pub task: Option<Task>,
    pub model: Option<String>,
    /// Each setting as text, checked by [`Configure::params`] against the model.
    pub params: Vec<(String, String)>,
    pub seed: Option<u64>,
    /// Whole percent, as the page's list offers.
    pub test_percent: Option<u32>,
}

/// A host's message, checked.
#[derive(Clone, Debug, PartialEq)]
pub enum HostCommand {
    SetDataset(HostTable),
    Configure(Configure),
    Train,
    /// Table row, from 0.
    Trace(usize),
}

/// Reads a host's message (any JSON value the host posted). Every way it
/// can be wrong is said in words, for the `error` message back.
pub fn read<'de, D: serde::Deserializer<'de>>(posted: D) -> Result<HostCommand, String> {
    let posted = Posted::deserialize(posted).map_err(|e| {
        format!("Micro Models could not read the message: {e}. It takes set-dataset, configure, train and trace.")
    })?;
    match posted {
        Posted::SetDataset { bundled: b, csv, name, toy, rows, noise, seed, blobs } => match (b, csv, toy) {
            (Some(name), None, None) => match bundled::NAMES.contains(&name.as_str()) {
                true => Ok(HostCommand::SetDataset(HostTable::Bundled(name))),
                false => Err(format!("There is no bundled dataset '{name}': {}.", bundled::NAMES.join(", "))),
            },
            (None, Some(text), None) => {
                if text.trim().is_empty() {
                    return Err("set-dataset's csv is empty.".to_string());
                }
                let name = name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "data.csv".to_string());
                Ok(HostCommand::SetDataset(HostTable::Csv { name, text }))
            }
            (None, None, Some(kind)) => {
                let number = |v: Option<f64>, default: f64| v.unwrap_or(default).to_string();
                match input::toy(&kind, &number(noise, 0.1), &number(rows, 300.0), &number(blobs, 3.0), seed.unwrap_or(0))? {
                    Some(spec) => Ok(HostCommand::SetDataset(HostTable::Toy(spec))),
                    None => Err(format!("There is no toy pattern '{kind}'.")),
                }
            }
            _ => Err("set-dataset takes one of bundled, csv or toy.".to_string()),
        },
        Posted::Configure { target, task, model, params, seed, test_share } => {
            let task = match task {
                Some(name) => Some(
                    [Task::Classification, Task::Regression, Task::Clustering]
                        .into_iter()
                        .find(|t| t.name() == name)
                        .ok_or_else(|| format!("There is no task '{name}': classification, regression or clustering."))?,
                ),
                None => None,
            };
            if let Some(id) = &model {
                if model::catalog::find(id).is_none() {
                    let ids: Vec<&str> = model::CATALOG.iter().map(|m| m.id).collect();
                    return Err(format!("There is no model '{id}': {}.", ids.join(", ")));
                }
            }
            let seed = match seed {
                Some(s) if s.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&s) => Some(s as u64),
                Some(s) => return Err(format!("The seed must be a whole number from 0 to 4294967295, not {s}.")),
                None => None,
            };
            let test_percent = match test_share {
                Some(share) if TEST_SHARES.contains(&share) && (share * 20.0).fract().abs() < 1e-9 => {
                    Some((share * 100.0).round() as u32)
                }
                Some(share) => return Err(format!("testShare must be 0.1, 0.15, … or 0.5, not {share}.")),
                None => None,
            };
            let params = params
                .into_iter()
                .map(|(k, v)| {
                    let text = match v {
                        Setting::Number(n) => n.to_string(),
                        Setting::Text(t) => t,
                    };
                    (k, text)
                })
                .collect();
            Ok(HostCommand::Configure(Configure { target, task, model, params, seed, test_percent }))
        }
        Posted::Train {} => Ok(HostCommand::Train),
        Posted::Trace { row } if row >= 1.0 && row.fract() == 0.0 => Ok(HostCommand::Trace(row as usize - 1)),
        Posted::Trace { row } => Err(format!("trace's row is counted from 1, and is {row}.")),
    }
}

impl Configure {
    /// The settings typed for `model_id` doing `task`, each checked against
    /// its spec (a key the model has not, or a value out of range, is named).
    pub fn params(&self, model_id: &str, task: Task) -> Result<ParamValues, String> {
        let spec = model::catalog::find(model_id).ok_or_else(|| format!("There is no model '{model_id}'."))?;
        let specs = (spec.params)(task);
        let mut values = ParamValues::new();
        for (key, raw) in &self.params {
            let p = specs.iter().find(|p| p.key == key).ok_or_else(|| {
                let keys: Vec<&str> = specs.iter().map(|p| p.key).collect();
                format!("{} has no setting '{key}' (it has {}).", spec.name, keys.join(", "))
            })?;
            let value = input::param_value(p, raw)?;
            p.check(&value).map_err(|e| format!("{}: {e}", spec.name))?;
            values.insert(key.clone(), value);
        }
        Ok(values)
    }
}

/// The scores a `trained` message carries.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostMetrics {
    pub task: &'static str,
    /// What `train` and `test` measure: accuracy, R², inertia per row.
    pub score: &'static str,
    pub train: f64,
    pub test: f64,
    /// The test score's standard error (none for a clustering).
    pub test_se: Option<f64>,
    pub n_train: usize,
    pub n_test: usize,
}

impl HostMetrics {
    pub fn of(metrics: &Metrics) -> HostMetrics {
        match *metrics {
            Metrics::Classification { train_accuracy, test_accuracy, test_se, n_train, n_test } => HostMetrics {
                task: "classification",
                score: "accuracy",
                train: train_accuracy,
                test: test_accuracy,
                test_se: Some(test_se),
                n_train,
                n_test,
            },
            Metrics::Regression { train_r2, test_r2, test_se, n_train, n_test, .. } => HostMetrics {
                task: "regression",
                score: "R²",
                train: train_r2,
                test: test_r2,
                test_se: Some(test_se),
                n_train,
                n_test,
            },
            Metrics::Clustering { train_inertia, test_inertia, n_train, n_test, .. } => HostMetrics {
                task: "clustering",
                score: "inertia per row",
                train: train_inertia,
                test: test_inertia,
                test_se: None,
                n_train,
                n_test,
            },
        }
    }
}

/// The file a link names, which a host can post as `set-dataset`'s `csv`:
/// the page trains the link's model once the text's fingerprint matches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WantedFile {
    pub name: String,
    pub bytes: u64,
}

/// What the page posts to its host (to `window.parent`, with target origin
/// `'*'`: the page cannot know who embeds it, and the messages carry only
/// scores and words, never rows of the table).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum PageMessage {
    /// The page has its table and takes messages; or its link was made
    /// with a person's own file, and it waits for that file (`needs_file`),
    /// taking messages meanwhile.
    #[serde(rename_all = "camelCase")]
    Ready {
        #[serde(skip_serializing_if = "Option::is_none")]
        needs_file: Option<WantedFile>,
    },
    Trained {
        /// Registry id.
        model: String,
        name: String,
        metrics: HostMetrics,
        /// The metrics as the page says them.
        text: String,
    },
    Error {
        message: String,
    },
}

#[cfg(test)]
mod tests;
