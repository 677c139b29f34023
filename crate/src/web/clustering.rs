//! The page's clustering hooks. Clustering needs no target: the target list then
//! offers "(none)" first, and a column chosen there is only compared with the
//! clusters (never a feature). The metrics line speaks of inertia, the
//! silhouette and, with a compared column, the adjusted Rand index.

use web_sys::HtmlSelectElement;

use super::dom::{by_test_id, fill_select, JsResult};
use crate::base::{format_count, format_significant, Task};
use crate::eval::Agreement;
use crate::session::DataSummary;

/// The target list's label for "no target" (its value is the empty name).
const NO_TARGET: &str = "(none)";

/// Fills the target list for `task`, keeping the chosen column where it still
/// fits: for clustering "(none)" (chosen by default) and every column; for a
/// prediction every column, back to the dataset's own target if none was chosen.
pub fn fill_targets(summary: &DataSummary, task: Task) -> JsResult<()> {
    let select: HtmlSelectElement = by_test_id("target-select")?;
    let current = select.value();
    let mut options: Vec<(String, String)> = Vec::new();
    if task == Task::Clustering {
        options.push((String::new(), NO_TARGET.to_string()));
    }
    options.extend(summary.columns.iter().map(|c| (c.name.clone(), c.name.clone())));
    let default_target = summary.columns.get(summary.default_target).map(|c| c.name.as_str());
    let selected = match task {
        // Switching to clustering starts without a compared column.
        Task::Clustering => "",
        _ if current.is_empty() => default_target.unwrap_or_default(),
        _ => &current,
    };
    fill_select(&select, &options, Some(selected))
}

/// The metrics line of a clustering.
pub fn metrics_text(
    train_inertia: f64,
    test_inertia: f64,
    n_clusters: usize,
    silhouette: Option<f64>,
    agreement: Option<&Agreement>,
    (n_train, n_test): (usize, usize),
) -> String {
    let s = |v: f64| format_significant(v, 3);
    let mut parts = vec![format!("Test inertia {} per row · train {}", s(test_inertia), s(train_inertia))];
    if let Some(v) = silhouette {
        parts.push(format!("silhouette {}", s(v)));
    }
    if let Some(a) = agreement {
        parts.push(format!("agreement with {}: ARI {}", a.column, s(a.adjusted_rand_index)));
    }
    parts.push(format!(
        "{} clusters · {} training rows, {} test rows",
        format_count(n_clusters),
        format_count(n_train),
        format_count(n_test)
    ));
    parts.join(" · ")
}
