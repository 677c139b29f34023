//! The page's clustering hook. Clustering needs no target: the target list then
//! offers "(none)" first, and a column chosen there is only compared with the
//! clusters (never a feature). Its metrics line is [`text`](super::text)'s.

use web_sys::HtmlSelectElement;

use super::dom::{by_test_id, fill_select, JsResult};
use crate::base::Task;
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
